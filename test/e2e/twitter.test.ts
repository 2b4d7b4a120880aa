import { inspect } from 'node:util';
import { createSigner, type FetchLike, isOAuthError } from '@countersign/core';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { createMemoryNonceStore, verifyRequest } from '@countersign/server';
import { reverseAuthAccessToken, twitterReverseAuth, xAuth } from '@countersign/twitter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = { key: 'twitterAppConsumerKey0', secret: 'app consumer secret' };
const DEVICE = { key: 'deviceAccountConsumer0', secret: 'device consumer secret' };
const PASSWORD = 'correct horse battery staple';
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [APP, DEVICE], users: [{ username: 'jack', password: PASSWORD }] });
});
afterAll(() => sandbox.close());

/** A fetch that keeps what went on the wire. */
function wire() {
  const sent: Array<{ url: string; authorization: string; body: string; contentType: string }> = [];
  const send: FetchLike = async (input, init) => {
    const headers = new Headers(init?.headers);
    sent.push({
      url: String(input),
      authorization: headers.get('authorization') ?? '',
      body: String(init?.body ?? ''),
      contentType: headers.get('content-type') ?? '',
    });
    return fetch(input, init);
  };
  return { sent, send };
}

describe('reverse auth', () => {
  it('step 1 carries x_auth_mode=reverse_auth in the header and the body, and the base string has it twice', async () => {
    const { sent, send } = wire();
    const parameters = await twitterReverseAuth(createSigner({ consumerKey: APP.key, consumerSecret: APP.secret }), {
      base: sandbox.url,
      fetch: send,
    });
    expect(parameters).toMatch(/^OAuth .*oauth_token="\w+"/);
    const [request] = sent;
    expect(request?.authorization).toContain('x_auth_mode="reverse_auth"');
    expect(request?.body).toBe('x_auth_mode=reverse_auth');
    // Recompute the base string from what was on the wire.
    const verdict = await verifyRequest(
      {
        method: 'POST',
        url: request?.url as string,
        authorization: request?.authorization,
        body: request?.body,
        contentType: request?.contentType,
      },
      { lookupConsumer: () => ({ secret: APP.secret }), nonceStore: createMemoryNonceStore() },
    );
    expect(verdict.ok).toBe(true);
    expect(verdict.baseString?.match(/x_auth_mode%3Dreverse_auth/g)).toHaveLength(2);
  });

  it('the sandbox refuses the mode in the body only, as Twitter does, and says so', async () => {
    const signer = createSigner({ consumerKey: APP.key, consumerSecret: APP.secret });
    const body = 'x_auth_mode=reverse_auth';
    const signed = await signer.sign({
      method: 'POST',
      url: sandbox.endpoints.requestTokenUrl,
      body,
      contentType: 'application/x-www-form-urlencoded',
    });
    const response = await fetch(sandbox.endpoints.requestTokenUrl, {
      method: 'POST',
      headers: { authorization: signed.authorization as string, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(response.status).toBe(400);
    expect(decodeURIComponent(await response.text())).toMatch(/oauth_problem=parameter_absent.*only in the body/);
  });

  it('step 2, on the device with its own consumer and token, yields the user token for the app', async () => {
    const parameters = await twitterReverseAuth(createSigner({ consumerKey: APP.key, consumerSecret: APP.secret }), {
      base: sandbox.url,
    });
    const device = await xAuth(createSigner({ consumerKey: DEVICE.key, consumerSecret: DEVICE.secret }), {
      username: 'jack',
      password: PASSWORD,
      accessTokenUrl: sandbox.endpoints.accessTokenUrl,
    });
    const deviceSigner = createSigner({
      consumerKey: DEVICE.key,
      consumerSecret: DEVICE.secret,
      token: device.token,
      tokenSecret: device.tokenSecret,
    });
    const user = await reverseAuthAccessToken(deviceSigner, {
      base: sandbox.url,
      reverseAuthParameters: parameters,
      targetConsumerKey: APP.key,
    });
    expect(user.token).toMatch(/^\w{24}$/);
    // The token belongs to the app: the app's consumer can use it.
    const appSigner = createSigner({
      consumerKey: APP.key,
      consumerSecret: APP.secret,
      token: user.token,
      tokenSecret: user.tokenSecret,
    });
    const signed = await appSigner.sign({ method: 'GET', url: `${sandbox.url}/1/echo` });
    expect((await fetch(signed.url, { headers: { authorization: signed.authorization as string } })).status).toBe(200);
  });
});

describe('xAuth', () => {
  it('signs the password in the body and keeps it out of every error and printed object', async () => {
    const { sent, send } = wire();
    const signer = createSigner({ consumerKey: APP.key, consumerSecret: APP.secret });
    const tokens = await xAuth(signer, {
      username: 'jack',
      password: PASSWORD,
      accessTokenUrl: sandbox.endpoints.accessTokenUrl,
      fetch: send,
    });
    expect(tokens.extras.screen_name).toBe('jack');
    expect(new URLSearchParams(sent[0]?.body).get('x_auth_password')).toBe(PASSWORD);

    const error = await xAuth(signer, {
      username: 'jack',
      password: `${PASSWORD}!`,
      accessTokenUrl: sandbox.endpoints.accessTokenUrl,
    }).catch((e: unknown) => e);
    expect(isOAuthError(error)).toBe(true);
    expect(error).toMatchObject({ problem: 'permission_denied', status: 401 });
    const printed = [
      String(error),
      (error as Error).message,
      JSON.stringify(error),
      inspect(error, { showHidden: true, depth: 5 }),
      String((error as { baseString?: string }).baseString),
      inspect(tokens, { showHidden: true }),
      JSON.stringify(tokens),
    ].join('\n');
    for (const form of [PASSWORD, encodeURIComponent(PASSWORD), encodeURIComponent(encodeURIComponent(PASSWORD))]) {
      expect(printed).not.toContain(form);
    }
    expect((error as { baseString: string }).baseString).toContain('x_auth_password%3D%5Bredacted%5D');
  });
});
