// RFC 5849 §3.6: only the unreserved characters pass through unencoded.
const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
// encodeURIComponent leaves these five alone; RFC 3986 unreserved does not include them.
const SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT = /[!'()*]/g;

import { CountersignError } from './errors.ts';

function hexEscape(character: string): string {
  return `%${character.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * Percent-encodes a string as RFC 5849 §3.6 requires: UTF-8, every character but
 * `A-Z a-z 0-9 - . _ ~` escaped, hex digits uppercase.
 *
 * @example
 * ```ts
 * percentEncode("Ladies + Gentlemen!"); // 'Ladies%20%2B%20Gentlemen%21'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.6
 */
export function percentEncode(value: string): string {
  if (UNRESERVED_ONLY.test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch (cause) {
    throw new CountersignError(
      'invalid_param',
      'A parameter contains a lone UTF-16 surrogate, which has no UTF-8 encoding: fix the string before signing it.',
      { cause },
    );
  }
  return encoded.replace(SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT, hexEscape);
}

/**
 * Decodes one `application/x-www-form-urlencoded` name or value: `+` is a space, then
 * percent-decoding. Malformed escapes are kept as written, as WHATWG URL parsers do, so
 * we sign what a server built on them sees.
 */
export function formDecode(value: string): string {
  if (value.indexOf('%') === -1 && value.indexOf('+') === -1) return value;
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return new URLSearchParams(`v=${value.replace(/&/g, '%26')}`).get('v') ?? spaced;
  }
}

/**
 * Splits a query string or form body into decoded pairs, keeping duplicates and empty
 * values in order (RFC 5849 §3.4.1.3.1).
 */
export function parseForm(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (text === '') return pairs;
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    if (equals === -1) pairs.push([formDecode(piece), '']);
    else pairs.push([formDecode(piece.slice(0, equals)), formDecode(piece.slice(equals + 1))]);
  }
  return pairs;
}

/** Serializes pairs as a form body or query with RFC 3986 encoding (spaces as `%20`). */
export function formatForm(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}
