import { generateKeyPairSync } from 'node:crypto';
import { createSigner, type SignatureMethodName } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import {
  type ConsumerRecord,
  createMemoryNonceStore,
  isServerError,
  NONCE_MARGIN_SECONDS,
  type VerifyOptions,
  verifyRequest,
} from '../src/index.ts';

// Each test is an attack on the verifier, written as the attacker would send it.
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const T0 = 1_700_000_000_000;
const clockAt = (ms: number) => () => ms;
const RSA_KEY = 'rsa-consumer-0000000000';
const HMAC_KEY = 'hmac-consumer-000000000';
const consumers = new Map<string, ConsumerRecord>([
  [RSA_KEY, { publicKey }],
  [HMAC_KEY, { secret: 'hmac secret' }],
  ['empty-secret-consumer00', { secret: '' }],
  ['held-to-sha256-consumer', { secret: 'narrow secret', signatureMethods: ['HMAC-SHA256'] }],
]);

function options(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    lookupConsumer: (key) => consumers.get(key),
    lookupToken: (token, consumerKey) => (token === consumerKey ? { secret: '' } : undefined),
    nonceStore: createMemoryNonceStore({ now: clockAt(T0) }),
    now: clockAt(T0),
    ...extra,
  };
}

async function forge(
  consumerKey: string,
  signatureMethod: SignatureMethodName,
  consumerSecret = '',
  url = 'https://api.example.com/r',
) {
  // A forger signs PLAINTEXT over http whatever the client library advises: the server must refuse it.
  const signed = await createSigner({
    consumerKey,
    consumerSecret,
    signatureMethod,
    clock: clockAt(T0),
    allowPlaintextOverHttp: true,
  }).sign({ method: 'GET', url });
  return { method: 'GET', url: signed.url, authorization: signed.authorization };
}

describe('forgery: a consumer is bound to the methods its record supports', () => {
  for (const method of ['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT'] as const) {
    it(`an RSA-only consumer refuses ${method} signed with an empty secret`, async () => {
      const result = await verifyRequest(await forge(RSA_KEY, method), options());
      expect(result).toMatchObject({ ok: false, problem: 'signature_method_rejected' });
      expect(!result.ok && result.advice).toBe(`This consumer may sign with RSA-SHA1, RSA-SHA256; got ${method}.`);
    });
  }

  it('the same forgery with the consumer key as token (a Xero private app) is refused too', async () => {
    const signed = await createSigner({
      consumerKey: RSA_KEY,
      consumerSecret: '',
      token: RSA_KEY,
      tokenSecret: '',
      clock: clockAt(T0),
    }).sign({ method: 'GET', url: 'https://api.example.com/r' });
    const result = await verifyRequest(
      { method: 'GET', url: signed.url, authorization: signed.authorization },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'signature_method_rejected' });
  });

  it('a consumer registered with an empty secret verifies nothing', async () => {
    for (const method of ['HMAC-SHA1', 'PLAINTEXT'] as const) {
      const result = await verifyRequest(await forge('empty-secret-consumer00', method), options());
      expect(result).toMatchObject({
        ok: false,
        problem: 'signature_method_rejected',
        advice: 'This consumer has no usable secret or public key registered here.',
      });
    }
  });

  it('a per-consumer method list narrows what its secret allows', async () => {
    const sha1 = await verifyRequest(await forge('held-to-sha256-consumer', 'HMAC-SHA1', 'narrow secret'), options());
    expect(sha1).toMatchObject({ ok: false, problem: 'signature_method_rejected' });
    const sha256 = await verifyRequest(
      await forge('held-to-sha256-consumer', 'HMAC-SHA256', 'narrow secret'),
      options(),
    );
    expect(sha256.ok).toBe(true);
  });

  it('an HMAC consumer refuses RSA (no public key to check against)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const signed = await createSigner({
      consumerKey: HMAC_KEY,
      privateKey,
      signatureMethod: 'RSA-SHA1',
      clock: clockAt(T0),
    }).sign({
      method: 'GET',
      url: 'https://api.example.com/r',
    });
    const result = await verifyRequest(
      { method: 'GET', url: signed.url, authorization: signed.authorization },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'signature_method_rejected' });
  });
});

describe('replay', () => {
  it('PLAINTEXT over http is refused unless the caller opts in', async () => {
    const request = await forge(HMAC_KEY, 'PLAINTEXT', 'hmac secret', 'http://api.example.com/r');
    const refused = await verifyRequest(request, options());
    expect(refused).toMatchObject({ ok: false, problem: 'signature_method_rejected' });
    expect(!refused.ok && refused.advice).toMatch(/only over https/);
    expect((await verifyRequest(request, options({ allowPlaintextOverHttp: true }))).ok).toBe(true);
  });

  it('a PLAINTEXT header replayed to another method and URL is refused: its nonce was used', async () => {
    const shared = options();
    const request = await forge(HMAC_KEY, 'PLAINTEXT', 'hmac secret', 'https://api.example.com/a');
    expect((await verifyRequest(request, shared)).ok).toBe(true);
    const replay = await verifyRequest(
      { method: 'DELETE', url: 'https://api.example.com/b', authorization: request.authorization },
      shared,
    );
    expect(replay).toMatchObject({ ok: false, problem: 'nonce_used' });
  });

  it('PLAINTEXT with an old timestamp is refused like any other method', async () => {
    const signed = await createSigner({
      consumerKey: HMAC_KEY,
      consumerSecret: 'hmac secret',
      signatureMethod: 'PLAINTEXT',
      clock: clockAt(T0 - 3_600_000),
    }).sign({ method: 'GET', url: 'https://api.example.com/r' });
    const result = await verifyRequest(
      { method: 'GET', url: signed.url, authorization: signed.authorization },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'timestamp_refused' });
  });

  it('without a nonceStore, verifyRequest refuses to run; nonceStore: false accepts replays knowingly', async () => {
    const request = await forge(HMAC_KEY, 'HMAC-SHA1', 'hmac secret');
    const { nonceStore: _omitted, ...withoutStore } = options();
    const error = await verifyRequest(request, withoutStore as VerifyOptions).catch((caught: unknown) => caught);
    expect(isServerError(error) && error.code).toBe('invalid_option');
    expect((error as Error).message).toMatch(/nonceStore is required/);
    const knowingly = options({ nonceStore: false });
    expect((await verifyRequest(request, knowingly)).ok).toBe(true);
    expect((await verifyRequest(request, knowingly)).ok).toBe(true);
  });

  it('one window drives both checks: with a 3600 s window a replay 3000 s later is still refused', async () => {
    let now = T0;
    const clock = () => now;
    const shared = options({ windowSeconds: 3600, now: clock, nonceStore: createMemoryNonceStore({ now: clock }) });
    const request = await forge(HMAC_KEY, 'HMAC-SHA1', 'hmac secret');
    expect((await verifyRequest(request, shared)).ok).toBe(true);
    // Many other requests in between, so expiry sweeps run.
    for (let i = 0; i < 200; i++) {
      now += 15_000;
      await verifyRequest(await forge(HMAC_KEY, 'HMAC-SHA1', 'hmac secret'), shared);
    }
    expect(now - T0).toBe(3_000_000);
    expect(await verifyRequest(request, shared)).toMatchObject({ ok: false, problem: 'nonce_used' });
    now = T0 + 3_601_000;
    expect(await verifyRequest(request, shared)).toMatchObject({ ok: false, problem: 'timestamp_refused' });
  });

  it('the old option name is refused rather than silently ignored', async () => {
    const request = await forge(HMAC_KEY, 'HMAC-SHA1', 'hmac secret');
    const error = await verifyRequest(request, { ...options(), timestampWindowSeconds: 3600 } as VerifyOptions).catch(
      (caught: unknown) => caught,
    );
    expect(isServerError(error) && error.message).toMatch(/windowSeconds/);
  });

  it('a full memory store fails closed with a typed error, and takes nonces again once some expire', async () => {
    let now = T0;
    const clock = () => now;
    const shared = options({
      now: clock,
      windowSeconds: 60,
      nonceStore: createMemoryNonceStore({ now: clock, maxEntries: 3 }),
    });
    for (let i = 0; i < 3; i++)
      expect((await verifyRequest(await forge(HMAC_KEY, 'HMAC-SHA1', 'hmac secret'), shared)).ok).toBe(true);
    const error = await verifyRequest(await forge(HMAC_KEY, 'HMAC-SHA1', 'hmac secret'), shared).catch(
      (caught: unknown) => caught,
    );
    expect(isServerError(error) && error.code).toBe('nonce_store_full');
    expect(isServerError(error) && error.status).toBe(503);
    // Nonces are kept past the window by NONCE_MARGIN_SECONDS.
    now += (60 + NONCE_MARGIN_SECONDS + 2) * 1000;
    const later = await createSigner({ consumerKey: HMAC_KEY, consumerSecret: 'hmac secret', clock }).sign({
      method: 'GET',
      url: 'https://api.example.com/r',
    });
    expect(
      (await verifyRequest({ method: 'GET', url: later.url, authorization: later.authorization }, shared)).ok,
    ).toBe(true);
  });

  it('a forged request leaves no nonce behind: the real one with the same nonce still passes', async () => {
    const shared = options();
    const real = await forge(HMAC_KEY, 'HMAC-SHA1', 'hmac secret');
    const forged = real.authorization?.replace(/oauth_signature="[^"]+"/, 'oauth_signature="AAAA"') as string;
    expect(await verifyRequest({ ...real, authorization: forged }, shared)).toMatchObject({
      problem: 'signature_invalid',
    });
    expect((await verifyRequest(real, shared)).ok).toBe(true);
  });
});
