/**
 * E*TRADE: the three-legged flow with oob (token requests by GET, the key/token authorize
 * page), then an access token kept alive: renewed after two idle hours, refused after
 * midnight US Eastern.
 *
 *   npx tsx examples/etrade.ts     # against the local sandbox playing E*TRADE (its clock moved forward to show renewal)
 *   ETRADE_CONSUMER_KEY=… ETRADE_CONSUMER_SECRET=… ETRADE_BASE=https://apisb.etrade.com npx tsx examples/etrade.ts   # asks for the verifier
 */
import { accessToken, createSigner, requestToken } from '@countersign/core';
import { createEtradeSession, ETRADE_IDLE_MS, etradeAuthorizeUrl, etradeEndpoints } from '@countersign/etrade';
import { startSandbox } from '@countersign/sandbox';
import { approveLocally, askForVerifier, DEMO } from './lib/local-provider.ts';

const env = process.env;
const real = env.ETRADE_CONSUMER_KEY !== undefined;
let now = Date.now();
const clock = () => now;
const local = real
  ? undefined
  : await startSandbox({ consumers: [DEMO.consumer], profile: { provider: 'etrade' }, now: clock });
try {
  const app = {
    consumerKey: env.ETRADE_CONSUMER_KEY ?? DEMO.consumer.key,
    consumerSecret: env.ETRADE_CONSUMER_SECRET ?? DEMO.consumer.secret,
  };
  const endpoints = local
    ? etradeEndpoints(local.url, `${local.url}/e/t/etws/authorize`)
    : etradeEndpoints(env.ETRADE_BASE ?? 'https://api.etrade.com');
  const consumer = createSigner({ ...app, clock });
  const temporary = await requestToken(consumer, endpoints, { callback: 'oob' });
  const page = etradeAuthorizeUrl(app.consumerKey, temporary.token, endpoints.authorizeUrl);
  const verifier = local ? await approveLocally(page) : await askForVerifier(page);
  const access = await accessToken(consumer, endpoints, {
    token: temporary.token,
    tokenSecret: temporary.tokenSecret,
    verifier,
  });
  console.log(`access token ${access.token} (secret [redacted])`);

  const signer = createSigner({ ...app, token: access.token, tokenSecret: access.tokenSecret, clock });
  const session = createEtradeSession({ signer, base: local?.url ?? env.ETRADE_BASE, now: clock });
  const accounts = `${local?.url ?? env.ETRADE_BASE ?? 'https://api.etrade.com'}/v1/accounts/list.json`;
  console.log(`GET /v1/accounts/list.json -> ${(await session.fetch(accounts)).status}`);
  if (local) {
    now += ETRADE_IDLE_MS + 60_000; // two idle hours later: the session renews the token first
    console.log(`two idle hours later -> ${(await session.fetch(accounts)).status} (renewed first)`);
    now = session.expiresAt + 1000;
    await session
      .fetch(accounts)
      .catch((error: Error) => console.log(`after midnight US Eastern -> ${error.message.split(':')[0]}`));
  }
  await (local ? Promise.resolve() : session.revoke());
} finally {
  await local?.close();
}
