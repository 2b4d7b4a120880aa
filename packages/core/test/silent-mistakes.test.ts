import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSigner, isCountersignError } from '../src/index.ts';

// Mistakes that used to sign something the server then refused, with nothing said: now a
// typed error that says what to set, unless the caller states the unusual case explicitly.
async function errorOf(action: () => unknown) {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('a token without its secret', () => {
  it('is refused when the signer is created (HMAC)', async () => {
    const error = await errorOf(() => createSigner({ consumerKey: 'ck', consumerSecret: 'cs', token: 't' }));
    expect(isCountersignError(error) && error.code).toBe('invalid_option');
    expect((error as Error).message).toBe(
      "token is set but tokenSecret is not: pass the secret the provider issued with the token, or tokenSecret: '' if it really issued none.",
    );
  });

  it('is refused per request too', async () => {
    const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
    const error = await errorOf(() => signer.sign({ method: 'GET', url: 'https://api.example.com/' }, { token: 't' }));
    expect(isCountersignError(error) && error.code).toBe('invalid_option');
  });

  it("tokenSecret: '' says it on purpose, and RSA never needs one", async () => {
    const explicit = createSigner({ consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: '' });
    expect((await explicit.sign({ method: 'GET', url: 'https://api.example.com/' })).oauthParams.oauth_token).toBe('t');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const rsa = createSigner({ consumerKey: 'ck', privateKey, signatureMethod: 'RSA-SHA1', token: 't' });
    expect((await rsa.sign({ method: 'GET', url: 'https://api.example.com/' })).signature).toMatch(/=$/);
  });
});

describe('a body without contentType', () => {
  const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
  for (const [what, body] of [
    ['string', 'a=1&b=2'],
    ['bytes', new TextEncoder().encode('a=1')],
  ] as const) {
    it(`${what}: refused, saying which contentType to set`, async () => {
      const error = await errorOf(() => signer.sign({ method: 'POST', url: 'https://api.example.com/', body }));
      expect(isCountersignError(error) && error.code).toBe('unsignable_body');
      expect((error as Error).message).toMatch(
        /set contentType to application\/x-www-form-urlencoded to sign its parameters/,
      );
    });
  }

  it('a non-form contentType leaves the body out of the signature, as stated', async () => {
    const signed = await signer.sign({
      method: 'POST',
      url: 'https://api.example.com/',
      body: 'a=1',
      contentType: 'text/plain',
    });
    expect(signed.baseString).not.toContain('a%3D1');
  });

  it('URLSearchParams says form by itself', async () => {
    const signed = await signer.sign({
      method: 'POST',
      url: 'https://api.example.com/',
      body: new URLSearchParams({ a: '1' }),
    });
    expect(signed.baseString).toContain('a%3D1');
  });
});

describe('key mistakes, said in words', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const relabel = (pem: string, from: string, to: string) => pem.replaceAll(`${from}-----`, `${to}-----`);
  const rsaSigner = (key: string) => createSigner({ consumerKey: 'ck', privateKey: key, signatureMethod: 'RSA-SHA1' });

  it('a privateKey with an HMAC method: say which method to set', async () => {
    const error = await errorOf(() => createSigner({ consumerKey: 'ck', consumerSecret: 'cs', privateKey: pkcs8 }));
    expect(isCountersignError(error) && error.code).toBe('invalid_option');
    expect((error as Error).message).toBe(
      "privateKey is set but signatureMethod is HMAC-SHA1, which does not use it: set signatureMethod: 'RSA-SHA1' (or 'RSA-SHA256') to sign with the key, or leave privateKey out.",
    );
  });

  it('a PKCS#1 body under BEGIN PRIVATE KEY', async () => {
    const error = await errorOf(() =>
      rsaSigner(
        relabel(relabel(pkcs1, 'BEGIN RSA PRIVATE KEY', 'BEGIN PRIVATE KEY'), 'END RSA PRIVATE KEY', 'END PRIVATE KEY'),
      ).sign({
        method: 'GET',
        url: 'https://api.example.com/',
      }),
    );
    expect(isCountersignError(error) && error.code).toBe('invalid_private_key');
    expect((error as Error).message).toMatch(/says BEGIN PRIVATE KEY \(PKCS#8\) but holds a PKCS#1 RSA key/);
    expect((error as Error).message).not.toContain(pkcs1.split('\n')[3] as string);
  });

  it('a PKCS#8 body under BEGIN RSA PRIVATE KEY', async () => {
    const error = await errorOf(() =>
      rsaSigner(
        relabel(relabel(pkcs8, 'BEGIN PRIVATE KEY', 'BEGIN RSA PRIVATE KEY'), 'END PRIVATE KEY', 'END RSA PRIVATE KEY'),
      ).sign({
        method: 'GET',
        url: 'https://api.example.com/',
      }),
    );
    expect(isCountersignError(error) && error.code).toBe('invalid_private_key');
    expect((error as Error).message).toMatch(/says BEGIN RSA PRIVATE KEY \(PKCS#1\) but holds a PKCS#8 key/);
  });

  it('both correctly labelled formats still sign', async () => {
    for (const key of [pkcs1, pkcs8]) {
      expect((await rsaSigner(key).sign({ method: 'GET', url: 'https://api.example.com/' })).signature).toMatch(/=$/);
    }
  });
});
