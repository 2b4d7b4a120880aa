import { createHash } from 'node:crypto';
import { parseForm } from '@countersign/core';
import { verifyRequest } from '@countersign/server';
import { describe, expect, it } from 'vitest';
import { fixedSigner, signedParameters } from '../../packages/core/test/helpers.ts';

const FORM = 'application/x-www-form-urlencoded';
const lookupConsumer = (key: string) => (key === 'consumer-key' ? { secret: 'consumer-secret' } : undefined);
const now = () => 1_700_000_000_000;

describe('transmission (RFC 5849 §3.5)', () => {
  it('header: OAuth parameters only in the Authorization header, URL untouched', async () => {
    const signed = await fixedSigner().sign({ method: 'GET', url: 'https://api.example.com/r?a=1#frag' });
    expect(signed.url).toBe('https://api.example.com/r?a=1');
    expect(signed.authorization).toMatch(
      /^OAuth oauth_consumer_key="consumer-key", oauth_nonce="fixednonce0000000000", oauth_signature="[^"]+", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1700000000"$/,
    );
    expect(signed.body).toBeUndefined();
  });

  it('query: OAuth parameters appended to the query, and the server verifies them', async () => {
    const signed = await fixedSigner({ transmission: 'query' }).sign({
      method: 'GET',
      url: 'https://api.example.com/r?q=a+b',
    });
    expect(signed.authorization).toBeUndefined();
    expect(signed.url).toMatch(/^https:\/\/api\.example\.com\/r\?q=a\+b&oauth_consumer_key=consumer-key&/);
    const result = await verifyRequest({ method: 'GET', url: signed.url }, { lookupConsumer, now, nonceStore: false });
    expect(result.ok).toBe(true);
  });

  it('query: a URL without a query gets one', async () => {
    const signed = await fixedSigner({ transmission: 'query' }).sign({
      method: 'GET',
      url: 'https://api.example.com/r',
    });
    expect(signed.url.startsWith('https://api.example.com/r?oauth_consumer_key=')).toBe(true);
  });

  it('body: OAuth parameters appended to the form body, and the server verifies them', async () => {
    const signed = await fixedSigner().sign(
      { method: 'POST', url: 'https://api.example.com/r', body: 'status=hi%21', contentType: FORM },
      { transmission: 'body' },
    );
    expect(signed.contentType).toBe(FORM);
    expect(signed.body?.startsWith('status=hi%21&oauth_consumer_key=')).toBe(true);
    const result = await verifyRequest(
      { method: 'POST', url: signed.url, body: signed.body, contentType: FORM },
      { lookupConsumer, now, nonceStore: false },
    );
    expect(result.ok).toBe(true);
  });

  it('body: refuses a JSON body or a GET, which cannot carry form parameters', async () => {
    await expect(
      fixedSigner().sign(
        { method: 'POST', url: 'https://api.example.com/r', body: '{}', contentType: 'application/json' },
        { transmission: 'body' },
      ),
    ).rejects.toMatchObject({ code: 'unsignable_body' });
    await expect(
      fixedSigner().sign({ method: 'GET', url: 'https://api.example.com/r' }, { transmission: 'body' }),
    ).rejects.toMatchObject({ code: 'unsignable_body' });
  });

  it('extra parameters travel with the OAuth parameters and are signed', async () => {
    const signed = await fixedSigner().sign(
      { method: 'POST', url: 'https://api.example.com/oauth/request_token' },
      { oauthParams: { oauth_callback: 'https://app.example.com/cb?x=1 2', x_auth_mode: 'reverse_auth' } },
    );
    expect(signed.authorization).toContain('oauth_callback="https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1%202"');
    expect(signed.authorization).toContain('x_auth_mode="reverse_auth"');
    expect(signedParameters(signed.baseString)).toContain(
      'oauth_callback=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1%202',
    );
  });

  it('a per-request token overrides the default, and null signs with the consumer alone', async () => {
    const signer = fixedSigner({ token: 'default-token', tokenSecret: 'default-secret' });
    const other = await signer.sign(
      { method: 'GET', url: 'https://api.example.com/r' },
      { token: 'other', tokenSecret: 's' },
    );
    expect(other.oauthParams.oauth_token).toBe('other');
    const none = await signer.sign({ method: 'GET', url: 'https://api.example.com/r' }, { token: null });
    expect(none.oauthParams.oauth_token).toBeUndefined();
  });
});

describe('oauth_body_hash (Request Body Hash extension)', () => {
  const json = '{"text":"héllo"}';

  it('is an unkeyed SHA-1 of the exact body bytes with HMAC-SHA1', async () => {
    const signed = await fixedSigner().sign(
      { method: 'POST', url: 'https://api.example.com/r', body: json, contentType: 'application/json' },
      { bodyHash: true },
    );
    expect(signed.oauthParams.oauth_body_hash).toBe(createHash('sha1').update(json, 'utf8').digest('base64'));
    expect(signedParameters(signed.baseString)).toContain(
      `oauth_body_hash=${encodeURIComponent(signed.oauthParams.oauth_body_hash as string)}`,
    );
  });

  it('is SHA-256 with HMAC-SHA256, and bytes are hashed as given', async () => {
    const bytes = new Uint8Array([0, 255, 1, 2]);
    const signed = await fixedSigner({ signatureMethod: 'HMAC-SHA256' }).sign(
      { method: 'PUT', url: 'https://api.example.com/r', body: bytes, contentType: 'application/octet-stream' },
      { bodyHash: true },
    );
    expect(signed.oauthParams.oauth_body_hash).toBe(createHash('sha256').update(bytes).digest('base64'));
  });

  it('is refused for form bodies, which the extension forbids it on', async () => {
    const form = fixedSigner().sign(
      { method: 'POST', url: 'https://api.example.com/r', body: 'a=1', contentType: FORM },
      { bodyHash: true },
    );
    await expect(form).rejects.toMatchObject({ code: 'invalid_option', message: expect.stringMatching(/form body/) });
  });

  it("is the empty string's hash without a body, GET included, with the method's hash", async () => {
    const sha1 = await fixedSigner().sign({ method: 'GET', url: 'https://api.example.com/r' }, { bodyHash: true });
    // SHA-1 of "": the value in the Request Body Hash draft's GET example.
    expect(sha1.oauthParams.oauth_body_hash).toBe('2jmj7l5rSw0yVb/vlWAYkK/YBwk=');
    const sha256 = await fixedSigner({ signatureMethod: 'HMAC-SHA256' }).sign(
      { method: 'GET', url: 'https://api.example.com/r' },
      { bodyHash: true },
    );
    // SHA-256 of "": Mastercard's oauth1-signer-python, tests/test_oauth.py (test_body_hash1).
    expect(sha256.oauthParams.oauth_body_hash).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    const sha512 = await fixedSigner({ signatureMethod: 'HMAC-SHA512' }).sign(
      { method: 'DELETE', url: 'https://api.example.com/r' },
      { bodyHash: true },
    );
    expect(sha512.oauthParams.oauth_body_hash).toBe(createHash('sha512').update('').digest('base64'));
    const request = { method: 'GET', url: sha1.url, authorization: sha1.authorization };
    expect((await verifyRequest(request, { lookupConsumer, now, nonceStore: false })).ok).toBe(true);
  });

  it('the server checks it against the body received', async () => {
    const signed = await fixedSigner().sign(
      { method: 'POST', url: 'https://api.example.com/r', body: json, contentType: 'application/json' },
      { bodyHash: true },
    );
    const request = {
      method: 'POST',
      url: signed.url,
      authorization: signed.authorization,
      contentType: 'application/json',
    };
    expect((await verifyRequest({ ...request, body: json }, { lookupConsumer, now, nonceStore: false })).ok).toBe(true);
    const tampered = await verifyRequest(
      { ...request, body: '{"text":"bye"}' },
      { lookupConsumer, now, nonceStore: false },
    );
    expect(tampered).toMatchObject({ ok: false, problem: 'signature_invalid' });
  });

  it('parseForm keeps order, duplicates and empty values', () => {
    expect(parseForm('a=1&a=&b&=x&c=%20+')).toEqual([
      ['a', '1'],
      ['a', ''],
      ['b', ''],
      ['', 'x'],
      ['c', '  '],
    ]);
  });
});
