import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import {
  accessToken,
  authorizationUrl,
  createOAuthFetch,
  createSigner,
  parseCallback,
  requestToken,
  type Signer,
} from '@countersign/core';
import { jiraEndpoints, jiraSigner } from '@countersign/jira';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { createXeroPartnerFetch, xeroEndpoints, xeroPrivateAppSigner, xeroSession } from '@countersign/xero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs1 = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const PUBLIC_APP = { key: 'xeroPublicConsumerKey0', secret: 'xero public secret' };
const PRIVATE_APP = { key: 'xeroPrivateConsumerKey', publicKey: keys.publicKey, privateApp: true };
const PARTNER_APP = { key: 'xeroPartnerConsumerKey', publicKey: keys.publicKey };
const JIRA = { key: 'jiraApplicationLink000', publicKey: keys.publicKey };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    consumers: [PUBLIC_APP, PRIVATE_APP, PARTNER_APP, JIRA],
    accessTokenLifetimeSeconds: 1800,
  });
});
afterAll(() => sandbox.close());

async function threeLegged(signer: Signer, endpoints: ReturnType<typeof xeroEndpoints>) {
  const requestTokens = await requestToken(signer, endpoints, { callback: 'https://app.example.com/cb' });
  const landing =
    (await fetch(authorizationUrl(endpoints, requestTokens), { redirect: 'manual' })).headers.get('location') ?? '';
  const { verifier } = parseCallback(landing, requestTokens);
  return accessToken(signer, endpoints, {
    token: requestTokens.token,
    tokenSecret: requestTokens.tokenSecret,
    verifier,
  });
}

describe('Xero', () => {
  it('public app: HMAC-SHA1 three-legged on /oauth/RequestToken, Authorize, AccessToken', async () => {
    const signer = createSigner({ consumerKey: PUBLIC_APP.key, consumerSecret: PUBLIC_APP.secret });
    const tokens = await threeLegged(signer, xeroEndpoints(sandbox.url));
    expect(tokens.extras).toMatchObject({ oauth_expires_in: '1800', oauth_session_handle: expect.any(String) });
  });

  it('private app: RSA-SHA1 two-legged, the consumer key as oauth_token, from a PKCS#1 key', async () => {
    const signer = xeroPrivateAppSigner({ consumerKey: PRIVATE_APP.key, privateKey: pkcs1 });
    const response = await createOAuthFetch(signer)(`${sandbox.url}/api.xro/2.0/Organisation`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token: PRIVATE_APP.key, signatureMethod: 'RSA-SHA1' });
  });

  it('partner app: RSA-SHA1 three-legged; an expired token is renewed once with its session handle and the call retried', async () => {
    const signer = createSigner({ consumerKey: PARTNER_APP.key, signatureMethod: 'RSA-SHA1', privateKey: pkcs1 });
    const session = xeroSession(await threeLegged(signer, xeroEndpoints(sandbox.url)));
    const firstToken = session.token;
    const renewed: string[] = [];
    const xero = createXeroPartnerFetch(signer, session, { base: sandbox.url, onRenew: (s) => renewed.push(s.token) });
    expect((await xero(`${sandbox.url}/api.xro/2.0/Invoices`)).status).toBe(200);
    sandbox.expireAccessTokens();
    const afterExpiry = await xero(`${sandbox.url}/api.xro/2.0/Invoices?page=1`);
    expect(afterExpiry.status).toBe(200);
    expect(renewed).toHaveLength(1);
    expect(session.token).not.toBe(firstToken);
    expect((await afterExpiry.json()).token).toBe(session.token);
    // Printed (a log line, JSON) the session hides its secret; spread, it is plain data to save.
    expect(JSON.stringify(session)).toContain('"tokenSecret":"[redacted]"');
    expect(inspect(session)).not.toContain(session.tokenSecret);
    expect(JSON.stringify({ ...session })).toContain(JSON.stringify(session.tokenSecret));
  });
});

describe('Xero partner sessions under concurrency', () => {
  it('requests that meet the expiry together renew once, and each is retried with the renewed token', async () => {
    const signer = createSigner({ consumerKey: PARTNER_APP.key, signatureMethod: 'RSA-SHA1', privateKey: pkcs1 });
    const session = xeroSession(await threeLegged(signer, xeroEndpoints(sandbox.url)));
    const renewed: string[] = [];
    const xero = createXeroPartnerFetch(signer, session, { base: sandbox.url, onRenew: (s) => renewed.push(s.token) });
    sandbox.expireAccessTokens();
    // The renewal revokes the expired token (as Xero does): a second renewal with it is refused.
    const answers = await Promise.all(
      [1, 2, 3].map((page) => xero(`${sandbox.url}/api.xro/2.0/Invoices?page=${page}`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(renewed).toHaveLength(1);
    for (const answer of answers) expect((await answer.json()).token).toBe(session.token);
  });
});

describe('Jira application links', () => {
  for (const signatureMethod of ['RSA-SHA1', 'RSA-SHA256'] as const) {
    it(`${signatureMethod} three-legged on /plugins/servlet/oauth/*, callback oob by default`, async () => {
      const signer = jiraSigner({ consumerKey: JIRA.key, privateKey: keys.privateKey, signatureMethod });
      const endpoints = jiraEndpoints(`${sandbox.url}/`);
      const requestTokens = await requestToken(signer, endpoints);
      const page = await (await fetch(authorizationUrl(endpoints, requestTokens))).text();
      const verifier = /Your verifier: (\w+)/.exec(page)?.[1] as string;
      const access = await accessToken(signer, endpoints, {
        token: requestTokens.token,
        tokenSecret: requestTokens.tokenSecret,
        verifier,
      });
      const user = jiraSigner({
        consumerKey: JIRA.key,
        privateKey: keys.privateKey,
        signatureMethod,
        token: access.token,
        tokenSecret: access.tokenSecret,
      });
      const response = await createOAuthFetch(user)(`${sandbox.url}/rest/api/2/myself`);
      expect(await response.json()).toMatchObject({ signatureMethod });
    });
  }

  it('a refusal names the first parameter where the server base string differs from ours', async () => {
    const signer = jiraSigner({ consumerKey: JIRA.key, privateKey: keys.privateKey });
    const signed = await signer.sign(
      { method: 'GET', url: `${sandbox.url}/rest/api/2/search?jql=project%20%3D%20CS` },
      { token: null },
    );
    const response = await fetch(`${sandbox.url}/rest/api/2/search?jql=project+%3D+CS&maxResults=5`, {
      headers: { authorization: signed.authorization as string },
    });
    const error = await import('@countersign/core')
      .then(({ throwIfRefused }) => throwIfRefused(response, signed.baseString))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      problem: 'signature_invalid',
      difference: { name: 'maxResults', ours: undefined, theirs: '5' },
    });
  });
});
