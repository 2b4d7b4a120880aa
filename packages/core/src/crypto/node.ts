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
import type { CryptoBackend, HashName } from './types.ts';

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

/** Node's backend: `node:crypto`, synchronous where Node allows. */
export const backend: CryptoBackend = {
  runtime: 'node',
  hmacSigner: (hash, key) => {
    // A KeyObject saves converting the key string on every signature (about 12% of an HMAC-SHA1 here).
    const algorithm = NODE_HASH[hash];
    const keyObject = createSecretKey(Buffer.from(key, 'utf8'));
    return (data) => createHmac(algorithm, keyObject).update(data).digest('base64');
  },
  digestBase64: (hash, data) => createHash(NODE_HASH[hash]).update(data).digest('base64'),
  importRsaPrivateKey: (input) => requireRsa(toKeyObject(input, 'private'), 'private'),
  importRsaPublicKey: (input) => {
    const key = toKeyObject(input, 'public');
    return requireRsa(key.type === 'private' ? createPublicKey(key) : key, 'public');
  },
  rsaSignBase64: (hash, key, data) =>
    sign(NODE_HASH[hash], Buffer.from(data, 'utf8'), key as KeyObject).toString('base64'),
  rsaVerifyBase64: (hash, key, data, signature) =>
    verify(NODE_HASH[hash], Buffer.from(data, 'utf8'), key as KeyObject, Buffer.from(signature, 'base64')),
};
