/**
 * A Magento 2 integration: HMAC-SHA256 with the integration's access token, in the
 * Authorization header; searchCriteria brackets written plainly.
 *
 *   npx tsx examples/magento.ts   # against the local sandbox playing Magento
 *   MAGENTO_STORE_URL=https://shop.example.com MAGENTO_CONSUMER_KEY=… MAGENTO_CONSUMER_SECRET=… \
 *   MAGENTO_ACCESS_TOKEN=… MAGENTO_ACCESS_TOKEN_SECRET=… npx tsx examples/magento.ts
 */
import { throwIfRefused } from '@countersign/core';
import { createMagentoFetch, magentoUrl } from '@countersign/magento';
import { DEMO, startLocalProvider } from './lib/local-provider.ts';

const env = process.env;
const real = env.MAGENTO_STORE_URL !== undefined;
const local = real ? undefined : await startLocalProvider({ provider: 'magento' });
try {
  const token = local?.issueAccessToken(DEMO.consumer.key);
  const magento = createMagentoFetch({
    consumerKey: env.MAGENTO_CONSUMER_KEY ?? DEMO.consumer.key,
    consumerSecret: env.MAGENTO_CONSUMER_SECRET ?? DEMO.consumer.secret,
    accessToken: env.MAGENTO_ACCESS_TOKEN ?? token?.token ?? '',
    accessTokenSecret: env.MAGENTO_ACCESS_TOKEN_SECRET ?? token?.tokenSecret ?? '',
  });
  const url = magentoUrl(
    env.MAGENTO_STORE_URL ?? (local?.url as string),
    'products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1',
  );
  const response = await throwIfRefused(await magento(url));
  console.log(`GET /rest/default/V1/products?searchCriteria[…] -> ${response.status}`);
} finally {
  await local?.close();
}
