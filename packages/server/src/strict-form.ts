import { parseForm } from '@countersign/core';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
/** A UTF-16 surrogate without its other half: no UTF-8 encoding exists for it. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when a string has no lone surrogate. String.prototype.isWellFormed (ES2024; Node 20
 * has it) is native and cheap; the regular expression is for runtimes without it, and on a
 * megabyte it costs tens of milliseconds.
 */
export function wellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return native === undefined ? !LONE_SURROGATE.test(text) : native.call(text);
}

/** Thrown inside this module for a name or value whose escapes are not UTF-8; caught by the caller. */
export class NotUtf8 extends Error {}

/** Thrown for a `%` not followed by two hex digits; caught by the caller. */
export class MalformedEscape extends Error {}

const MALFORMED_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

// Escapes and `+` to bytes in one pass, then a decoder that refuses instead of
// substituting U+FFFD. Used for long text, where a regular expression replacing each `+`
// costs hundreds of milliseconds on a megabyte of them, and where the native decoder has
// already refused. Throws MalformedEscape for a `%` without two hex digits after it.
function decodeBytes(text: string): string {
  // At most three bytes per UTF-16 unit; written in place, not pushed one by one.
  const bytes = new Uint8Array(text.length * 3);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 37) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = high === -1 ? -1 : hexValue(text.charCodeAt(i + 2));
      if (low === -1) throw new MalformedEscape();
      bytes[length++] = high * 16 + low;
      i += 2;
    } else if (code === 43) bytes[length++] = 0x20;
    else if (code < 0x80) bytes[length++] = code;
    else {
      // A run of raw text up to the next escape or +, encoded at once.
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 37 && text.charCodeAt(end) !== 43) end++;
      const run = text.slice(i, end);
      // A lone surrogate would be encoded as U+FFFD: the same collapse.
      if (!wellFormed(run)) throw new NotUtf8();
      length += encoder.encodeInto(run, bytes.subarray(length)).written;
      i = end - 1;
    }
  }
  try {
    return strictUtf8.decode(bytes.subarray(0, length));
  } catch {
    throw new NotUtf8();
  }
}

// Below this length the regular expression and the native decoder are the quicker way.
const SHORT = 256;

/**
 * One `application/x-www-form-urlencoded` name or value, decoded as core's `formDecode`
 * does (`+` is a space), except where the text is ambiguous, which throws: escapes that are
 * not UTF-8 (U+FFFD substituted, two byte sequences would decode to one string and a
 * signature over one verify the other) and a `%` not followed by two hex digits (kept
 * literally, `%zz` and `%25zz` would be one value; oauthlib refuses it too).
 */
export function strictFormDecode(raw: string): string {
  const hasEscape = raw.indexOf('%') !== -1;
  const hasPlus = raw.indexOf('+') !== -1;
  if (!hasEscape && !hasPlus) return raw;
  if (raw.length > SHORT) return decodeBytes(raw);
  const spaced = hasPlus ? raw.replace(/\+/g, ' ') : raw;
  if (!hasEscape) return spaced;
  try {
    // Throws on a malformed escape as well as on bytes that are not UTF-8: told apart below.
    return decodeURIComponent(spaced);
  } catch {
    if (MALFORMED_ESCAPE.test(spaced)) throw new MalformedEscape();
    return decodeBytes(spaced);
  }
}

/** Splits form text into strictly decoded pairs: core's linear splitter, this module's decoder. */
export function parseStrictForm(text: string): Array<[string, string]> {
  return parseForm(text, strictFormDecode);
}

/** How many pairs form text holds (empty ones not counted), without decoding any: linear and cheap. */
export function countFormPairs(text: string, stopAfter: number): number {
  let count = 0;
  let start = 0;
  while (start <= text.length && count <= stopAfter) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) count++;
    start = end + 1;
  }
  return count;
}
