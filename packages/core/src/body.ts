import { CountersignError } from './errors.ts';

/** The exact bytes a request sends, in a form Countersign can read synchronously. */
export type SignableBody = string | URLSearchParams | ArrayBuffer | ArrayBufferView | null | undefined;

/** What the signature needs from a body. */
export type ReadBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'form'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: () => Uint8Array };

const NONE: ReadBody = { kind: 'none' };
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
const encoder = new TextEncoder();
let lastContentType: string | undefined;
let lastWasForm = false;
const decoder = new TextDecoder();

/**
 * RFC 5849 §3.4.1.3.1: body parameters count only for a single-part form body. The media
 * type is case-insensitive and its parameters (`;charset=utf-8`) do not change that.
 * @example
 * ```ts
 * isFormContentType('Application/X-WWW-Form-Urlencoded; charset=UTF-8'); // true
 * isFormContentType('application/json'); // false
 * ```
 */
export function isFormContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  // Clients send the same Content-Type string request after request.
  if (contentType === lastContentType) return lastWasForm;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim();
  lastContentType = contentType;
  lastWasForm = mediaType.length === FORM_MEDIA_TYPE.length && mediaType.toLowerCase() === FORM_MEDIA_TYPE;
  return lastWasForm;
}

function asBytes(body: ArrayBuffer | ArrayBufferView): Uint8Array {
  return body instanceof ArrayBuffer
    ? new Uint8Array(body)
    : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

/** Classifies a body as form parameters, opaque bytes or nothing, refusing what it cannot read. */
export function readBody(body: unknown, contentType: string | undefined): ReadBody {
  if (body === undefined || body === null || body === '') return NONE;
  if (body instanceof URLSearchParams) {
    if (contentType !== undefined && !isFormContentType(contentType)) {
      throw new CountersignError(
        'unsignable_body',
        `body is URLSearchParams but contentType is ${JSON.stringify(contentType)}: send it as ${FORM_MEDIA_TYPE}, or pass the body as a string.`,
      );
    }
    const text = body.toString();
    return text === '' ? NONE : { kind: 'form', text };
  }
  if (
    contentType === undefined &&
    (typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body))
  ) {
    // Without a type the body could be a form (signed) or anything else (not signed): guessing
    // wrong makes a signature the server refuses, so the caller says which.
    throw new CountersignError(
      'unsignable_body',
      `body is given without contentType: set contentType to ${FORM_MEDIA_TYPE} to sign its parameters, or to the body's real type (application/json, …) to leave it out of the signature.`,
    );
  }
  const form = isFormContentType(contentType);
  if (typeof body === 'string') {
    return form ? { kind: 'form', text: body } : { kind: 'bytes', bytes: () => encoder.encode(body) };
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes = asBytes(body);
    if (bytes.byteLength === 0) return NONE;
    if (!form) return { kind: 'bytes', bytes: () => bytes };
    return { kind: 'form', text: decoder.decode(bytes) };
  }
  const what = Object.prototype.toString.call(body).slice(8, -1);
  throw new CountersignError(
    'unsignable_body',
    form
      ? `body is a ${what} but contentType is ${FORM_MEDIA_TYPE}: serialize it first (new URLSearchParams(object)) so the signed parameters are the ones sent.`
      : `body is a ${what}: pass the exact bytes sent (string, URLSearchParams, ArrayBuffer or typed array). Multipart bodies are not part of an OAuth 1.0a signature, so leave body out for FormData; read Blobs and streams into bytes first.`,
  );
}
