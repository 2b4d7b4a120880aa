import { describe, expect, it } from 'vitest';
import { backend as webBackend } from '../src/crypto/web.ts';
import { createSigner, type SignatureMethodName } from '../src/index.ts';
import vectors from './fixtures/published-vectors.json' with { type: 'json' };

interface Vector {
  credentials: {
    consumerKey: string;
    consumerSecret?: string;
    token?: string;
    tokenSecret?: string;
    realm?: string;
    signatureMethod?: string;
    privateKey?: string;
  };
  nonce: string;
  timestamp: number;
  includeVersion: boolean;
  request: { method: string; url: string; body?: string; contentType?: string };
  oauthParams?: Record<string, string>;
  baseString?: string;
  signature: string;
  headerContains?: string;
}

function signerFor(vector: Vector) {
  return createSigner({
    ...vector.credentials,
    signatureMethod: vector.credentials.signatureMethod as SignatureMethodName | undefined,
    includeVersion: vector.includeVersion,
    nonce: () => vector.nonce,
    clock: () => vector.timestamp * 1000,
  });
}

describe('published vectors', () => {
  for (const [name, vector] of Object.entries(vectors as Record<string, Vector>)) {
    it(`${name}: signature matches`, async () => {
      const signed = await signerFor(vector).sign(vector.request, { oauthParams: vector.oauthParams });
      expect(signed.signature).toBe(vector.signature);
      if (vector.baseString) expect(signed.baseString).toBe(vector.baseString);
      if (vector.headerContains) expect(signed.authorization).toContain(vector.headerContains);
      if (vector.credentials.realm)
        expect(signed.authorization).toMatch(new RegExp(`^OAuth realm="${vector.credentials.realm}", `));
    });
  }

  it('the RFC 5849 §3.1 printed signature does not match its own §3.4.1.1 base string', async () => {
    const vector = (vectors as Record<string, Vector>)['rfc5849-3.4.1.1-base-string'] as Vector;
    const signed = await signerFor(vector).sign(vector.request);
    expect(signed.signature).not.toBe('bYT5CMsGcbgUdFHObYMEfcx6bsw=');
  });

  it('the WebCrypto backend produces the same HMAC and RSA signatures as node:crypto', async () => {
    const all = vectors as Record<string, Vector>;
    const twitter = all['twitter-creating-a-signature'] as Vector;
    const key = `${encodeURIComponent(twitter.credentials.consumerSecret as string)}&${twitter.credentials.tokenSecret}`;
    expect(await webBackend.hmacSigner('SHA-1', key)(twitter.baseString as string)).toBe(twitter.signature);
    const rsa = all['oauth-wiki-rsa-sha1'] as Vector;
    const handle = await webBackend.importRsaPrivateKey(rsa.credentials.privateKey as string, 'SHA-1');
    expect(await webBackend.rsaSignBase64('SHA-1', handle, rsa.baseString as string)).toBe(rsa.signature);
  });
});
