import { CountersignError } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// 248 = 4 × 62: bytes at or above it are dropped so every character is equally likely.
const UNBIASED_LIMIT = 248;
const POOL_SIZE = 4096;

/**
 * The default nonce length: inside the 20–30 characters that servers built on oauthlib
 * accept, and within the 24 that Mastercard allows.
 */
export const DEFAULT_NONCE_LENGTH = 24;

let pool = new Uint8Array(0);
let cursor = 0;

// One getRandomValues call per 4 KiB: a call per nonce costs about 5 µs on Node.
function nextRandomByte(): number {
  if (cursor >= pool.length) {
    if (pool.length === 0) pool = new Uint8Array(POOL_SIZE);
    globalThis.crypto.getRandomValues(pool);
    cursor = 0;
  }
  return pool[cursor++] as number;
}

/**
 * Returns a nonce generator: alphanumeric characters from the platform CSPRNG.
 *
 * @param length - how many characters; 8 to 128, default {@link DEFAULT_NONCE_LENGTH}.
 * @example
 * ```ts
 * const signer = createSigner({ consumerKey, consumerSecret, nonce: createNonceGenerator(16) });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.3
 */
export function createNonceGenerator(length: number = DEFAULT_NONCE_LENGTH): () => string {
  if (!Number.isInteger(length) || length < 8 || length > 128) {
    throw new CountersignError(
      'invalid_option',
      `createNonceGenerator(length): expected a whole number from 8 to 128, got ${String(length)}.`,
    );
  }
  return () => {
    let nonce = '';
    while (nonce.length < length) {
      const byte = nextRandomByte();
      if (byte < UNBIASED_LIMIT) nonce += ALPHABET[byte % 62];
    }
    return nonce;
  };
}
