/**
 * Where a signer reads the time: milliseconds since the Unix epoch, like `Date.now`.
 * Tests inject a fixed one; skew correction adds an offset on top.
 */
export type Clock = () => number;

/** The timestamp RFC 5849 §3.3 asks for: whole seconds since the epoch. */
export function unixSeconds(clock: Clock, offsetSeconds: number): number {
  return Math.floor(clock() / 1000) + offsetSeconds;
}
