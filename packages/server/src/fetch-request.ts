import { ServerError } from './errors.ts';
import { checkDeclaredLength, maxBodyBytes, readWebBody } from './read-body.ts';
import { checkHost, checkOrigin, checkRequestTarget, hostOf, urlOnOrigin } from './request-target.ts';
import { type VerifyOptions, type VerifyResult, verifyRequest } from './verify.ts';

/** Options of the request adapters: the verifier's, plus how much body to read. */
export interface AdapterOptions extends VerifyOptions {
  /**
   * The largest body read, in bytes. A larger one is refused (`body_too_large`, 413) while
   * reading, before any verification work. @default 1048576
   */
  readonly maxBodyBytes?: number;
}

export interface FetchRequestOptions extends AdapterOptions {
  /**
   * The scheme and host the client used, such as `https://api.example.com`, when the
   * runtime sees another (behind a proxy or TLS terminator): the only way to change them.
   * The path and query stay those of `request.url`, the ones the app routes on.
   * `X-Forwarded-*` headers are never read. @default the origin of request.url
   */
  readonly origin?: string;
}

/** What an adapter found: the verdict, and the body it read to reach it. */
export interface AdapterResult {
  readonly result: VerifyResult;
  /** The body bytes received (empty when there was none). */
  readonly body: Uint8Array;
}

/**
 * Verifies a Fetch API `Request` (Hono's `c.req.raw`, Cloudflare Workers, Deno, Bun, msw
 * handlers). The body is read from a clone, within `maxBodyBytes`, so the request itself
 * stays readable for the application.
 *
 * @example
 * ```ts
 * const { result } = await verifyFetchRequest(c.req.raw, { lookupConsumer, nonceStore });
 * if (!result.ok) {
 *   const { status, headers, body } = problemResponse(result);
 *   return new Response(body, { status, headers });
 * }
 * ```
 */
export async function verifyFetchRequest(request: Request, options: FetchRequestOptions): Promise<AdapterResult> {
  if (!isFetchRequest(request)) {
    throw new ServerError('invalid_option', 'verifyFetchRequest: expected a Fetch API Request.');
  }
  if ('url' in options) {
    throw new ServerError(
      'invalid_option',
      'verifyFetchRequest: the url option is gone; pass origin (scheme and host) and the path stays the one the app routes on.',
    );
  }
  const url = fetchRequestUrl(request, options.origin);
  const limit = maxBodyBytes(options);
  checkDeclaredLength(request.headers.get('content-length'), limit);
  const body = request.body === null ? new Uint8Array() : await readWebBody(request.clone().body, limit);
  const result = await verifyRequest(
    {
      method: request.method,
      url,
      authorization: request.headers.get('authorization'),
      body,
      contentType: request.headers.get('content-type'),
      ...(options.origin === undefined ? {} : { host: request.headers.get('host') }),
    },
    options,
  );
  return { result, body };
}

// By shape rather than instanceof: Next.js hands route handlers a NextRequest built on its
// own copy of the Request class, and other runtimes do likewise.
function isFetchRequest(value: unknown): value is Request {
  const request = value as Partial<Request> | null;
  return (
    typeof request === 'object' &&
    request !== null &&
    typeof request.url === 'string' &&
    typeof request.method === 'string' &&
    typeof request.headers?.get === 'function' &&
    typeof request.clone === 'function'
  );
}

/**
 * The URL a Fetch `Request` was addressed to: its path and query as the runtime parsed them
 * (the ones the app routes on), on `origin` when given. Without it, a Host header that
 * names another host than the URL (an absolute-form target some runtimes accept) is refused.
 */
function fetchRequestUrl(request: Request, origin: string | undefined): URL {
  const parsed = new URL(request.url);
  const target = parsed.pathname + parsed.search;
  checkRequestTarget(target);
  if (origin !== undefined) return urlOnOrigin(checkOrigin(origin), target);
  const host = request.headers.get('host');
  if (host !== null && hostOf(parsed.protocol, checkHost(host)) !== parsed.host) {
    throw new ServerError('invalid_request', 'The request URL names another host than the Host header.');
  }
  return parsed;
}
