import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOAuthFetch, createSigner, isCountersignError } from '../src/index.ts';

// Two real servers on two ports are two origins. Each records what arrived and answers
// with the redirect the test set up for that path.
interface Arrival {
  readonly origin: string;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}
const arrivals: Arrival[] = [];
const redirects = new Map<string, { status: number; location: string }>();
const servers: Server[] = [];
let first = '';
let other = '';

async function start(): Promise<string> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      arrivals.push({
        origin,
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const redirect = redirects.get(`${origin}${request.url}`);
      if (redirect) response.writeHead(redirect.status, { location: redirect.location }).end();
      else response.writeHead(200, { 'content-type': 'text/plain' }).end('landed');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  first = await start();
  other = await start();
});
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  arrivals.length = 0;
  redirects.clear();
});

const oauthFetch = createOAuthFetch(
  createSigner({ consumerKey: 'redirect-consumer', consumerSecret: 'redirect secret', token: 't', tokenSecret: 'ts' }),
);
const CREDENTIALS = { cookie: 'session=abc', 'proxy-authorization': 'Basic cHJveHk6cGFzcw==' };

function stream(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

describe('redirects follow fetch’s rules', () => {
  it('a 302 to another origin carries no Authorization, Cookie or Proxy-Authorization', async () => {
    redirects.set(`${first}/start`, { status: 302, location: `${other}/landing` });
    const response = await oauthFetch(`${first}/start`, { headers: CREDENTIALS });
    expect(await response.text()).toBe('landed');
    const [start, landing] = arrivals;
    expect(start?.headers.authorization).toMatch(/^OAuth /);
    expect(start?.headers.cookie).toBe('session=abc');
    expect(landing?.origin).toBe(other);
    expect(landing?.headers.authorization).toBeUndefined();
    expect(landing?.headers.cookie).toBeUndefined();
    expect(landing?.headers['proxy-authorization']).toBeUndefined();
  });

  it.each(['header', 'query', 'body'] as const)(
    'PLAINTEXT (%s): a 307 from https to http on the same host sends neither secret in clear',
    async (transmission) => {
      const sent: Array<{ url: string; init: RequestInit | undefined }> = [];
      const plaintextFetch = createOAuthFetch(
        createSigner({
          consumerKey: 'ck',
          consumerSecret: 'CONSUMER-SECRET',
          token: 't',
          tokenSecret: 'TOKEN-SECRET',
          signatureMethod: 'PLAINTEXT',
          transmission,
        }),
        {
          fetch: async (url, init) => {
            sent.push({ url: String(url), init });
            return sent.length === 1
              ? new Response(null, { status: 307, headers: { location: 'http://api.example.com/r' } })
              : new Response('landed');
          },
        },
      );
      await plaintextFetch('https://api.example.com/r', { method: 'POST', body: new URLSearchParams({ a: '1' }) });
      const wire = (hop: (typeof sent)[number] | undefined) =>
        `${hop?.url} ${JSON.stringify([...new Headers(hop?.init?.headers)])} ${String(hop?.init?.body)}`;
      // The https request carries them (PLAINTEXT's signature is the secrets); the http hop must not.
      expect(wire(sent[0])).toMatch(/CONSUMER-SECRET/);
      expect(sent[1]?.url).toBe('http://api.example.com/r');
      expect(wire(sent[1])).not.toMatch(/CONSUMER-SECRET|TOKEN-SECRET|oauth_/);
    },
  );

  it('a same-origin hop keeps the cookie and is signed afresh (a new nonce)', async () => {
    redirects.set(`${first}/a`, { status: 302, location: '/b' });
    await oauthFetch(`${first}/a`, { headers: CREDENTIALS });
    const [a, b] = arrivals;
    expect(b?.headers.cookie).toBe('session=abc');
    const nonce = (header: string | undefined) => /oauth_nonce="([^"]+)"/.exec(header ?? '')?.[1];
    expect(nonce(b?.headers.authorization)).toBeDefined();
    expect(nonce(b?.headers.authorization)).not.toBe(nonce(a?.headers.authorization));
  });

  it('another origin cannot send us back to have a request of its choosing signed', async () => {
    redirects.set(`${first}/start`, { status: 302, location: `${other}/bounce` });
    redirects.set(`${other}/bounce`, { status: 302, location: `${first}/admin/delete-everything` });
    await oauthFetch(`${first}/start`);
    const back = arrivals.at(-1);
    expect(back?.path).toBe('/admin/delete-everything');
    expect(back?.headers.authorization).toBeUndefined();
  });

  for (const location of ['data:text/plain,spoofed', 'file:///etc/passwd', 'javascript:alert(1)']) {
    it(`a Location of ${location.split(':')[0]}: is refused, never followed`, async () => {
      redirects.set(`${first}/start`, { status: 302, location });
      const error = await oauthFetch(`${first}/start`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/is not followed/);
    });
  }

  for (const location of ['http://[::1', 'https://api.example.com:99999/x']) {
    it(`a Location that is not a URL (${location}) fails as fetch fails, quoting nothing of it`, async () => {
      // It escaped as the URL parser's own "TypeError: Invalid URL", the server's text in its input.
      redirects.set(`${first}/start`, { status: 302, location });
      const error = await oauthFetch(`${first}/start`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^fetch failed: /);
      expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(location);
    });
  }

  for (const location of ['/next', `${'http://127.0.0.1'}:1/elsewhere`]) {
    it(`a Location with user:password@ (${location}) fails as fetch fails, not as the caller's bad URL`, async () => {
      // It was refused by the signer as "url: remove the user:password@ part", blaming the caller.
      const target = new URL(location, first);
      target.username = 'user';
      target.password = 'server-chosen';
      redirects.set(`${first}/start`, { status: 302, location: target.href });
      const error = await oauthFetch(`${first}/start`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^fetch failed: .*user:password@/);
      expect((error as Error).message).not.toContain('server-chosen');
    });
  }

  for (const status of [301, 302, 307, 308]) {
    it(`a ${status} after a PUT with a streamed body is an unreplayable_body error, never an empty resend`, async () => {
      redirects.set(`${first}/upload`, { status, location: '/moved' });
      const error = await oauthFetch(`${first}/upload`, {
        method: 'PUT',
        body: stream('{"data":"payload"}'),
        headers: { 'content-type': 'application/json' },
        duplex: 'half',
      } as RequestInit).catch((caught: unknown) => caught);
      expect(isCountersignError(error) && error.code).toBe('unreplayable_body');
      expect(arrivals.map((arrival) => arrival.path)).toEqual(['/upload']);
    });
  }

  it('a 303 after a streamed body continues as a GET without a body', async () => {
    redirects.set(`${first}/upload`, { status: 303, location: '/result' });
    const response = await oauthFetch(`${first}/upload`, {
      method: 'POST',
      body: stream('payload'),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(arrivals.at(-1)).toMatchObject({ method: 'GET', path: '/result', body: '' });
  });

  it('a Blob body is sent again, whole, after a 307 (a Blob can be read twice)', async () => {
    redirects.set(`${first}/upload`, { status: 307, location: '/moved' });
    const response = await oauthFetch(`${first}/upload`, {
      method: 'PUT',
      body: new Blob(['blob payload'], { type: 'application/octet-stream' }),
    });
    expect(response.status).toBe(200);
    expect(arrivals.map((arrival) => [arrival.method, arrival.path, arrival.body])).toEqual([
      ['PUT', '/upload', 'blob payload'],
      ['PUT', '/moved', 'blob payload'],
    ]);
    expect(arrivals[1]?.headers['content-type']).toBe('application/octet-stream');
  });

  it('a 302 on a PUT with a Blob keeps method and body, as fetch does', async () => {
    redirects.set(`${first}/upload`, { status: 302, location: '/moved' });
    await oauthFetch(`${first}/upload`, { method: 'PUT', body: new Blob(['twice']) });
    expect(arrivals.map((arrival) => [arrival.method, arrival.body])).toEqual([
      ['PUT', 'twice'],
      ['PUT', 'twice'],
    ]);
  });
});
