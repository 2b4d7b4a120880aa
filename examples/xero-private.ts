/**
 * A Xero private app: two-legged RSA-SHA1, the consumer key doubling as oauth_token.
 *
 *   npx tsx examples/xero-private.ts                      # against the local sandbox
 *   XERO_CONSUMER_KEY=… XERO_PRIVATE_KEY_FILE=privatekey.pem npx tsx examples/xero-private.ts   # against api.xero.com
 */
import { readFileSync } from 'node:fs';
import { createOAuthFetch, throwIfRefused } from '@countersign/core';
import { xeroPrivateAppSigner } from '@countersign/xero';
import { DEMO, demoRsa, startLocalProvider } from './lib/local-provider.ts';

const env = process.env;
const real = env.XERO_CONSUMER_KEY !== undefined;
const local = real ? undefined : await startLocalProvider();
try {
  const signer = xeroPrivateAppSigner({
    consumerKey: env.XERO_CONSUMER_KEY ?? DEMO.rsaConsumerKey,
    privateKey: env.XERO_PRIVATE_KEY_FILE ? readFileSync(env.XERO_PRIVATE_KEY_FILE, 'utf8') : demoRsa.privateKeyPem,
  });
  const url = `${local?.url ?? 'https://api.xero.com'}/api.xro/2.0/Organisation`;
  const response = await throwIfRefused(
    await createOAuthFetch(signer)(url, { headers: { accept: 'application/json' } }),
  );
  console.log(`GET ${new URL(url).pathname} -> ${response.status}`);
} finally {
  await local?.close();
}
