import type { PrivateKeyInput, PublicKeyInput } from '../keys.ts';

export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-512';

/** An imported key, opaque outside the backend that made it. */
export type KeyHandle = unknown;

/** A base string as text, or as its bytes (ASCII: RFC 5849 §3.6 encodes everything else). */
export type BaseStringData = string | Uint8Array;

/**
 * The primitives each platform supplies: `node:crypto` on Node (several times faster for
 * HMAC), WebCrypto everywhere else. Results are base64.
 */
export interface CryptoBackend {
  readonly runtime: 'node' | 'web';
  /** Prepares an HMAC with one key (imported once) and returns the function that signs with it. */
  hmacSigner(hash: HashName, key: string): (data: BaseStringData) => string | Promise<string>;
  digestBase64(hash: HashName, data: Uint8Array): string | Promise<string>;
  importRsaPrivateKey(input: PrivateKeyInput, hash: HashName): KeyHandle | Promise<KeyHandle>;
  importRsaPublicKey(input: PublicKeyInput, hash: HashName): KeyHandle | Promise<KeyHandle>;
  rsaSignBase64(hash: HashName, key: KeyHandle, data: BaseStringData): string | Promise<string>;
  rsaVerifyBase64(hash: HashName, key: KeyHandle, data: BaseStringData, signature: string): boolean | Promise<boolean>;
}
