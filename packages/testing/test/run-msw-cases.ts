/**
 * mswSignedBy's behaviour, for every msw major the package supports: msw.test.ts runs it
 * with msw 2 on Node 20, msw.node22.test.ts with msw 3 (which needs Node 22).
 */
import { createOAuthFetch, createSigner, isOAuthError, throwIfRefused } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import ky from 'ky';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mswSignedBy } from '../src/index.ts';

const CREDENTIALS = {
  consumerKey: 'mswConsumer',
  consumerSecret: 'msw-consumer-secret',
  token: 'mswToken',
  tokenSecret: 'msw-token-secret',
};
const API = 'https://api.example.com';

/** msw's own functions, from the major under test. */
export interface Msw {
  readonly http: typeof import('msw').http;
  readonly HttpResponse: typeof import('msw').HttpResponse;
  readonly setupServer: typeof import('msw/node').setupServer;
}

export function describeMswSignedBy(major: string, { http, HttpResponse, setupServer }: Msw): void {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  describe(`mswSignedBy (msw ${major}): an msw resolver that runs only for requests that verify`, () => {
    it('runs the resolver for a correctly signed JSON POST (ky), with the body still readable', async () => {
      server.use(
        http.post(
          `${API}/v1/items`,
          mswSignedBy(CREDENTIALS, async ({ request }, verified) =>
            HttpResponse.json({ received: await request.json(), token: verified.token }, { status: 201 }),
          ),
        ),
      );
      const api = ky.create({ ...kyOAuth(createSigner(CREDENTIALS), { oauth: { bodyHash: true } }), retry: 0 });
      const answer = await api.post(`${API}/v1/items`, { json: { name: 'a b' } }).json();
      expect(answer).toEqual({ received: { name: 'a b' }, token: 'mswToken' });
    });

    it('answers 401 for a bad signature, with the cause where the client reads refusals', async () => {
      server.use(
        http.get(
          `${API}/r`,
          mswSignedBy(CREDENTIALS, () => HttpResponse.text('ok')),
        ),
      );
      // A request signed for POST, sent as GET.
      const signed = await createSigner(CREDENTIALS).sign({ method: 'POST', url: `${API}/r` });
      const response = await fetch(`${API}/r`, { headers: { authorization: signed.authorization as string } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('oauth_problem="signature_invalid"');
      const error = await throwIfRefused(response).catch((caught: unknown) => caught);
      expect(isOAuthError(error)).toBe(true);
      const advice = isOAuthError(error) ? (error.advice ?? '') : '';
      expect(advice).toContain('Likely cause:');
      expect(advice).toContain('Likely cause: The client signed the request as "POST" and sent it as "GET"');
      expect(advice).toContain('Base string signed:   POST&');
      expect(JSON.stringify(error)).not.toContain(CREDENTIALS.consumerSecret);
    });

    it('the fetch wrapper explains the refusal from its own signing', async () => {
      server.use(
        http.get(
          `${API}/r`,
          mswSignedBy(CREDENTIALS, () => HttpResponse.text('ok')),
        ),
      );
      const wrong = createOAuthFetch(createSigner({ ...CREDENTIALS, tokenSecret: 'not the token secret' }), {
        onRefusal: throwIfRefused,
      });
      const error = await wrong(`${API}/r`).catch((caught: unknown) => caught);
      expect(isOAuthError(error) && error.problem).toBe('signature_invalid');
      expect(isOAuthError(error) && error.advice).toContain('No common mistake reproduces the signature');
    });
  });
}
