/**
 * Why the server half could not decide about a request. A refusal of the request itself
 * is not an error (see `RejectedRequest`); these mean the verifier cannot vouch for
 * anything, so every adapter answers them with a 4xx/5xx and never lets the request in.
 */
export type ServerErrorCode =
  /** An option is missing or has the wrong type; the message says which. */
  | 'invalid_option'
  /** The memory nonce store holds its maximum of live nonces: new requests are refused until some expire. */
  | 'nonce_store_full'
  /** The nonce store could not be asked (Redis down, timed out): replays cannot be ruled out. */
  | 'nonce_store_unavailable'
  /** The body is larger than `maxBodyBytes`; it was not read further. */
  | 'body_too_large'
  /** The request target (method, URL or Host) cannot be turned into the URL the client signed. */
  | 'invalid_request';

const BRAND = Symbol.for('countersign.server-error');

/**
 * The one error class of `@countersign/server`. Messages never quote a header, a body or
 * a secret.
 *
 * @example
 * ```ts
 * try {
 *   await verifyRequest(request, options);
 * } catch (error) {
 *   if (isServerError(error) && error.code === 'nonce_store_unavailable') reply(503);
 * }
 * ```
 */
export class ServerError extends Error {
  override name = 'ServerError';
  readonly code: ServerErrorCode;
  /** The HTTP status an adapter answers with. */
  readonly status: number;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
    Object.defineProperty(this, BRAND, { value: true });
  }
}

const STATUS: Record<ServerErrorCode, number> = {
  invalid_option: 500,
  nonce_store_full: 503,
  nonce_store_unavailable: 503,
  body_too_large: 413,
  invalid_request: 400,
};

/**
 * True for a {@link ServerError}, also one from another copy of the package.
 *
 * @example
 * ```ts
 * if (isServerError(error)) response.status(error.status);
 * ```
 */
export function isServerError(value: unknown): value is ServerError {
  if (value instanceof ServerError) return true;
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
