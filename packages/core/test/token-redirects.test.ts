import { describe, expect, it } from 'vitest';
import { createOAuthFetch, createSigner, isOAuthError, requestToken, throwIfRefused } from '../src/index.ts';

const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
const endpoints = {
  requestTokenUrl: 'https://api.example.com/oauth/request_token',
  authorizeUrl: 'https://api.example.com/oauth/authorize',
  accessTokenUrl: 'https://api.example.com/oauth/access_token',
};
const redirecting =
  (location: string, status = 301) =>
  async () =>
    new Response(null, { status, headers: { location } });

// The flows never follow a redirect (a signed request sent on goes to another URL, its nonce
// spent). A token endpoint that moved, or is written with http: or without its trailing
// slash, answered "The provider answered 301: no details.", which says nothing to fix.
describe('a token endpoint that redirects', () => {
  it('says where it points and what to change', async () => {
    const error = await requestToken(signer, endpoints, {
      fetch: redirecting('https://api.example.com/oauth/request_token/'),
    }).catch((e: Error) => e);
    expect(isOAuthError(error) && error.status).toBe(301);
    expect((error as Error).message).toContain('redirect to https://api.example.com/oauth/request_token/');
    expect((error as Error).message).toContain('use that URL');
  });

  it('a relative Location is shown resolved against the URL that answered', async () => {
    const response = new Response(null, { status: 308, headers: { location: '/v2/oauth/request_token' } });
    Object.defineProperty(response, 'url', { value: endpoints.requestTokenUrl });
    const error = await throwIfRefused(response).catch((e: Error) => e);
    expect((error as Error).message).toContain('redirect to https://api.example.com/v2/oauth/request_token');
  });

  it('the Location is shown redacted and inert, and bounded', async () => {
    // A header value is bytes: ESC and C1 controls get through, and one that does not parse is shown as written.
    for (const location of [
      `https://u:Seeded-Pass@evil.example/cb?password=Seeded-Pass&x=\u001b[31m\u009b${'a'.repeat(5000)}`,
      `http://[evil\u001b[31m?password=Seeded-Pass`,
    ]) {
      const error = await requestToken(signer, endpoints, { fetch: redirecting(location, 302) }).catch((e: Error) => e);
      const message = (error as Error).message;
      expect(message).toContain('redirect to http');
      expect(message).not.toContain('Seeded-Pass');
      expect(['\u001b', '\u009b'].filter((control) => message.includes(control))).toEqual([]);
      expect(message.length).toBeLessThan(2000);
    }
  });

  it('a PLAINTEXT signature sent in the query is not quoted back from the Location', async () => {
    // A server that adds a trailing slash sends the whole query back, the signature (the
    // consumer and token secrets themselves) included.
    const plaintext = createSigner({
      consumerKey: 'ck',
      consumerSecret: 'Seeded-Consumer-Secret',
      token: 'tk',
      tokenSecret: 'Seeded-Token-Secret',
      signatureMethod: 'PLAINTEXT',
      transmission: 'query',
    });
    const send = createOAuthFetch(plaintext, {
      fetch: async (input) => {
        const sent = new URL(input instanceof Request ? input.url : String(input));
        sent.pathname += '/';
        return new Response(null, { status: 301, headers: { location: sent.href } });
      },
    });
    const response = await send('https://api.example.com/1.1/items?page=2', { redirect: 'manual' });
    const message = ((await throwIfRefused(response).catch((e: Error) => e)) as Error).message;
    expect(message).toContain('redirect to https://api.example.com/1.1/items/?');
    expect(message).not.toMatch(/Seeded-(Consumer|Token)-Secret/);
  });

  it('a redirect without a Location says so', async () => {
    const error = await requestToken(signer, endpoints, {
      fetch: async () => new Response(null, { status: 302 }),
    }).catch((e: Error) => e);
    expect((error as Error).message).toContain('a redirect with no Location');
  });
});
