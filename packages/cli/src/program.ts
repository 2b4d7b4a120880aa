import { type FetchLike, inertText, isCountersignError } from '@countersign/core';
import { Command, CommanderError } from 'commander';
import cliPackage from '../package.json' with { type: 'json' };
import { inCliTerms } from './cli-terms.ts';
import { explainCommand } from './commands/explain.ts';
import { flowCommand } from './commands/flow.ts';
import { requestCommand } from './commands/request.ts';
import { sandboxCommand } from './commands/sandbox.ts';
import { signCommand } from './commands/sign.ts';
import { describeNetworkFailure, NetworkFailure } from './network-failure.ts';
import { EXIT_USAGE, UsageError } from './usage-error.ts';

export interface Io {
  /**
   * Writes to stdout. A promise returned means "written once it settles": a streamed answer
   * waits for it before reading on, so a pipe nobody drains holds the download back instead
   * of filling memory.
   */
  readonly stdout: (text: string) => void | Promise<void>;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Asks a question on the terminal and resolves with the answer (flow's verifier). */
  readonly readLine?: (question: string) => Promise<string>;
  /** The fetch for request and flow; globalThis.fetch, looked up at call time, by default. */
  readonly fetch?: FetchLike;
  /** Resolves when `countersign sandbox` should stop. @default on SIGINT or SIGTERM */
  readonly untilStopped?: () => Promise<void>;
  /** stdout is a terminal: an answer's control characters are then written out inert. @default false */
  readonly stdoutIsTerminal?: boolean;
}

// The build inlines the manifest, so the version is right in ESM and CJS alike.
const VERSION = cliPackage.version;

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * Runs `countersign` with the given arguments (without `node` and the script path) and
 * returns the exit code: 0 on success, 2 for a usage or configuration mistake, 1 otherwise.
 */
export async function run(args: readonly string[], given: Io): Promise<number> {
  // Every message goes to a terminal or a log, and many quote what a server or a file said:
  // control characters in them are written out inert, line breaks kept.
  const io: Io = {
    ...given,
    stderr: (text) => given.stderr(inertText(text, Number.POSITIVE_INFINITY, { keepLines: true })),
  };
  // addCommand does not pass output settings on, so every command gets them here.
  const configure = (command: Command) =>
    command.exitOverride().configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // One line, so scripts and people see the mistake at once; commander's "(Did you mean
      // --consumer-key?)" comes on a line of its own, and is kept on this one.
      outputError: (message, write) =>
        write(
          `${message
            .trim()
            .split(/\s*\n\s*/)
            .join(' ')}\n`,
        ),
    });
  const program = configure(
    new Command('countersign')
      .description('Sign OAuth 1.0a requests, see exactly what was signed, and learn why a server refused one.')
      .version(VERSION, '--version', 'print the version'),
  );
  program.addCommand(configure(signCommand(io.stdout, io.env)));
  program.addCommand(configure(explainCommand(io.stdout)));
  const fetch = () => io.fetch ?? (globalThis.fetch as FetchLike);
  let exitCode = 0;
  program.addCommand(
    configure(
      requestCommand(
        io.stdout,
        io.stderr,
        io.env,
        fetch,
        (code) => {
          exitCode = code;
        },
        io.stdoutIsTerminal === true,
      ),
    ),
  );
  const readLine =
    io.readLine ??
    (async () => {
      throw new UsageError('flow needs a terminal to read the verifier from');
    });
  program.addCommand(configure(flowCommand(io.stdout, io.env, readLine, fetch)));
  program.addCommand(configure(sandboxCommand(io.stdout, io.untilStopped ?? untilSignal)));
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.help' ||
        error.code === 'commander.version'
      )
        return 0;
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr(`countersign: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (isCountersignError(error) && error.code !== 'signing_failed' && error.code !== 'provider_error') {
      io.stderr(`countersign: ${inCliTerms(error.message)}\n`);
      return EXIT_USAGE;
    }
    const network = error instanceof NetworkFailure ? error.message : describeNetworkFailure(error);
    if (network !== undefined) {
      io.stderr(`countersign: ${network}\n`);
      return 1;
    }
    io.stderr(`countersign: ${inCliTerms(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
}
