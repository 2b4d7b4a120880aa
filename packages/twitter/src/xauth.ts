import {
  type FetchLike,
  type RetryOptions,
  readTokenResponse,
  type Signer,
  sendSigned,
  type TokenResponse,
} from '@countersign/core';
import { twitterEndpoints } from './endpoints.ts';

const FORM = 'application/x-www-form-urlencoded';

export interface XAuthOptions {
  readonly username: string;
  /** Sent in the signed body, as xAuth requires; never printed by Countersign. */
  readonly password: string;
  /** The access-token endpoint: Twitter's by default, or another xAuth API's (Instapaper, …). */
  readonly accessTokenUrl?: string;
  readonly fetch?: FetchLike;
  readonly retry?: RetryOptions | false;
}

/**
 * xAuth: trades a user's name and password for an access token in one signed POST —
 * `x_auth_mode=client_auth`, `x_auth_username`, `x_auth_password` in the form body (and so
 * in the base string), signed with the consumer alone. Twitter retired xAuth for most apps;
 * the endpoint can be pointed at any xAuth API.
 *
 * @example
 * ```ts
 * const tokens = await xAuth(createSigner({ consumerKey, consumerSecret }), { username, password, accessTokenUrl: 'https://www.instapaper.com/api/1/oauth/access_token' });
 * ```
 */
export async function xAuth(signer: Signer, options: XAuthOptions): Promise<TokenResponse> {
  const form = new URLSearchParams({
    x_auth_mode: 'client_auth',
    x_auth_username: options.username,
    x_auth_password: options.password,
  });
  const url = options.accessTokenUrl ?? twitterEndpoints().accessTokenUrl;
  const response = await sendSigned(
    signer,
    { method: 'POST', url, body: form.toString(), contentType: FORM },
    { token: null },
    options,
  );
  return readTokenResponse(response);
}
