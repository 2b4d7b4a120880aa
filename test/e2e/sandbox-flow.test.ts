import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  accessToken,
  authorizationUrl,
  createOAuthFetch,
  createSigner,
  type FetchLike,
  isOAuthError,
  OAuthError,
  parseCallback,
  requestToken,
} from '@countersign/core';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import ky from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonWithOauthlib } from '../oauthlib/judge.ts';

// Keys of 20–30 alphanumerics, as oauthlib's client and servers expect.
const CONSUMER = { key: 'sandboxConsumerKey0000', secret: 'sandbox consumer secret!' };
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_CONSUMER = { key: 'sandboxRsaConsumer00000', publicKey: rsa.publicKey };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER, RSA_CONSUMER] });
});
afterAll(() => sandbox.close());

const signer = () => createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });

async function authorize(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  return response.headers.get('location') ?? (await response.text());
}

async function threeLegged(callback: string) {
  const requestTokens = await requestToken(signer(), sandbox.endpoints, { callback });
  const landing = await authorize(authorizationUrl(sandbox.endpoints, requestTokens));
  return { requestTokens, landing };
}

/** The whole flow with oob: the verifier is read off the page the sandbox shows. */
async function oobAccessToken() {
  const { requestTokens, landing } = await threeLegged('oob');
  const verifier = /Your verifier: (\w+)/.exec(landing)?.[1] as string;
  return accessToken(signer(), sandbox.endpoints, {
    token: requestTokens.token,
    tokenSecret: requestTokens.tokenSecret,
    verifier,
  });
}

describe('the three-legged flow against the sandbox', () => {
  it('request token → authorize → callback → access token → a signed resource call', async () => {
    const { requestTokens, landing } = await threeLegged('https://app.example.com/callback?state=xyz');
    expect(requestTokens.callbackConfirmed).toBe(true);
    expect(landing).toMatch(/^https:\/\/app\.example\.com\/callback\?state=xyz&oauth_token=/);
    const { verifier } = parseCallback(landing, requestTokens);
    const access = await accessToken(signer(), sandbox.endpoints, {
      token: requestTokens.token,
      tokenSecret: requestTokens.tokenSecret,
      verifier,
    });
    expect(access.extras).toMatchObject({ screen_name: 'sandbox_user' });

    const oauthFetch = createOAuthFetch(
      createSigner({
        consumerKey: CONSUMER.key,
        consumerSecret: CONSUMER.secret,
        token: access.token,
        tokenSecret: access.tokenSecret,
      }),
    );
    const response = await oauthFetch(`${sandbox.url}/1/echo?q=a+b`, {
      method: 'POST',
      body: new URLSearchParams({ status: 'hi there' }),
    });
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as { token: string; params: Array<[string, string]> };
    expect(echoed.token).toBe(access.token);
    expect(echoed.params).toEqual(
      expect.arrayContaining([
        ['q', 'a b'],
        ['status', 'hi there'],
      ]),
    );
  });

  it('oob: the verifier is shown to the user instead', async () => {
    const access = await oobAccessToken();
    expect(access.token).toMatch(/^[A-Za-z0-9]{24}$/);
  });

  it('a user who denies access gets access_denied, and a foreign callback token callback_mismatch', async () => {
    const requestTokens = await requestToken(signer(), sandbox.endpoints, { callback: 'https://app.example.com/cb' });
    const landing = await authorize(authorizationUrl(sandbox.endpoints, requestTokens, { deny: '1' }));
    expect(() => parseCallback(landing, requestTokens)).toThrow(expect.objectContaining({ code: 'access_denied' }));
    expect(() =>
      parseCallback('https://app.example.com/cb?oauth_token=someone-else&oauth_verifier=v', requestTokens),
    ).toThrow(expect.objectContaining({ code: 'callback_mismatch' }));
  });

  it('a request token exchanged twice is refused the second time, as a typed error', async () => {
    const { requestTokens, landing } = await threeLegged('https://app.example.com/cb');
    const credentials = {
      token: requestTokens.token,
      tokenSecret: requestTokens.tokenSecret,
      verifier: parseCallback(landing, requestTokens).verifier,
    };
    await accessToken(signer(), sandbox.endpoints, credentials);
    const error = await accessToken(signer(), sandbox.endpoints, credentials).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ status: 401, problem: 'token_rejected', code: 'provider_error' });
  });

  it('spreading the request token into the credentials loses its secret: refused before sending, saying how to pass it', async () => {
    const { requestTokens, landing } = await threeLegged('oob');
    const verifier = /Your verifier: (\w+)/.exec(landing)?.[1] as string;
    const spread = { ...requestTokens, verifier };
    const error = await accessToken(signer(), sandbox.endpoints, spread).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_option' });
    expect((error as Error).message).toContain('tokenSecret: requestTokens.tokenSecret');
    // The request token was not spent: passed properly, it still works.
    const tokens = await accessToken(signer(), sandbox.endpoints, {
      token: requestTokens.token,
      tokenSecret: requestTokens.tokenSecret,
      verifier,
    });
    expect(tokens.token).toMatch(/\w{20,}/);
  });
});

describe('the flow through an HTTP client adapter', () => {
  it("ky serves as the flow's fetch (it returns a Response)", async () => {
    const viaKy: FetchLike = (input, init) => ky(input, { ...init, throwHttpErrors: false, retry: 0 });
    const tokens = await requestToken(signer(), sandbox.endpoints, { fetch: viaKy });
    expect(tokens.callbackConfirmed).toBe(true);
  });
});

describe('the sandbox refuses what a strict provider refuses, and the client says why', () => {
  it('a clock an hour off: timestamp_refused, the acceptable range and a hint', async () => {
    const skewed = createSigner({
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      clockOffsetSeconds: -3600,
    });
    const error = (await requestToken(skewed, sandbox.endpoints, { retry: false }).catch(
      (e: unknown) => e,
    )) as OAuthError;
    expect(isOAuthError(error)).toBe(true);
    expect(error.problem).toBe('timestamp_refused');
    expect(error.acceptableTimestamps).toMatch(/^\d+-\d+$/);
    expect(error.message).toMatch(/setClockOffset/);
    expect(error.baseString).toMatch(/^POST&http%3A%2F%2F127.0.0.1/);
  });

  it('a tampered request: signature_invalid, with the server base string to compare with ours', async () => {
    const signed = await signer().sign(
      { method: 'POST', url: sandbox.endpoints.requestTokenUrl },
      { token: null, oauthParams: { oauth_callback: 'oob' } },
    );
    const response = await fetch(`${sandbox.endpoints.requestTokenUrl}?extra=1`, {
      method: 'POST',
      headers: { authorization: signed.authorization as string },
    });
    const error = (await import('@countersign/core')
      .then(({ throwIfRefused }) => throwIfRefused(response, signed.baseString))
      .catch((e: unknown) => e)) as OAuthError;
    expect(error.problem).toBe('signature_invalid');
    expect(error.serverBaseString).toContain('extra%3D1');
    expect(error.baseString).not.toContain('extra');
  });

  it('a replayed request: nonce_used', async () => {
    const signed = await signer().sign(
      { method: 'POST', url: sandbox.endpoints.requestTokenUrl },
      { token: null, oauthParams: { oauth_callback: 'oob' } },
    );
    const send = () =>
      fetch(sandbox.endpoints.requestTokenUrl, {
        method: 'POST',
        headers: { authorization: signed.authorization as string },
      });
    expect((await send()).status).toBe(200);
    const replay = await send();
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/^oauth_problem=nonce_used&/);
  });

  it('an unknown consumer: consumer_key_unknown', async () => {
    const stranger = createSigner({ consumerKey: 'nobodyKnowsThisKey000', consumerSecret: 'x' });
    await expect(requestToken(stranger, sandbox.endpoints)).rejects.toMatchObject({
      problem: 'consumer_key_unknown',
      status: 401,
    });
  });
});

describe('the sandbox accepts requests signed by an implementation we did not write', () => {
  function oauthlibClient(spec: object): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(pythonWithOauthlib(), [fileURLToPath(new URL('../oauthlib/client.py', import.meta.url))]);
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      child.on('error', reject);
      child.on('close', () => resolve(JSON.parse(out)));
      child.stdin.end(JSON.stringify(spec));
    });
  }

  it('oauthlib obtains request tokens with HMAC-SHA1 and RSA-SHA1', async () => {
    const hmac = await oauthlibClient({
      url: `${sandbox.endpoints.requestTokenUrl}?x=a%20b`,
      method: 'POST',
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      callback: 'oob',
    });
    expect(hmac.status, hmac.body).toBe(200);
    expect(hmac.body).toMatch(/^oauth_token=\w+&oauth_token_secret=\w+&oauth_callback_confirmed=true$/);
    const pem = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const signedByRsa = await oauthlibClient({
      url: sandbox.endpoints.requestTokenUrl,
      method: 'POST',
      consumerKey: RSA_CONSUMER.key,
      signatureMethod: 'RSA-SHA1',
      privateKey: pem,
      callback: 'https://app.example.com/cb',
    });
    expect(signedByRsa.status, signedByRsa.body).toBe(200);
  });

  it('oauthlib calls the echo resource with an access token, query and form body signed', async () => {
    const access = await oobAccessToken();
    const echoed = await oauthlibClient({
      url: `${sandbox.url}/1/echo?q=caf%C3%A9&tag=a&tag=b`,
      method: 'POST',
      body: 'status=signed%20by%20oauthlib%21',
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      token: access.token,
      tokenSecret: access.tokenSecret,
    });
    expect(echoed.status, echoed.body).toBe(200);
    expect(JSON.parse(echoed.body).params).toEqual(
      expect.arrayContaining([
        ['q', 'café'],
        ['tag', 'b'],
        ['status', 'signed by oauthlib!'],
      ]),
    );
  });
});
