/**
 * Mastercard APIs: RSA-SHA256 OAuth 1.0a with `oauth_body_hash` on every request (a GET's is
 * the empty string's hash), the query sent in the form Mastercard's gateway reads as RFC 5849
 * does, and the keystore mistakes said in words.
 *
 * @packageDocumentation
 * @module @countersign/mastercard
 */
import {
  CountersignError,
  createOAuthFetch,
  createSigner,
  type OAuthFetch,
  type OAuthFetchOptions,
  type PrivateKeyInput,
  type Signer,
  type SignerOptions,
  type SignOptions,
} from '@countersign/core';

/**
 * Mastercard's quirk as data: a body hash on every request, whatever the method.
 *
 * @example
 * ```ts
 * installOAuth(axiosInstance, mastercardSigner({ consumerKey, privateKey }), { oauth: MASTERCARD_SIGN_OPTIONS });
 * ```
 */
export const MASTERCARD_SIGN_OPTIONS: SignOptions = Object.freeze({ bodyHash: true });

export interface MastercardCredentials
  extends Omit<SignerOptions, 'consumerSecret' | 'signatureMethod' | 'privateKey' | 'transmission'> {
  /** The consumer key from Mastercard Developers (the long one with a `!` in it). */
  readonly consumerKey: string;
  /** The signing key as PEM (PKCS#8 or PKCS#1), a `CryptoKey` or a `KeyObject`; not the .p12 itself. */
  readonly privateKey: PrivateKeyInput | Uint8Array;
}

const CONVERT_P12 =
  'Mastercard issues the signing key in a PKCS#12 keystore (.p12), which Node cannot read. Convert it once: ' +
  '`openssl pkcs12 -in key.p12 -nocerts -nodes -out key.pem` (the keystore password is asked for; with OpenSSL 3 ' +
  'and an older keystore add -legacy), then pass the text of key.pem, which is as secret as the keystore.';

// PKCS#12 in DER: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data (1.2.840.113549.1.7.1) … } }.
const PKCS7_DATA = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

// A byte read back from text: -1 where UTF-8 decoding replaced a byte from 0x80 up with U+FFFD.
const ANY_HIGH_BYTE = -1;

function looksLikePkcs12(bytes: ArrayLike<number>): boolean {
  if (bytes[0] !== 0x30) return false;
  // Only the head is read: a keystore is told by its first fields, whatever the size.
  const head: number[] = [];
  for (let at = 0; at < Math.min(40, bytes.length); at++) head.push(bytes[at] as number);
  const matches = (at: number, expected: readonly number[]) =>
    expected.every((byte, offset) => {
      const actual = head[at + offset];
      return actual === byte || (actual === ANY_HIGH_BYTE && byte >= 0x80);
    });
  const version = head.findIndex((_, at) => matches(at, [0x02, 0x01, 0x03]));
  const data = head.findIndex((_, at) => matches(at, PKCS7_DATA));
  return version > 0 && version < 6 && data > version;
}

/** The bytes a keystore read as text came from, as far as they can be told (latin1 exactly, UTF-8 with gaps). */
function bytesOfText(text: string): number[] {
  return Array.from(text.slice(0, 40), (char) => (char === '\uFFFD' ? ANY_HIGH_BYTE : char.charCodeAt(0) & 0xff));
}

function base64Bytes(text: string): Uint8Array | undefined {
  // The first 64 base64 characters tell a keystore; a huge text is not copied to find them.
  const compact = text.slice(0, 256).replace(/\s+/g, '');
  if (compact.length < 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Uint8Array.from(atob(compact.slice(0, 64)), (char) => char.charCodeAt(0));
}

/**
 * Refuses, with the command that fixes it, a keystore where a key belongs: the .p12 file's
 * bytes, the same read as text (UTF-8 or latin1), or its base64. Says nothing about the key material.
 */
function checkedKey(privateKey: MastercardCredentials['privateKey']): PrivateKeyInput {
  if (privateKey instanceof Uint8Array) {
    if (looksLikePkcs12(privateKey)) throw new CountersignError('invalid_option', `privateKey: ${CONVERT_P12}`);
    throw new CountersignError(
      'invalid_option',
      'privateKey: got bytes; pass the PEM text (readFileSync(path, "utf8")), a CryptoKey or a KeyObject.',
    );
  }
  if (typeof privateKey === 'string' && !privateKey.includes('-----BEGIN')) {
    const decoded = base64Bytes(privateKey);
    if (looksLikePkcs12(bytesOfText(privateKey)) || (decoded !== undefined && looksLikePkcs12(decoded))) {
      throw new CountersignError('invalid_option', `privateKey: ${CONVERT_P12}`);
    }
  }
  return privateKey as PrivateKeyInput;
}

/**
 * The signer for Mastercard APIs: RSA-SHA256, header transmission, and the query sent in
 * RFC 3986 form (`wireForm: 'rfc3986'`). Use it with {@link MASTERCARD_SIGN_OPTIONS} (or
 * {@link createMastercardFetch}), so every request carries `oauth_body_hash`, as Mastercard's
 * gateway requires.
 *
 * Mastercard's gateway reads each parameter as it arrives and encodes the parameter string
 * once, as its own signers do; RFC 5849 decodes and encodes each again. The two base strings
 * agree only when every name and value arrives already in RFC 3986 form, so the signer sends
 * the query that way: `MerchantId=GOOGLE LTD (CC@GOOGLE.COM)` goes out as
 * `MerchantId=GOOGLE%20LTD%20%28CC%40GOOGLE.COM%29`, which both read alike. (Header values,
 * the `!` of every consumer key included, are always sent encoded.) Pass
 * `wireForm: 'as-given'` to send the query as the URL has it.
 *
 * @example
 * ```ts
 * const signer = mastercardSigner({ consumerKey, privateKey: readFileSync('key.pem', 'utf8') });
 * installOAuth(axiosInstance, signer, { oauth: MASTERCARD_SIGN_OPTIONS });
 * ```
 */
export function mastercardSigner(credentials: MastercardCredentials): Signer {
  return createSigner({
    wireForm: 'rfc3986',
    ...credentials,
    signatureMethod: 'RSA-SHA256',
    privateKey: checkedKey(credentials.privateKey),
  });
}

/**
 * A fetch that signs every request for Mastercard: RSA-SHA256, `oauth_body_hash` over the
 * exact body bytes (the empty string's hash for a GET), and the query sent in RFC 3986 form
 * (see {@link mastercardSigner}).
 *
 * @example
 * ```ts
 * const mastercard = createMastercardFetch({ consumerKey, privateKey: readFileSync('key.pem', 'utf8') });
 * const response = await mastercard('https://sandbox.api.mastercard.com/…', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
 * ```
 */
export function createMastercardFetch(
  credentials: MastercardCredentials,
  options: Omit<OAuthFetchOptions, 'oauth'> = {},
): OAuthFetch {
  return createOAuthFetch(mastercardSigner(credentials), { ...options, oauth: MASTERCARD_SIGN_OPTIONS });
}
