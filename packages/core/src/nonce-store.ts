/** Remembers nonces so a server can refuse a replayed request (RFC 5849 §3.3). */
export interface NonceStore {
  /**
   * Records a nonce and says whether it was new. The key combines consumer key, token,
   * timestamp and nonce, as the RFC scopes uniqueness.
   */
  remember(key: string, timestamp: number): boolean | Promise<boolean>;
}

/**
 * An in-memory {@link NonceStore} for one process. Entries older than the timestamp window
 * can no longer be replayed (the timestamp check refuses them), so they are dropped.
 *
 * @example
 * ```ts
 * const nonces = createMemoryNonceStore({ windowSeconds: 300 });
 * await verifyRequest(request, { lookupConsumer, nonceStore: nonces });
 * ```
 */
export function createMemoryNonceStore(options: { windowSeconds?: number; now?: () => number } = {}): NonceStore {
  const windowSeconds = options.windowSeconds ?? 600;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  let nextSweep = 0;
  return {
    remember(key, timestamp) {
      const current = Math.floor(now() / 1000);
      if (current >= nextSweep) {
        for (const [stored, at] of seen) if (at < current - 2 * windowSeconds) seen.delete(stored);
        nextSweep = current + windowSeconds;
      }
      if (seen.has(key)) return false;
      seen.set(key, timestamp);
      return true;
    },
  };
}
