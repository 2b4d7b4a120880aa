import {
  CountersignError,
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
  /**
   * Send the password over `http:` to a host other than this machine's loopback (a provider
   * on a private network you control). Without it such a URL is refused, as PLAINTEXT is.
   * @default false
   */
  readonly allowPasswordOverHttp?: boolean;
}

// A provider on this machine (a test one, the sandbox): the password never crosses a network.
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * The password travels in the body: over http it is in clear to every hop (RFC 5849 §3.4.4
 * keeps PLAINTEXT's secrets to TLS for the same reason), so http is for loopback or an opt-in.
 */
function checkTransport(url: string, allowed: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return; // The signer says what is wrong with the URL.
  }
  if (parsed.protocol !== 'http:' || allowed || LOOPBACK.test(parsed.hostname)) return;
  throw new CountersignError(
    'plaintext_over_http',
    `xAuth sends the user's password in the request body, and ${parsed.origin} is http: use the https URL of the access-token endpoint. For a provider on a private network you control, pass allowPasswordOverHttp: true.`,
  );
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
  checkTransport(url, options.allowPasswordOverHttp === true);
  const response = await sendSigned(
    signer,
    { method: 'POST', url, body: form.toString(), contentType: FORM },
    { token: null },
    options,
  );
  return readTokenResponse(response);
}
