import { createOAuthFetch, createSigner, type SignedEvent } from '@countersign/core';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { postTweet, uploadMedia, xEndpoints } from '@countersign/twitter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = { key: 'xApiConsumerKey0000000', secret: 'x api consumer secret' };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [APP], profile: { provider: 'x' } });
});
afterAll(() => sandbox.close());

describe('X API v2 in OAuth 1.0a user context, against the sandbox playing X', () => {
  it('xEndpoints are on api.x.com', () => {
    expect(xEndpoints()).toMatchObject({
      requestTokenUrl: 'https://api.x.com/oauth/request_token',
      accessTokenUrl: 'https://api.x.com/oauth/access_token',
    });
  });

  it('chunked media upload then a post with it: JSON and multipart bodies never signed, every request verified', async () => {
    const { token, tokenSecret } = sandbox.issueAccessToken(APP.key);
    const signings: SignedEvent[] = [];
    const xFetch = createOAuthFetch(
      createSigner({ consumerKey: APP.key, consumerSecret: APP.secret, token, tokenSecret }),
      {
        onSigned: (event) => signings.push(event),
      },
    );
    const video = new Uint8Array(10_000).map((_, index) => index % 251);
    const mediaId = await uploadMedia(xFetch, video, {
      mediaType: 'video/mp4',
      chunkBytes: 4096,
      base: sandbox.url,
      wait: async () => {},
    });
    expect(mediaId).toMatch(/^\d+$/);
    const tweet = await postTweet(xFetch, 'Hello, signed & sent', { mediaIds: [mediaId], base: sandbox.url });
    expect(tweet.text).toBe('Hello, signed & sent');
    // initialize, 3 appends (4096 + 4096 + 1808 bytes), finalize, one status check, the post.
    expect(signings.map((event) => `${event.method} ${new URL(event.url).pathname}`)).toEqual([
      'POST /2/media/upload/initialize',
      `POST /2/media/upload/${mediaId}/append`,
      `POST /2/media/upload/${mediaId}/append`,
      `POST /2/media/upload/${mediaId}/append`,
      `POST /2/media/upload/${mediaId}/finalize`,
      'GET /2/media/upload',
      'POST /2/tweets',
    ]);
    // Only OAuth parameters (and the status query) were signed: no body parameter.
    for (const event of signings) {
      const names = decodeURIComponent(event.baseString.split('&')[2] ?? '')
        .split('&')
        .map((pair) => pair.split('=')[0]);
      expect(names.filter((name) => !name?.startsWith('oauth_') && name !== 'command' && name !== 'media_id')).toEqual(
        [],
      );
    }
  });

  it('a body that is not JSON is answered 400, as X does, not a sandbox failure', async () => {
    const { token, tokenSecret } = sandbox.issueAccessToken(APP.key);
    const xFetch = createOAuthFetch(
      createSigner({ consumerKey: APP.key, consumerSecret: APP.secret, token, tokenSecret }),
    );
    const response = await xFetch(`${sandbox.url}/2/tweets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text": "unterminated',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ message: 'text is required.' }] });
  });

  it('a size that does not add up is refused by X (the sandbox), as an OAuthError with its message', async () => {
    const { token, tokenSecret } = sandbox.issueAccessToken(APP.key);
    const xFetch = createOAuthFetch(
      createSigner({ consumerKey: APP.key, consumerSecret: APP.secret, token, tokenSecret }),
    );
    const lying: typeof xFetch = (input, init) =>
      xFetch(
        input,
        String(input).endsWith('/initialize')
          ? { ...init, body: JSON.stringify({ media_type: 'image/png', total_bytes: 99 }) }
          : init,
      );
    const error = await uploadMedia(lying, new Uint8Array(10), { mediaType: 'image/png', base: sandbox.url }).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toContain('Received 10 bytes of the 99 announced');
  });
});
