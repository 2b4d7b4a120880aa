/**
 * NetSuite token-based authentication: HMAC-SHA256, realm = the account id in upper case with
 * `_`, hosts in lower case with `-`. The realm is derived from the account id; a request to
 * another account's host is refused before it is sent.
 *
 *   npx tsx examples/netsuite.ts    # against the local sandbox playing NetSuite (account 123456_SB1)
 *   NETSUITE_ACCOUNT_ID=123456_SB1 NETSUITE_CONSUMER_KEY=… NETSUITE_CONSUMER_SECRET=… \
 *   NETSUITE_TOKEN=… NETSUITE_TOKEN_SECRET=… NETSUITE_RESTLET_SCRIPT=1234 npx tsx examples/netsuite.ts
 */
import { isOAuthError, throwIfRefused } from '@countersign/core';
import { createNetSuiteFetch, netsuiteUrls } from '@countersign/netsuite';
import { DEMO, startLocalProvider } from './lib/local-provider.ts';

const env = process.env;
const real = env.NETSUITE_ACCOUNT_ID !== undefined;
const local = real ? undefined : await startLocalProvider({ provider: 'netsuite', realm: '123456_SB1' });
try {
  const token = local?.issueAccessToken(DEMO.consumer.key);
  const credentials = {
    accountId: env.NETSUITE_ACCOUNT_ID ?? '123456-sb1',
    consumerKey: env.NETSUITE_CONSUMER_KEY ?? DEMO.consumer.key,
    consumerSecret: env.NETSUITE_CONSUMER_SECRET ?? DEMO.consumer.secret,
    token: env.NETSUITE_TOKEN ?? token?.token ?? '',
    tokenSecret: env.NETSUITE_TOKEN_SECRET ?? token?.tokenSecret ?? '',
  };
  const restlet = netsuiteUrls(credentials.accountId).restlet(env.NETSUITE_RESTLET_SCRIPT ?? 1234, 1);
  // Locally the same path and query go to the sandbox.
  const url = local === undefined ? restlet : `${local.url}${new URL(restlet).pathname}${new URL(restlet).search}`;
  const response = await throwIfRefused(await createNetSuiteFetch(credentials)(url));
  console.log(`GET restlet.nl?script=…&deploy=1 -> ${response.status} (realm ${credentials.accountId} as 123456_SB1)`);
  if (local !== undefined) {
    // The classic mistake: another account's id. NetSuite says only INVALID_LOGIN.
    const wrong = createNetSuiteFetch({ ...credentials, accountId: '654321' });
    const refused = await throwIfRefused(await wrong(url)).catch((error: unknown) => error);
    console.log(`with realm 654321 -> ${isOAuthError(refused) ? refused.message : 'accepted?'}`);
  }
} finally {
  await local?.close();
}
