/**
 * xAuth: a user's name and password for an access token, in one signed request.
 *
 *   npx tsx examples/xauth.ts                             # against the local sandbox
 *   XAUTH_CONSUMER_KEY=… XAUTH_CONSUMER_SECRET=… XAUTH_USERNAME=… XAUTH_PASSWORD=… \
 *   XAUTH_ACCESS_TOKEN_URL=https://www.instapaper.com/api/1/oauth/access_token npx tsx examples/xauth.ts
 */
import { createSigner, REDACTED } from '@countersign/core';
import { xAuth } from '@countersign/twitter';
import { DEMO, startLocalProvider } from './lib/local-provider.ts';

const real = process.env.XAUTH_CONSUMER_KEY !== undefined;
const local = real ? undefined : await startLocalProvider();
try {
  const signer = createSigner({
    consumerKey: process.env.XAUTH_CONSUMER_KEY ?? DEMO.consumer.key,
    consumerSecret: process.env.XAUTH_CONSUMER_SECRET ?? DEMO.consumer.secret,
  });
  const tokens = await xAuth(signer, {
    username: process.env.XAUTH_USERNAME ?? DEMO.user.username,
    password: process.env.XAUTH_PASSWORD ?? DEMO.user.password,
    accessTokenUrl: process.env.XAUTH_ACCESS_TOKEN_URL ?? local?.endpoints.accessTokenUrl,
  });
  console.log(`xAuth access token ${tokens.token} (secret ${REDACTED})`);
} finally {
  await local?.close();
}
