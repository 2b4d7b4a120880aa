/**
 * Twitter reverse auth: your server gets the parameters (step 1), a device that already has
 * a Twitter account token trades them for a token for your app (step 2).
 *
 *   npx tsx examples/reverse-auth.ts                      # against the local sandbox
 *   TWITTER_CONSUMER_KEY=… TWITTER_CONSUMER_SECRET=… DEVICE_CONSUMER_KEY=… DEVICE_CONSUMER_SECRET=… \
 *   DEVICE_TOKEN=… DEVICE_TOKEN_SECRET=… npx tsx examples/reverse-auth.ts
 */
import { createSigner, REDACTED } from '@countersign/core';
import { reverseAuthAccessToken, twitterReverseAuth, xAuth } from '@countersign/twitter';
import { DEMO, startLocalProvider } from './lib/local-provider.ts';

const env = process.env;
const real = env.TWITTER_CONSUMER_KEY !== undefined;
const local = real ? undefined : await startLocalProvider();
try {
  const consumerKey = env.TWITTER_CONSUMER_KEY ?? DEMO.consumer.key;
  const app = createSigner({ consumerKey, consumerSecret: env.TWITTER_CONSUMER_SECRET ?? DEMO.consumer.secret });
  const reverseAuthParameters = await twitterReverseAuth(app, { base: local?.url });
  console.log(`step 1: ${reverseAuthParameters.slice(0, 48)}…`);
  // Locally the device account logs in with xAuth first; a real device already has its token.
  const device = real
    ? { token: env.DEVICE_TOKEN as string, tokenSecret: env.DEVICE_TOKEN_SECRET as string }
    : await xAuth(createSigner({ consumerKey: DEMO.device.key, consumerSecret: DEMO.device.secret }), {
        ...DEMO.user,
        accessTokenUrl: local?.endpoints.accessTokenUrl,
      });
  const deviceSigner = createSigner({
    consumerKey: env.DEVICE_CONSUMER_KEY ?? DEMO.device.key,
    consumerSecret: env.DEVICE_CONSUMER_SECRET ?? DEMO.device.secret,
    token: device.token,
    tokenSecret: device.tokenSecret,
  });
  const user = await reverseAuthAccessToken(deviceSigner, {
    base: local?.url,
    reverseAuthParameters,
    targetConsumerKey: consumerKey,
  });
  console.log(`step 2: access token ${user.token} (secret ${REDACTED}) for the app`);
} finally {
  await local?.close();
}
