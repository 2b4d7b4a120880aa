import { CountersignError } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// 248 = 4 × 62: bytes at or above it are dropped so every character is equally likely.
const UNBIASED_LIMIT = 248;
const POOL_SIZE = 4096;

/**
 * The default nonce length: inside the 20–30 characters that servers built on oauthlib
 * accept, and within the 24 that Mastercard allows.
 * @example
 * ```ts
 * createNonceGenerator(DEFAULT_NONCE_LENGTH)().length; // 24
 * ```
 */
export const DEFAULT_NONCE_LENGTH = 24;

const bytes = new Uint8Array(POOL_SIZE);
const codes = new Uint8Array(POOL_SIZE);
const ASCII_CODES = Uint8Array.from(ALPHABET, (character) => character.charCodeAt(0));
// Alphanumerics are ASCII, so latin1 decoding turns the codes into a string natively.
const latin1 = new TextDecoder('latin1');
let characters = '';
let cursor = 0;

// One getRandomValues call per 4 KiB, turned into unbiased alphanumerics once: a call per
// nonce costs about 5 µs on Node, and slicing a ready string costs almost nothing.
function take(length: number): string {
  if (cursor + length > characters.length) {
    let fresh = '';
    while (fresh.length < length) {
      globalThis.crypto.getRandomValues(bytes);
      let count = 0;
      for (let i = 0; i < POOL_SIZE; i++) {
        const byte = bytes[i] as number;
        if (byte < UNBIASED_LIMIT) codes[count++] = ASCII_CODES[byte % 62] as number;
      }
      fresh += latin1.decode(codes.subarray(0, count));
    }
    characters = characters.slice(cursor) + fresh;
    cursor = 0;
  }
  const nonce = characters.slice(cursor, cursor + length);
  cursor += length;
  return nonce;
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
  return () => take(length);
}
