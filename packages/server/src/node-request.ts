import { ServerError } from './errors.ts';
import type { AdapterOptions, AdapterResult } from './fetch-request.ts';
import { checkDeclaredLength, maxBodyBytes, type NodeBodyStream, readNodeBody } from './read-body.ts';
import { checkHost, checkOrigin, checkRequestTarget, urlOnOrigin } from './request-target.ts';
import { verifyRequest } from './verify.ts';

/** The parts of a Node `IncomingMessage` (or an Express request) the adapter reads. */
export interface NodeRequest extends NodeBodyStream {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /**
   * Express's copy of the request target as the client sent it: `req.url` is shortened
   * under `app.use('/prefix', …)`, this is not. Read first when present.
   */
  readonly originalUrl?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** node:tls sockets say `encrypted: true`. */
  readonly socket?: object | null;
}

export interface NodeRequestOptions extends AdapterOptions {
  /**
   * The scheme and host the client used, such as `https://api.example.com`: the only way to
   * change them. Set it behind a proxy or TLS terminator; `X-Forwarded-*` headers are never
   * read (a client can send them). @default `http(s)://` (from the socket) and the Host header
   */
  readonly origin?: string;
  /**
   * The request target as the client sent it (path and query), when a framework has
   * shortened `req.url` under a mount point and keeps the original elsewhere: Koa's
   * `ctx.originalUrl` under koa-mount. @default request.originalUrl ?? request.url
   */
  readonly requestTarget?: string;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The absolute URL a Node request was sent to: its request target as the client sent it
 * (`req.originalUrl` under an Express mount point, else `req.url`), on the given origin or
 * on the Host header. The target is taken as text and refused with `invalid_request` (400)
 * when a URL parser would read it differently from a router (`/\\other.host/x`, dot segments
 * in any encoding, `//x`, a fragment), as are other forms (`OPTIONS *`, `GET http://other/…`)
 * and a missing or malformed Host.
 *
 * @example
 * ```ts
 * nodeRequestUrl({ url: '/lti/launch?x=1', headers: { host: 'tool.example.com' } }).href;
 * // 'http://tool.example.com/lti/launch?x=1'
 * ```
 */
export function nodeRequestUrl(
  request: Pick<NodeRequest, 'url' | 'originalUrl' | 'headers' | 'socket'>,
  origin?: string,
  requestTarget?: string,
): URL {
  const target = requestTarget ?? request.originalUrl ?? request.url ?? '';
  checkRequestTarget(target);
  let base: string;
  if (origin === undefined) {
    const host = checkHost(single(request.headers.host));
    const encrypted = (request.socket as { encrypted?: unknown } | null | undefined)?.encrypted === true;
    base = `${encrypted ? 'https' : 'http'}://${host}`;
  } else base = checkOrigin(origin);
  return urlOnOrigin(base, target);
}

/**
 * Reads a Node request's body within a limit: a declared Content-Length over it is refused
 * before reading, and a body that grows past it is refused while reading (`body_too_large`,
 * 413), with the rest left to drain unread. For servers that route on the body before verifying.
 *
 * @example
 * ```ts
 * const body = await readNodeRequestBody(req, { maxBodyBytes: 64 * 1024 });
 * ```
 */
export async function readNodeRequestBody(
  request: NodeRequest,
  options: { maxBodyBytes?: number } = {},
): Promise<Uint8Array> {
  const limit = maxBodyBytes(options);
  checkDeclaredLength(single(request.headers['content-length']), limit);
  // A body parser that ran first has consumed the stream: use the raw bytes it kept, or say so
  // (waiting for a stream that already ended would hang the request).
  const consumed = request as { readableEnded?: boolean; rawBody?: unknown };
  if (consumed.readableEnded === true) {
    if (consumed.rawBody instanceof Uint8Array) return consumed.rawBody;
    throw new ServerError(
      'invalid_option',
      'The request body was already read by something else (a body parser mounted first): mount the OAuth middleware before body parsers, or keep the raw bytes in req.rawBody.',
    );
  }
  return readNodeBody(request, limit);
}

/**
 * Verifies a Node `IncomingMessage` (node:http, Express, Fastify's `request.raw`): reads
 * its body within `maxBodyBytes` (refusing a larger one while reading, before any
 * verification work) and verifies it. The body is returned, since the stream is consumed.
 *
 * @example
 * ```ts
 * createServer(async (req, res) => {
 *   const { result, body } = await verifyNodeRequest(req, { lookupConsumer, nonceStore, origin: 'https://lti.example.com' });
 *   …
 * });
 * ```
 */
export async function verifyNodeRequest(request: NodeRequest, options: NodeRequestOptions): Promise<AdapterResult> {
  const url = nodeRequestUrl(request, options.origin, options.requestTarget);
  const body = await readNodeRequestBody(request, options);
  const result = await verifyRequest(
    {
      method: request.method ?? 'GET',
      url,
      authorization: single(request.headers.authorization),
      body,
      contentType: single(request.headers['content-type']),
      ...(options.origin === undefined ? {} : { host: single(request.headers.host) }),
    },
    options,
  );
  return { result, body };
}
