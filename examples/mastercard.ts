/**
 * Mastercard APIs: RSA-SHA256, and oauth_body_hash on every request (a GET's is the hash of
 * the empty body). The key is PEM: convert Mastercard's .p12 once (see packages/mastercard).
 *
 *   npx tsx examples/mastercard.ts                  # against the local sandbox playing Mastercard
 *   MASTERCARD_CONSUMER_KEY=… MASTERCARD_KEY_FILE=key.pem npx tsx examples/mastercard.ts   # against sandbox.api.mastercard.com
 */
import { readFileSync } from 'node:fs';
import { throwIfRefused } from '@countersign/core';
import { createMastercardFetch } from '@countersign/mastercard';
import { DEMO, demoRsa, startLocalProvider } from './lib/local-provider.ts';

const env = process.env;
const real = env.MASTERCARD_CONSUMER_KEY !== undefined;
const local = real ? undefined : await startLocalProvider({ provider: 'mastercard' });
try {
  const mastercard = createMastercardFetch({
    consumerKey: env.MASTERCARD_CONSUMER_KEY ?? DEMO.rsaConsumerKey,
    privateKey: env.MASTERCARD_KEY_FILE ? readFileSync(env.MASTERCARD_KEY_FILE, 'utf8') : demoRsa.privateKeyPem,
  });
  const base = local?.url ?? 'https://sandbox.api.mastercard.com';
  // The ATM Locations API of Mastercard's sandbox (any path answers locally).
  const atms = `${base}/atms/v1/atm?Format=JSON&PageLength=5&PageOffset=0&PostalCode=11101&Country=USA`;
  const found = await throwIfRefused(await mastercard(atms));
  console.log(`GET ${new URL(atms).pathname} -> ${found.status} (oauth_body_hash of the empty body)`);
  const payload = JSON.stringify({ merchantName: 'Café & Co', amount: '12.30' });
  const posted = await throwIfRefused(
    await mastercard(`${base}/merchants/v1/merchant`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    }),
  );
  console.log(
    `POST /merchants/v1/merchant -> ${posted.status} (oauth_body_hash of ${new TextEncoder().encode(payload).length} bytes of JSON)`,
  );
} finally {
  await local?.close();
}
