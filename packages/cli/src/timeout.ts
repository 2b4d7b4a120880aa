import { UsageError } from './usage-error.ts';

// Timers hold at most 2^31-1 ms (about 24 days); a longer one would fire at once.
const MAX_TIMEOUT_SECONDS = 2_000_000;

/** The default of every `--timeout`: a provider that has not answered in 30 s will not. */
export const DEFAULT_TIMEOUT = '30';

/** `--timeout SECONDS` in milliseconds, checked: a number above 0 that a timer can hold. */
export function timeoutMilliseconds(given: string): number {
  const seconds = Number(given);
  if (!/^\d+(\.\d+)?$/.test(given) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `--timeout expects a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}; got ${JSON.stringify(given)}`,
    );
  }
  return seconds * 1000;
}
