import { createSigner } from '@countersign/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisNonceStore, isServerError, type VerifyOptions, verifyRequest } from '../src/index.ts';
import { freePort, type RedisServer, startRedisServer } from './redis-server.ts';

// Two server instances, each with its own connection to one real Redis: what one accepts,
// the other must refuse as a replay.
const CONSUMER = { key: 'shared-consumer-0000000', secret: 'shared secret' };
let redis: RedisServer;
const clients: Array<{ isOpen: boolean; quit(): Promise<unknown> }> = [];

async function connect(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

function instance(client: Parameters<typeof createRedisNonceStore>[0]): VerifyOptions {
  return {
    lookupConsumer: (key) => (key === CONSUMER.key ? { secret: CONSUMER.secret } : undefined),
    nonceStore: createRedisNonceStore(client, { timeoutMs: 500 }),
  };
}

async function signedRequest() {
  const signed = await createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret }).sign({
    method: 'POST',
    url: 'https://api.example.com/webhook',
  });
  return { method: 'POST', url: signed.url, authorization: signed.authorization };
}

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const client of clients) if (client.isOpen) await client.quit().catch(() => {});
  await redis?.stop();
});

describe('Redis nonce store (a real redis-server on loopback)', () => {
  it('a request accepted by instance A and replayed to instance B is refused', async () => {
    const a = instance(await connect(redis.url));
    const b = instance(await connect(redis.url));
    const request = await signedRequest();
    expect((await verifyRequest(request, a)).ok).toBe(true);
    expect(await verifyRequest(request, b)).toMatchObject({ ok: false, problem: 'nonce_used' });
    expect(await verifyRequest(request, a)).toMatchObject({ ok: false, problem: 'nonce_used' });
    expect((await verifyRequest(await signedRequest(), b)).ok).toBe(true);
  });

  it('keeps each nonce for the window, and no longer (SET NX EX)', async () => {
    const client = await connect(redis.url);
    const store = createRedisNonceStore(client, { prefix: 'ttl-check:', now: () => 1_700_000_000_000 });
    expect(await store.remember('k', 1_700_000_301)).toBe(true);
    expect(await store.remember('k', 1_700_000_301)).toBe(false);
    expect(await client.ttl('ttl-check:k')).toBe(301);
  });

  it('Redis unreachable: verification fails closed with a typed error, never accepts', async () => {
    const port = await freePort();
    const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
    client.on('error', () => {});
    await client.connect().catch(() => {});
    const error = await verifyRequest(await signedRequest(), instance(client)).catch((caught: unknown) => caught);
    expect(isServerError(error) && error.code).toBe('nonce_store_unavailable');
    expect(isServerError(error) && error.status).toBe(503);
  });

  it('Redis going down under a connected client: the next request fails closed too', async () => {
    const own = await startRedisServer();
    try {
      const options = instance(await connect(own.url));
      expect((await verifyRequest(await signedRequest(), options)).ok).toBe(true);
      await own.stop();
      const error = await verifyRequest(await signedRequest(), options).catch((caught: unknown) => caught);
      expect(isServerError(error) && error.code).toBe('nonce_store_unavailable');
    } finally {
      await own.stop();
    }
  });

  it('a timeout that is not a positive number is refused when the store is made', () => {
    const client = { sendCommand: async () => 'OK' };
    for (const timeoutMs of [0, -1, Number.NaN]) {
      expect(() => createRedisNonceStore(client, { timeoutMs })).toThrow(/timeoutMs must be/);
    }
  });

  it('a Redis that never answers times out into the same typed error', async () => {
    const hanging = { sendCommand: () => new Promise<unknown>(() => {}) };
    const store = createRedisNonceStore(hanging, { timeoutMs: 50 });
    const error = await Promise.resolve(store.remember('k', 1)).catch((caught: unknown) => caught);
    expect(isServerError(error) && error.code).toBe('nonce_store_unavailable');
  });
});
