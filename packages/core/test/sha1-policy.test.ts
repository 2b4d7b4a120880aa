import { describe, expect, it, vi } from 'vitest';

// Simulates a FIPS / RHEL 9 DEFAULT policy machine: OpenSSL refuses SHA-1 signatures.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  const refuse = () => {
    throw Object.assign(new Error('error:1C8000AE:Provider routines::digest not allowed'), {
      code: 'ERR_OSSL_DIGEST_NOT_ALLOWED',
    });
  };
  return {
    ...original,
    createHmac: (algorithm: string, key: string) =>
      algorithm === 'sha1' ? refuse() : original.createHmac(algorithm, key),
    hash: (algorithm: string, data: Uint8Array, encoding: 'buffer' | 'base64') =>
      algorithm === 'sha1' ? refuse() : original.hash(algorithm, data, encoding),
    sign: (algorithm: string, data: Buffer, key: import('node:crypto').KeyObject) =>
      algorithm === 'sha1' ? refuse() : original.sign(algorithm, data, key),
  };
});

const { generateKeyPairSync } = await import('node:crypto');
const { createSigner } = await import('../src/index.ts');

describe('a platform that refuses SHA-1', () => {
  const request = { method: 'GET', url: 'https://api.example.com/r' };

  it('HMAC-SHA1 fails with signature_method_unavailable naming the policy and the way out', async () => {
    const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
    const error = await signer.sign(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CountersignError', code: 'signature_method_unavailable' });
    expect((error as Error).message).toMatch(/FIPS.*crypto policy.*HMAC-SHA256/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('RSA-SHA1 likewise, while RSA-SHA256 still signs', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const sha1 = createSigner({ consumerKey: 'ck', signatureMethod: 'RSA-SHA1', privateKey });
    await expect(sha1.sign(request)).rejects.toMatchObject({
      code: 'signature_method_unavailable',
      message: expect.stringMatching(/RSA-SHA256/),
    });
    const sha256 = createSigner({ consumerKey: 'ck', signatureMethod: 'RSA-SHA256', privateKey });
    await expect(sha256.sign(request)).resolves.toMatchObject({ signature: expect.any(String) });
  });
});
