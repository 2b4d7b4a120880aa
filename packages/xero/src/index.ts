/**
 * Xero OAuth 1.0a (legacy apps): public, private (RSA, two-legged) and partner apps with session renewal.
 *
 * @packageDocumentation
 * @module @countersign/xero
 */
import {
  CountersignError,
  createOAuthFetch,
  createSigner,
  type FetchLike,
  type OAuthEndpoints,
  type OAuthFetch,
  type PrivateKeyInput,
  parseProviderProblem,
  printAs,
  REDACTED,
  readTextPrefix,
  readTokenResponse,
  type Signer,
  sendSigned,
  type TokenResponse,
} from '@countersign/core';

/**
 * Xero's OAuth 1.0a endpoints as they were documented (retired in 2021), under `base`.
 *
 * @example
 * ```ts
 * const tokens = await requestToken(signer, xeroEndpoints());
 * ```
 */
export function xeroEndpoints(base = 'https://api.xero.com'): OAuthEndpoints {
  return {
    requestTokenUrl: `${base}/oauth/RequestToken`,
    authorizeUrl: `${base}/oauth/Authorize`,
    accessTokenUrl: `${base}/oauth/AccessToken`,
  };
}

/**
 * A private app's signer: two-legged RSA-SHA1, the consumer key doubling as `oauth_token`,
 * no token secret.
 *
 * @example
 * ```ts
 * const signer = xeroPrivateAppSigner({ consumerKey, privateKey: readFileSync('privatekey.pem', 'utf8') });
 * const organisation = await createOAuthFetch(signer)('https://api.xero.com/api.xro/2.0/Organisation');
 * ```
 */
export function xeroPrivateAppSigner(options: { consumerKey: string; privateKey: PrivateKeyInput }): Signer {
  return createSigner({
    consumerKey: options.consumerKey,
    signatureMethod: 'RSA-SHA1',
    privateKey: options.privateKey,
    token: options.consumerKey,
    // RSA-SHA1 ignores it; a private app has none.
    tokenSecret: '',
  });
}

/**
 * A partner app's current access token and the handle that renews it (tokens last 30 minutes).
 * One made by {@link xeroSession} prints its `tokenSecret` as `[redacted]` (`JSON.stringify`,
 * `util.inspect`, `console.log`); to store it, save a copy: `{ ...session }` is plain data.
 */
export interface XeroSession {
  token: string;
  tokenSecret: string;
  sessionHandle: string;
}

/**
 * Reads a partner app's access-token response into a session.
 * @example
 * ```ts
 * const session = xeroSession(await accessToken(signer, xeroEndpoints(), { token, tokenSecret, verifier }));
 * ```
 */
export function xeroSession(tokens: TokenResponse): XeroSession {
  const sessionHandle = tokens.extras.oauth_session_handle;
  if (sessionHandle === undefined) {
    throw new CountersignError(
      'invalid_token_response',
      'The access token response has no oauth_session_handle: only Xero partner apps get renewable sessions.',
    );
  }
  const session: XeroSession = { token: tokens.token, tokenSecret: tokens.tokenSecret, sessionHandle };
  // The fields stay plain (renewal assigns them, a spread copies them); only printing hides the secret.
  return printAs(session, () => ({ ...session, tokenSecret: REDACTED }));
}

/**
 * Renews a partner app's access token: a signed request to AccessToken with the current
 * (even expired) token and `oauth_session_handle`. Updates `session` in place.
 * @example
 * ```ts
 * // Xero's access tokens last 30 minutes: renew before (or after) they expire.
 * await renewXeroSession(signer, session);
 * const response = await createXeroPartnerFetch(signer, session)('https://api.xero.com/api.xro/2.0/Organisation');
 * ```
 */
export async function renewXeroSession(
  signer: Signer,
  session: XeroSession,
  options: { base?: string; fetch?: FetchLike } = {},
): Promise<XeroSession> {
  const url = xeroEndpoints(options.base).accessTokenUrl;
  const response = await sendSigned(
    signer,
    { method: 'POST', url },
    {
      token: session.token,
      tokenSecret: session.tokenSecret,
      oauthParams: { oauth_session_handle: session.sessionHandle },
    },
    options,
  );
  const renewed = xeroSession(await readTokenResponse(response));
  Object.assign(session, renewed);
  return session;
}

/**
 * A fetch for a partner app: signs with the session's token and, when Xero answers
 * `token_expired`, renews the session once and sends the request again. Requests that meet
 * the expiry together share one renewal.
 *
 * @example
 * ```ts
 * const xero = createXeroPartnerFetch(signer, xeroSession(accessTokens), { onRenew: save });
 * await xero('https://api.xero.com/api.xro/2.0/Invoices');
 * ```
 */
export function createXeroPartnerFetch(
  signer: Signer,
  session: XeroSession,
  options: { base?: string; fetch?: FetchLike; onRenew?: (session: XeroSession) => void } = {},
): OAuthFetch {
  const fetchWith = () =>
    createOAuthFetch(signer, {
      fetch: options.fetch,
      oauth: { token: session.token, tokenSecret: session.tokenSecret },
    });
  // One renewal at a time: Xero revokes the expired token when it renews it, so a second
  // renewal started by a request that met the same expiry would be refused.
  let renewing: Promise<void> | undefined;
  const renewOnce = () => {
    renewing ??= renewXeroSession(signer, session, options)
      .then(() => options.onRenew?.(session))
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };
  return async (input, init) => {
    const replayable = typeof input === 'string' || input instanceof URL;
    const signedWith = session.token;
    const response = await fetchWith()(input, init);
    if (response.status !== 401 || !replayable) return response;
    // Another request's renewal, under way or done, revoked the token this one was signed
    // with (Xero then answers token_rejected, not token_expired): send it again with the new one.
    if (renewing !== undefined) await renewing.catch(() => {});
    const stale = session.token !== signedWith;
    if (!stale) {
      const problem = parseProviderProblem(
        (await readTextPrefix(response.clone())).text,
        response.headers.get('www-authenticate'),
      );
      if (problem.problem !== 'token_expired') return response;
    }
    // This answer will not be returned: cancelled, it does not go on streaming on its connection.
    response.body?.cancel().catch(() => {});
    if (!stale) await renewOnce();
    return fetchWith()(input, init);
  };
}
