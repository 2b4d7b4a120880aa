import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backend as webBackend } from '../src/crypto/web.ts';
import { verifySignature } from '../src/index.ts';
import vectors from './fixtures/published-vectors.json' with { type: 'json' };

// A verifier of large requests hashes the base string as bytes, never as text: the
// published signatures must verify from the bytes as they do from the text, on both backends.
interface Vector {
  credentials: { consumerSecret?: string; tokenSecret?: string; privateKey?: string };
  baseString: string;
  signature: string;
}
const all = vectors as unknown as Record<string, Vector>;
const twitter = all['twitter-creating-a-signature'] as Vector;
const rsa = all['oauth-wiki-rsa-sha1'] as Vector;
const bytes = (text: string) => new TextEncoder().encode(text);
const publicKey = createPublicKey(rsa.credentials.privateKey as string).export({
  type: 'spki',
  format: 'pem',
}) as string;

describe('a base string given as its bytes', () => {
  it('verifies the Twitter HMAC-SHA1 signature, and refuses it for one changed byte', async () => {
    const secrets = {
      consumerSecret: twitter.credentials.consumerSecret,
      tokenSecret: twitter.credentials.tokenSecret,
    };
    expect(await verifySignature('HMAC-SHA1', bytes(twitter.baseString), twitter.signature, secrets)).toBe(true);
    const changed = bytes(twitter.baseString);
    changed[changed.length - 1] = (changed[changed.length - 1] as number) ^ 1;
    expect(await verifySignature('HMAC-SHA1', changed, twitter.signature, secrets)).toBe(false);
  });

  it('verifies the published RSA-SHA1 signature, and refuses it for one changed byte', async () => {
    expect(await verifySignature('RSA-SHA1', bytes(rsa.baseString), rsa.signature, { publicKey })).toBe(true);
    const changed = bytes(rsa.baseString);
    changed[0] = (changed[0] as number) ^ 1;
    expect(await verifySignature('RSA-SHA1', changed, rsa.signature, { publicKey })).toBe(false);
  });

  it('gives the WebCrypto backend the same answers', async () => {
    const key = `${encodeURIComponent(twitter.credentials.consumerSecret as string)}&${twitter.credentials.tokenSecret}`;
    expect(await webBackend.hmacSigner('SHA-1', key)(bytes(twitter.baseString))).toBe(twitter.signature);
    const handle = await webBackend.importRsaPublicKey(publicKey, 'SHA-1');
    expect(await webBackend.rsaVerifyBase64('SHA-1', handle, bytes(rsa.baseString), rsa.signature)).toBe(true);
  });
});
