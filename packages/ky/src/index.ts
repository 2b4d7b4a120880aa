/**
 * OAuth 1.0a for ky 1 and 2: every attempt signed afresh, after all hooks.
 *
 * @packageDocumentation
 * @module @countersign/ky
 */
import { createOAuthFetch, type OAuthFetch, type OAuthFetchOptions, type Signer } from '@countersign/core';

/** What to spread into ky's options. */
export interface KyOAuthOptions {
  /** Signs and sends each attempt; ky calls it after every hook, once per attempt. */
  readonly fetch: OAuthFetch;
}

/**
 * ky options that sign every request with OAuth 1.0a, for ky 1 and ky 2 alike. The
 * signing sits in ky's `fetch` option, which both majors call for every attempt after all
 * hooks have run, so each retry gets a fresh nonce and what is signed is the final
 * `Request`. A `fetch` of your own goes in `options.fetch`.
 *
 * @example
 * ```ts
 * const api = ky.create({ prefixUrl: 'https://api.x.com/1.1/', ...kyOAuth(createSigner({ consumerKey, consumerSecret, token, tokenSecret })) });
 * await api.post('statuses/update.json', { body: new URLSearchParams({ status: 'Hello' }) });
 * ```
 */
export function kyOAuth(signer: Signer, options: OAuthFetchOptions = {}): KyOAuthOptions {
  return { fetch: createOAuthFetch(signer, options) };
}
