import { CountersignError } from './errors.ts';

/**
 * Something Node's `crypto.KeyObject` satisfies, described structurally so the types
 * need no Node typings in a browser project.
 */
export interface KeyObjectLike {
  readonly type: string;
  readonly asymmetricKeyType?: string;
  export(options?: object): unknown;
}

/**
 * Something a WebCrypto `CryptoKey` satisfies (the DOM's and Node's alike), described
 * structurally so the published types need neither the DOM lib nor Node's typings.
 */
export interface CryptoKeyLike {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: object;
  readonly usages: readonly string[];
}

/** An RSA private key: PEM text (PKCS#1 or PKCS#8), a WebCrypto `CryptoKey` or a Node `KeyObject`. */
export type PrivateKeyInput = string | CryptoKeyLike | KeyObjectLike;

/** An RSA public key: PEM text (SPKI, PKCS#1 or an X.509 certificate on Node), a `CryptoKey` or a `KeyObject`. */
export type PublicKeyInput = string | CryptoKeyLike | KeyObjectLike;

export interface Pem {
  readonly label: string;
  readonly der: Uint8Array<ArrayBuffer>;
}

// A BEGIN or END line's marker. A label run cannot hold `-`, so each run is read once and the
// whole scan is linear, whatever the text.
const PEM_MARKER = /-----(BEGIN|END) ([A-Z0-9 ]+)-----/g;

/** PEM keys and certificates are a few KB; a text far larger is not one, and is not scanned. */
const MAX_PEM_CHARACTERS = 1024 * 1024;

/** The first complete block (the first END that closes an earlier BEGIN of its label), in one pass. */
function firstPemBlock(text: string): { label: string; body: string } | undefined {
  const open = new Map<string, number>();
  for (const marker of text.matchAll(PEM_MARKER)) {
    const label = marker[2] as string;
    const at = marker.index as number;
    if (marker[1] === 'BEGIN') {
      if (!open.has(label)) open.set(label, at + marker[0].length);
    } else {
      const start = open.get(label);
      if (start !== undefined) return { label, body: text.slice(start, at) };
    }
  }
  return undefined;
}

const CONVERT_ENCRYPTED =
  'The private key is encrypted (a passphrase-protected PEM), which cannot be imported for signing. ' +
  'Convert it once with `openssl pkcs8 -topk8 -nocrypt -in encrypted.pem -out key.pem` and keep key.pem as secret as the original.';

/**
 * Reads the first PEM block, refusing encrypted keys with the command that converts them.
 * Never puts key material in an error message.
 */
export function parsePem(text: string, what: 'privateKey' | 'publicKey'): Pem {
  if (text.length > MAX_PEM_CHARACTERS) {
    throw new CountersignError(
      what === 'privateKey' ? 'invalid_private_key' : 'invalid_option',
      `${what}: the text is ${(text.length / 1024 / 1024).toFixed(1)} MB, and a PEM key is a few KB: pass the contents of the key file itself.`,
    );
  }
  const match = firstPemBlock(text);
  if (!match) {
    throw new CountersignError(
      what === 'privateKey' ? 'invalid_private_key' : 'invalid_option',
      what === 'privateKey'
        ? 'privateKey: expected PEM text starting with -----BEGIN PRIVATE KEY----- (PKCS#8) or -----BEGIN RSA PRIVATE KEY----- (PKCS#1), a CryptoKey or a KeyObject.'
        : 'publicKey: expected PEM text starting with -----BEGIN PUBLIC KEY-----, -----BEGIN RSA PUBLIC KEY----- or -----BEGIN CERTIFICATE-----, a CryptoKey or a KeyObject.',
    );
  }
  const { label, body } = match;
  if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/i.test(body)) {
    throw new CountersignError('encrypted_private_key', CONVERT_ENCRYPTED);
  }
  const base64 = body
    .split(/\r?\n/)
    .filter((line) => !line.includes(':'))
    .join('')
    .replace(/\s+/g, '');
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
  } catch (cause) {
    throw new CountersignError(
      what === 'privateKey' ? 'invalid_private_key' : 'invalid_option',
      `${what}: the PEM block "${label}" is not valid base64.`,
      { cause },
    );
  }
  return { label, der };
}

/**
 * Which private key format a DER holds, from its first fields: both are a SEQUENCE starting
 * with version 0; PKCS#8 continues with the algorithm (a SEQUENCE), PKCS#1 with the modulus
 * (an INTEGER). Undefined when it is neither.
 */
function derKeyFormat(der: Uint8Array): 'pkcs1' | 'pkcs8' | undefined {
  if (der[0] !== 0x30) return undefined;
  // Skip the outer SEQUENCE's length (short or long form).
  const lengthByte = der[1] ?? 0;
  let at = 2 + (lengthByte & 0x80 ? lengthByte & 0x7f : 0);
  if (der[at] !== 0x02 || der[at + 1] !== 0x01 || der[at + 2] !== 0x00) return undefined;
  at += 3;
  if (der[at] === 0x30) return 'pkcs8';
  if (der[at] === 0x02) return 'pkcs1';
  return undefined;
}

/** Checks a private key PEM's label and says what to do when it is the wrong kind of key. */
export function privateKeyPem(text: string): Pem {
  const pem = parsePem(text, 'privateKey');
  if (pem.label === 'PRIVATE KEY' || pem.label === 'RSA PRIVATE KEY') {
    // A header edited by hand (or a tool that labels every key alike) puts one format under
    // the other's name; the key then fails to import with an opaque ASN.1 error.
    const holds = derKeyFormat(pem.der);
    const says = pem.label === 'PRIVATE KEY' ? 'pkcs8' : 'pkcs1';
    if (holds !== undefined && holds !== says) {
      throw new CountersignError(
        'invalid_private_key',
        holds === 'pkcs1'
          ? 'privateKey: the PEM says BEGIN PRIVATE KEY (PKCS#8) but holds a PKCS#1 RSA key: change its first and last lines to BEGIN/END RSA PRIVATE KEY, or convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem`.'
          : 'privateKey: the PEM says BEGIN RSA PRIVATE KEY (PKCS#1) but holds a PKCS#8 key: change its first and last lines to BEGIN/END PRIVATE KEY.',
      );
    }
    return pem;
  }
  if (/PUBLIC KEY|CERTIFICATE/.test(pem.label)) {
    throw new CountersignError(
      'invalid_private_key',
      `privateKey holds a ${pem.label.toLowerCase()}: RSA signing needs the private key (the public key or certificate is what you register with the provider).`,
    );
  }
  throw new CountersignError(
    'invalid_private_key',
    `privateKey: "${pem.label}" is not an RSA private key. Use PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY), e.g. \`openssl pkcs8 -topk8 -nocrypt -in key.pem\`.`,
  );
}

// DER length octets (X.690 §8.1.3): short form below 128, else long form.
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function derElement(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const header = [tag, ...derLength(content.length)];
  const out = new Uint8Array(header.length + content.length);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }
const RSA_ALGORITHM = Uint8Array.of(
  0x30,
  0x0d,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
  0x05,
  0x00,
);

/**
 * Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (RFC 5208 §5), the only RSA
 * private key form WebCrypto imports.
 * @example
 * ```ts
 * // The DER inside `-----BEGIN RSA PRIVATE KEY-----`, made importable by WebCrypto:
 * const key = await crypto.subtle.importKey('pkcs8', pkcs1ToPkcs8(pkcs1Der), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }, false, ['sign']);
 * ```
 */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  const version = Uint8Array.of(0x02, 0x01, 0x00);
  return derElement(0x30, concat(version, RSA_ALGORITHM, derElement(0x04, pkcs1)));
}

/** Wraps a PKCS#1 RSAPublicKey in a SubjectPublicKeyInfo (RFC 5280 §4.1), for WebCrypto. */
export function pkcs1ToSpki(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  return derElement(0x30, concat(RSA_ALGORITHM, derElement(0x03, concat(Uint8Array.of(0), pkcs1))));
}
