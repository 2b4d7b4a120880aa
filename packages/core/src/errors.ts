/**
 * Every code a Countersign error can carry. Argument problems are found before anything
 * is signed or sent; the rest describe what went wrong while signing or parsing.
 */
export type CountersignErrorCode =
  | 'missing_consumer_key'
  | 'missing_private_key'
  | 'invalid_private_key'
  | 'encrypted_private_key'
  | 'unsupported_signature_method'
  | 'signature_method_unavailable'
  | 'signing_failed'
  | 'invalid_url'
  | 'invalid_param'
  | 'invalid_option'
  | 'invalid_timestamp'
  | 'plaintext_over_http'
  | 'unsignable_body'
  | 'unreplayable_body'
  | 'invalid_authorization_header'
  | 'invalid_token_response'
  | 'provider_error'
  | 'access_denied'
  | 'callback_mismatch'
  | 'token_expired';

const BRAND = Symbol.for('countersign.error');

/**
 * The one base class for errors thrown by Countersign. Messages say what to fix and never
 * contain a secret (consumer secret, token secret, private key or any password value).
 *
 * @example
 * ```ts
 * try {
 *   await signer.sign({ method: 'GET', url: '/relative' });
 * } catch (error) {
 *   if (isCountersignError(error) && error.code === 'invalid_url') console.error(error.message);
 * }
 * ```
 */
export class CountersignError extends Error {
  override name = 'CountersignError';
  readonly code: CountersignErrorCode;

  constructor(code: CountersignErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for any Countersign error, also one created by another copy of the library
 * (a second bundle, another realm), where `instanceof` would say no.
 *
 * @example
 * ```ts
 * if (isCountersignError(error)) console.error(error.code);
 * ```
 */
export function isCountersignError(value: unknown): value is CountersignError {
  if (value instanceof CountersignError) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as Record<symbol, unknown>)[BRAND] === true ||
      ((value as Error).name === 'CountersignError' && typeof (value as CountersignError).code === 'string'))
  );
}
