import { ServerError } from './errors.ts';
import { checkDeclaredLength, maxBodyBytes, readWebBody } from './read-body.ts';
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
   * The URL the client signed, when it differs from `request.url` (behind a proxy that
   * rewrites scheme or host). @default request.url
   */
  readonly url?: string | URL;
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
  if (!(request instanceof Request)) {
    throw new ServerError('invalid_option', 'verifyFetchRequest: expected a Fetch API Request.');
  }
  const limit = maxBodyBytes(options);
  checkDeclaredLength(request.headers.get('content-length'), limit);
  const body = request.body === null ? new Uint8Array() : await readWebBody(request.clone().body, limit);
  const result = await verifyRequest(
    {
      method: request.method,
      url: options.url ?? request.url,
      authorization: request.headers.get('authorization'),
      body,
      contentType: request.headers.get('content-type'),
    },
    options,
  );
  return { result, body };
}
