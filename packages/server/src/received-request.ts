import { isCountersignError, isFormContentType, parseAuthorizationHeader } from '@countersign/core';
import { ServerError } from './errors.ts';
import { checkedAbsoluteUrl } from './request-target.ts';
import { countFormPairs, MalformedEscape, NotUtf8, parseStrictForm, wellFormed } from './strict-form.ts';

/** A received request, as the server saw it. */
export interface ReceivedRequest {
  readonly method: string;
  /**
   * The absolute URL the client used (scheme and host as the client saw them, before any
   * proxy). Given as text, its path must be the one a router sees: one a URL parser would
   * rewrite (`/\\x`, dot segments, `//x`) is refused with `invalid_request`.
   */
  readonly url: string | URL;
  /** The Authorization header value, if any. */
  readonly authorization?: string | null;
  /** The exact body bytes received (text is read as UTF-8). */
  readonly body?: string | Uint8Array | ArrayBuffer | URLSearchParams | null;
  readonly contentType?: string | null;
  /**
   * The Host header, when the URL's host came from elsewhere (the `origin` option): read
   * only to name a mismatch in the advice of a refusal, never to verify. @default undefined
   */
  readonly host?: string | null;
}

/** Where each parameter of a request came from, decoded (RFC 5849 §3.4.1.3.1). */
export interface ReceivedParameters {
  readonly method: string;
  readonly url: URL;
  readonly header: ReadonlyArray<readonly [string, string]>;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly body: ReadonlyArray<readonly [string, string]>;
  /** The body's bytes when it is not a form (for `oauth_body_hash`), else undefined. */
  readonly bodyBytes: Uint8Array | undefined;
  /** The form body's text as received, when there is one (the diagnosis reads it raw). */
  readonly formText: string | undefined;
  readonly formBody: boolean;
  /**
   * Set when the parameters cannot be read (an Authorization header that does not parse,
   * escapes that are not UTF-8, more parameters than allowed): the reason, quoting nothing.
   * Nothing else is parsed then, and the fields above are empty.
   */
  readonly problem: string | undefined;
  /** The same as `problem`, under its former name. @deprecated read `problem` */
  readonly headerProblem: string | undefined;
}

/** Limits on what is read from a request. */
export interface ReceivedLimits {
  /** The most parameters (header, query and form body together). @default 1000 */
  readonly maxParameters?: number;
}

/**
 * The default `maxParameters`: an LTI launch carries about 60, an API call a few dozen. A
 * request with more is refused before any of it is decoded.
 * @example
 * ```ts
 * verifyRequest(request, { lookupConsumer, nonceStore, maxParameters: 4 * DEFAULT_MAX_PARAMETERS });
 * ```
 */
export const DEFAULT_MAX_PARAMETERS = 1000;

// RFC 9110's token, less `&`: the base string starts with the method unencoded, and a method
// holding `&` splits it into more than its three parts, which defeated password redaction.
// No registered method has one; fetch accepts any token.
const METHOD_TOKEN = /^[!#$%'*+\-.^_`|~0-9A-Za-z]+$/;
const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function requestUrl(input: unknown): URL {
  let url: URL | undefined;
  if (input instanceof URL) url = input;
  else if (typeof input === 'string') url = checkedAbsoluteUrl(input);
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ServerError(
      'invalid_request',
      'request.url: expected the absolute http(s) URL the client used, such as https://api.example.com/resource.',
    );
  }
  return url;
}

function bodyBytesOf(body: ReceivedRequest['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body === '' ? undefined : encoder.encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body instanceof Uint8Array) return body;
  throw new ServerError(
    'invalid_option',
    'request.body: expected a string, Uint8Array, ArrayBuffer or URLSearchParams.',
  );
}

function formText(body: ReceivedRequest['body']): string {
  if (typeof body === 'string') {
    if (!wellFormed(body)) throw new NotUtf8();
    return body;
  }
  if (body instanceof URLSearchParams) return body.toString();
  const bytes = bodyBytesOf(body);
  if (bytes === undefined) return '';
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new NotUtf8();
  }
}

// Header parameters are name="value" items: their `=` signs bound how many there are.
function countEquals(text: string, stopAfter: number): number {
  let count = 0;
  for (let at = text.indexOf('='); at !== -1 && count <= stopAfter; at = text.indexOf('=', at + 1)) count++;
  return count;
}

function unreadable(method: string, url: URL, problem: string, formBody: boolean): ReceivedParameters {
  return {
    method,
    url,
    header: [],
    query: [],
    body: [],
    bodyBytes: undefined,
    formText: undefined,
    formBody,
    problem,
    headerProblem: problem,
  };
}

/**
 * Splits a received request into its parameters by origin (the Authorization header, the
 * query, a form body), decoded. Parameters that cannot be read as the client meant them
 * (escapes that are not UTF-8, an Authorization header that does not parse, more than
 * `maxParameters`) are reported in `problem`, counted before anything is decoded; throws
 * only for a malformed call or a request URL that a router and a parser would read apart.
 *
 * @example
 * ```ts
 * const { query, body } = receivedParameters({ method: 'POST', url: 'https://api.example.com/r?a=1', body: 'b=2', contentType: 'application/x-www-form-urlencoded' });
 * // query: [['a', '1']], body: [['b', '2']]
 * ```
 */
export function receivedParameters(request: ReceivedRequest, limits: ReceivedLimits = {}): ReceivedParameters {
  if (typeof request !== 'object' || request === null) {
    throw new ServerError(
      'invalid_option',
      'verifyRequest: expected a request object ({ method, url, authorization, body, contentType }).',
    );
  }
  if (typeof request.method !== 'string' || !METHOD_TOKEN.test(request.method)) {
    throw new ServerError('invalid_request', 'request.method: expected an HTTP method such as "GET" or "POST".');
  }
  const method = request.method.toUpperCase();
  const url = requestUrl(request.url);
  const maxParameters = limits.maxParameters ?? DEFAULT_MAX_PARAMETERS;
  const formBody = request.body instanceof URLSearchParams || isFormContentType(request.contentType ?? undefined);
  const authorization = request.authorization;
  const oauthHeader = typeof authorization === 'string' && /^\s*OAuth(?:\s|$)/i.test(authorization);
  const queryText = url.search.length > 1 ? url.search.slice(1) : '';
  let text = '';
  try {
    text = formBody ? formText(request.body) : '';
  } catch (error) {
    if (!(error instanceof NotUtf8)) throw error;
    return unreadable(method, url, 'The form body is not valid UTF-8: send its text as UTF-8 (RFC 5849 §3.6).', true);
  }
  // Counted before anything is decoded: a request with a hundred thousand parameters costs
  // one scan for the separators, not a hundred thousand decodings.
  let count = countFormPairs(queryText, maxParameters);
  if (count <= maxParameters) count += countFormPairs(text, maxParameters - count);
  if (count <= maxParameters && oauthHeader) count += countEquals(authorization, maxParameters - count);
  if (count > maxParameters) {
    return unreadable(
      method,
      url,
      `The request has more than ${maxParameters} parameters (header, query and form body together): send fewer.`,
      formBody && text !== '',
    );
  }
  let header: ReadonlyArray<readonly [string, string]> = [];
  // Only a caller passing its own string can send a lone surrogate (HTTP headers are bytes):
  // a refusal, not core's encoding error thrown from the middle of the verifier.
  if (oauthHeader && !wellFormed(authorization)) {
    return unreadable(
      method,
      url,
      'The Authorization header is not well-formed text (a lone UTF-16 surrogate).',
      formBody && text !== '',
    );
  }
  if (oauthHeader) {
    try {
      header = parseAuthorizationHeader(authorization).params;
    } catch (error) {
      if (!isCountersignError(error)) throw error;
      return unreadable(method, url, error.message, formBody && text !== '');
    }
  }
  let query: ReadonlyArray<readonly [string, string]>;
  let body: ReadonlyArray<readonly [string, string]> = [];
  try {
    query = queryText === '' ? [] : parseStrictForm(queryText);
    if (text !== '') body = parseStrictForm(text);
  } catch (error) {
    if (error instanceof MalformedEscape) {
      return unreadable(
        method,
        url,
        'A query or form parameter has a % not followed by two hex digits: send a literal % as %25 (RFC 3986 §2.1).',
        formBody && text !== '',
      );
    }
    if (!(error instanceof NotUtf8)) throw error;
    return unreadable(
      method,
      url,
      'A query or form parameter has percent-escapes that are not UTF-8: encode names and values as UTF-8 before percent-encoding (RFC 5849 §3.6).',
      formBody && text !== '',
    );
  }
  // Form text is parsed as it is; only other bodies need their bytes (for oauth_body_hash).
  const hasForm = formBody && text !== '';
  return {
    method,
    url,
    header,
    query,
    body,
    bodyBytes: formBody ? undefined : bodyBytesOf(request.body),
    formText: hasForm ? text : undefined,
    formBody: hasForm,
    problem: undefined,
    headerProblem: undefined,
  };
}
