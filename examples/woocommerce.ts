/**
 * WooCommerce REST API over plain http: consumer key and secret only, the OAuth parameters
 * in the query string. Over https WooCommerce wants Basic auth, and the package says so.
 *
 *   npx tsx examples/woocommerce.ts   # against the local sandbox playing WooCommerce
 *   WOOCOMMERCE_STORE_URL=http://shop.example.com WOOCOMMERCE_CONSUMER_KEY=ck_… WOOCOMMERCE_CONSUMER_SECRET=cs_… npx tsx examples/woocommerce.ts
 */
import { throwIfRefused } from '@countersign/core';
import { createWooCommerceFetch, woocommerceSigner, woocommerceUrl } from '@countersign/woocommerce';
import { DEMO, startLocalProvider } from './lib/local-provider.ts';

const env = process.env;
const real = env.WOOCOMMERCE_STORE_URL !== undefined;
const local = real ? undefined : await startLocalProvider({ provider: 'woocommerce' });
try {
  const credentials = {
    storeUrl: env.WOOCOMMERCE_STORE_URL ?? (local?.url as string),
    consumerKey: env.WOOCOMMERCE_CONSUMER_KEY ?? DEMO.consumer.key,
    consumerSecret: env.WOOCOMMERCE_CONSUMER_SECRET ?? DEMO.consumer.secret,
  };
  const products = woocommerceUrl(credentials.storeUrl, 'products?per_page=5&search=blue shirt');
  const response = await throwIfRefused(await createWooCommerceFetch(credentials)(products));
  console.log(`GET /wp-json/wc/v3/products -> ${response.status} (signed in the query string)`);
  try {
    woocommerceSigner({ ...credentials, storeUrl: 'https://shop.example.com' });
  } catch (error) {
    console.log(`over https: ${(error as Error).message}`);
  }
} finally {
  await local?.close();
}
