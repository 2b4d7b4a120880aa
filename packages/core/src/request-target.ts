import { type EncodedParameter, sortParameters } from './base-string.ts';
import { parseFormEncoded, percentEncode } from './encode.ts';
import { CountersignError } from './errors.ts';
import { isNormalizedHttpUrl } from './normalized-url.ts';
import { checkUserPairs } from './protocol-params.ts';
import { redactUrl } from './redact.ts';

// RFC 9110 §5.6.2 token characters: what an HTTP method may be made of.
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 5849 §3.4.1.1: the method in uppercase, after checking it is an HTTP token. */
const COMMON_METHODS = new Map(
  ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].flatMap((name) => [
    [name, name],
    [name.toLowerCase(), name],
  ]),
);

export function normalizeMethod(method: unknown): string {
  const common = typeof method === 'string' ? COMMON_METHODS.get(method) : undefined;
  if (common !== undefined) return common;
  if (typeof method !== 'string' || !METHOD_TOKEN.test(method)) {
    throw new CountersignError(
      'invalid_option',
      `method: expected an HTTP method such as "GET" or "POST"; got ${typeof method === 'string' ? JSON.stringify(method) : typeof method}.`,
    );
  }
  return method.toUpperCase();
}

/** What signing needs from a URL, computed once per URL string. */
export interface RequestTarget {
  /** RFC 5849 §3.4.1.2 base string URI. */
  readonly baseUri: string;
  /** The base string URI, percent-encoded once more for the base string. */
  readonly encodedBaseUri: string;
  /** The URL to send: as parsed by WHATWG URL (what fetch sends), without the fragment (an empty one included). */
  readonly url: string;
  /** `scheme://host[:port]`: whose clock a correction learned from an answer belongs to. */
  readonly origin: string;
  /** Whether the URL is https (PLAINTEXT needs it). */
  readonly secure: boolean;
  /** The query's pairs, each name and value re-encoded, sorted. Shared: never mutate. */
  readonly query: EncodedParameter[];
  /** The query as sent, without its `?` (empty when there is none). */
  readonly queryText: string;
  /** Whether the URL has a non-empty query (even one with no pairs, such as `?&`). */
  readonly hasQuery: boolean;
  /** Whether a query parameter is a password or secret. */
  readonly sensitive: boolean;
}

function invalidUrl(message: string): CountersignError {
  return new CountersignError('invalid_url', message);
}

/**
 * The URL as fetch will send it (WHATWG URL's `href`): absolute, http or https, no user info
 * (fetch refuses it and axios swaps our header for Basic auth when it is there).
 */
function parsedHref(input: unknown): string {
  let href: string;
  if (input instanceof URL) href = input.href;
  else if (typeof input === 'string') {
    if (isNormalizedHttpUrl(input)) return input;
    try {
      href = new URL(input).href;
    } catch {
      throw invalidUrl(
        `url: expected an absolute http(s) URL such as https://api.example.com/1.1/resource; got ${JSON.stringify(redactUrl(input))}. Resolve relative URLs against your base URL first.`,
      );
    }
  } else {
    throw invalidUrl(`url: expected a string or URL; got ${typeof input}.`);
  }
  if (!href.startsWith('https://') && !href.startsWith('http://')) {
    throw invalidUrl(
      `url: OAuth 1.0a signs http and https requests; got a ${href.slice(0, href.indexOf(':') + 1)} URL.`,
    );
  }
  return href;
}

// What encodeURIComponent leaves unescaped and RFC 3986 does not (RFC 5849 §3.6).
const LEFT_BY_ENCODE_URI_COMPONENT = /[!'()*]/;

/**
 * The base URI encoded once more. An href is ASCII and its `:` and `/` all need escaping:
 * the engine's encodeURIComponent writes the result in one piece, where the table walk of
 * {@link percentEncode} joined a slice per escape (measured 20% slower, and 5 times the garbage).
 */
function encodeBaseUri(baseUri: string): string {
  const encoded = encodeURIComponent(baseUri);
  return LEFT_BY_ENCODE_URI_COMPONENT.test(encoded) ? percentEncode(baseUri) : encoded;
}

/**
 * Parse the target: the signing step that reads the URL. Everything is cut from the one
 * `href` string: each other getter of a WHATWG URL measured about 0.2 µs on Node 20, as much
 * as the parse itself. An http(s) href is `scheme://[userinfo@]host[:port]/path[?query][#fragment]`
 * with `/`, `?` and `#` escaped everywhere else, so searching for them finds the parts.
 */
export function parseTarget(input: string | URL): RequestTarget {
  const href = parsedHref(input);
  const authority = href.charCodeAt(4) === 115 ? 8 : 7;
  const pathStart = href.indexOf('/', authority);
  if (href.lastIndexOf('@', pathStart) >= authority) {
    throw invalidUrl(
      'url: remove the user:password@ part. The OAuth Authorization header replaces it, and HTTP clients drop one or the other.',
    );
  }
  const hash = href.indexOf('#', pathStart);
  const end = hash === -1 ? href.length : hash;
  const question = href.indexOf('?', pathStart);
  const queryStart = question === -1 || question > end ? end : question;
  const baseUri = href.slice(0, queryStart);
  const queryText = queryStart + 1 < end ? href.slice(queryStart + 1, end) : '';
  const query = queryText === '' ? [] : parseFormEncoded(queryText);
  const sensitive = checkUserPairs(query, 'URL query');
  return {
    baseUri,
    encodedBaseUri: encodeBaseUri(baseUri),
    url: end === href.length ? href : href.slice(0, end),
    origin: href.slice(0, pathStart),
    secure: authority === 8,
    query: sortParameters(query),
    queryText,
    hasQuery: queryText !== '',
    sensitive,
  };
}

// API clients call the same few endpoints over and over, and the fetch wrapper reads a URL
// just before the signer does: the last few targets are kept, in slots compared by `===`.
// A Map emptied from its front kept each of 256 entries alive for hundreds of requests: with
// 2,000 distinct URLs in turn the garbage collector then spent more copying them than the
// parsing saved, and hashing each fresh URL string to look it up cost more than comparing
// it with a few (measured). Strings only: URL objects can change.
const SLOTS = 4;
const keys: Array<string | undefined> = new Array(SLOTS).fill(undefined);
const targets: Array<RequestTarget | undefined> = new Array(SLOTS).fill(undefined);
let next = 0;

function remember(key: string, target: RequestTarget): void {
  keys[next] = key;
  targets[next] = target;
  next = (next + 1) % SLOTS;
}

/** {@link parseTarget}, reusing the work for a URL string seen just before. */
export function requestTarget(input: string | URL): RequestTarget {
  if (typeof input !== 'string') return parseTarget(input);
  for (let i = 0; i < SLOTS; i++) if (keys[i] === input) return targets[i] as RequestTarget;
  const target = parseTarget(input);
  remember(input, target);
  if (target.url !== input) remember(target.url, target);
  return target;
}
