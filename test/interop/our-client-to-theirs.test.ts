import { createRequire } from 'node:module';
import { parse as parseQuery } from 'node:querystring';
import { accessToken, authorizationUrl, createOAuthFetch, createSigner, requestToken } from '@countersign/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOauthlibEndpoints } from '../oauthlib/endpoints.ts';

// The other direction: our client, judged by servers nobody here wrote.
const require = createRequire(import.meta.url);
const lti = require('ims-lti') as {
  Provider: new (
    key: string,
    secret: string,
  ) => { valid_request(req: object, body: object, callback: (error: Error | null, valid: boolean) => void): void };
};

// oauthlib's default validator wants 20-30 alphanumerics for keys and tokens.
const CONSUMER = { key: 'ourClientConsumer00000', secret: 'our client secret +/&=' };
let provider: Awaited<ReturnType<typeof startOauthlibEndpoints>>;

beforeAll(async () => {
  provider = await startOauthlibEndpoints({ [CONSUMER.key]: CONSUMER.secret });
});
afterAll(() => provider.close());

describe("our client → oauthlib's RequestTokenEndpoint, AccessTokenEndpoint and ResourceEndpoint", () => {
  it('the three-legged flow, then signed GET and form POST to a protected resource, all accepted', async () => {
    const signer = createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });
    const endpoints = {
      requestTokenUrl: `${provider.url}/request_token`,
      authorizeUrl: `${provider.url}/authorize`,
      accessTokenUrl: `${provider.url}/access_token`,
    };
    const requestTokens = await requestToken(signer, endpoints, { callback: 'https://client.example.com/callback' });
    expect(requestTokens.callbackConfirmed).toBe(true);
    // The user approves: the provider's authorize page hands back the verifier.
    const approval = (await (await fetch(authorizationUrl(endpoints, requestTokens))).json()) as {
      oauth_verifier: string;
    };
    const access = await accessToken(signer, endpoints, {
      token: requestTokens.token,
      tokenSecret: requestTokens.tokenSecret,
      verifier: approval.oauth_verifier,
    });
    expect(access.token).toMatch(/^\w{20,30}$/);
    const send = createOAuthFetch(
      createSigner({
        consumerKey: CONSUMER.key,
        consumerSecret: CONSUMER.secret,
        token: access.token,
        tokenSecret: access.tokenSecret,
      }),
    );
    const get = await send(`${provider.url}/photos?size=original&file=vacation%20photo.jpg&tag=a+b`);
    expect(await get.json()).toEqual({
      ok: true,
      params: [
        ['size', 'original'],
        ['file', 'vacation photo.jpg'],
        ['tag', 'a b'],
      ],
    });
    const post = await send(`${provider.url}/statuses/update`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ status: "Hello Ladies + Gentlemen, it's (ok)!" }),
    });
    expect(post.status).toBe(200);
    // A replay of the same signed request is refused by oauthlib's nonce check (our validator).
    const signed = await createSigner({
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      token: access.token,
      tokenSecret: access.tokenSecret,
    }).sign({ method: 'GET', url: `${provider.url}/photos` });
    const headers = { authorization: signed.authorization as string };
    expect((await fetch(signed.url, { headers })).status).toBe(200);
    expect((await fetch(signed.url, { headers })).status).toBe(401);
  });
});

describe("our signer → ims-lti's Provider.valid_request", () => {
  // ims-lti builds its key from the raw secret: only unreserved characters agree with RFC 5849.
  const LMS = { key: 'ourLmsConsumerKey000000', secret: 'lms-shared_secret.0123' };
  const TOOL = 'http://tool.example.com/lti/launch';

  function validate(body: string): Promise<boolean> {
    const provider = new lti.Provider(LMS.key, LMS.secret);
    const request = { method: 'POST', url: '/lti/launch', protocol: 'http', headers: { host: 'tool.example.com' } };
    return new Promise((resolve) =>
      provider.valid_request(request, parseQuery(body), (_error, valid) => resolve(valid)),
    );
  }

  it('a launch signed by Countersign as an LMS signs it (OAuth parameters in the body) is valid', async () => {
    const signer = createSigner({ consumerKey: LMS.key, consumerSecret: LMS.secret, transmission: 'body' });
    const launch = new URLSearchParams([
      ['lti_message_type', 'basic-lti-launch-request'],
      ['lti_version', 'LTI-1p0'],
      ['resource_link_id', 'course-42-unit-3'],
      ['lis_person_name_full', "Zoë O'Brien (TA) + co!"],
      ['roles', 'Learner'],
    ]);
    const signed = await signer.sign({
      method: 'POST',
      url: TOOL,
      body: launch.toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(await validate(signed.body as string)).toBe(true);
    // And a tampered one is not: the judge is not lenient.
    expect(await validate((signed.body as string).replace('roles=Learner', 'roles=Instructor'))).toBe(false);
  });
});
