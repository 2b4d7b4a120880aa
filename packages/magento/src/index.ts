/**
 * Magento 2 (Adobe Commerce) integrations: OAuth 1.0a with the integration's pre-issued
 * access token, HMAC-SHA256, the parameters in the Authorization header.
 *
 * @packageDocumentation
 * @module @countersign/magento
 */
import {
  createOAuthFetch,
  createSigner,
  type OAuthFetch,
  type OAuthFetchOptions,
  type Signer,
  type SignerOptions,
} from '@countersign/core';

/**
 * The four values System > Integrations shows once an integration is activated (and, if
 * needed, other signer options: a clock, a nonce generator).
 */
export interface MagentoIntegration
  extends Omit<SignerOptions, 'consumerKey' | 'consumerSecret' | 'token' | 'tokenSecret' | 'signatureMethod'> {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
}

/**
 * A Magento REST URL: `${storeUrl}/rest/${storeCode}/V1/${route}`. Bracketed `searchCriteria`
 * keys can be written plainly; they are signed decoded, as Magento reads them.
 *
 * @example
 * ```ts
 * magentoUrl('https://shop.example.com', 'products?searchCriteria[pageSize]=10');
 * // 'https://shop.example.com/rest/default/V1/products?searchCriteria[pageSize]=10'
 * ```
 */
export function magentoUrl(storeUrl: string, route: string, storeCode = 'default'): string {
  return `${storeUrl.replace(/\/+$/, '')}/rest/${storeCode}/V1/${route.replace(/^\/+/, '')}`;
}

/**
 * The signer for a Magento integration: HMAC-SHA256 with its access token, header transmission.
 *
 * @example
 * ```ts
 * const signer = magentoSigner({ consumerKey, consumerSecret, accessToken, accessTokenSecret });
 * ```
 */
export function magentoSigner(integration: MagentoIntegration): Signer {
  const { accessToken, accessTokenSecret, ...options } = integration;
  return createSigner({
    ...options,
    token: accessToken,
    tokenSecret: accessTokenSecret,
    signatureMethod: 'HMAC-SHA256',
  });
}

/**
 * A fetch that signs every request for a Magento integration.
 *
 * @example
 * ```ts
 * const magento = createMagentoFetch({ consumerKey, consumerSecret, accessToken, accessTokenSecret });
 * const products = await (await magento(magentoUrl('https://shop.example.com', 'products?searchCriteria[pageSize]=10'))).json();
 * ```
 */
export function createMagentoFetch(integration: MagentoIntegration, options: OAuthFetchOptions = {}): OAuthFetch {
  return createOAuthFetch(magentoSigner(integration), options);
}
