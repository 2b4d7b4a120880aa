const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
/** A UTF-16 surrogate without its other half: no UTF-8 encoding exists for it. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Thrown inside this module for a name or value whose escapes are not UTF-8; caught by the caller. */
export class NotUtf8 extends Error {}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

// The slow path: escapes to bytes, malformed escapes kept as the literal `%` (as WHATWG
// parsers and Countersign's signer read them), then a decoder that refuses instead of
// substituting U+FFFD.
function decodeBytes(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 37 && i + 2 < text.length) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = high === -1 ? -1 : hexValue(text.charCodeAt(i + 2));
      if (low !== -1) {
        bytes.push(high * 16 + low);
        i += 2;
        continue;
      }
    }
    if (code < 0x80) bytes.push(code);
    else {
      // A run of raw text up to the next escape, encoded at once.
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 37) end++;
      const run = text.slice(i, end);
      // A lone surrogate would be encoded as U+FFFD: the same collapse.
      if (LONE_SURROGATE.test(run)) throw new NotUtf8();
      for (const byte of encoder.encode(run)) bytes.push(byte);
      i = end - 1;
    }
  }
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    throw new NotUtf8();
  }
}

/**
 * One `application/x-www-form-urlencoded` name or value, decoded as core's `formDecode`
 * does (`+` is a space, malformed escapes kept), except that escapes which are not UTF-8
 * throw instead of becoming U+FFFD: with substitution, two different byte sequences decode
 * to one string, and a signature over one verifies the other.
 */
export function strictFormDecode(raw: string): string {
  if (raw.indexOf('%') === -1) return raw.indexOf('+') === -1 ? raw : raw.replace(/\+/g, ' ');
  const spaced = raw.indexOf('+') === -1 ? raw : raw.replace(/\+/g, ' ');
  try {
    // Throws on a malformed escape as well as on bytes that are not UTF-8: the slow path tells them apart.
    return decodeURIComponent(spaced);
  } catch {
    return decodeBytes(spaced);
  }
}

/**
 * Splits form text into decoded pairs (duplicates and empty values kept, empty pairs
 * skipped), in one pass: each search for `=` is bounded by its pair's end.
 */
export function parseStrictForm(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let start = 0;
  let equals = -1;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (equals < start) {
        equals = text.indexOf('=', start);
        if (equals === -1) equals = text.length;
      }
      if (equals >= end) pairs.push([strictFormDecode(text.slice(start, end)), '']);
      else pairs.push([strictFormDecode(text.slice(start, equals)), strictFormDecode(text.slice(equals + 1, end))]);
    }
    start = end + 1;
  }
  return pairs;
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
