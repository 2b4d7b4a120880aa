import { isCountersignError, isFormContentType, parseAuthorizationHeader, parseForm } from '@countersign/core';
import { ServerError } from './errors.ts';

/** A received request, as the server saw it. */
export interface ReceivedRequest {
  readonly method: string;
  /** The absolute URL the client used (scheme and host as the client saw them, before any proxy). */
  readonly url: string | URL;
  /** The Authorization header value, if any. */
  readonly authorization?: string | null;
  /** The exact body bytes received (text is read as UTF-8). */
  readonly body?: string | Uint8Array | ArrayBuffer | URLSearchParams | null;
  readonly contentType?: string | null;
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
  readonly formBody: boolean;
  /** Set when the Authorization header could not be parsed: the reason, quoting nothing. */
  readonly headerProblem: string | undefined;
}

const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function requestUrl(input: unknown): URL {
  let url: URL | undefined;
  if (input instanceof URL) url = input;
  else if (typeof input === 'string' && URL.canParse(input)) url = new URL(input);
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
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  const bytes = bodyBytesOf(body);
  return bytes === undefined ? '' : decoder.decode(bytes);
}

/**
 * Splits a received request into its parameters by origin (the Authorization header, the
 * query, a form body), decoded; throws only for a malformed call.
 *
 * @example
 * ```ts
 * const { query, body } = receivedParameters({ method: 'POST', url: 'https://api.example.com/r?a=1', body: 'b=2', contentType: 'application/x-www-form-urlencoded' });
 * // query: [['a', '1']], body: [['b', '2']]
 * ```
 */
export function receivedParameters(request: ReceivedRequest): ReceivedParameters {
  if (typeof request !== 'object' || request === null) {
    throw new ServerError(
      'invalid_option',
      'verifyRequest: expected a request object ({ method, url, authorization, body, contentType }).',
    );
  }
  if (typeof request.method !== 'string' || !METHOD_TOKEN.test(request.method)) {
    throw new ServerError('invalid_request', 'request.method: expected an HTTP method such as "GET" or "POST".');
  }
  const url = requestUrl(request.url);
  let header: ReadonlyArray<readonly [string, string]> = [];
  let headerProblem: string | undefined;
  const authorization = request.authorization;
  if (typeof authorization === 'string' && /^\s*OAuth(?:\s|$)/i.test(authorization)) {
    try {
      header = parseAuthorizationHeader(authorization).params;
    } catch (error) {
      if (!isCountersignError(error)) throw error;
      headerProblem = error.message;
    }
  }
  const query = url.search.length > 1 ? parseForm(url.search.slice(1)) : [];
  const formBody = request.body instanceof URLSearchParams || isFormContentType(request.contentType ?? undefined);
  let body: ReadonlyArray<readonly [string, string]> = [];
  let bodyBytes: Uint8Array | undefined;
  if (formBody) {
    // Form text is parsed as it is; only other bodies need their bytes (for oauth_body_hash).
    const text = formText(request.body);
    if (text !== '') body = parseForm(text);
    return {
      method: request.method.toUpperCase(),
      url,
      header,
      query,
      body,
      bodyBytes,
      formBody: text !== '',
      headerProblem,
    };
  }
  bodyBytes = bodyBytesOf(request.body);
  return { method: request.method.toUpperCase(), url, header, query, body, bodyBytes, formBody: false, headerProblem };
}
