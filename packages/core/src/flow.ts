import { checkCredential } from './credential-text.ts';
import { CountersignError } from './errors.ts';
import type { FetchLike } from './fetch.ts';
import type { RetryOptions } from './retry.ts';
import { sendSigned } from './send-signed.ts';
import type { Signer, SignOptions } from './sign.ts';
import { readTokenResponse, type TokenResponse } from './token-response.ts';

/** A provider's three endpoints (RFC 5849 §2). */
export interface OAuthEndpoints {
  readonly requestTokenUrl: string;
  readonly authorizeUrl: string;
  readonly accessTokenUrl: string;
  /** The method of the two token requests. @default 'POST' */
  readonly tokenMethod?: 'POST' | 'GET';
}

/** Options shared by the steps that talk to the provider. */
export interface FlowOptions {
  /** The fetch to use; `globalThis.fetch` (looked up at call time) when absent. */
  readonly fetch?: FetchLike;
  /** Extra parameters sent and signed with the OAuth parameters (e.g. `x_auth_access_type`). */
  readonly oauthParams?: Readonly<Record<string, string>>;
  /** Retries and clock-skew correction; `false` sends once. @default {} (see {@link RetryOptions}) */
  readonly retry?: RetryOptions | false;
}

async function tokenRequest(
  signer: Signer,
  endpoints: OAuthEndpoints,
  url: string,
  sign: SignOptions,
  options: FlowOptions,
): Promise<TokenResponse> {
  const response = await sendSigned(signer, { method: endpoints.tokenMethod ?? 'POST', url }, sign, options);
  return readTokenResponse(response);
}

/**
 * Step 1 (RFC 5849 §2.1): obtains a request token, signed with the consumer alone and
 * carrying `oauth_callback` (`oob` unless given). `oauth_callback_confirmed` must be
 * `true` (or `1`) unless `requireCallbackConfirmed: false`, for providers that omit it.
 *
 * @example
 * ```ts
 * const requestTokens = await requestToken(signer, endpoints, { callback: 'https://app.example.com/cb' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.1
 */
export async function requestToken(
  signer: Signer,
  endpoints: OAuthEndpoints,
  options: FlowOptions & { callback?: string; requireCallbackConfirmed?: boolean } = {},
): Promise<TokenResponse> {
  const tokens = await tokenRequest(
    signer,
    endpoints,
    endpoints.requestTokenUrl,
    { token: null, oauthParams: { ...options.oauthParams, oauth_callback: options.callback ?? 'oob' } },
    options,
  );
  if ((options.requireCallbackConfirmed ?? true) && tokens.callbackConfirmed !== true) {
    throw new CountersignError(
      'invalid_token_response',
      `The request token response has ${tokens.callbackConfirmed === undefined ? 'no' : 'a false'} oauth_callback_confirmed: the provider may speak OAuth 1.0 rather than 1.0a. Pass requireCallbackConfirmed: false if this provider is known to omit it.`,
    );
  }
  return tokens;
}

/**
 * Step 2 (RFC 5849 §2.2): the URL to send the user to.
 *
 * @example
 * ```ts
 * redirect(authorizationUrl(endpoints, requestTokens));
 * ```
 */
export function authorizationUrl(
  endpoints: OAuthEndpoints,
  token: string | TokenResponse,
  extra: Readonly<Record<string, string>> = {},
): string {
  let url: URL;
  try {
    url = new URL(endpoints.authorizeUrl);
  } catch (cause) {
    throw new CountersignError(
      'invalid_url',
      `endpoints.authorizeUrl: expected an absolute URL; got ${JSON.stringify(String(endpoints.authorizeUrl))}.`,
      { cause },
    );
  }
  url.searchParams.set('oauth_token', typeof token === 'string' ? token : token.token);
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
  return url.href;
}

/** What the provider sent back to the callback. */
export interface CallbackResult {
  readonly token: string;
  readonly verifier: string;
}

/**
 * Reads the callback request (RFC 5849 §2.2): the `oauth_token` must be the request token
 * of this flow (a missing or empty expected token is an `invalid_option` error, a callback
 * URL that does not parse an `invalid_url` one), and a user who said no (`denied=…`, `oauth_verifier=denied`,
 * `oauth_problem=user_refused`) yields an `access_denied` error, not a crash.
 *
 * @example
 * ```ts
 * const { verifier } = parseCallback(request.url, requestTokens);
 * ```
 */
export function parseCallback(callbackUrl: string | URL, expected: string | TokenResponse): CallbackResult {
  const expectedToken = typeof expected === 'string' ? expected : expected?.token;
  // Checked first: an application that keeps '' (or nothing) when no flow started would
  // otherwise let a callback with an empty oauth_token, from anyone, through.
  if (typeof expectedToken !== 'string' || expectedToken === '') {
    throw new CountersignError(
      'invalid_option',
      'parseCallback(url, expected): expected is the request token this flow obtained (the TokenResponse from requestToken, or its token), kept from before the redirect; got none.',
    );
  }
  let query: URLSearchParams;
  try {
    query = new URL(callbackUrl, 'http://callback.invalid').searchParams;
  } catch {
    // Anyone can make this request: a URL built from a forged Host header is a typed error,
    // not a crash, and what they sent is not quoted.
    throw new CountersignError('invalid_url', 'The callback URL cannot be read as a URL.');
  }
  const problem = query.get('oauth_problem');
  if (
    query.has('denied') ||
    query.get('oauth_verifier') === 'denied' ||
    problem === 'user_refused' ||
    problem === 'permission_denied'
  ) {
    throw new CountersignError('access_denied', 'The user denied access at the authorization step.');
  }
  const token = query.get('oauth_token');
  if (token !== expectedToken) {
    throw new CountersignError(
      'callback_mismatch',
      token === null
        ? 'The callback has no oauth_token.'
        : "The callback's oauth_token is not this flow's request token: the callback belongs to another authorization (or was forged).",
    );
  }
  const verifier = query.get('oauth_verifier');
  if (verifier === null || verifier === '') {
    throw new CountersignError('callback_mismatch', 'The callback has no oauth_verifier.');
  }
  return { token, verifier };
}

/**
 * Step 3 (RFC 5849 §2.3): exchanges the authorized request token and its verifier for the
 * access token. Provider extras (`user_id`, `screen_name`, `oauth_session_handle`, …) are in
 * `extras`.
 *
 * @example
 * ```ts
 * const access = await accessToken(signer, endpoints, { token: requestTokens.token, tokenSecret: requestTokens.tokenSecret, verifier });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.3
 */
export async function accessToken(
  signer: Signer,
  endpoints: OAuthEndpoints,
  credentials: { token: string; tokenSecret: string; verifier: string },
  options: FlowOptions = {},
): Promise<TokenResponse> {
  if (typeof credentials?.tokenSecret !== 'string') {
    // Signing with an empty secret instead would only earn a signature_invalid.
    throw new CountersignError(
      'invalid_option',
      "accessToken: credentials.tokenSecret is missing. Pass the request token's secret explicitly: { token: requestTokens.token, tokenSecret: requestTokens.tokenSecret, verifier } (a token response keeps its secret out of object spread, as out of printing).",
    );
  }
  // What the user typed or pasted from the provider's page: a stray line ending or zero-width
  // space was signed into oauth_verifier and refused by the provider as a wrong verifier.
  if (typeof credentials.verifier !== 'string') {
    throw new CountersignError(
      'invalid_option',
      'verifier: expected the oauth_verifier the provider gave at the authorization step (in the callback, or shown to the user).',
    );
  }
  checkCredential(credentials.verifier, 'verifier');
  return tokenRequest(
    signer,
    endpoints,
    endpoints.accessTokenUrl,
    {
      token: credentials.token,
      tokenSecret: credentials.tokenSecret,
      oauthParams: { ...options.oauthParams, oauth_verifier: credentials.verifier },
    },
    options,
  );
}
