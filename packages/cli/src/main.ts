#!/usr/bin/env node
import { run } from './program.ts';
import { readLineFrom } from './read-line.ts';

/**
 * Writes to a stream and, when its buffer is full, answers a promise settled as it drains
 * (or rejected as it fails: a pipe whose reader left never drains).
 */
function writeTo(stream: NodeJS.WritableStream): (text: string) => Promise<void> | undefined {
  return (text) => {
    if (stream.write(text)) return undefined;
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        stream.off('drain', drained);
        stream.off('error', failed);
        stream.off('close', closed);
        if (error === undefined) resolve();
        else reject(error);
      };
      const drained = () => settle();
      const failed = (error: Error) => settle(error);
      const closed = () => settle(new Error('stdout closed'));
      stream.on('drain', drained);
      stream.on('error', failed);
      stream.on('close', closed);
    });
  };
}

const code = await run(process.argv.slice(2), {
  stdout: writeTo(process.stdout),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdoutIsTerminal: process.stdout.isTTY === true,
  readLine: readLineFrom(process.stdin, process.stderr),
});
process.exitCode = code;
