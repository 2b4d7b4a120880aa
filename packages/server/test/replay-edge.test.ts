import { createSigner } from '@countersign/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryNonceStore,
  createRedisNonceStore,
  type NonceStore,
  type VerifyOptions,
  verifyRequest,
} from '../src/index.ts';
import { type RedisServer, startRedisServer } from './redis-server.ts';

// A replay at the window's edge: the timestamp check and the nonce store must agree on what
// "now" is, or a replay checked in the window's last second and stored in the next gets in.
const CONSUMER = { key: 'edge-consumer-000000000', secret: 'edge secret' };
const WINDOW = 1;
let redis: RedisServer;
let redisClient: Awaited<ReturnType<typeof connect>>;

async function connect(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  return client;
}

beforeAll(async () => {
  redis = await startRedisServer();
  redisClient = await connect(redis.url);
});
afterAll(async () => {
  await redisClient.quit().catch(() => {});
  await redis.stop();
});

async function signedAt(ms: number) {
  const signed = await createSigner({
    consumerKey: CONSUMER.key,
    consumerSecret: CONSUMER.secret,
    clock: () => ms,
  }).sign({ method: 'POST', url: 'https://api.example.com/hook' });
  return { method: 'POST', url: signed.url, authorization: signed.authorization };
}

function options(nonceStore: NonceStore, now: () => number): VerifyOptions {
  return {
    // Asynchronous, as a database lookup is: verifications interleave.
    lookupConsumer: async (key) => (key === CONSUMER.key ? { secret: CONSUMER.secret } : undefined),
    nonceStore,
    windowSeconds: WINDOW,
    now,
  };
}

describe('a stepping clock: every reading 1 ms later than the last', () => {
  const stores: Array<[string, (clock: () => number) => NonceStore]> = [
    ['memory', (clock) => createMemoryNonceStore({ now: clock })],
    ['Redis', (clock) => createRedisNonceStore(redisClient, { now: clock, prefix: `step:${Math.random()}:` })],
  ];
  for (const [name, makeStore] of stores) {
    it(`${name} store: a replay checked at the window's last millisecond is refused`, async () => {
      const ts = 1_700_000_000;
      let clock = ts * 1000;
      const stepping = () => clock++;
      const shared = options(makeStore(stepping), stepping);
      const original = await signedAt(ts * 1000);
      expect((await verifyRequest(original, shared)).ok).toBe(true);
      let accepted = 0;
      // Replays whose first clock reading falls in the last milliseconds of the window.
      for (let lead = 5; lead >= 0; lead--) {
        clock = (ts + WINDOW) * 1000 + 999 - lead;
        const result = await verifyRequest(original, shared);
        if (result.ok) accepted++;
        else expect(['nonce_used', 'timestamp_refused']).toContain(result.problem);
      }
      expect(accepted).toBe(0);
    });
  }
});

describe.concurrent('a concurrent burst of replays across the window’s edge, real clock', () => {
  const stores: Array<[string, () => NonceStore]> = [
    ['memory', () => createMemoryNonceStore()],
    ['Redis', () => createRedisNonceStore(redisClient, { prefix: `burst:${Math.random()}:` })],
  ];
  for (const [name, makeStore] of stores) {
    it(`${name} store: 0 replays accepted`, async () => {
      const shared = options(makeStore(), Date.now);
      // Start just after a second begins, so the edge comes WINDOW + 1 seconds later.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
      const ts = Math.floor(Date.now() / 1000);
      const original = await signedAt(ts * 1000);
      expect((await verifyRequest(original, shared)).ok).toBe(true);
      const edge = (ts + WINDOW + 1) * 1000;
      const outcomes: string[] = [];
      // Waves of 400 concurrent replays, each wave taking some milliseconds of CPU, started
      // so that some run across the edge (one reading before it, one after, per request);
      // the first well before it, so a busy machine still covers both sides.
      for (const offset of [-400, -60, -25, -10, -4, 15]) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, edge + offset - Date.now())));
        const wave = Array.from({ length: 400 }, () =>
          verifyRequest(original, shared).then((result) => {
            outcomes.push(result.ok ? 'accepted' : result.problem);
          }),
        );
        await Promise.all(wave);
      }
      expect(outcomes.filter((outcome) => outcome === 'accepted')).toEqual([]);
      // Both sides of the edge were reached: replays refused as used, then as too old.
      expect(outcomes).toContain('nonce_used');
      expect(outcomes).toContain('timestamp_refused');
    });
  }
});
