import type { SignedRequest } from './sign.ts';

// Which signing each response of the fetch wrapper answered. A WeakMap, so a response and
// its signing are forgotten together; kept apart from OAuthError so the wrapper stays small.
const signings = new WeakMap<Response, SignedRequest>();
// The body sent with it, which the signing does not hold when the OAuth parameters went in
// the header: explain() needs it to tell unsigned body parameters from other extras.
const sentBodies = new WeakMap<object, SentBody | (() => SentBody)>();

/** A request body as sent, for explaining (never printed: it may hold a password). */
export interface SentBody {
  /** A form body's text; any other body as `''` (that there was one is what counts). */
  readonly body: string | undefined;
  readonly contentType: string | undefined;
}

/** Records which signing a response answered (the fetch wrapper does, for every hop it signs). */
export function rememberSigning(response: Response, signed: SignedRequest, sent?: SentBody | (() => SentBody)): void {
  signings.set(response, signed);
  if (sent !== undefined) sentBodies.set(signed, sent);
}

/** The body sent with a signing, when the sender recorded it. */
export function sentBodyOf(signed: SignedRequest): SentBody | undefined {
  const sent = sentBodies.get(signed);
  return typeof sent === 'function' ? sent() : sent;
}

/**
 * Records the body sent with a signing, for an adapter that sends requests itself (the
 * axios adapter does): `explain()` then tells unsigned body parameters from other extras.
 * @example
 * ```ts
 * rememberSentBody(signed, { body: 'status=hi', contentType: 'application/x-www-form-urlencoded' });
 * ```
 */
export function rememberSentBody(signed: SignedRequest, sent: SentBody): void {
  sentBodies.set(signed, sent);
}

/**
 * The signed request a response from `createOAuthFetch` answered, if it signed one:
 * `throwIfRefused(response)` uses it to compare base strings and explain the refusal.
 * @example
 * ```ts
 * const response = await oauthFetch(url);
 * console.log(signingOf(response)?.baseString);
 * ```
 */
export function signingOf(response: Response): SignedRequest | undefined {
  return signings.get(response);
}
