import { createOAuthFetch, createSigner } from '@countersign/core';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSigningChecker, mswSignedBy, nockSignedBy, OAuthMismatchError } from '../src/index.ts';

// A fake provider that answers 200 where a real one refuses hides the bug it exists to
// catch. Every path here must refuse.
const CREDENTIALS = {
  consumerKey: 'failClosedConsumer',
  consumerSecret: 'fail-closed-consumer-secret',
  token: 'failClosedToken',
  tokenSecret: 'fail-closed-token-secret',
};
const CONSUMER_ONLY = { consumerKey: CREDENTIALS.consumerKey, consumerSecret: CREDENTIALS.consumerSecret };
const API = 'https://api.example.com';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  server.resetHandlers();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function consumerOnlyRequest(tokenValue?: string) {
  const signer = createSigner({
    ...CONSUMER_ONLY,
    ...(tokenValue === undefined ? {} : { token: tokenValue, tokenSecret: '' }),
  });
  const signed = await signer.sign({ method: 'GET', url: `${API}/1.1/account.json` });
  return { method: 'GET', url: signed.url, authorization: signed.authorization };
}

describe('a token is expected: a request without one is refused', () => {
  for (const [what, token] of [
    ['no oauth_token', undefined],
    ['an empty oauth_token', ''],
  ] as const) {
    it(`createSigningChecker refuses a consumer-only request (${what})`, async () => {
      const check = createSigningChecker(CREDENTIALS);
      const result = await check(await consumerOnlyRequest(token));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/signed with the consumer credentials alone/);
    });

    it(`nockSignedBy does not answer 200 (${what})`, async () => {
      const api = nock(API);
      api.get('/1.1/account.json').reply(nockSignedBy(api, CREDENTIALS).reply(200, { ok: true }));
      const request = await consumerOnlyRequest(token);
      const error = await fetch(request.url, { headers: { authorization: request.authorization as string } }).then(
        (response) => response.status,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(Error);
      const cause = (error as Error).cause;
      expect(cause instanceof Error ? cause : error, String(error)).toBeInstanceOf(OAuthMismatchError);
    });

    it(`mswSignedBy answers 401 (${what})`, async () => {
      server.use(
        http.get(
          `${API}/1.1/account.json`,
          mswSignedBy(CREDENTIALS, () => HttpResponse.json({ ok: true })),
        ),
      );
      const request = await consumerOnlyRequest(token);
      const response = await fetch(request.url, { headers: { authorization: request.authorization as string } });
      expect(response.status).toBe(401);
    });
  }

  it('the same request with the token still passes', async () => {
    server.use(
      http.get(
        `${API}/1.1/account.json`,
        mswSignedBy(CREDENTIALS, () => HttpResponse.json({ ok: true })),
      ),
    );
    const response = await createOAuthFetch(createSigner(CREDENTIALS))(`${API}/1.1/account.json`);
    expect(response.status).toBe(200);
  });
});

describe('an expected parameter is checked against every value signed under its name', () => {
  it('amount=10 expected: a request with amount=10&amount=1000 is refused', async () => {
    const check = createSigningChecker({ ...CREDENTIALS, params: { amount: '10' } });
    const signed = await createSigner(CREDENTIALS).sign({ method: 'GET', url: `${API}/pay?amount=10&amount=1000` });
    const result = await check({ method: 'GET', url: signed.url, authorization: signed.authorization });
    expect(result).toMatchObject({ ok: false, problem: 'request_mismatch' });
    expect(!result.ok && result.message).toContain('expected parameter amount = "10"; it was signed as "10", "1000"');
  });
});
