#!/usr/bin/env node
import { run } from './program.ts';
import { readLineFrom } from './read-line.ts';

const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdoutIsTerminal: process.stdout.isTTY === true,
  readLine: readLineFrom(process.stdin, process.stderr),
});
process.exitCode = code;
