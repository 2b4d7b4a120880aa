import { ServerError } from './errors.ts';
import type { NonceStore } from './nonce-store.ts';

/**
 * The part of a node-redis client (`redis` ≥ 4, `createClient()`) the store uses. Any
 * client with a `sendCommand(args)` that resolves to the server's reply fits.
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
  /** node-redis: false while disconnected, when commands would wait in its offline queue. */
  readonly isReady?: boolean;
}

export interface RedisNonceStoreOptions {
  /** Prepended to every key. @default 'countersign:nonce:' */
  readonly prefix?: string;
  /** How long to wait for Redis before refusing the request. @default 1000 */
  readonly timeoutMs?: number;
  /** The server's clock, milliseconds since the epoch; use the verifier's. @default Date.now */
  readonly now?: () => number;
}

/**
 * A {@link NonceStore} shared by every server process that uses the same Redis: one atomic
 * `SET key 1 NX EX <seconds>` per request, so a request accepted by one instance and
 * replayed to another is refused, and Redis forgets each nonce when its timestamp leaves
 * the window. When Redis cannot answer (down, disconnected, slower than `timeoutMs`) the
 * store throws `nonce_store_unavailable`: the request is refused, never let in.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const redis = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const nonceStore = createRedisNonceStore(redis);
 * ```
 */
export function createRedisNonceStore(client: RedisCommandClient, options: RedisNonceStoreOptions = {}): NonceStore {
  if (typeof client?.sendCommand !== 'function') {
    throw new ServerError(
      'invalid_option',
      'createRedisNonceStore: expected a connected node-redis client (createClient().connect()), or an object with sendCommand(args).',
    );
  }
  const prefix = options.prefix ?? 'countersign:nonce:';
  const timeoutMs = options.timeoutMs ?? 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ServerError(
      'invalid_option',
      'createRedisNonceStore: timeoutMs must be a number of milliseconds above 0.',
    );
  }
  const now = options.now ?? Date.now;
  const unavailable = (why: string, cause?: unknown) =>
    new ServerError('nonce_store_unavailable', `The Redis nonce store ${why}: the request is refused.`, { cause });

  return {
    async remember(key, expiresAt, at) {
      if (client.isReady === false) throw unavailable('is not connected');
      const seconds = Math.max(1, Math.ceil(expiresAt - (at ?? now() / 1000)));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(unavailable(`did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const reply = await Promise.race([
          client.sendCommand(['SET', prefix + key, '1', 'NX', 'EX', String(seconds)]),
          timeout,
        ]);
        if (reply === 'OK') return true;
        if (reply === null) return false;
        throw unavailable('gave an unexpected reply to SET NX');
      } catch (error) {
        if (error instanceof ServerError) throw error;
        throw unavailable('failed', error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
