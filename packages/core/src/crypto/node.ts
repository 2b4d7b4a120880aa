import * as nodeCrypto from 'node:crypto';
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { CountersignError } from '../errors.ts';
import { privateKeyPem } from '../keys.ts';
import type { BaseStringData, CryptoBackend, HashName } from './types.ts';

const NODE_HASH: Record<HashName, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-512': 'sha512',
};

function toKeyObject(input: unknown, kind: 'private' | 'public'): KeyObject {
  if (input instanceof KeyObject) return input;
  if (typeof CryptoKey !== 'undefined' && input instanceof CryptoKey) return KeyObject.from(input);
  if (typeof input !== 'string') {
    throw new CountersignError(
      kind === 'private' ? 'invalid_private_key' : 'invalid_option',
      `${kind}Key: expected PEM text, a CryptoKey or a KeyObject.`,
    );
  }
  if (kind === 'private') privateKeyPem(input);
  try {
    return kind === 'private' ? createPrivateKey(input) : createPublicKey(input);
  } catch (cause) {
    throw new CountersignError(
      kind === 'private' ? 'invalid_private_key' : 'invalid_option',
      `${kind}Key could not be read as an RSA ${kind} key (the PEM is damaged or not RSA).`,
      { cause },
    );
  }
}

function requireRsa(key: KeyObject, kind: 'private' | 'public'): KeyObject {
  if (key.type !== kind || key.asymmetricKeyType !== 'rsa') {
    throw new CountersignError(
      kind === 'private' ? 'invalid_private_key' : 'invalid_option',
      `${kind}Key must be an RSA ${kind} key; got a ${key.asymmetricKeyType ?? key.type} ${key.type} key.`,
    );
  }
  return key;
}

type OneShotHash = (
  algorithm: string,
  data: Uint8Array,
  outputEncoding: 'buffer' | 'base64' | 'latin1',
) => Buffer | string;

// `crypto.hash()`, one call per digest, from Node 20.12 (undefined before).
const oneShotHash = (nodeCrypto as { hash?: OneShotHash }).hash;
// Block and digest sizes (FIPS 180-4).
const BLOCK_BYTES: Record<HashName, number> = { 'SHA-1': 64, 'SHA-256': 64, 'SHA-512': 128 };
const DIGEST_BYTES: Record<HashName, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-512': 64 };
const LONG_BASE_STRING = 64 * 1024;

/**
 * HMAC (RFC 2104) as two one-shot digests, H((K ^ opad) || H((K ^ ipad) || data)), with the
 * padded key blocks prepared once per key and the inner digest passed as latin1 text. A new
 * `createHmac` object per signature cost more than the hashing itself: a whole signature
 * measured about 25% faster this way. Base strings are ASCII by construction (RFC 5849 §3.6
 * percent-encodes everything else), so they are written as latin1 without a UTF-8 pass.
 */
function padHmac(
  digest: OneShotHash,
  algorithm: string,
  blockBytes: number,
  digestBytes: number,
  key: string,
): (data: BaseStringData) => string {
  let keyBytes: Uint8Array = Buffer.from(key, 'utf8');
  if (keyBytes.length > blockBytes) keyBytes = digest(algorithm, keyBytes, 'buffer') as Buffer;
  let inner = Buffer.alloc(blockBytes + 1024);
  const outer = Buffer.alloc(blockBytes + digestBytes);
  for (let i = 0; i < blockBytes; i++) {
    inner[i] = (keyBytes[i] ?? 0) ^ 0x36;
    outer[i] = (keyBytes[i] ?? 0) ^ 0x5c;
  }
  // Requests to one endpoint have base strings of one length: keep the view for it.
  let view = inner.subarray(0, blockBytes);
  let streaming: KeyObject | undefined;
  return (data) => {
    // A long base string (a hostile megabyte body) is hashed as it is, not copied into a
    // buffer this signer would then keep: the copy cost more than the digest. Bytes are
    // hashed as they are.
    if (typeof data !== 'string' || data.length > LONG_BASE_STRING) {
      streaming ??= createSecretKey(Buffer.from(key, 'utf8'));
      const hmac = createHmac(algorithm, streaming);
      return (typeof data === 'string' ? hmac.update(data, 'latin1') : hmac.update(data)).digest('base64');
    }
    if (blockBytes + data.length > inner.length) {
      const larger = Buffer.alloc(blockBytes + data.length * 2);
      inner.copy(larger, 0, 0, blockBytes);
      inner = larger;
    }
    const length = blockBytes + inner.write(data, blockBytes, 'latin1');
    if (view.length !== length || view.buffer !== inner.buffer) view = inner.subarray(0, length);
    outer.write(digest(algorithm, view, 'latin1') as string, blockBytes, 'latin1');
    return digest(algorithm, outer, 'base64') as string;
  };
}

function bytesOf(data: BaseStringData): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Node's backend: `node:crypto`, synchronous where Node allows. */
export const backend: CryptoBackend = {
  runtime: 'node',
  hmacSigner: (hash, key) => {
    const algorithm = NODE_HASH[hash];
    if (oneShotHash !== undefined) return padHmac(oneShotHash, algorithm, BLOCK_BYTES[hash], DIGEST_BYTES[hash], key);
    // A KeyObject saves converting the key string on every signature (about 12% of an HMAC-SHA1 here).
    const keyObject = createSecretKey(Buffer.from(key, 'utf8'));
    return (data) => createHmac(algorithm, keyObject).update(data).digest('base64');
  },
  digestBase64: (hash, data) => createHash(NODE_HASH[hash]).update(data).digest('base64'),
  importRsaPrivateKey: (input) => requireRsa(toKeyObject(input, 'private'), 'private'),
  importRsaPublicKey: (input) => {
    const key = toKeyObject(input, 'public');
    return requireRsa(key.type === 'private' ? createPublicKey(key) : key, 'public');
  },
  rsaSignBase64: (hash, key, data) => sign(NODE_HASH[hash], bytesOf(data), key as KeyObject).toString('base64'),
  rsaVerifyBase64: (hash, key, data, signature) =>
    verify(NODE_HASH[hash], bytesOf(data), key as KeyObject, Buffer.from(signature, 'base64')),
};
