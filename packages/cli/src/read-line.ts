import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { UsageError } from './usage-error.ts';

/**
 * Asks `question` on `output` and answers the line read from `input`. When the input ends
 * with no line (stdin closed or empty, as in CI or `< /dev/null`), it says so instead of
 * leaving the process to exit silently with Node's code 13 for a promise never settled.
 */
export function readLineFrom(input: Readable, output: Writable): (question: string) => Promise<string> {
  return (question) =>
    new Promise((resolve, reject) => {
      const terminal = createInterface({ input, output });
      let answered = false;
      terminal.once('close', () => {
        // A last line and the end of the input arrive together: let the answer settle first.
        setImmediate(() => {
          if (answered) return;
          reject(
            new UsageError(
              'no verifier: stdin ended before one was given. Run countersign flow in a terminal, or pipe the verifier in (echo VERIFIER | countersign flow …)',
            ),
          );
        });
      });
      terminal.question(question).then(
        (answer) => {
          answered = true;
          terminal.close();
          resolve(answer);
        },
        (error: unknown) => {
          answered = true;
          terminal.close();
          reject(error);
        },
      );
    });
}
