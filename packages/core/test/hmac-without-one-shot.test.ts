import { describe, expect, it, vi } from 'vitest';
import vectors from './fixtures/published-vectors.json' with { type: 'json' };

// Node 20.0–20.11 have no crypto.hash(): the backend falls back to createHmac.
const calls = vi.hoisted(() => ({ createHmac: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return {
    ...original,
    hash: undefined,
    createHmac: (...args: Parameters<typeof original.createHmac>) => {
      calls.createHmac++;
      return original.createHmac(...args);
    },
  };
});

const { createSigner } = await import('../src/index.ts');
const { 'twitter-creating-a-signature': twitter } = vectors;

describe('without crypto.hash (Node before 20.12)', () => {
  it("signs Twitter's documentation request to its published signature", async () => {
    const signed = await createSigner({
      ...twitter.credentials,
      nonce: () => twitter.nonce,
      clock: () => twitter.timestamp * 1000,
    }).sign(twitter.request);
    expect(signed.signature).toBe(twitter.signature);
    expect(calls.createHmac).toBe(1);
  });
});
