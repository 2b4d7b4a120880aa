import { generateKeyPairSync } from 'node:crypto';
import { createSigner, SIGNATURE_METHODS, type SignatureMethodName } from '@countersign/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsumerRecord, createMemoryNonceStore, type NonceStore, verifyRequest } from '../src/index.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW = 1_700_000_000_000;
const now = () => NOW;
const consumers = new Map([['ck', { secret: 'c secret', publicKey }]]);
const tokens = new Map([['tk', 'token secret!']]);
const options = () => ({
  lookupConsumer: (key: string) => consumers.get(key),
  lookupToken: (token: string) => (tokens.has(token) ? { secret: tokens.get(token) as string } : undefined),
  nonceStore: createMemoryNonceStore({ now }),
  now,
});

function signer(method: SignatureMethodName, clockOffsetSeconds = 0) {
  return createSigner({
    consumerKey: 'ck',
    consumerSecret: 'c secret',
    ...(method.startsWith('RSA') ? { privateKey } : {}),
    signatureMethod: method,
    token: 'tk',
    tokenSecret: 'token secret!',
    clock: now,
    clockOffsetSeconds,
  });
}

const FORM = 'application/x-www-form-urlencoded';
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const pair = fc.tuple(text, text);

describe('sign → verify', () => {
  for (const method of SIGNATURE_METHODS) {
    it(`${method}: any query and form body signed by createSigner verifies`, async () => {
      const s = signer(method);
      await fc.assert(
        fc.asyncProperty(fc.array(pair, { maxLength: 5 }), fc.array(pair, { maxLength: 5 }), async (query, form) => {
          const url = `https://API.example.com:443/p%20ath?${new URLSearchParams(query).toString()}`;
          const body = new URLSearchParams(form).toString();
          const signed = await s.sign({ method: 'post', url, body, contentType: FORM });
          const result = await verifyRequest(
            { method: 'POST', url: signed.url, authorization: signed.authorization, body, contentType: FORM },
            options(),
          );
          expect(result.ok).toBe(true);
        }),
        { numRuns: method.startsWith('RSA') ? 25 : 100 },
      );
    });
  }
});

describe('verify refuses what a strict provider refuses', () => {
  const url = 'https://api.example.com/r?a=1';

  it('a tampered query: signature_invalid, with the base string the server computed', async () => {
    const signed = await signer('HMAC-SHA1').sign({ method: 'GET', url });
    const result = await verifyRequest(
      { method: 'GET', url: `${url}2`, authorization: signed.authorization },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'signature_invalid' });
    expect(!result.ok && result.baseString).toContain('a%3D12');
  });

  it('a replayed request: nonce_used', async () => {
    const signed = await signer('HMAC-SHA1').sign({ method: 'GET', url });
    const shared = options();
    expect((await verifyRequest({ method: 'GET', url, authorization: signed.authorization }, shared)).ok).toBe(true);
    expect(await verifyRequest({ method: 'GET', url, authorization: signed.authorization }, shared)).toMatchObject({
      ok: false,
      problem: 'nonce_used',
    });
  });

  it('a clock an hour off: timestamp_refused with the acceptable range', async () => {
    const signed = await signer('HMAC-SHA1', -3600).sign({ method: 'GET', url });
    const result = await verifyRequest({ method: 'GET', url, authorization: signed.authorization }, options());
    expect(result).toMatchObject({
      ok: false,
      problem: 'timestamp_refused',
      acceptableTimestamps: `${NOW / 1000 - 300}-${NOW / 1000 + 300}`,
    });
  });

  it('unknown consumer, unknown token, missing parameters, refused method', async () => {
    const signed = await signer('HMAC-SHA1').sign({ method: 'GET', url });
    const authorization = signed.authorization as string;
    expect(
      await verifyRequest({ method: 'GET', url, authorization: authorization.replace('"ck"', '"nobody"') }, options()),
    ).toMatchObject({ problem: 'consumer_key_unknown' });
    expect(
      await verifyRequest({ method: 'GET', url, authorization: authorization.replace('"tk"', '"gone"') }, options()),
    ).toMatchObject({ problem: 'token_rejected' });
    expect(
      await verifyRequest(
        { method: 'GET', url, authorization: authorization.replace(/, oauth_nonce="[^"]+"/, '') },
        options(),
      ),
    ).toMatchObject({
      problem: 'parameter_absent',
      parametersAbsent: ['oauth_nonce'],
    });
    expect(
      await verifyRequest({ method: 'GET', url, authorization }, { ...options(), signatureMethods: ['RSA-SHA1'] }),
    ).toMatchObject({ problem: 'signature_method_rejected' });
  });

  it('an RSA signature checked against another key fails', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const signed = await signer('RSA-SHA1').sign({ method: 'GET', url });
    const result = await verifyRequest(
      { method: 'GET', url, authorization: signed.authorization },
      { ...options(), lookupConsumer: () => ({ publicKey: other }) },
    );
    expect(result).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it('OAuth parameters sent twice: parameter_rejected', async () => {
    const signed = await signer('HMAC-SHA1').sign({ method: 'GET', url });
    const result = await verifyRequest(
      { method: 'GET', url: `${url}&oauth_consumer_key=ck`, authorization: signed.authorization },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'parameter_rejected' });
  });
});

// Database clients and query builders (knex, some ORMs) answer with thenables that are not
// native promises: each must be awaited, or a replay is let in by a store whose answer is an
// object, and a registered consumer is refused.
describe('lookups and nonce stores that answer with a thenable', () => {
  const thenable = <T>(value: T): PromiseLike<T> => ({
    // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise is what this tests.
    then: (resolve, reject) => Promise.resolve(value).then(resolve, reject),
  });

  it('a replay is refused when the store answers false through a thenable', async () => {
    const seen = new Set<string>();
    const nonceStore = {
      remember: (key: string) => thenable(!seen.has(key) && Boolean(seen.add(key))),
    } as unknown as NonceStore;
    const base = options();
    const thenableOptions = {
      ...base,
      nonceStore,
      lookupConsumer: (key: string) => thenable(consumers.get(key)) as unknown as ConsumerRecord,
      lookupToken: (token: string) => thenable(base.lookupToken(token)) as unknown as { secret: string },
    };
    const signed = await signer('HMAC-SHA1').sign({ method: 'GET', url: 'https://api.example.com/r?a=1' });
    const request = { method: 'GET', url: 'https://api.example.com/r?a=1', authorization: signed.authorization };
    expect(await verifyRequest(request, thenableOptions)).toMatchObject({ ok: true, consumerKey: 'ck', token: 'tk' });
    expect(await verifyRequest(request, thenableOptions)).toMatchObject({ ok: false, problem: 'nonce_used' });
  });
});
