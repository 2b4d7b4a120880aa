#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';
import { run } from './program.ts';

const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdoutIsTerminal: process.stdout.isTTY === true,
  readLine: async (question) => {
    const terminal = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await terminal.question(question);
    } finally {
      terminal.close();
    }
  },
});
process.exitCode = code;
