import { ServerError } from './errors.ts';
import type { NonceStore } from './nonce-store.ts';

export interface MemoryNonceStoreOptions {
  /**
   * The most nonces held at once. When it is reached and none has expired, `remember`
   * throws `nonce_store_full` (the request is refused, never let in). Memory is about
   * 200 bytes a nonce (see `pnpm bench`). @default 1_000_000
   */
  readonly maxEntries?: number;
  /** The server's clock, milliseconds since the epoch; use the verifier's. @default Date.now */
  readonly now?: () => number;
}

// Many small maps instead of one big one: a Map grows by copying itself, which at a
// million entries is a pause of tens of milliseconds; a shard's copy stays short.
const SHARDS = 256;
// Entries looked at per call: more than the one each call can add, so expired entries
// are removed as fast as new ones arrive, without a sweep that stops the world.
const SWEEP_STEPS = 4;
// At the cap, how far to look for expired entries before refusing.
const RELIEF_STEPS = 4096;

/**
 * A {@link NonceStore} for one process. Each nonce is kept until its timestamp falls out of
 * the verifier's window (the verifier says when), so memory is bounded by request rate ×
 * window, and by `maxEntries` whatever the rate. Expired entries are removed a few at a
 * time on every call. For several server processes use `createRedisNonceStore`.
 *
 * @example
 * ```ts
 * const nonceStore = createMemoryNonceStore();
 * await verifyRequest(request, { lookupConsumer, nonceStore });
 * ```
 */
export function createMemoryNonceStore(options: MemoryNonceStoreOptions = {}): NonceStore {
  const maxEntries = options.maxEntries ?? 1_000_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new ServerError('invalid_option', 'createMemoryNonceStore: maxEntries must be a positive integer.');
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') {
    throw new ServerError('invalid_option', 'createMemoryNonceStore: now must be a function returning milliseconds.');
  }
  const shards = Array.from({ length: SHARDS }, () => new Map<string, number>());
  // Expiry times are kept relative to the store's start so V8 stores them as small
  // integers inside the map instead of a boxed number per entry.
  const base = Math.floor(now() / 1000);
  // A per-store seed, so which shard a key lands in cannot be planned from outside.
  const seed = (Math.random() * 0x7fffffff) | 0;
  let size = 0;
  let sweepShard = 0;
  let sweeping: Iterator<[string, number]> | undefined;

  function shardOf(key: string): Map<string, number> {
    // FNV-1a over the key.
    let hash = 0x811c9dc5 ^ seed;
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return shards[(hash >>> 0) % SHARDS] as Map<string, number>;
  }

  function sweep(current: number, steps: number): void {
    for (let looked = 0; looked < steps && size > 0; looked++) {
      const shard = shards[sweepShard] as Map<string, number>;
      sweeping ??= shard.entries();
      const next = sweeping.next();
      if (next.done) {
        sweeping = undefined;
        sweepShard = (sweepShard + 1) % SHARDS;
        continue;
      }
      const [key, expiresAt] = next.value;
      if (expiresAt <= current) {
        shard.delete(key);
        size--;
      }
    }
  }

  return {
    remember(key, expiresAt, at) {
      // The verifier's reading when it gives one: a second reading here could fall in the
      // next second and take a live entry for an expired one.
      const current = (at ?? Math.floor(now() / 1000)) - base;
      sweep(current, SWEEP_STEPS);
      const shard = shardOf(key);
      const stored = shard.get(key);
      // An entry past its expiry is as good as gone: the timestamp check refuses its request.
      if (stored !== undefined && stored > current) return false;
      if (stored === undefined) {
        if (size >= maxEntries) sweep(current, RELIEF_STEPS);
        if (size >= maxEntries) {
          throw new ServerError(
            'nonce_store_full',
            `The nonce store holds its maximum of ${maxEntries} live nonces; the request is refused until some expire. Raise maxEntries or shorten the window.`,
          );
        }
        size++;
      }
      shard.set(key, expiresAt - base);
      return true;
    },
  };
}
