import { describe, expect, it } from 'vitest';
import { createNonceGenerator, DEFAULT_NONCE_LENGTH } from '../src/index.ts';
import { fixedSigner } from './helpers.ts';

describe('nonces', () => {
  it('default: 24 alphanumeric characters, inside the 20–30 servers built on oauthlib accept', () => {
    const next = createNonceGenerator();
    for (let i = 0; i < 1000; i++) expect(next()).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(DEFAULT_NONCE_LENGTH).toBeGreaterThanOrEqual(20);
    expect(DEFAULT_NONCE_LENGTH).toBeLessThanOrEqual(30);
  });

  it('never repeats across 100,000 draws and uses the whole alphabet evenly', () => {
    const next = createNonceGenerator(20);
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const nonce = next();
      seen.add(nonce);
      for (const c of nonce) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(seen.size).toBe(100_000);
    expect(counts.size).toBe(62);
    const expected = (100_000 * 20) / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.05);
  });

  it('length is configurable within 8–128 and anything else is refused', () => {
    expect(createNonceGenerator(16)()).toHaveLength(16);
    for (const bad of [7, 129, 1.5, Number.NaN]) expect(() => createNonceGenerator(bad)).toThrow(/8 to 128/);
  });

  it('every signature gets a fresh nonce and the current timestamp', async () => {
    let now = 1_000_000_000_000;
    const signer = fixedSigner({ nonce: createNonceGenerator(), clock: () => now });
    const first = await signer.sign({ method: 'GET', url: 'https://example.com/' });
    now += 5000;
    const second = await signer.sign({ method: 'GET', url: 'https://example.com/' });
    expect(first.oauthParams.oauth_nonce).not.toBe(second.oauthParams.oauth_nonce);
    expect(Number(second.oauthParams.oauth_timestamp) - Number(first.oauthParams.oauth_timestamp)).toBe(5);
  });

  it('the clock offset corrects the timestamp and can be changed later', async () => {
    const signer = fixedSigner({ clockOffsetSeconds: 3600 });
    expect(signer.timestamp()).toBe(1_700_003_600);
    signer.setClockOffset(-30);
    expect(signer.clockOffsetSeconds).toBe(-30);
    expect((await signer.sign({ method: 'GET', url: 'https://example.com/' })).oauthParams.oauth_timestamp).toBe(
      '1699999970',
    );
    expect(() => signer.setClockOffset(Number.NaN)).toThrow(/clockOffsetSeconds/);
  });
});
