/**
 * The three-legged flow on Twitter's endpoints.
 *
 *   npx tsx examples/three-legged.ts                      # against the local sandbox
 *   TWITTER_CONSUMER_KEY=… TWITTER_CONSUMER_SECRET=… npx tsx examples/three-legged.ts   # against Twitter
 */
import { accessToken, authorizationUrl, createSigner, REDACTED, requestToken } from '@countersign/core';
import { twitterEndpoints } from '@countersign/twitter';
import { approveLocally, askForVerifier, DEMO, startLocalProvider } from './lib/local-provider.ts';

const real = process.env.TWITTER_CONSUMER_KEY !== undefined;
const local = real ? undefined : await startLocalProvider();
try {
  const signer = createSigner({
    consumerKey: process.env.TWITTER_CONSUMER_KEY ?? DEMO.consumer.key,
    consumerSecret: process.env.TWITTER_CONSUMER_SECRET ?? DEMO.consumer.secret,
  });
  const endpoints = twitterEndpoints(local?.url);
  const requestTokens = await requestToken(signer, endpoints); // oauth_callback=oob
  const approveAt = authorizationUrl(endpoints, requestTokens);
  const verifier = real ? await askForVerifier(approveAt) : await approveLocally(approveAt);
  const access = await accessToken(signer, endpoints, {
    token: requestTokens.token,
    tokenSecret: requestTokens.tokenSecret,
    verifier,
  });
  console.log(`access token ${access.token} (secret ${REDACTED}) for ${access.extras.screen_name}`);
} finally {
  await local?.close();
}
