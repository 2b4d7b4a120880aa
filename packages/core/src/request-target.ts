import { CountersignError } from './errors.ts';
import { redactUrl } from './redact.ts';

// RFC 9110 §5.6.2 token characters: what an HTTP method may be made of.
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 5849 §3.4.1.1: the method in uppercase, after checking it is an HTTP token. */
export function normalizeMethod(method: unknown): string {
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
