/**
 * X API v2 with OAuth 1.0a user context: a chunked media upload (JSON and multipart bodies,
 * never signed) and a post that carries the media.
 *
 *   npx tsx examples/x-api.ts      # against the local sandbox playing X
 *   X_CONSUMER_KEY=… X_CONSUMER_SECRET=… X_ACCESS_TOKEN=… X_ACCESS_TOKEN_SECRET=… X_MEDIA_FILE=clip.mp4 npx tsx examples/x-api.ts
 */
import { readFileSync } from 'node:fs';
import { createOAuthFetch, createSigner } from '@countersign/core';
import { postTweet, uploadMedia } from '@countersign/twitter';
import { DEMO, startLocalProvider } from './lib/local-provider.ts';

const env = process.env;
const real = env.X_CONSUMER_KEY !== undefined;
const local = real ? undefined : await startLocalProvider({ provider: 'x' });
try {
  const issued = local?.issueAccessToken(DEMO.consumer.key);
  const xFetch = createOAuthFetch(
    createSigner({
      consumerKey: env.X_CONSUMER_KEY ?? DEMO.consumer.key,
      consumerSecret: env.X_CONSUMER_SECRET ?? DEMO.consumer.secret,
      token: env.X_ACCESS_TOKEN ?? issued?.token,
      tokenSecret: env.X_ACCESS_TOKEN_SECRET ?? issued?.tokenSecret,
    }),
  );
  const base = local?.url;
  const media = env.X_MEDIA_FILE ? readFileSync(env.X_MEDIA_FILE) : new Uint8Array(6 * 1024 * 1024).fill(7);
  const mediaId = await uploadMedia(xFetch, media, {
    mediaType: 'video/mp4',
    ...(base ? { base, wait: async () => {} } : {}),
  });
  console.log(
    `uploaded ${media.byteLength} bytes in ${Math.ceil(media.byteLength / (4 * 1024 * 1024))} chunks -> media ${mediaId}`,
  );
  const tweet = await postTweet(xFetch, 'Signed with Countersign', { mediaIds: [mediaId], ...(base ? { base } : {}) });
  console.log(`posted ${tweet.id}: ${tweet.text}`);
} finally {
  await local?.close();
}
