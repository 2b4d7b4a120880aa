import type { SignedRequest } from './sign.ts';

// Which signing each response of the fetch wrapper answered. A WeakMap, so a response and
// its signing are forgotten together; kept apart from OAuthError so the wrapper stays small.
const signings = new WeakMap<Response, SignedRequest>();

/** Records which signing a response answered (the fetch wrapper does, for every hop it signs). */
export function rememberSigning(response: Response, signed: SignedRequest): void {
  signings.set(response, signed);
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
