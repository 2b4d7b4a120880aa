import { ServerError } from './errors.ts';

/**
 * The default `maxBodyBytes`: enough for any form or JSON an OAuth 1.0a API signs.
 * @example
 * ```ts
 * verifyNodeRequest(req, { lookupConsumer, nonceStore, maxBodyBytes: 4 * DEFAULT_MAX_BODY_BYTES });
 * ```
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The body limit an adapter's options ask for, checked. */
export function maxBodyBytes(options: { readonly maxBodyBytes?: number }): number {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new ServerError('invalid_option', 'maxBodyBytes must be a whole number of bytes.');
  }
  return limit;
}

function tooLarge(limit: number): ServerError {
  return new ServerError('body_too_large', `The request body is larger than ${limit} bytes (maxBodyBytes).`);
}

/** Checks a declared Content-Length before anything is read. */
export function checkDeclaredLength(contentLength: string | null | undefined, limit: number): void {
  if (contentLength === null || contentLength === undefined || contentLength === '') return;
  const declared = /^\d+$/.test(contentLength) ? Number(contentLength) : Number.NaN;
  if (Number.isNaN(declared)) throw new ServerError('invalid_request', 'The Content-Length header is not a number.');
  if (declared > limit) throw tooLarge(limit);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** Reads a web stream into bytes, stopping (and cancelling it) as soon as it passes the limit. */
export async function readWebBody(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (stream === null) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Not awaited: a branch of a teed (cloned) body settles its cancel only once the other branch is cancelled too.
      reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

/** The events of a Node readable request this module listens to. */
export interface NodeBodyStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event: 'data' | 'end'): unknown;
  resume(): unknown;
}

/**
 * Reads a Node request body into bytes. Past the limit it stops keeping chunks, lets the
 * rest drain unread and rejects, so an answer (413) can still be sent.
 */
export function readNodeBody(stream: NodeBodyStream, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    stream.on('data', (chunk) => {
      total += chunk.byteLength;
      if (total > limit) {
        stream.removeAllListeners('data');
        stream.removeAllListeners('end');
        stream.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(concat(chunks, total)));
    stream.on('error', reject);
  });
}
