import { backend } from '#crypto';
import type { BaseStringData, HashName } from '../crypto/types.ts';
import { percentEncode } from '../encode.ts';
import { CountersignError } from '../errors.ts';
import type { PrivateKeyInput, PublicKeyInput } from '../keys.ts';

/** The signature methods Countersign signs and verifies. */
export type SignatureMethodName = 'HMAC-SHA1' | 'HMAC-SHA256' | 'HMAC-SHA512' | 'RSA-SHA1' | 'RSA-SHA256' | 'PLAINTEXT';

interface MethodFamily {
  readonly family: 'HMAC' | 'RSA' | 'PLAINTEXT';
  /** The digest behind the signature; PLAINTEXT has none. */
  readonly hash: HashName | undefined;
}

const METHODS: Record<SignatureMethodName, MethodFamily> = {
  'HMAC-SHA1': { family: 'HMAC', hash: 'SHA-1' },
  'HMAC-SHA256': { family: 'HMAC', hash: 'SHA-256' },
  'HMAC-SHA512': { family: 'HMAC', hash: 'SHA-512' },
  'RSA-SHA1': { family: 'RSA', hash: 'SHA-1' },
  'RSA-SHA256': { family: 'RSA', hash: 'SHA-256' },
  PLAINTEXT: { family: 'PLAINTEXT', hash: undefined },
};

/**
 * Every supported method name, in a stable order.
 * @example
 * ```ts
 * SIGNATURE_METHODS.includes('RSA-SHA256'); // true
 * ```
 */
export const SIGNATURE_METHODS = Object.keys(METHODS) as SignatureMethodName[];

/** Looks a method up, or says which names exist. */
export function signatureMethod(name: unknown): MethodFamily & { name: SignatureMethodName } {
  if (typeof name === 'string' && Object.hasOwn(METHODS, name)) {
    return {
      name: name as SignatureMethodName,
      ...METHODS[name as SignatureMethodName],
    };
  }
  throw new CountersignError(
    'unsupported_signature_method',
    `signatureMethod: expected one of ${SIGNATURE_METHODS.join(', ')}; got ${JSON.stringify(String(name))}.`,
  );
}

/** RFC 5849 §3.4.2: the HMAC key (and the PLAINTEXT signature) always has its `&`. */
export function signingKey(consumerSecret: string, tokenSecret: string): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}

/**
 * Platforms under FIPS or a crypto policy such as RHEL 9's DEFAULT refuse SHA-1
 * signatures: turn OpenSSL's terse failure into something a user can act on.
 */
export function wrapCryptoFailure(method: SignatureMethodName, cause: unknown): CountersignError {
  if (method.endsWith('SHA1')) {
    return new CountersignError(
      'signature_method_unavailable',
      `This platform refused to compute a ${method} signature. FIPS mode or a system crypto policy (e.g. RHEL 9 DEFAULT) forbids SHA-1: use ${method.replace('SHA1', 'SHA256')} if the provider accepts it, or allow SHA-1 for this process (e.g. \`update-crypto-policies --set DEFAULT:SHA1\`).`,
      { cause },
    );
  }
  return new CountersignError('signing_failed', `Computing the ${method} signature failed.`, {
    cause,
  });
}

/** Resolves a value or promise without paying for a microtask when it is already a value. */
function settle<T>(value: T | Promise<T>, onError: (cause: unknown) => Error): T | Promise<T> {
  return value instanceof Promise
    ? value.catch((cause) => {
        throw isOurs(cause) ? cause : onError(cause);
      })
    : value;
}

function isOurs(error: unknown): boolean {
  return error instanceof CountersignError;
}

export interface MethodSecrets {
  readonly consumerSecret: string;
  readonly privateKey: PrivateKeyInput | undefined;
}

/** Signs base strings with one method and one consumer's secrets. */
export type BaseStringSigner = (baseString: BaseStringData, tokenSecret: string) => string | Promise<string>;

/**
 * Prepares the signing function for a method: the consumer half of the HMAC key is
 * encoded once, an RSA key is imported once (on first use) and reused.
 */
export function createMethodSigner(name: SignatureMethodName, secrets: MethodSecrets): BaseStringSigner {
  const method = signatureMethod(name);
  const fail = (cause: unknown) => wrapCryptoFailure(name, cause);
  if (method.family === 'PLAINTEXT') {
    const consumerPart = `${percentEncode(secrets.consumerSecret)}&`;
    return (_baseString, tokenSecret) => consumerPart + percentEncode(tokenSecret);
  }
  const hash = method.hash as HashName;
  if (method.family === 'HMAC') {
    const consumerPart = `${percentEncode(secrets.consumerSecret)}&`;
    // Preparing the key costs more than using it, and most signers reuse one token for
    // many requests: keep the last one.
    let lastTokenSecret: string | undefined;
    let lastHmac: ((data: BaseStringData) => string | Promise<string>) | undefined;
    return (baseString, tokenSecret) => {
      try {
        if (lastHmac === undefined || tokenSecret !== lastTokenSecret) {
          lastHmac = backend.hmacSigner(hash, consumerPart + percentEncode(tokenSecret));
          lastTokenSecret = tokenSecret;
        }
        return settle(lastHmac(baseString), fail);
      } catch (cause) {
        throw isOurs(cause) ? cause : fail(cause);
      }
    };
  }
  const privateKey = secrets.privateKey;
  if (privateKey === undefined || privateKey === null || privateKey === '') {
    throw new CountersignError(
      'missing_private_key',
      `signatureMethod ${name} signs with an RSA private key: pass privateKey (PEM text, a CryptoKey or a KeyObject).`,
    );
  }
  let key: unknown;
  let importing: Promise<unknown> | undefined;
  const signWith = (handle: unknown, baseString: BaseStringData) => {
    try {
      return settle(backend.rsaSignBase64(hash, handle, baseString), fail);
    } catch (cause) {
      throw isOurs(cause) ? cause : fail(cause);
    }
  };
  return (baseString) => {
    if (key !== undefined) return signWith(key, baseString);
    importing ??= Promise.resolve(backend.importRsaPrivateKey(privateKey, hash)).then(
      (handle) => {
        key = handle;
        return handle;
      },
      (error) => {
        importing = undefined;
        throw error;
      },
    );
    return importing.then((handle) => signWith(handle, baseString));
  };
}

export interface VerifySecrets {
  readonly consumerSecret?: string;
  readonly tokenSecret?: string;
  readonly publicKey?: PublicKeyInput;
}

// Comparing in constant time keeps the position of the first wrong character secret.
function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) {
    difference |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1));
  }
  return difference === 0;
}

/**
 * Base64 as RFC 4648 §4 writes it, and only so: the round trip gives back the same text
 * only when it is padded, holds no other character and sets no bit past the last byte
 * (§3.5); atob refuses what is not base64 at all. Node's and browsers' decoders skip junk
 * and missing padding, so without this an RSA signature with its padding removed and text
 * appended still verified: two spellings of one signature.
 */
function isCanonicalBase64(text: string): boolean {
  try {
    return btoa(atob(text)) === text;
  } catch {
    return false;
  }
}

/**
 * Checks a received signature against a base string: the primitive a verifier is built on.
 * The base string may be given as its bytes (ASCII), as a verifier of large requests does.
 * HMAC and PLAINTEXT compare in constant time; an empty consumer secret never verifies,
 * because the key it makes (`&`) is known to everyone.
 *
 * @example
 * ```ts
 * await verifySignature('HMAC-SHA1', baseString, received, { consumerSecret, tokenSecret }); // true or false
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4
 */
export async function verifySignature(
  name: SignatureMethodName,
  baseString: string | Uint8Array,
  signature: string,
  secrets: VerifySecrets,
): Promise<boolean> {
  const method = signatureMethod(name);
  const tokenSecret = secrets.tokenSecret ?? '';
  if (method.family === 'RSA') {
    if (secrets.publicKey === undefined || secrets.publicKey === null || secrets.publicKey === '') return false;
    if (!isCanonicalBase64(signature)) return false;
    const key = await importedPublicKey(secrets.publicKey, method.hash as HashName);
    try {
      return await backend.rsaVerifyBase64(method.hash as HashName, key, baseString, signature);
    } catch (cause) {
      throw wrapCryptoFailure(name, cause);
    }
  }
  if (!secrets.consumerSecret) return false;
  // A server sees the same consumer request after request: keep its prepared key.
  if (
    lastVerifier === undefined ||
    lastVerifier.name !== name ||
    lastVerifier.consumerSecret !== secrets.consumerSecret
  ) {
    lastVerifier = {
      name,
      consumerSecret: secrets.consumerSecret,
      sign: createMethodSigner(name, { consumerSecret: secrets.consumerSecret, privateKey: undefined }),
    };
  }
  const expected = await lastVerifier.sign(baseString, tokenSecret);
  return constantTimeEqual(expected, signature);
}

// Importing a PEM key costs far more than a verification, and a server sees few distinct
// keys: the last 64 PEM texts are kept imported (a KeyObject or CryptoKey already is).
const publicKeys = new Map<string, unknown>();
const MAX_PUBLIC_KEYS = 64;

async function importedPublicKey(input: PublicKeyInput, hash: HashName): Promise<unknown> {
  if (typeof input !== 'string') return backend.importRsaPublicKey(input, hash);
  const id = `${hash}\n${input}`;
  const known = publicKeys.get(id);
  if (known !== undefined) return known;
  const key = await backend.importRsaPublicKey(input, hash);
  if (publicKeys.size >= MAX_PUBLIC_KEYS) publicKeys.delete(publicKeys.keys().next().value as string);
  publicKeys.set(id, key);
  return key;
}

let lastVerifier: { name: SignatureMethodName; consumerSecret: string; sign: BaseStringSigner } | undefined;

/**
 * The `oauth_body_hash` of a body (OAuth Request Body Hash, draft-eaton-oauth-bodyhash):
 * the method's own digest, unkeyed, over the exact bytes, base64. PLAINTEXT has no digest.
 *
 * @example
 * ```ts
 * await bodyHash('HMAC-SHA1', new TextEncoder().encode('Hello World!')); // 'Lve95gjOVATpfV8EL5X4nxwjKHE='
 * ```
 * @see https://datatracker.ietf.org/doc/html/draft-eaton-oauth-bodyhash-00
 */
export async function bodyHash(name: SignatureMethodName, bytes: Uint8Array): Promise<string> {
  const hash = signatureMethod(name).hash;
  if (hash === undefined) {
    throw new CountersignError(
      'invalid_option',
      'bodyHash: PLAINTEXT has no hash to protect the body; use an HMAC or RSA method.',
    );
  }
  return backend.digestBase64(hash, bytes);
}
