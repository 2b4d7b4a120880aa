import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createOAuthFetch, createSigner, rememberSentBody, signingOf, throwIfRefused } from '../src/index.ts';

const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts' });
const refusal = () =>
  new Response('oauth_problem=signature_invalid', {
    status: 401,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

describe('each response remembers the signing it answered', () => {
  it('kept out of sight: not in JSON, not in util.inspect, not among the keys', async () => {
    const response = await createOAuthFetch(signer, { fetch: async () => refusal() })('https://api.example.com/r', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x_auth_password=hunter2',
    });
    const signed = signingOf(response);
    expect(signed?.baseString).toMatch(/^POST&https%3A%2F%2Fapi\.example\.com%2Fr&/);
    expect(Object.keys(response)).toEqual([]);
    expect(inspect(signed, { depth: 10 })).not.toContain('hunter2');
    expect(JSON.stringify(signed)).not.toContain('hunter2');
    expect(inspect(response, { depth: 10 })).not.toContain('hunter2');
  });

  it('a frozen response (from a custom fetch) and a frozen signing are remembered too', async () => {
    const response = await createOAuthFetch(signer, { fetch: async () => Object.freeze(refusal()) })(
      'https://api.example.com/r',
    );
    expect(signingOf(response)?.baseString).toMatch(/^GET&/);
    const error = await throwIfRefused(response).catch((caught: unknown) => caught);
    expect((error as { baseString?: string }).baseString).toMatch(/^GET&/);
    const frozen = Object.freeze({ ...(await signer.sign({ method: 'GET', url: 'https://api.example.com/r' })) });
    expect(() =>
      rememberSentBody(frozen, { body: 'a=1', contentType: 'application/x-www-form-urlencoded' }),
    ).not.toThrow();
  });
});
