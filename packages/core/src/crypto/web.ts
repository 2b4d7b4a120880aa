import { CountersignError } from '../errors.ts';
import { parsePem, pkcs1ToPkcs8, pkcs1ToSpki, privateKeyPem } from '../keys.ts';
import type { BaseStringData, CryptoBackend, HashName } from './types.ts';

const encoder = new TextEncoder();

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
  } catch {
    return new Uint8Array(0);
  }
}

const RSA = 'RSASSA-PKCS1-v1_5';

// Browsers expose crypto.subtle only to secure contexts; without this check the failure
// would read like a SHA-1 policy refusal.
function subtle(): SubtleCrypto {
  const found = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (found === undefined) {
    throw new CountersignError(
      'signature_method_unavailable',
      'WebCrypto (crypto.subtle) is not available here. Browsers offer it only in secure contexts: serve the page over https (or from localhost).',
    );
  }
  return found;
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

// A CryptoKey's hash is fixed when it is imported; signing with the wrong one would
// produce a signature the server can only reject.
function requireRsaHash(key: CryptoKey, hash: HashName, usage: string): CryptoKey {
  const algorithm = key.algorithm as RsaHashedKeyAlgorithm;
  if (algorithm.name !== RSA || algorithm.hash?.name !== hash) {
    throw new CountersignError(
      usage === 'sign' ? 'invalid_private_key' : 'invalid_option',
      `The CryptoKey was imported for ${algorithm.name}/${algorithm.hash?.name ?? 'no hash'}; this signature method needs ${RSA} with ${hash}.`,
    );
  }
  return key;
}

async function importPrivate(input: unknown, hash: HashName): Promise<CryptoKey> {
  if (isCryptoKey(input)) return requireRsaHash(input, hash, 'sign');
  if (typeof input !== 'string') {
    throw new CountersignError(
      'invalid_private_key',
      'privateKey: expected PEM text or a CryptoKey (KeyObject exists only on Node).',
    );
  }
  const pem = privateKeyPem(input);
  const pkcs8 = pem.label === 'RSA PRIVATE KEY' ? pkcs1ToPkcs8(pem.der) : pem.der;
  const webCrypto = subtle();
  try {
    return await webCrypto.importKey('pkcs8', pkcs8, { name: RSA, hash }, false, ['sign']);
  } catch (cause) {
    throw new CountersignError(
      'invalid_private_key',
      'privateKey could not be imported as an RSA private key (the PEM is damaged or not RSA).',
      { cause },
    );
  }
}

async function importPublic(input: unknown, hash: HashName): Promise<CryptoKey> {
  if (isCryptoKey(input)) return requireRsaHash(input, hash, 'verify');
  if (typeof input !== 'string') {
    throw new CountersignError('invalid_option', 'publicKey: expected PEM text or a CryptoKey.');
  }
  const pem = parsePem(input, 'publicKey');
  if (pem.label === 'CERTIFICATE') {
    throw new CountersignError(
      'invalid_option',
      'publicKey: certificates are read on Node only; extract the key with `openssl x509 -pubkey -noout -in cert.pem`.',
    );
  }
  const spki = pem.label === 'RSA PUBLIC KEY' ? pkcs1ToSpki(pem.der) : pem.der;
  const webCrypto = subtle();
  try {
    return await webCrypto.importKey('spki', spki, { name: RSA, hash }, false, ['verify']);
  } catch (cause) {
    throw new CountersignError('invalid_option', 'publicKey could not be imported as an RSA public key.', { cause });
  }
}

function bytesOf(data: BaseStringData): Uint8Array<ArrayBuffer> {
  return typeof data === 'string' ? encoder.encode(data) : (data as Uint8Array<ArrayBuffer>);
}

/** The portable backend: WebCrypto only, for browsers, workers and edge runtimes. */
export const backend: CryptoBackend = {
  runtime: 'web',
  hmacSigner: (hash, key) => {
    const imported = subtle().importKey('raw', encoder.encode(key), { name: 'HMAC', hash }, false, ['sign']);
    return async (data) => toBase64(await subtle().sign('HMAC', await imported, bytesOf(data)));
  },
  digestBase64: async (hash, data) => toBase64(await subtle().digest(hash, data as Uint8Array<ArrayBuffer>)),
  importRsaPrivateKey: importPrivate,
  importRsaPublicKey: importPublic,
  rsaSignBase64: async (_hash, key, data) => toBase64(await subtle().sign(RSA, key as CryptoKey, bytesOf(data))),
  rsaVerifyBase64: (_hash, key, data, signature) =>
    subtle().verify(RSA, key as CryptoKey, fromBase64(signature), bytesOf(data)),
};
