/**
 * OAuth 1.0a for ky 1 and 2: every attempt signed afresh, after all hooks.
 *
 * @packageDocumentation
 * @module @countersign/ky
 */
import {
  createOAuthFetch,
  type OAuthFetch,
  type OAuthFetchOptions,
  oauthErrorOf,
  type Signer,
  signingOf,
} from '@countersign/core';

/** ky's HTTPError as both majors shape it: ky 2 has read the body into `data`. */
interface HttpErrorLike extends Error {
  readonly response?: unknown;
  readonly data?: unknown;
}

/** A `beforeError` hook for ky 1 (`(error, state)`) and ky 2 (`(state)`) alike. */
type BeforeErrorHook = <E extends Error>(first: E | { readonly error: E }, state?: unknown) => Promise<E>;

/** What to spread into ky's options. */
export interface KyOAuthOptions {
  /** Signs and sends each attempt; ky calls it after every hook, once per attempt. */
  readonly fetch: OAuthFetch;
  /** Puts the `OAuthError` of a refused request on the `HTTPError` as its `cause`. */
  readonly hooks: { readonly beforeError: BeforeErrorHook[] };
}

async function bodyText(error: HttpErrorLike, response: Response): Promise<string> {
  if (typeof error.data === 'string') return error.data;
  if (error.data !== undefined && error.data !== null) return JSON.stringify(error.data);
  return response.bodyUsed ? '' : response.clone().text();
}

/** The refusal as an `OAuthError` with the signing that was sent, on `error.cause`. */
const explainRefusal: BeforeErrorHook = async <E extends Error>(first: E | { readonly error: E }) => {
  const error = first instanceof Error ? first : first.error;
  const response = (error as HttpErrorLike).response;
  if (!(response instanceof Response) || response.ok) return error;
  const body = await bodyText(error as HttpErrorLike, response);
  const refusal = oauthErrorOf(
    { status: response.status, body, wwwAuthenticate: response.headers.get('www-authenticate'), response },
    signingOf(response),
  );
  Object.defineProperty(error, 'cause', { value: refusal, configurable: true, writable: true });
  return error;
};

/**
 * ky options that sign every request with OAuth 1.0a, for ky 1 and ky 2 alike. The
 * signing sits in ky's `fetch` option, which both majors call for every attempt after all
 * hooks have run, so each retry gets a fresh nonce and what is signed is the final
 * `Request`. A refused request throws ky's `HTTPError` as usual, with the `OAuthError`
 * (the provider's problem, both base strings, what `explain({ error: error.cause })` makes
 * of them) as its `cause`. A `fetch` of your own goes in `options.fetch`; with hooks of
 * your own, use `ky.create(yours).extend(kyOAuth(signer))`, which merges them.
 *
 * @example
 * ```ts
 * const api = ky.create({ prefixUrl: 'https://api.x.com/1.1/', ...kyOAuth(createSigner({ consumerKey, consumerSecret, token, tokenSecret })) });
 * await api.post('statuses/update.json', { body: new URLSearchParams({ status: 'Hello' }) });
 * ```
 */
export function kyOAuth(signer: Signer, options: OAuthFetchOptions = {}): KyOAuthOptions {
  return { fetch: createOAuthFetch(signer, options), hooks: { beforeError: [explainRefusal] } };
}
