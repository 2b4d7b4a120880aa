import { baseStringUri, byNameThenValue, type EncodedParameter } from './base-string.ts';
import { parseFormEncoded, percentEncode } from './encode.ts';
import { CountersignError } from './errors.ts';
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

/**
 * Parses the request URL as fetch will send it: absolute, http or https, no user info
 * (fetch refuses it and axios swaps our header for Basic auth when it is there).
 */
export function parseRequestUrl(input: unknown): URL {
  let url: URL;
  if (input instanceof URL) url = input;
  else if (typeof input === 'string') {
    try {
      url = new URL(input);
    } catch {
      throw new CountersignError(
        'invalid_url',
        `url: expected an absolute http(s) URL such as https://api.example.com/1.1/resource; got ${JSON.stringify(redactUrl(input))}. Resolve relative URLs against your base URL first.`,
      );
    }
  } else {
    throw new CountersignError('invalid_url', `url: expected a string or URL; got ${typeof input}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CountersignError(
      'invalid_url',
      `url: OAuth 1.0a signs http and https requests; got a ${url.protocol} URL.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new CountersignError(
      'invalid_url',
      'url: remove the user:password@ part. The OAuth Authorization header replaces it, and HTTP clients drop one or the other.',
    );
  }
  return url;
}

/** What signing needs from a URL, computed once per URL string. */
export interface RequestTarget {
  /** RFC 5849 §3.4.1.2 base string URI. */
  readonly baseUri: string;
  /** The base string URI, percent-encoded once more for the base string. */
  readonly encodedBaseUri: string;
  /** The URL to send: as parsed by WHATWG URL (what fetch sends), without the fragment. */
  readonly url: string;
  /** The query's pairs, each name and value re-encoded, sorted. Shared: never mutate. */
  readonly query: EncodedParameter[];
  /** Whether the URL has a non-empty query (even one with no pairs, such as `?&`). */
  readonly hasQuery: boolean;
  /** Whether a query parameter is a password or secret. */
  readonly sensitive: boolean;
}

// API clients call the same few endpoints over and over; parsing, encoding and sorting a
// URL's query is the same work each time. Strings only: URL objects can change.
const targets = new Map<string, RequestTarget>();
const MAX_TARGETS = 256;

/** Parses and checks a request URL, reusing the work for a URL string seen recently. */
export function requestTarget(input: string | URL): RequestTarget {
  if (typeof input === 'string') {
    const cached = targets.get(input);
    if (cached !== undefined) return cached;
  }
  const url = parseRequestUrl(input);
  const hasQuery = url.search.length > 1;
  const query = hasQuery ? parseFormEncoded(url.search.slice(1)) : [];
  const sensitive = checkUserPairs(query, 'URL query');
  const baseUri = baseStringUri(url);
  const target: RequestTarget = {
    baseUri,
    encodedBaseUri: percentEncode(baseUri),
    url: url.hash === '' ? url.href : url.href.slice(0, url.href.length - url.hash.length),
    query: query.sort(byNameThenValue),
    hasQuery,
    sensitive,
  };
  if (typeof input === 'string') {
    if (targets.size >= MAX_TARGETS) targets.delete(targets.keys().next().value as string);
    targets.set(input, target);
  }
  return target;
}
