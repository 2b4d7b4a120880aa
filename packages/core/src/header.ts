import { percentEncode } from './encode.ts';
import { CountersignError } from './errors.ts';

/** RFC 2617 quoted-string: the realm is quoted, not percent-encoded. */
function quote(value: string): string {
  return value.replace(/[\\"]/g, '\\$&');
}

/**
 * RFC 5849 §3.5.1: `OAuth realm="…", name="value", …` with every name and value
 * percent-encoded and `realm` first.
 *
 * @example
 * ```ts
 * formatAuthorizationHeader([['oauth_consumer_key', 'key'], ['oauth_signature', 'a+b=']], 'Photos');
 * // 'OAuth realm="Photos", oauth_consumer_key="key", oauth_signature="a%2Bb%3D"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.5.1
 */
export function formatAuthorizationHeader(params: ReadonlyArray<readonly [string, string]>, realm?: string): string {
  return formatEncodedHeader(
    params.map(([name, value]) => [percentEncode(name), percentEncode(value)] as const),
    realm,
  );
}

/** The same, from names and values already percent-encoded (the signer encodes each once). */
export function formatEncodedHeader(
  params: ReadonlyArray<readonly [string, string]>,
  realm: string | undefined,
): string {
  return headerPrefix(realm) + headerItems(params);
}

// What an HTTP header value cannot hold (RFC 9110 §5.5): CR, LF, NUL and the other controls
// but tab, and anything past Latin-1. fetch would refuse the header with a TypeError that
// quotes all of it, secrets included.
function unfitForHeader(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f || code > 0xff) return true;
  }
  return false;
}

/** `OAuth `, with the realm first when there is one. The realm is checked, never quoted in the error. */
export function headerPrefix(realm: string | undefined): string {
  if (realm === undefined) return 'OAuth ';
  if (unfitForHeader(realm)) {
    throw new CountersignError(
      'invalid_option',
      'realm: contains a character an HTTP header cannot carry (CR, LF, NUL, another control character, or one beyond Latin-1): remove it.',
    );
  }
  return `OAuth realm="${quote(realm)}", `;
}

/** `name="value", …` from encoded pairs. */
export function headerItems(params: ReadonlyArray<readonly [string, string]>): string {
  let items = '';
  for (let i = 0; i < params.length; i++) {
    const param = params[i] as readonly [string, string];
    items += i === 0 ? `${param[0]}="${param[1]}"` : `, ${param[0]}="${param[1]}"`;
  }
  return items;
}

/** A parsed `Authorization: OAuth …` header. */
export interface ParsedAuthorizationHeader {
  /** The realm, when sent; it is never part of the signature. */
  readonly realm: string | undefined;
  /** Every other parameter, percent-decoded, in the order sent (duplicates kept). */
  readonly params: ReadonlyArray<readonly [string, string]>;
}

function invalid(reason: string): CountersignError {
  return new CountersignError('invalid_authorization_header', `Authorization header: ${reason}.`);
}

// A name is quoted in an error only when it is short and plainly a token: the message ends
// up in logs, terminals and a server's advice, where CR/LF or escape sequences from a
// request would forge lines, and a megabyte of name would be echoed back.
const nameForError = (name: string) => (/^[\w.~-]{1,64}$/.test(name) ? name : 'a parameter');

function decodeComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(`${what} is not valid percent-encoded UTF-8`);
  }
}

// Character classes of the header's grammar, made once: a literal in the loops below made a
// new RegExp object per character.
const SEPARATOR = /[\s,]/;
const SPACE = /\s/;
const NAME_END = /[\s=,"]/;

/**
 * Parses an `OAuth` Authorization header (RFC 5849 §3.5.1). Values are percent-decoded
 * (a `+` stays a plus); the realm is unquoted. Unquoted values are tolerated.
 *
 * @example
 * ```ts
 * parseAuthorizationHeader('OAuth realm="Example", oauth_token="ad180jjd733klru7"');
 * // { realm: 'Example', params: [['oauth_token', 'ad180jjd733klru7']] }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.5.1
 */
export function parseAuthorizationHeader(header: string): ParsedAuthorizationHeader {
  if (typeof header !== 'string') throw invalid('expected a string');
  const scheme = /^\s*OAuth(?:\s+|$)/i.exec(header);
  if (!scheme) throw invalid('expected the OAuth scheme ("OAuth name=\\"value\\", …")');
  const text = header.slice(scheme[0].length);
  const params: Array<[string, string]> = [];
  let realm: string | undefined;
  let at = 0;
  const skip = (pattern: RegExp) => {
    while (at < text.length && pattern.test(text[at] as string)) at++;
  };
  while (true) {
    skip(SEPARATOR);
    if (at >= text.length) break;
    const nameStart = at;
    while (at < text.length && !NAME_END.test(text[at] as string)) at++;
    const rawName = text.slice(nameStart, at);
    skip(SPACE);
    if (rawName === '' || text[at] !== '=')
      throw invalid(`expected name="value" at character ${nameStart + scheme[0].length}`);
    at++;
    skip(SPACE);
    let rawValue = '';
    if (text[at] === '"') {
      at++;
      // Slices between escapes, not a string grown a character at a time.
      let from = at;
      while (at < text.length && text[at] !== '"') {
        if (text[at] === '\\') {
          rawValue += text.slice(from, at);
          from = ++at;
        }
        at++;
      }
      rawValue += text.slice(from, at);
      if (text[at] !== '"') throw invalid(`the value of ${nameForError(rawName)} has no closing quote`);
      at++;
    } else {
      const valueStart = at;
      while (at < text.length && !SEPARATOR.test(text[at] as string)) at++;
      rawValue = text.slice(valueStart, at);
    }
    const name = decodeComponent(rawName, 'a parameter name');
    if (name === 'realm') realm = rawValue;
    else params.push([name, decodeComponent(rawValue, `the value of ${nameForError(name)}`)]);
  }
  return { realm, params };
}
