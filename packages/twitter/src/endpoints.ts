import type { OAuthEndpoints } from '@countersign/core';

/**
 * Twitter's OAuth 1.0a endpoints under `base` (another host for a test provider).
 * @example
 * ```ts
 * const temporary = await requestToken(signer, twitterEndpoints(), { callback: 'https://app.example.com/callback' });
 * const signInUrl = authorizationUrl({ ...twitterEndpoints(), authorizeUrl: twitterEndpoints().authenticateUrl }, temporary);
 * ```
 */
export function twitterEndpoints(base = 'https://api.twitter.com'): OAuthEndpoints & { authenticateUrl: string } {
  return {
    requestTokenUrl: `${base}/oauth/request_token`,
    authorizeUrl: `${base}/oauth/authorize`,
    authenticateUrl: `${base}/oauth/authenticate`,
    accessTokenUrl: `${base}/oauth/access_token`,
  };
}
