/**
 * NetSuite token-based authentication: HMAC-SHA256 OAuth 1.0a whose `realm` is the account
 * id in upper case with `_` (`123456_SB1`) while hosts use it in lower case with `-`
 * (`123456-sb1.suitetalk.api.netsuite.com`). The realm is derived from the account id and
 * every request's host is checked against it before anything is signed.
 *
 * @packageDocumentation
 * @module @countersign/netsuite
 */
import {
  CountersignError,
  createOAuthFetch,
  createSigner,
  type FetchLike,
  type OAuthFetch,
  type OAuthFetchOptions,
  redactUrl,
  type Signer,
} from '@countersign/core';

/** An account as NetSuite writes it in each place. */
export interface NetSuiteAccount {
  /** The realm: upper case, `_` before a sandbox or release-preview suffix (`123456_SB1`). */
  readonly realm: string;
  /** The host label: lower case, `-` (`123456-sb1`). */
  readonly hostLabel: string;
}

const ACCOUNT = /^(\d+|TSTDRV\d+)(?:[_-]([A-Z]+\d*))?$/i;

/**
 * Reads an account id written either way (`123456_SB1`, `123456-sb1`, `123456`) or a NetSuite
 * URL, and gives both spellings.
 *
 * @example
 * ```ts
 * netsuiteAccount('123456-sb1'); // { realm: '123456_SB1', hostLabel: '123456-sb1' }
 * netsuiteAccount('https://123456-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer');
 * ```
 */
export function netsuiteAccount(accountIdOrUrl: string): NetSuiteAccount {
  const isUrl = typeof accountIdOrUrl === 'string' && /^https?:\/\//i.test(accountIdOrUrl);
  // A URL that does not parse falls through to the refusal below, in words.
  const label = isUrl
    ? URL.canParse(accountIdOrUrl)
      ? (new URL(accountIdOrUrl).hostname.split('.')[0] ?? '')
      : ''
    : String(accountIdOrUrl).trim();
  const match = ACCOUNT.exec(label);
  if (match === null) {
    throw new CountersignError(
      'invalid_option',
      `accountId: expected a NetSuite account id such as 123456 or 123456_SB1 (Setup > Company > Company Information); got ${JSON.stringify(accountIdOrUrl)}.`,
    );
  }
  const [, number, suffix] = match as unknown as [string, string, string | undefined];
  return {
    realm: suffix === undefined ? number.toUpperCase() : `${number.toUpperCase()}_${suffix.toUpperCase()}`,
    hostLabel: suffix === undefined ? number.toLowerCase() : `${number.toLowerCase()}-${suffix.toLowerCase()}`,
  };
}

/**
 * The account's REST base URLs: SuiteTalk REST records and RESTlets.
 *
 * @example
 * ```ts
 * netsuiteUrls('123456_SB1').record('customer/42'); // 'https://123456-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/42'
 * netsuiteUrls('123456_SB1').restlet(1234, 1); // '…restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1234&deploy=1'
 * ```
 */
export function netsuiteUrls(accountId: string) {
  const { hostLabel } = netsuiteAccount(accountId);
  return {
    record: (path: string) =>
      `https://${hostLabel}.suitetalk.api.netsuite.com/services/rest/record/v1/${path.replace(/^\/+/, '')}`,
    restlet: (script: number | string, deploy: number | string = 1) =>
      `https://${hostLabel}.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=${encodeURIComponent(String(script))}&deploy=${encodeURIComponent(String(deploy))}`,
  };
}

/**
 * Refuses a request whose host belongs to another account than the realm: NetSuite answers
 * that with a bare `INVALID_LOGIN`, whatever the cause, so it is said here instead.
 *
 * @example
 * ```ts
 * checkNetSuiteHost('https://654321.suitetalk.api.netsuite.com/services/rest/record/v1/customer', '123456_SB1');
 * // throws: realm 123456_SB1 is account 123456-sb1 in a host name, but this request goes to 654321…
 * ```
 */
export function checkNetSuiteHost(url: string | URL, accountId: string): void {
  const { realm, hostLabel } = netsuiteAccount(accountId);
  if (!(url instanceof URL) && (typeof url !== 'string' || !URL.canParse(url))) {
    throw new CountersignError(
      'invalid_url',
      `url: expected an absolute URL such as ${netsuiteUrls(accountId).record('customer')}; got ${JSON.stringify(typeof url === 'string' ? redactUrl(url) : typeof url)}.`,
    );
  }
  const host = new URL(url).hostname.toLowerCase();
  if (!host.endsWith('.netsuite.com')) return;
  const label = host.split('.')[0];
  if (label !== hostLabel) {
    throw new CountersignError(
      'invalid_option',
      `realm ${realm} is account ${hostLabel} in a host name, but this request goes to ${host}: NetSuite would answer INVALID_LOGIN. Use the account id of that host (${netsuiteAccount(label ?? '').realm}) or that account's URL.`,
    );
  }
}

export interface NetSuiteCredentials {
  /** The account id, either spelling (`123456_SB1` or `123456-sb1`). */
  readonly accountId: string;
  /** The integration record's consumer key and secret. */
  readonly consumerKey: string;
  readonly consumerSecret: string;
  /** The access token and its secret (Setup > Users/Roles > Access Tokens). */
  readonly token: string;
  readonly tokenSecret: string;
}

/**
 * The signer for NetSuite TBA: HMAC-SHA256 (NetSuite ended HMAC-SHA1 in 2023.1), the realm
 * derived from the account id, header transmission.
 *
 * @example
 * ```ts
 * const signer = netsuiteSigner({ accountId: '123456_SB1', consumerKey, consumerSecret, token, tokenSecret });
 * ```
 */
export function netsuiteSigner(credentials: NetSuiteCredentials): Signer {
  const { accountId, ...secrets } = credentials;
  return createSigner({ ...secrets, signatureMethod: 'HMAC-SHA256', realm: netsuiteAccount(accountId).realm });
}

/**
 * A fetch for one NetSuite account: signed with {@link netsuiteSigner}, and each request's
 * host checked against the account first (a `CountersignError` says which account the host
 * belongs to). Query parameters (a RESTlet's `script` and `deploy`) are signed as sent.
 *
 * @example
 * ```ts
 * const netsuite = createNetSuiteFetch({ accountId: '123456_SB1', consumerKey, consumerSecret, token, tokenSecret });
 * const customer = await netsuite(netsuiteUrls('123456_SB1').record('customer/42'));
 * ```
 */
export function createNetSuiteFetch(credentials: NetSuiteCredentials, options: OAuthFetchOptions = {}): OAuthFetch {
  const send: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const checked: FetchLike = (url, init) => {
    checkNetSuiteHost(url instanceof Request ? url.url : url, credentials.accountId);
    return send(url, init);
  };
  return createOAuthFetch(netsuiteSigner(credentials), { ...options, fetch: checked });
}
