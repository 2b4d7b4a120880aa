/**
 * The browser side of the Chromium test: bundled for the browser from the packages' own
 * sources (so `#crypto` resolves to WebCrypto), loaded in a page, and driven by
 * chromium.test.ts. Every request goes to the sandbox on another origin, which verifies it.
 */
import {
  accessToken,
  authorizationUrl,
  createOAuthFetch,
  createSigner,
  type FetchLike,
  requestToken,
  type SignatureMethodName,
  type Signer,
} from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import ky from 'ky';

export interface BrowserCaseInput {
  readonly sandboxUrl: string;
  readonly consumerKey: string;
  readonly consumerSecret?: string;
  readonly privateKeyPem?: string;
  readonly signatureMethod: SignatureMethodName;
}

/** What each request came back with: the status and what the sandbox said about it. */
export interface Answer {
  readonly status: number;
  readonly signatureMethod?: string;
  readonly problem?: string;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  if (response.ok) return { status: response.status, signatureMethod: JSON.parse(text).signatureMethod };
  return { status: response.status, problem: new URLSearchParams(text).get('oauth_problem') ?? text };
}

/** The three-legged flow, in the browser: request token, the sandbox's oob page, access token. */
async function obtainAccessToken(consumer: Signer, sandboxUrl: string) {
  const endpoints = {
    requestTokenUrl: `${sandboxUrl}/oauth/request_token`,
    authorizeUrl: `${sandboxUrl}/oauth/authorize`,
    accessTokenUrl: `${sandboxUrl}/oauth/access_token`,
  };
  const temporary = await requestToken(consumer, endpoints, { callback: 'oob' });
  const page = await (await fetch(authorizationUrl(endpoints, temporary))).text();
  const verifier = /Your verifier: (\w+)/.exec(page)?.[1];
  if (verifier === undefined) throw new Error(`The sandbox's authorize page has no verifier: ${page}`);
  return accessToken(consumer, endpoints, { token: temporary.token, tokenSecret: temporary.tokenSecret, verifier });
}

/** Changes one character of the signature in the Authorization header on its way out. */
const tamperingFetch: FetchLike = (input, init) => {
  const headers = new Headers(init?.headers);
  const authorization = headers.get('authorization') ?? '';
  headers.set(
    'authorization',
    authorization.replace(
      /oauth_signature="(.)/,
      (_, first: string) => `oauth_signature="${first === 'A' ? 'B' : 'A'}`,
    ),
  );
  return fetch(input, { ...init, headers });
};

/**
 * Obtains an access token with the given method, then sends signed requests with it through
 * the fetch wrapper and through ky (a form POST with a query, and a GET with search
 * params), and two that must be refused: a tampered signature and a body changed after
 * signing.
 */
export async function runCase(input: BrowserCaseInput): Promise<Record<string, Answer>> {
  const credentials = {
    consumerKey: input.consumerKey,
    consumerSecret: input.consumerSecret,
    privateKey: input.privateKeyPem,
    signatureMethod: input.signatureMethod,
  };
  const tokens = await obtainAccessToken(createSigner(credentials), input.sandboxUrl);
  const signer = createSigner({ ...credentials, token: tokens.token, tokenSecret: tokens.tokenSecret });
  const resource = `${input.sandboxUrl}/1.1/statuses/update.json?include_entities=true&note=a+b%20c`;
  const form = () => new URLSearchParams({ status: 'Hello Ladies + Gentlemen, a signed OAuth request!', é: '😀' });
  const oauthFetch = createOAuthFetch(signer);
  const signedKy = ky.create({ retry: 0, throwHttpErrors: false, ...kyOAuth(signer) });

  return {
    fetchFormPost: await answer(await oauthFetch(resource, { method: 'POST', body: form() })),
    fetchGet: await answer(await oauthFetch(`${input.sandboxUrl}/1.1/account/verify_credentials.json?x=!*'()`)),
    kyFormPost: await answer(await signedKy.post(resource, { body: form() })),
    kyGetSearchParams: await answer(
      await signedKy.get(`${input.sandboxUrl}/1.1/search/tweets.json`, {
        searchParams: { q: 'oauth signing', count: 5, lang: 'en' },
      }),
    ),
    tamperedSignature: await answer(
      await createOAuthFetch(signer, { fetch: tamperingFetch })(resource, { method: 'POST', body: form() }),
    ),
    bodyChangedAfterSigning: await answer(
      await createOAuthFetch(signer, {
        fetch: (url, init) => fetch(url, { ...init, body: 'status=something+else' }),
      })(resource, { method: 'POST', body: form() }),
    ),
  };
}

/** Which crypto the bundle signs with: no Node built-ins exist on a page. */
export function runtime(): string {
  return typeof (globalThis as { process?: unknown }).process === 'undefined' ? 'browser' : 'node';
}

(globalThis as { countersign?: unknown }).countersign = { runCase, runtime };
