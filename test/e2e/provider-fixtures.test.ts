import { generateKeyPairSync } from 'node:crypto';
import {
  accessToken,
  createOAuthFetch,
  createSigner,
  type OAuthEndpoints,
  requestToken,
  type Signer,
} from '@countersign/core';
import { jiraEndpoints, jiraSigner } from '@countersign/jira';
import { type ExpectedSigning, nockSignedBy } from '@countersign/testing';
import { reverseAuthAccessToken, twitterEndpoints, twitterReverseAuth, xAuth } from '@countersign/twitter';
import { createXeroPartnerFetch, xeroEndpoints, xeroPrivateAppSigner, xeroSession } from '@countersign/xero';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fixtures from '../fixtures/provider-responses.json' with { type: 'json' };

interface Answer {
  status: number;
  body: string;
  contentType?: string;
}
const reply = (answer: Answer, headers: Record<string, string> = {}) =>
  [
    answer.status,
    answer.body,
    { 'content-type': answer.contentType ?? 'application/x-www-form-urlencoded', ...headers },
  ] as const;

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
  nock.enableNetConnect();
});

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const TWITTER_APP = {
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
};
const twitter = () => createSigner(TWITTER_APP);

/** A recorded answer, given only to a request signed as `expected` (verified, not matched on a fixed header). */
function signedReply(origin: string, expected: ExpectedSigning, answer: Answer) {
  const scope = nock(origin);
  const signed = nockSignedBy(scope, expected);
  const [status, body, headers] = reply(answer);
  return { scope, reply: signed.reply(status, body, headers) };
}

/** Replays a documented request-token and access-token answer, and runs the flow through them. */
async function threeLeggedFrom(
  signer: Signer,
  consumer: ExpectedSigning,
  endpoints: OAuthEndpoints,
  requestAnswer: Answer,
  accessAnswer: Answer,
) {
  const issued = new URLSearchParams(requestAnswer.body);
  for (const [url, answer, expected] of [
    [endpoints.requestTokenUrl, requestAnswer, consumer],
    [
      endpoints.accessTokenUrl,
      accessAnswer,
      {
        ...consumer,
        token: issued.get('oauth_token') ?? '',
        tokenSecret: issued.get('oauth_token_secret') ?? '',
        params: { oauth_verifier: 'v' },
      },
    ],
  ] as const) {
    const { origin, pathname } = new URL(url);
    const { scope, reply: answerSigned } = signedReply(origin, expected, answer);
    scope.post(pathname).reply(answerSigned);
  }
  const request = await requestToken(signer, endpoints, { callback: 'https://app.example.com/cb' });
  return accessToken(signer, endpoints, { token: request.token, tokenSecret: request.tokenSecret, verifier: 'v' });
}

describe('Twitter, from its documented answers', () => {
  it('three-legged: request token then access token with user_id and screen_name', async () => {
    const access = await threeLeggedFrom(
      twitter(),
      TWITTER_APP,
      twitterEndpoints(),
      fixtures.twitter.requestToken,
      fixtures.twitter.accessToken,
    );
    expect(access.extras).toEqual({ user_id: '6253282', screen_name: 'twitterapi' });
  });

  it('error 32 is signature_invalid and is not retried', async () => {
    nock('https://api.twitter.com')
      .post('/oauth/request_token')
      .reply(...reply(fixtures.twitter.couldNotAuthenticate));
    await expect(requestToken(twitter(), twitterEndpoints())).rejects.toMatchObject({
      status: 401,
      problem: 'signature_invalid',
      providerCode: 32,
    });
  });

  it('error 135 corrects the clock from the Date header and succeeds on the retry', async () => {
    const signer = twitter();
    const serverDate = new Date(Date.now() + 3_600_000).toUTCString();
    nock('https://api.twitter.com')
      .post('/oauth/request_token')
      .reply(...reply(fixtures.twitter.timestampOutOfBounds, { date: serverDate }));
    nock('https://api.twitter.com')
      .post('/oauth/request_token')
      .reply(...reply(fixtures.twitter.requestToken));
    await requestToken(signer, twitterEndpoints());
    expect(Math.abs(signer.clockOffsetFor('https://api.twitter.com/') - 3600)).toBeLessThanOrEqual(2);
  });

  it('the plain-text refusal and error 415 become typed errors with hints', async () => {
    nock('https://api.twitter.com')
      .post('/oauth/access_token')
      .reply(...reply(fixtures.twitter.failedToValidate));
    await expect(xAuth(twitter(), { username: 'u', password: 'p' })).rejects.toMatchObject({
      problem: 'signature_invalid',
      message: expect.stringMatching(/base string/),
    });
    nock('https://api.twitter.com')
      .post('/oauth/request_token')
      .reply(...reply(fixtures.twitter.callbackNotApproved));
    await expect(
      requestToken(twitter(), twitterEndpoints(), { callback: 'https://evil.example/cb' }),
    ).rejects.toMatchObject({ status: 403, problem: 'callback_rejected', providerCode: 415 });
  });

  it('xAuth: the documented access-token answer', async () => {
    const { scope, reply: answerSigned } = signedReply(
      'https://api.twitter.com',
      {
        ...TWITTER_APP,
        params: { x_auth_mode: 'client_auth', x_auth_username: 'twitterapi', x_auth_password: 'secret' },
      },
      fixtures.twitter.accessToken,
    );
    scope.post('/oauth/access_token').reply(answerSigned);
    const tokens = await xAuth(twitter(), { username: 'twitterapi', password: 'secret' });
    expect(tokens.extras.screen_name).toBe('twitterapi');
  });

  it('reverse auth step 2: the device trades the parameters for the user token', async () => {
    const deviceCredentials = {
      consumerKey: 'deviceKey',
      consumerSecret: 'deviceSecret',
      token: 'deviceToken',
      tokenSecret: 'deviceTokenSecret',
    };
    const { scope, reply: answerSigned } = signedReply(
      'https://api.twitter.com',
      {
        ...deviceCredentials,
        params: {
          x_reverse_auth_target: 'xvz1evFS4wEEPTGEFPHBog',
          x_reverse_auth_parameters: fixtures.twitter.reverseAuth.body,
        },
      },
      fixtures.twitter.accessToken,
    );
    scope.post('/oauth/access_token').reply(answerSigned);
    const device = createSigner(deviceCredentials);
    const user = await reverseAuthAccessToken(device, {
      reverseAuthParameters: fixtures.twitter.reverseAuth.body,
      targetConsumerKey: 'xvz1evFS4wEEPTGEFPHBog',
    });
    expect(user.extras.user_id).toBe('6253282');
  });

  it('reverse auth step 1 returns the parameter string', async () => {
    const { scope, reply: answerSigned } = signedReply(
      'https://api.twitter.com',
      { ...TWITTER_APP, params: { x_auth_mode: 'reverse_auth' } },
      fixtures.twitter.reverseAuth,
    );
    scope.post('/oauth/request_token').reply(answerSigned);
    expect(await twitterReverseAuth(twitter())).toBe(fixtures.twitter.reverseAuth.body);
  });
});

describe('Xero, from its documented answers', () => {
  it('public app: HMAC-SHA1 three-legged', async () => {
    const app = { consumerKey: 'public', consumerSecret: 'public secret' };
    const access = await threeLeggedFrom(
      createSigner(app),
      app,
      xeroEndpoints(),
      fixtures.xero.requestToken,
      fixtures.xero.partnerAccessToken,
    );
    expect(access.extras).toMatchObject({ oauth_expires_in: '1800', xero_org_muid: 'a1b2c3d4' });
  });

  it('partner app: access token with session handle, then token_expired renewed once and retried', async () => {
    const signer = createSigner({ consumerKey: 'partner', signatureMethod: 'RSA-SHA1', privateKey });
    const session = xeroSession(
      await threeLeggedFrom(
        signer,
        { consumerKey: 'partner', publicKey, signatureMethod: 'RSA-SHA1' },
        xeroEndpoints(),
        fixtures.xero.requestToken,
        fixtures.xero.partnerAccessToken,
      ),
    );
    expect(session.sessionHandle).toBe('ODJHMGEZNGVKMGM1NDA1NZ');
    nock('https://api.xero.com')
      .get('/api.xro/2.0/Organisation')
      .reply(...reply(fixtures.xero.tokenExpired));
    nock('https://api.xero.com')
      .post('/oauth/AccessToken')
      .reply(...reply(fixtures.xero.partnerAccessToken));
    nock('https://api.xero.com')
      .get('/api.xro/2.0/Organisation')
      .reply(...reply(fixtures.xero.organisation));
    const response = await createXeroPartnerFetch(signer, session)('https://api.xero.com/api.xro/2.0/Organisation');
    expect(response.status).toBe(200);
  });

  it('private app and its documented refusals', async () => {
    const signer = xeroPrivateAppSigner({ consumerKey: 'private', privateKey });
    // A private app's consumer key doubles as its token.
    const { scope, reply: answerSigned } = signedReply(
      'https://api.xero.com',
      { consumerKey: 'private', publicKey, token: 'private', signatureMethod: 'RSA-SHA1' },
      fixtures.xero.organisation,
    );
    scope.get('/api.xro/2.0/Organisation').reply(answerSigned);
    expect((await createOAuthFetch(signer)('https://api.xero.com/api.xro/2.0/Organisation')).status).toBe(200);
    nock('https://api.xero.com')
      .post('/oauth/RequestToken')
      .reply(...reply(fixtures.xero.consumerKeyUnknown));
    await expect(requestToken(signer, xeroEndpoints())).rejects.toMatchObject({
      problem: 'consumer_key_unknown',
      advice: 'Consumer key was not recognised',
    });
    nock('https://api.xero.com')
      .post('/oauth/RequestToken')
      .reply(...reply(fixtures.xero.signatureInvalid));
    await expect(requestToken(signer, xeroEndpoints())).rejects.toMatchObject({
      problem: 'signature_invalid',
      advice: 'Failed to validate signature',
    });
  });
});

describe('Jira, from its documented answers', () => {
  const endpoints = jiraEndpoints('https://jira.example.com');
  const signer = () => jiraSigner({ consumerKey: 'jiraApplicationLink000', privateKey });

  it('request token and access token (an empty token secret is fine)', async () => {
    const access = await threeLeggedFrom(
      signer(),
      { consumerKey: 'jiraApplicationLink000', publicKey, signatureMethod: 'RSA-SHA1' },
      endpoints,
      fixtures.jira.requestToken,
      fixtures.jira.accessToken,
    );
    expect(access.tokenSecret).toBe('');
  });

  it('an echoed base string names the difference; timestamp_refused is corrected from the acceptable range', async () => {
    nock('https://jira.example.com')
      .post('/plugins/servlet/oauth/request-token')
      .reply(...reply(fixtures.jira.signatureInvalidEchoed));
    const error = await requestToken(signer(), endpoints).catch((e: unknown) => e);
    expect(error).toMatchObject({
      problem: 'signature_invalid',
      difference: { part: 'method', ours: 'POST', theirs: 'GET' },
    });
    // The documented range is from 2023, and a correction of more than a day is not believed:
    // this signer's clock is an hour behind it.
    const s = createSigner({
      signatureMethod: 'RSA-SHA1',
      consumerKey: 'jiraApplicationLink000',
      privateKey,
      clock: () => (1_700_000_300 - 3600) * 1000,
    });
    nock('https://jira.example.com')
      .post('/plugins/servlet/oauth/request-token')
      .reply(...reply(fixtures.jira.timestampRefused));
    nock('https://jira.example.com')
      .post('/plugins/servlet/oauth/request-token')
      .reply(...reply(fixtures.jira.requestToken));
    await requestToken(s, endpoints);
    expect(s.timestamp(endpoints.requestTokenUrl)).toBeGreaterThanOrEqual(1_700_000_000 - 2);
    expect(s.timestamp(endpoints.requestTokenUrl)).toBeLessThanOrEqual(1_700_000_600);
  });
});
