import type { SignedRequest } from './sign.ts';

// Which signing each response of the fetch wrapper answered, and the body sent with a
// signing (explain() needs it to tell unsigned body parameters from other extras when the
// OAuth parameters went in the header). Kept on the objects themselves, under symbols:
// JSON skips them, and util.inspect of a Response or of a signing does not show them. A
// WeakMap with a fresh key per request measured about 1 µs a set here, its entries weighing
// on every garbage collection, and Object.defineProperty about 0.5 µs more than assigning,
// between requests. Objects that cannot take a property (frozen ones) fall back to a WeakMap.
const SIGNING = Symbol.for('countersign.signing');
const SENT_BODY = Symbol.for('countersign.sentBody');
const fallback = new WeakMap<object, Record<symbol, unknown>>();

function attach(target: object, key: symbol, value: unknown): void {
  if (Object.isExtensible(target)) (target as Record<symbol, unknown>)[key] = value;
  else fallback.set(target, { ...fallback.get(target), [key]: value });
}

function attached(target: object, key: symbol): unknown {
  return (target as Record<symbol, unknown>)[key] ?? fallback.get(target)?.[key];
}

/** A request body as sent, for explaining (never printed: it may hold a password). */
export interface SentBody {
  /** A form body's text; any other body as `''` (that there was one is what counts). */
  readonly body: string | undefined;
  readonly contentType: string | undefined;
}

/** Records which signing a response answered (the fetch wrapper does, for every hop it signs). */
export function rememberSigning(response: Response, signed: SignedRequest, sent?: SentBody | (() => SentBody)): void {
  attach(response, SIGNING, signed);
  if (sent !== undefined) attach(signed, SENT_BODY, sent);
}

/** The body sent with a signing, when the sender recorded it. */
export function sentBodyOf(signed: SignedRequest): SentBody | undefined {
  const sent = attached(signed, SENT_BODY) as SentBody | (() => SentBody) | undefined;
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
  attach(signed, SENT_BODY, sent);
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
  return attached(response, SIGNING) as SignedRequest | undefined;
}
