/**
 * E*TRADE: the three-legged flow with `oob` by GET, its own authorize URL
 * (`…/e/t/etws/authorize?key=<consumer key>&token=<request token>`), and the access token's
 * life: inactive after two hours without a request (renewed, not re-authorized), expired at
 * midnight US Eastern, revocable.
 *
 * @packageDocumentation
 * @module @countersign/etrade
 */
import {
  CountersignError,
  createOAuthFetch,
  type FetchLike,
  type OAuthEndpoints,
  type OAuthFetch,
  type Signer,
  throwIfRefused,
} from '@countersign/core';

/**
 * Two hours without a request leave an E*TRADE access token inactive until renewed.
 *
 * @example
 * ```ts
 * if (Date.now() - lastRequestAt >= ETRADE_IDLE_MS) await session.renew();
 * ```
 */
export const ETRADE_IDLE_MS = 2 * 60 * 60 * 1000;
const EASTERN = 'America/New_York';

/**
 * E*TRADE's OAuth endpoints: token requests by GET under `base` (`https://api.etrade.com`),
 * the authorize page on us.etrade.com. Use {@link etradeAuthorizeUrl} for the authorize step:
 * it takes `key` and `token`, not `oauth_token`.
 *
 * @example
 * ```ts
 * const requestTokens = await requestToken(signer, etradeEndpoints(), { callback: 'oob' });
 * ```
 */
export function etradeEndpoints(
  base = 'https://api.etrade.com',
  authorizeUrl = 'https://us.etrade.com/e/t/etws/authorize',
) {
  const root = base.replace(/\/+$/, '');
  return {
    requestTokenUrl: `${root}/oauth/request_token`,
    authorizeUrl,
    accessTokenUrl: `${root}/oauth/access_token`,
    renewAccessTokenUrl: `${root}/oauth/renew_access_token`,
    revokeAccessTokenUrl: `${root}/oauth/revoke_access_token`,
    tokenMethod: 'GET',
  } as const satisfies OAuthEndpoints & Record<string, string>;
}

/**
 * The page the user approves at: E*TRADE wants the consumer key as `key` and the request
 * token as `token` (core's `authorizationUrl` sends `oauth_token`, which E*TRADE ignores).
 *
 * @example
 * ```ts
 * etradeAuthorizeUrl(consumerKey, requestTokens.token); // 'https://us.etrade.com/e/t/etws/authorize?key=…&token=…'
 * ```
 */
export function etradeAuthorizeUrl(
  consumerKey: string,
  requestToken: string,
  authorizeUrl = etradeEndpoints().authorizeUrl,
): string {
  if (!URL.canParse(authorizeUrl)) {
    throw new CountersignError(
      'invalid_url',
      `authorizeUrl: expected an absolute URL; got ${JSON.stringify(authorizeUrl)}.`,
    );
  }
  const url = new URL(authorizeUrl);
  url.searchParams.set('key', consumerKey);
  url.searchParams.set('token', requestToken);
  return url.href;
}

function easternDate(at: number): { year: number; month: number; day: number; hour: number } {
  const parts: Record<string, number> = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: EASTERN,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, Number(part.value)]),
  );
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0 };
}

const LATEST_ISSUE = 8.64e15 - 2 * 24 * 60 * 60 * 1000;

/**
 * When an access token issued (or last renewed) at `issuedAt` expires: the next midnight in
 * US Eastern time, daylight saving included.
 *
 * @example
 * ```ts
 * new Date(etradeTokenExpiry(Date.parse('2026-07-01T20:00:00Z'))).toISOString(); // '2026-07-02T04:00:00.000Z'
 * ```
 */
export function etradeTokenExpiry(issuedAt: number | Date): number {
  const at = typeof issuedAt === 'number' ? issuedAt : issuedAt?.getTime?.();
  // The next midnight must itself be a date JavaScript can hold (±8.64e15 ms, ECMA-262 §21.4.1.1).
  if (typeof at !== 'number' || !Number.isFinite(at) || Math.abs(at) > LATEST_ISSUE) {
    throw new CountersignError(
      'invalid_option',
      `issuedAt: expected a Date or milliseconds since 1970 within the dates JavaScript can hold; got ${String(issuedAt)}.`,
    );
  }
  const { year, month, day } = easternDate(at);
  // Midnight of the next Eastern day is 04:00 or 05:00 UTC (EDT or EST); DST never changes at midnight.
  const edt = Date.UTC(year, month - 1, day + 1, 4);
  return easternDate(edt).hour === 0 ? edt : edt + 60 * 60 * 1000;
}

export interface EtradeSessionOptions {
  /** The access token's signer: consumer key and secret, access token and its secret. */
  readonly signer: Signer;
  /** When the access token was issued or last renewed. @default now */
  readonly issuedAt?: number;
  /** Token endpoints' base. @default 'https://api.etrade.com' */
  readonly base?: string;
  readonly fetch?: FetchLike;
  /** The clock, milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** A signed fetch that keeps an E*TRADE access token alive, and its lifecycle calls. */
export interface EtradeSession {
  /** Signs and sends; renews the token first after two idle hours; refuses once it has expired. */
  readonly fetch: OAuthFetch;
  /** Renews now (E*TRADE answers "Access Token has been renewed"). */
  renew(): Promise<void>;
  /** Revokes the token; the session refuses to send afterwards. */
  revoke(): Promise<void>;
  /** Milliseconds since the epoch when the token expires (midnight US Eastern). */
  readonly expiresAt: number;
}

/**
 * Keeps an E*TRADE access token working for a day: renewed before a request that follows two
 * idle hours, refused with `token_expired` after midnight US Eastern (when only a new
 * authorization helps), revoked on request.
 *
 * @example
 * ```ts
 * const session = createEtradeSession({ signer: createSigner({ consumerKey, consumerSecret, token, tokenSecret }) });
 * const accounts = await session.fetch('https://api.etrade.com/v1/accounts/list.json');
 * ```
 */
export function createEtradeSession(options: EtradeSessionOptions): EtradeSession {
  const now = options.now ?? Date.now;
  const endpoints = etradeEndpoints(options.base);
  const signed = createOAuthFetch(options.signer, options.fetch === undefined ? {} : { fetch: options.fetch });
  const expiresAt = etradeTokenExpiry(options.issuedAt ?? now());
  let lastUsed = options.issuedAt ?? now();
  let revoked = false;

  const usable = () => {
    if (revoked) throw new CountersignError('token_expired', 'This E*TRADE access token was revoked: authorize again.');
    if (now() >= expiresAt) {
      throw new CountersignError(
        'token_expired',
        `This E*TRADE access token expired at midnight US Eastern (${new Date(expiresAt).toISOString()}): renewal cannot help, authorize again.`,
      );
    }
  };
  const renew = async () => {
    usable();
    await throwIfRefused(await signed(endpoints.renewAccessTokenUrl));
    lastUsed = now();
  };
  return {
    expiresAt,
    renew,
    async revoke() {
      await throwIfRefused(await signed(endpoints.revokeAccessTokenUrl));
      revoked = true;
    },
    fetch: async (input, init) => {
      usable();
      if (now() - lastUsed >= ETRADE_IDLE_MS) await renew();
      const response = await signed(input, init);
      lastUsed = now();
      return response;
    },
  };
}
