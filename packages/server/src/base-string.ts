import { CountersignError, normalizeParameters, percentEncode, signatureBaseString } from '@countersign/core';
import { wellFormed } from './strict-form.ts';

// Values are encoded twice in a base string: once as parameters (RFC 5849 §3.4.1.3.2), once
// more as part of the parameter string (§3.4.1.1). Core builds the first encoding, then
// escapes each `%` of it piece by piece, which on a megabyte of spaces or UTF-8 grows a
// string a million times (600 ms here, most of it garbage collection). Here each name and
// value goes straight to its twice-encoded form, long ones as bytes in one pass. The same
// base string comes out (tested against core's `signatureBaseString`).

const UNRESERVED = new Uint8Array(128);
for (let code = 0; code < 128; code++) UNRESERVED[code] = /[A-Za-z0-9\-._~]/.test(String.fromCharCode(code)) ? 1 : 0;
const HEX_CODES = new Uint8Array([...'0123456789ABCDEF'].map((digit) => digit.charCodeAt(0)));
const LONG = 1024;
const SMALL = 16 * 1024;
const utf8 = new TextEncoder();
const ascii = new TextDecoder('utf-8');

function writeTwice(byte: number, out: Uint8Array, at: number): number {
  // %XX encoded once more is %25XX.
  out[at] = 0x25;
  out[at + 1] = 0x32;
  out[at + 2] = 0x35;
  out[at + 3] = HEX_CODES[byte >> 4] as number;
  out[at + 4] = HEX_CODES[byte & 15] as number;
  return at + 5;
}

// The exact length of the twice-encoded form: five bytes for each escaped byte. Allocating
// for the worst case (fifteen per UTF-16 unit) zeroed 15 MB for a megabyte of ASCII.
function twiceEncodedLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += UNRESERVED[code] === 1 ? 1 : 5;
    else if (code < 0x800) length += 10;
    // A surrogate pair is four bytes in all, two per unit; a lone one is refused later.
    else if (code >= 0xd800 && code <= 0xdfff) length += 10;
    else length += 15;
  }
  return length;
}

/** Writes a name or value's twice-encoded form into `out` at `at`; returns where it ends. */
function encodeTwiceInto(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (UNRESERVED[code] === 1) out[at++] = code;
      else at = writeTwice(code, out, at);
      continue;
    }
    let end = i + 1;
    while (end < text.length && text.charCodeAt(end) >= 0x80) end++;
    const run = text.slice(i, end);
    // Core's percentEncode refuses a lone surrogate (it has no UTF-8): so does this.
    if (!wellFormed(run)) {
      throw new CountersignError(
        'invalid_param',
        'A parameter contains a lone UTF-16 surrogate, which has no UTF-8 encoding.',
      );
    }
    const bytes = utf8.encode(run);
    for (let k = 0; k < bytes.length; k++) at = writeTwice(bytes[k] as number, out, at);
    i = end - 1;
  }
  return at;
}

function encodeTwiceLong(text: string): string {
  const out = new Uint8Array(twiceEncodedLength(text));
  return asciiText(out, encodeTwiceInto(text, out, 0));
}

// Node's Buffer turns ASCII bytes into a one-byte string with a copy; TextDecoder (the way
// on other runtimes) measured about ten times slower on megabytes.
interface Latin1Buffer {
  from(bytes: ArrayBuffer, at: number, length: number): { latin1Slice(): string };
}
const NodeBuffer = (globalThis as unknown as { Buffer?: Latin1Buffer }).Buffer;

function asciiText(bytes: Uint8Array, length: number): string {
  if (NodeBuffer !== undefined)
    return NodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, length).latin1Slice();
  return ascii.decode(bytes.subarray(0, length));
}

// Core's percentEncode appends once per escape; twice over, a value with hundreds of escapes
// grows a string thousands of times. Measured here on 990 values of 1000 spaces (a 1 MB
// form body): 540 ms, against 21 ms for one value of a million spaces on the byte path.
// Length alone does not bound that cost, the count of escapes does.
const FEW_ESCAPES = 8;

function fewEscapes(text: string): boolean {
  let escapes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 0x80 || UNRESERVED[code] !== 1) && ++escapes > FEW_ESCAPES) return false;
  }
  return true;
}

/** A name or value as it appears in a base string: percent-encoded twice. */
function encodeTwice(text: string): string {
  if (text.length > LONG || !fewEscapes(text)) return encodeTwiceLong(text);
  const once = percentEncode(text);
  return once.indexOf('%') === -1 ? once : percentEncode(once);
}

// Byte order on the twice-encoded forms is the order on the once-encoded ones RFC 5849
// sorts by: encoding again only turns each `%` into `%25`, which still begins with `%`, so
// the first position where two strings differ keeps its two characters.
function byNameThenValue(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] === b[1]) return 0;
  return a[1] < b[1] ? -1 : 1;
}

/**
 * RFC 5849 §3.4.1.1's base string from decoded pairs: `METHOD&encode(URI)&encode(parameter
 * string)`, as core's `signatureBaseString` builds it.
 */
export function verifierBaseString(
  method: string,
  baseUri: string,
  pairs: ReadonlyArray<readonly [string, string]>,
): string {
  // Core's own is quicker for the usual request, a few kilobytes at most.
  let size = 0;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as readonly [string, string];
    size += pair[0].length + pair[1].length;
  }
  if (size <= SMALL) return signatureBaseString(method, baseUri, normalizeParameters(pairs));
  const encoded = new Array<readonly [string, string]>(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as readonly [string, string];
    encoded[i] = [encodeTwice(pair[0]), encodeTwice(pair[1])];
  }
  encoded.sort(byNameThenValue);
  const joined = new Array<string>(encoded.length);
  for (let i = 0; i < encoded.length; i++) {
    const pair = encoded[i] as readonly [string, string];
    joined[i] = `${pair[0]}%3D${pair[1]}`;
  }
  return `${method}&${percentEncode(baseUri)}&${joined.join('%26')}`;
}

// Above this a name or value is not turned into text at all: it is written once, into the
// bytes that are hashed. A megabyte of `+` as text made three fresh 5 MB strings (the value,
// the joined base string, its flattened copy), and fresh memory is what cost the time here.
const HUGE = 64 * 1024;

/** A name or value too large to become text: encoded into the output, or, when a sort must compare it, into bytes of its own. */
class HugeComponent {
  readonly length: number;
  #bytes: Uint8Array | undefined;
  constructor(readonly text: string) {
    this.length = twiceEncodedLength(text);
  }
  bytes(): Uint8Array {
    if (this.#bytes === undefined) {
      this.#bytes = new Uint8Array(this.length);
      encodeTwiceInto(this.text, this.#bytes, 0);
    }
    return this.#bytes;
  }
  writeInto(out: Uint8Array, at: number): number {
    if (this.#bytes === undefined) return encodeTwiceInto(this.text, out, at);
    out.set(this.#bytes, at);
    return at + this.length;
  }
}

type Component = string | HugeComponent;

function componentOf(text: string): Component {
  return text.length > HUGE ? new HugeComponent(text) : encodeTwice(text);
}

function bytesOf(component: Component): Uint8Array {
  return typeof component === 'string' ? utf8.encode(component) : component.bytes();
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

// Twice-encoded text is ASCII, so its code-unit order is its byte order.
function compareComponents(a: Component, b: Component): number {
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  return compareBytes(bytesOf(a), bytesOf(b));
}

function writeComponent(component: Component, out: Uint8Array, at: number): number {
  if (typeof component !== 'string') return component.writeInto(out, at);
  return at + utf8.encodeInto(component, out.subarray(at)).written;
}

/**
 * The same base string as {@link verifierBaseString}, as its ASCII bytes: for a request
 * too large to diagnose, where only a signature check needs it. A name or value over 64 KB
 * is encoded straight into these bytes (tested against core's `signatureBaseString`).
 */
export function verifierBaseStringBytes(
  method: string,
  baseUri: string,
  pairs: ReadonlyArray<readonly [string, string]>,
): Uint8Array {
  const encoded = new Array<readonly [Component, Component]>(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as readonly [string, string];
    encoded[i] = [componentOf(pair[0]), componentOf(pair[1])];
  }
  encoded.sort((a, b) => compareComponents(a[0], b[0]) || compareComponents(a[1], b[1]));
  const head = `${method}&${percentEncode(baseUri)}&`;
  let size = head.length + Math.max(0, encoded.length - 1) * 3;
  for (const [name, value] of encoded) size += name.length + 3 + value.length;
  const out = new Uint8Array(size);
  let at = writeComponent(head, out, 0);
  for (let i = 0; i < encoded.length; i++) {
    const [name, value] = encoded[i] as readonly [Component, Component];
    if (i > 0) at = writeComponent('%26', out, at);
    at = writeComponent(name, out, at);
    at = writeComponent('%3D', out, at);
    at = writeComponent(value, out, at);
  }
  return out;
}

/**
 * The first `limit` characters of a base string held as bytes, passed through `shown`
 * (redaction), with a marker saying how many more there are.
 */
export function baseStringHead(bytes: Uint8Array, limit: number, shown: (text: string) => string): string {
  if (bytes.length <= limit) return shown(asciiText(bytes, bytes.length));
  // Never inside an escape: redaction decodes the parameter string once, and a head ending in
  // `%` or `%2` failed that decoding, which left a password in the head unredacted.
  let cut = limit;
  if (bytes[cut - 1] === 0x25) cut -= 1;
  else if (bytes[cut - 2] === 0x25) cut -= 2;
  return `${shown(asciiText(bytes, cut))} …[truncated: ${bytes.length - cut} more characters]`;
}

/** A base string held as bytes, as text. */
export function baseStringText(bytes: Uint8Array): string {
  return asciiText(bytes, bytes.length);
}
