import { CountersignError } from './errors.ts';

/**
 * Where a signer reads the time: milliseconds since the Unix epoch, like `Date.now`.
 * Tests inject a fixed one; skew correction adds an offset on top.
 */
export type Clock = () => number;

/**
 * The largest `oauth_timestamp` a signer writes: ten decimal digits (the year 2286). Servers
 * read the value as a decimal integer; anything longer is a broken clock or offset, and
 * `String(1e25)` would even send `1e+25`.
 */
export const MAX_TIMESTAMP = 9_999_999_999;

/** How far a correction learned from a server's answer may move the clock: one day. */
export const DEFAULT_MAX_CLOCK_CORRECTION_SECONDS = 86_400;

// A signer talks to few origins; the corrections of more than this many are forgotten, oldest first.
const MAX_CORRECTED_ORIGINS = 64;

/** Checks an offset set by the caller: a finite number of seconds no larger than a timestamp. */
export function checkClockOffset(seconds: unknown): number {
  if (typeof seconds !== 'number' || !(Math.abs(seconds) <= MAX_TIMESTAMP)) {
    throw new CountersignError(
      'invalid_option',
      `clockOffsetSeconds: expected a finite number of seconds, at most ${MAX_TIMESTAMP} either way; got ${String(seconds)}.`,
    );
  }
  return Math.round(seconds);
}

/**
 * A signer's time: the clock, the offset the caller set, and corrections learned from
 * servers' answers, each kept for the origin that answered. A hostile or broken server can
 * then move the clock only for its own requests, and by no more than `maxCorrection`.
 */
export interface SignerClock {
  /** The offset the caller set (`clockOffsetSeconds`, `setClockOffset`). */
  readonly offset: number;
  setOffset(seconds: unknown): void;
  /** The offset for requests to `origin`: the caller's plus what that origin taught us. */
  offsetFor(origin: string): number;
  /** The timestamp for a request to `origin`, checked to be a decimal integer of ten digits at most. */
  seconds(origin: string | undefined): number;
  /** The same as sent (the text is kept while the second lasts). */
  text(origin: string): string;
  /** Learns the server clock of `origin`; false (nothing learned) when it is implausible or too far off. */
  correct(origin: string, serverSeconds: number): boolean;
}

export function createSignerClock(clock: Clock, offset: number, maxCorrection: number): SignerClock {
  const corrections = new Map<string, number>();
  let lastSeconds = Number.NaN;
  let lastText = '';
  const checked = (seconds: number): number => {
    if (seconds >= 0 && seconds <= MAX_TIMESTAMP) return seconds;
    throw new CountersignError(
      'invalid_timestamp',
      `The timestamp to sign would be ${String(seconds)}, not a whole number of seconds from 0 to ${MAX_TIMESTAMP}: check the clock option (milliseconds since the epoch, as Date.now() gives) and clockOffsetSeconds.`,
    );
  };
  const offsetFor = (origin: string | undefined) =>
    corrections.size === 0 || origin === undefined ? offset : offset + (corrections.get(origin) ?? 0);
  const seconds = (origin: string | undefined) => checked(Math.floor(clock() / 1000) + offsetFor(origin));
  return {
    get offset() {
      return offset;
    },
    setOffset(value) {
      offset = checkClockOffset(value);
    },
    offsetFor,
    seconds,
    text(origin) {
      const now = Math.floor(clock() / 1000) + offsetFor(origin);
      if (now !== lastSeconds) {
        lastText = String(checked(now));
        lastSeconds = now;
      }
      return lastText;
    },
    correct(origin, serverSeconds) {
      if (!Number.isSafeInteger(serverSeconds) || serverSeconds < 0 || serverSeconds > MAX_TIMESTAMP) return false;
      const correction = serverSeconds - (Math.floor(clock() / 1000) + offset);
      if (!(Math.abs(correction) <= maxCorrection)) return false;
      corrections.delete(origin);
      if (corrections.size >= MAX_CORRECTED_ORIGINS) corrections.delete(corrections.keys().next().value as string);
      corrections.set(origin, correction);
      return true;
    },
  };
}
