/**
 * Remembers nonces so a server can refuse a replayed request (RFC 5849 §3.3).
 * `verifyRequest` calls it only for requests whose signature already verified.
 */
export interface NonceStore {
  /**
   * Records a key and answers whether it was new. `expiresAt` (seconds since the epoch) is
   * the moment from which the verifier refuses the request's timestamp anyway: the entry
   * must be kept until then, and may be forgotten after. `now` (seconds since the epoch) is
   * the verifier's own reading of its clock for this request: a store that decides with it
   * (rather than reading a clock again) has no gap at the window's edge. A store that
   * cannot answer throws, so the request is refused (fail closed), never let in.
   */
  remember(key: string, expiresAt: number, now?: number): boolean | Promise<boolean>;
}

/**
 * How much longer than the window a nonce is kept, in seconds: the time between the
 * verifier's reading of the clock and the store's write (a slow lookup, a Redis round
 * trip, a clock stepped by NTP) must not open a gap at the window's edge.
 * @example
 * ```ts
 * // a custom store keeps each key until expiresAt, which already includes the margin
 * ```
 */
export const NONCE_MARGIN_SECONDS = 30;

/**
 * The key of one use of a nonce. RFC 5849 §3.3 scopes uniqueness to the timestamp, the
 * consumer and the token; the lengths make two different requests' keys different even
 * when their parts contain the separators.
 */
export function nonceKey(consumerKey: string, token: string, timestamp: string, nonce: string): string {
  return `${consumerKey.length}:${consumerKey}${token.length}:${token}${timestamp}:${nonce}`;
}
