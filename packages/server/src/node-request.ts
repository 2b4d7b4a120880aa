import { ServerError } from './errors.ts';
import type { AdapterOptions, AdapterResult } from './fetch-request.ts';
import { checkDeclaredLength, maxBodyBytes, type NodeBodyStream, readNodeBody } from './read-body.ts';
import { verifyRequest } from './verify.ts';

/** The parts of a Node `IncomingMessage` (or an Express request) the adapter reads. */
export interface NodeRequest extends NodeBodyStream {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** node:tls sockets say `encrypted: true`. */
  readonly socket?: object | null;
}

export interface NodeRequestOptions extends AdapterOptions {
  /**
   * The scheme and host the client used, such as `https://api.example.com`. Set it behind
   * a proxy or TLS terminator. @default `http(s)://` (from the socket) and the Host header
   */
  readonly origin?: string;
}

// RFC 9110 §7.2 Host: a registered name, IPv4 or bracketed IPv6 literal, optional port.
const HOST = /^(?:[A-Za-z0-9\-._~]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The absolute URL a Node request was sent to: its origin-form target (`/path?query`) on
 * the given origin, or on the Host header. Other forms (`OPTIONS *`, `GET http://other/…`)
 * and a missing or malformed Host are refused with `invalid_request` (400).
 *
 * @example
 * ```ts
 * nodeRequestUrl({ url: '/lti/launch?x=1', headers: { host: 'tool.example.com' } }).href;
 * // 'http://tool.example.com/lti/launch?x=1'
 * ```
 */
export function nodeRequestUrl(request: Pick<NodeRequest, 'url' | 'headers' | 'socket'>, origin?: string): URL {
  const target = request.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) {
    throw new ServerError('invalid_request', 'The request target must be a path (origin-form, RFC 9112 §3.2.1).');
  }
  let base = origin;
  if (base === undefined) {
    const host = single(request.headers.host);
    if (host === undefined || !HOST.test(host)) {
      throw new ServerError('invalid_request', 'The Host header is missing or malformed.');
    }
    const encrypted = (request.socket as { encrypted?: unknown } | null | undefined)?.encrypted === true;
    base = `${encrypted ? 'https' : 'http'}://${host}`;
  }
  if (!URL.canParse(target, base)) throw new ServerError('invalid_request', 'The request target is not a valid path.');
  return new URL(target, base);
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
  const url = nodeRequestUrl(request, options.origin);
  const body = await readNodeRequestBody(request, options);
  const result = await verifyRequest(
    {
      method: request.method ?? 'GET',
      url,
      authorization: single(request.headers.authorization),
      body,
      contentType: single(request.headers['content-type']),
    },
    options,
  );
  return { result, body };
}
