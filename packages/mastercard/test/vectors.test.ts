import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { baseStringUri, parseForm, percentEncode } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import { createMastercardFetch, MASTERCARD_SIGN_OPTIONS, mastercardSigner } from '../src/index.ts';

// Every expected value below is published by Mastercard in its signer's test suite:
// Mastercard/oauth1-signer-python, tests/test_oauth.py (commit b61476eb), MIT licence. The
// keystore is that repository's test_key_container.p12 (password Password1); the PEM beside
// it is its key, taken out with `openssl pkcs12 -nocerts -nodes` as this package's README says.
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const KEY = readFileSync(fixture('mastercard-test-key.pem'), 'utf8');
const P12 = readFileSync(fixture('mastercard-test-key-container.p12'));
const CONSUMER_KEY = 'x'.repeat(48);

const fixed = (clock = 1111111111) => ({ nonce: () => '1111111111111111111', clock: () => clock * 1000 }) as const;

describe("Mastercard's published signer tests, reproduced", () => {
  it('body hashes: SHA-256 over the exact bytes, the empty string for a GET (test_body_hash1, _3; the header tests)', async () => {
    const signer = mastercardSigner({ consumerKey: 'dummy', privateKey: KEY });
    const hashOf = async (method: string, body?: string) =>
      (
        await signer.sign(
          {
            method,
            url: 'https://www.example.com',
            body,
            contentType: body === undefined ? undefined : 'application/json',
          },
          MASTERCARD_SIGN_OPTIONS,
        )
      ).oauthParams.oauth_body_hash;
    expect(await hashOf('GET')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(await hashOf('POST', '{}')).toBe('RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=');
    expect(await hashOf('POST', '{"foõ":"bar"}')).toBe('+Z+PWW2TJDnPvRcTgol+nKO3LT7xm8smnsg+//XMIyI=');
  });

  it('the termination-inquiry base string (test_signature_base_string2)', async () => {
    const body = readFileSync(fixture('termination-inquiry.xml'), 'utf8').trimEnd();
    const signed = await createSignerFor().sign(
      {
        method: 'POST',
        url: 'https://sandbox.api.mastercard.com/fraud/merchant/v1/termination-inquiry?Format=XML&PageOffset=0&PageLength=10',
        body,
        contentType: 'application/xml',
      },
      MASTERCARD_SIGN_OPTIONS,
    );
    // Two differences from the published string, both on Mastercard's side of the test: it is
    // built without oauth_signature_method (ours always signs it), and it encodes the body
    // hash's value once (h2Pd…%2F…) where RFC 5849 encodes every value twice in the base
    // string, as Mastercard's own test_sign_message vector does (oauth_body_hash%3DWhqqH%252B…).
    const published =
      'POST&https%3A%2F%2Fsandbox.api.mastercard.com%2Ffraud%2Fmerchant%2Fv1%2Ftermination-inquiry&Format%3DXML%26PageLength%3D10%26PageOffset%3D0%26oauth_body_hash%3Dh2Pd7zlzEZjZVIKB4j94UZn%2FxxoR3RoCjYQ9%2FJdadGQ%3D%26oauth_consumer_key%3Dxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%26oauth_nonce%3D1111111111111111111%26oauth_timestamp%3D1111111111%26oauth_version%3D1.0';
    const encodedTwice = published.replace(
      'h2Pd7zlzEZjZVIKB4j94UZn%2FxxoR3RoCjYQ9%2FJdadGQ%3D',
      percentEncode(percentEncode('h2Pd7zlzEZjZVIKB4j94UZn/xxoR3RoCjYQ9/JdadGQ=')),
    );
    expect(signed.baseString.replace('%26oauth_signature_method%3DRSA-SHA256', '')).toBe(encodedTwice);
    expect(signed.oauthParams.oauth_body_hash).toBe(createHash('sha256').update(body).digest('base64'));
  });

  it('RSA-SHA256 signatures with the test key (test_sign_signature_base_string, test_sign_message)', async () => {
    // Signing a given base string is what the signer does last; verifying Mastercard's published
    // signatures with the key's public half proves the same bytes (PKCS#1 v1.5 is deterministic).
    const { verifySignature } = await import('@countersign/core');
    const { createPublicKey } = await import('node:crypto');
    const publicKey = createPublicKey(KEY).export({ type: 'spki', format: 'pem' }) as string;
    expect(
      await verifySignature(
        'RSA-SHA256',
        'baseString',
        'IJeNKYGfUhFtj5OAPRI92uwfjJJLCej3RCMLbp7R6OIYJhtwxnTkloHQ2bgV7fks4GT/A7rkqrgUGk0ewbwIC6nS3piJHyKVc7rvQXZuCQeeeQpFzLRiH3rsb+ZS+AULK+jzDje4Fb+BQR6XmxuuJmY6YrAKkj13Ln4K6bZJlSxOizbNvt+Htnx+hNd4VgaVBeJKcLhHfZbWQxK76nMnjY7nDcM/2R6LUIR2oLG1L9m55WP3bakAvmOr392ulv1+mWCwDAZZzQ4lakDD2BTu0ZaVsvBW+mcKFxYeTq7SyTQMM4lEwFPJ6RLc8jJJ+veJXHekLVzWg4qHRtzNBLz1mA==',
        { publicKey },
      ),
    ).toBe(true);
    const messageBase =
      'POST&https%3A%2F%2Fsandbox.api.mastercard.com%2Ffraud%2Fmerchant%2Fv1%2Ftermination-inquiry&Format%3DXML%26PageLength%3D10%26PageOffset%3D0%26oauth_body_hash%3DWhqqH%252BTU95VgZMItpdq78BWb4cE%253D%26oauth_consumer_key%3Dxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%26oauth_nonce%3D1111111111111111111%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1111111111%26oauth_version%3D1.0';
    const published =
      'DvyS3R795sUb%2FcvBfiFYZzPDU%2BRVefW6X%2BAfyu%2B9fxjudQft%2BShXhpounzJxYCwOkkjZWXOR0ICTMn6MOuG04TTtmPMrOxj5feGwD3leMBsi%2B3XxcFLPi8BhZKqgapcAqlGfjEhq0COZ%2FF9aYDcjswLu0zgrTMSTp4cqXYMr9mbQVB4HL%2FjiHni5ejQu9f6JB9wWW%2BLXYhe8F6b4niETtzIe5o77%2B%2BkKK67v9wFIZ9pgREz7ug8K5DlxX0DuwdUKFhsenA5z%2FNNCZrJE%2BtLu0tSjuF5Gsjw5GRrvW33MSoZ0AYfeleh5V3nLGgHrhVjl5%2BiS40pnG2po%2F5hIAUT5ag%3D%3D';
    expect(await verifySignature('RSA-SHA256', messageBase, decodeURIComponent(published), { publicKey })).toBe(true);
    // And our own signature of a request verifies with the same public half.
    const signed = await createSignerFor().sign(
      { method: 'GET', url: 'https://api.mastercard.com/test' },
      MASTERCARD_SIGN_OPTIONS,
    );
    expect(await verifySignature('RSA-SHA256', signed.baseString, signed.signature, { publicKey })).toBe(true);
    expect(percentEncode(signed.signature)).toBe(/oauth_signature="([^"]+)"/.exec(signed.authorization ?? '')?.[1]);
  });

  it('base URIs and query parameters normalised as Mastercard expects (test_url_normalization_*, test_query_parser*)', async () => {
    expect(baseStringUri(new URL('https://www.example.net:8080'))).toBe('https://www.example.net:8080/');
    expect(baseStringUri(new URL('http://EXAMPLE.COM:80/r%20v/X?id=123'))).toBe('http://example.com/r%20v/X');
    expect(baseStringUri(new URL('https://api.mastercard.com:443/test?query=param'))).toBe(
      'https://api.mastercard.com/test',
    );
    expect(baseStringUri(new URL('https://api.mastercard.com:17443/test?query=param'))).toBe(
      'https://api.mastercard.com:17443/test',
    );
    expect(baseStringUri(new URL('HTTPS://API.MASTERCARD.COM/TEST'))).toBe('https://api.mastercard.com/TEST');
    const signed = await createSignerFor().sign(
      {
        method: 'GET',
        url: 'HTTPS://API.MASTERCARD.COM/audiences?param1=plus+value&param2=colon:value&offset=0&offset=1&empty&odd=',
      },
      MASTERCARD_SIGN_OPTIONS,
    );
    const parameters = decodeURIComponent(signed.baseString.split('&')[2] as string);
    expect(signed.baseString.startsWith('GET&https%3A%2F%2Fapi.mastercard.com%2Faudiences&')).toBe(true);
    expect(parameters).toContain('empty=&');
    expect(parameters).toContain('odd=&offset=0&offset=1&param1=plus%20value&param2=colon%3Avalue');
    expect(parseForm(parameters).filter(([name]) => name === 'oauth_body_hash')).toHaveLength(1);
  });
});

describe('keystore mistakes, said in words', () => {
  const CONVERT = /Convert it once: `openssl pkcs12 -in key\.p12 -nocerts -nodes -out key\.pem`/;
  it.each([
    ['the .p12 bytes', P12],
    ['the .p12 read as text (latin1)', P12.toString('latin1')],
    ['the .p12 read as UTF-8 text, as for a PEM file', P12.toString('utf8')],
    ['the .p12 in base64', P12.toString('base64')],
  ])('%s: refused with the conversion command', (_name, privateKey) => {
    expect(() => mastercardSigner({ consumerKey: CONSUMER_KEY, privateKey })).toThrow(CONVERT);
  });

  it('the keystore exported whole to PEM (openssl pkcs12 -nodes, Bag Attributes and certificate included) signs with its key; the certificate alone is refused in words', async () => {
    const request = { method: 'GET', url: 'https://api.mastercard.com/test' };
    const exported = readFileSync(fixture('mastercard-test-keystore-export.pem'), 'utf8');
    const fromExport = await mastercardSigner({ consumerKey: CONSUMER_KEY, privateKey: exported, ...fixed() }).sign(
      request,
      MASTERCARD_SIGN_OPTIONS,
    );
    const fromKey = await createSignerFor().sign(request, MASTERCARD_SIGN_OPTIONS);
    expect(fromExport.signature).toBe(fromKey.signature);
    const certificate = readFileSync(fixture('mastercard-test-certificate.pem'), 'utf8');
    await expect(
      mastercardSigner({ consumerKey: CONSUMER_KEY, privateKey: certificate }).sign(request, MASTERCARD_SIGN_OPTIONS),
    ).rejects.toThrow(/holds a certificate: RSA signing needs the private key/);
  });

  it('a PEM key works, and createMastercardFetch hashes a GET body as empty', async () => {
    let sent: string | null = null;
    const mastercard = createMastercardFetch(
      { consumerKey: CONSUMER_KEY, privateKey: KEY },
      {
        fetch: async (_url, init) => {
          sent = new Headers(init?.headers).get('authorization');
          return new Response('{}');
        },
      },
    );
    await mastercard('https://sandbox.api.mastercard.com/locations/atms?Format=JSON');
    expect(sent).toContain('oauth_body_hash="47DEQpj8HBSa%2B%2FTImW%2B5JCeuQeRkm5NMpJWZG3hSuFU%3D"');
    expect(sent).toContain('oauth_signature_method="RSA-SHA256"');
  });
});

function createSignerFor() {
  // The vectors' fixed nonce and timestamp.
  return mastercardSigner({ consumerKey: CONSUMER_KEY, privateKey: KEY, ...fixed() });
}
