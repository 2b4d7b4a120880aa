import { describe, expect, it, vi } from 'vitest';

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

describe('without crypto.hash (Node before 20.12)', () => {
  it("signs Twitter's documentation request to its published signature", async () => {
    const signed = await createSigner({
      consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
      consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      nonce: () => 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      clock: () => 1318622958000,
    }).sign({
      method: 'POST',
      url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
      body: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(signed.signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    expect(calls.createHmac).toBe(1);
  });
});
