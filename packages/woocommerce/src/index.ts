/**
 * WooCommerce REST API over plain HTTP: one-legged OAuth 1.0a (consumer key and secret, no
 * token) with the parameters in the query string. Over HTTPS WooCommerce uses HTTP Basic
 * authentication instead, and this package says so rather than signing.
 *
 * @packageDocumentation
 * @module @countersign/woocommerce
 */
import {
  CountersignError,
  createOAuthFetch,
  createSigner,
  type OAuthFetch,
  type OAuthFetchOptions,
  redactUrl,
  type Signer,
  type SignerOptions,
} from '@countersign/core';

/** A store's REST API keys (and, if needed, other signer options: a clock, a nonce generator). */
export interface WooCommerceCredentials
  extends Omit<
    SignerOptions,
    'consumerKey' | 'consumerSecret' | 'token' | 'tokenSecret' | 'signatureMethod' | 'transmission'
  > {
  /** The store's address, e.g. `http://shop.example.com` (WordPress's home URL). */
  readonly storeUrl: string;
  /** `ck_…` from WooCommerce > Settings > Advanced > REST API. */
  readonly consumerKey: string;
  /** `cs_…`. */
  readonly consumerSecret: string;
  /** @default 'HMAC-SHA256' */
  readonly signatureMethod?: 'HMAC-SHA1' | 'HMAC-SHA256';
}

const OVER_HTTPS =
  'WooCommerce accepts OAuth 1.0a only over plain http; over https it wants HTTP Basic authentication: ' +
  'send `Authorization: Basic base64(consumer_key:consumer_secret)` (or consumer_key and consumer_secret as query parameters when the server drops that header), not a signature.';

function refuseHttps(storeUrl: string): void {
  if (typeof storeUrl !== 'string' || !URL.canParse(storeUrl)) {
    throw new CountersignError(
      'invalid_url',
      `storeUrl: expected the store's absolute address, such as http://shop.example.com; got ${JSON.stringify(typeof storeUrl === 'string' ? redactUrl(storeUrl) : typeof storeUrl)}.`,
    );
  }
  const url = new URL(storeUrl);
  if (url.protocol === 'https:') throw new CountersignError('invalid_option', `storeUrl ${url.origin}: ${OVER_HTTPS}`);
}

/**
 * The URL of a WooCommerce REST route under the store.
 *
 * @example
 * ```ts
 * woocommerceUrl('http://shop.example.com', 'products?per_page=5'); // 'http://shop.example.com/wp-json/wc/v3/products?per_page=5'
 * ```
 */
export function woocommerceUrl(storeUrl: string, route: string, version = 'wc/v3'): string {
  const base = storeUrl.replace(/\/+$/, '');
  return `${base}/wp-json/${version}/${route.replace(/^\/+/, '')}`;
}

/**
 * The signer WooCommerce expects over http: the consumer alone, the OAuth parameters in the
 * query string, no `oauth_version`. Refuses an https store with what to do instead.
 *
 * @example
 * ```ts
 * const signer = woocommerceSigner({ storeUrl: 'http://shop.example.com', consumerKey: 'ck_…', consumerSecret: 'cs_…' });
 * ```
 */
export function woocommerceSigner(credentials: WooCommerceCredentials): Signer {
  const { storeUrl, signatureMethod, ...options } = credentials;
  refuseHttps(storeUrl);
  return createSigner({
    includeVersion: false,
    ...options,
    signatureMethod: signatureMethod ?? 'HMAC-SHA256',
    transmission: 'query',
  });
}

/**
 * A fetch for one WooCommerce store over http, every request signed in its query string.
 *
 * @example
 * ```ts
 * const shop = createWooCommerceFetch({ storeUrl: 'http://shop.example.com', consumerKey, consumerSecret });
 * const products = await (await shop(woocommerceUrl('http://shop.example.com', 'products'))).json();
 * ```
 */
export function createWooCommerceFetch(
  credentials: WooCommerceCredentials,
  options: OAuthFetchOptions = {},
): OAuthFetch {
  return createOAuthFetch(woocommerceSigner(credentials), options);
}
