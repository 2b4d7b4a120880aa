import { generateKeyPairSync } from 'node:crypto';
import { createSigner } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore, type RejectedRequest, type VerifyOptions, verifyRequest } from '../src/index.ts';

// Strict where ambiguity helps an attacker: two spellings of one signature, two byte
// sequences that decode to one string, a token presented with the wrong consumer.
const T0 = 1_700_000_000_000;
const clock = () => T0;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const consumers = new Map([
  ['rsa-consumer-0000000000', { publicKey }],
  ['consumer-a-000000000000', { secret: 'secret of a' }],
  ['consumer-b-000000000000', { secret: 'secret of b' }],
]);

function options(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    lookupConsumer: (key) => consumers.get(key),
    nonceStore: createMemoryNonceStore({ now: clock }),
    now: clock,
    ...extra,
  };
}

describe('RSA signatures must be strict base64', () => {
  async function signedRsa() {
    const signed = await createSigner({
      consumerKey: 'rsa-consumer-0000000000',
      privateKey,
      signatureMethod: 'RSA-SHA256',
      clock,
    }).sign({ method: 'GET', url: 'https://api.example.com/r' });
    const signature = decodeURIComponent(
      /oauth_signature="([^"]+)"/.exec(signed.authorization as string)?.[1] as string,
    );
    const withSignature = (value: string) =>
      (signed.authorization as string).replace(
        /oauth_signature="[^"]+"/,
        `oauth_signature="${encodeURIComponent(value)}"`,
      );
    return { url: signed.url, signature, withSignature };
  }

  it('the genuine signature verifies', async () => {
    const { url, withSignature, signature } = await signedRsa();
    expect((await verifyRequest({ method: 'GET', url, authorization: withSignature(signature) }, options())).ok).toBe(
      true,
    );
  });

  for (const [what, spoil] of [
    ['padding removed and junk appended', (s: string) => `${s.replace(/=+$/, '')}!#$`],
    ['text after the padding', (s: string) => `${s}junk`],
    ['padding removed', (s: string) => s.replace(/=+$/, '')],
    ['whitespace inside', (s: string) => `${s.slice(0, 10)} ${s.slice(10)}`],
    ['URL-safe alphabet', (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_')],
    [
      'bits set past the last byte',
      (s: string) => s.replace(/[AQgw](?==*$)/, (c) => String.fromCharCode(c.charCodeAt(0) + 1)),
    ],
  ] as const) {
    it(`a signature with ${what} is refused`, async () => {
      // A fresh key pair sign per case, so the nonce is never the reason.
      const { url, signature, withSignature } = await signedRsa();
      const spoiled = spoil(signature);
      if (spoiled === signature) return; // this signature has nothing to spoil that way
      const result = await verifyRequest({ method: 'GET', url, authorization: withSignature(spoiled) }, options());
      expect(result).toMatchObject({ ok: false, problem: 'signature_invalid' });
    });
  }
});

describe('decoded parameters must be valid UTF-8', () => {
  async function signedWithQuery(query: string) {
    const signed = await createSigner({
      consumerKey: 'consumer-a-000000000000',
      consumerSecret: 'secret of a',
      clock,
    }).sign({
      method: 'GET',
      url: `https://api.example.com/r?${query}`,
    });
    return signed;
  }

  it('a value that is not UTF-8 does not collapse into U+FFFD: another byte sequence does not verify in its place', async () => {
    // Signed with the replacement character, sent with a lone 0xFF: both decode to U+FFFD leniently.
    const signed = await signedWithQuery('note=%EF%BF%BD');
    const swapped = signed.url.replace('%EF%BF%BD', '%FF');
    expect(swapped).not.toBe(signed.url);
    const result = await verifyRequest({ method: 'GET', url: swapped, authorization: signed.authorization }, options());
    expect(result).toMatchObject({ ok: false, problem: 'parameter_rejected' });
    expect((result as RejectedRequest).advice).toMatch(/not UTF-8/);
  });

  it('the same holds in a form body, raw bytes or escapes, and in the Authorization header', async () => {
    const form = 'application/x-www-form-urlencoded';
    const cases = [
      { body: new Uint8Array([0x61, 0x3d, 0xff]), contentType: form },
      { body: 'a=%C3%28', contentType: form },
      { body: 'a=%ED%A0%80', contentType: form },
    ];
    for (const extra of cases) {
      const result = await verifyRequest({ method: 'POST', url: 'https://api.example.com/r', ...extra }, options());
      expect(result).toMatchObject({ ok: false, problem: 'parameter_rejected' });
      expect((result as RejectedRequest).advice).toMatch(/UTF-8/);
    }
    const header = await verifyRequest(
      { method: 'GET', url: 'https://api.example.com/r', authorization: 'OAuth oauth_consumer_key="%FF"' },
      options(),
    );
    expect(header).toMatchObject({ ok: false, problem: 'parameter_rejected' });
    expect((header as RejectedRequest).advice).toMatch(/UTF-8/);
  });

  it('a % not followed by two hex digits is refused: %zz and %25zz would be one value', async () => {
    const signed = await signedWithQuery('discount=100%25&q=%25zz');
    const swapped = signed.url.replace('q=%25zz', 'q=%zz');
    const result = await verifyRequest({ method: 'GET', url: swapped, authorization: signed.authorization }, options());
    expect(result).toMatchObject({ ok: false, problem: 'parameter_rejected' });
    expect((result as RejectedRequest).advice).toMatch(/literal % as %25/);
    // Sent as signed, with every % escaped, it verifies.
    const genuine = await verifyRequest(
      { method: 'GET', url: signed.url, authorization: signed.authorization },
      options(),
    );
    expect(genuine.ok).toBe(true);
  });

  it('real UTF-8 (é, emoji, the replacement character itself) verifies', async () => {
    const signed = await signedWithQuery('name=%C3%A9&e=%F0%9F%98%80&r=%EF%BF%BD');
    const result = await verifyRequest(
      { method: 'GET', url: signed.url, authorization: signed.authorization },
      options(),
    );
    expect(result.ok).toBe(true);
  });
});

describe('a token names the consumer it was issued to', () => {
  // The careless lookup: it ignores the consumerKey argument it is given.
  const tokens = new Map([
    ['token-of-a-000000000000', { secret: 'token secret', consumerKey: 'consumer-a-000000000000' }],
  ]);
  const careless = options({ lookupToken: (token) => tokens.get(token) });

  async function signedBy(consumerKey: string, consumerSecret: string) {
    const signed = await createSigner({
      consumerKey,
      consumerSecret,
      token: 'token-of-a-000000000000',
      tokenSecret: 'token secret',
      clock,
    }).sign({ method: 'GET', url: 'https://api.example.com/r' });
    return { method: 'GET', url: signed.url, authorization: signed.authorization };
  }

  it("consumer B presenting A's token is refused, even by a lookup that ignores the consumer", async () => {
    const result = await verifyRequest(await signedBy('consumer-b-000000000000', 'secret of b'), careless);
    expect(result).toMatchObject({ ok: false, problem: 'token_rejected' });
  });

  it('consumer A with its own token is accepted', async () => {
    const result = await verifyRequest(await signedBy('consumer-a-000000000000', 'secret of a'), careless);
    expect(result).toMatchObject({ ok: true, token: 'token-of-a-000000000000' });
  });
});
