import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from '@countersign/core';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createMemoryNonceStore,
  errorResponse,
  type MiddlewareOptions,
  nodeRequestUrl,
  oauthMiddleware,
  problemResponse,
  verifyFetchRequest,
  verifyNodeRequest,
  verifyRequest,
} from '../src/index.ts';
import { rawHttp, rawRequest } from './raw-http.ts';

// The URL verified must be the URL served: each test sends what an attacker sends, raw,
// so no client library tidies the target first.
const CONSUMER = { key: 'target-consumer-0000000', secret: 'target secret' };
const FORM = 'application/x-www-form-urlencoded';
const signer = createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });
const servers: Server[] = [];

function options(extra: Partial<MiddlewareOptions> = {}): MiddlewareOptions {
  return {
    lookupConsumer: (key) => (key === CONSUMER.key ? { secret: CONSUMER.secret } : undefined),
    nonceStore: createMemoryNonceStore(),
    ...extra,
  };
}

async function listen(server: Server): Promise<{ url: string; host: string }> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `http://${host}`, host };
}

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A node:http server that answers 200 with the path it would serve, when the request verifies. */
function verifyingServer(extra: Partial<MiddlewareOptions> = {}) {
  return createServer(async (req, res) => {
    try {
      const { result } = await verifyNodeRequest(req, options(extra));
      if (!result.ok) {
        const refusal = problemResponse(result);
        res.writeHead(refusal.status, refusal.headers).end(refusal.body);
        return;
      }
      res.writeHead(200).end(`served ${req.url}`);
    } catch (error) {
      const answer = errorResponse(error);
      res.writeHead(answer.status, answer.headers).end(answer.body);
    }
  });
}

async function signedHeader(url: string, method = 'GET') {
  return (await signer.sign({ method, url })).authorization as string;
}

describe('a request target a URL parser reads differently from a router is refused', () => {
  it('/\\other.host/launch is not verified as https://other.host/launch (a signature for another service)', async () => {
    const { url, host } = await listen(verifyingServer());
    // Signed by the same consumer for another service that shares its secret.
    const authorization = await signedHeader('http://other.host/launch');
    const answer = await rawRequest(
      url,
      rawHttp('GET /\\other.host/launch HTTP/1.1', { Host: host, Authorization: authorization }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/backslash/);
  });

  for (const target of [
    '/lti/admin/%2e%2e/launch',
    '/lti/admin/%2E%2E/launch',
    '/lti/admin/.%2e/launch',
    '/lti/admin/../launch',
    '/lti/admin/./../launch',
    '/lti/admin/%2e/../launch',
  ]) {
    it(`Express routes ${target} to the admin route: it is refused, not verified as /lti/launch`, async () => {
      const app = express();
      const admin = express.Router();
      admin.use(oauthMiddleware(options()) as express.RequestHandler);
      admin.all('/{*rest}', (_req, res) => {
        res.send('ADMIN');
      });
      app.use('/lti/admin', admin);
      const { url, host } = await listen(createServer(app));
      const authorization = await signedHeader(`http://${host}/lti/launch`);
      const answer = await rawRequest(
        url,
        rawHttp(`GET ${target} HTTP/1.1`, { Host: host, Authorization: authorization }),
      );
      expect(answer.body).not.toBe('ADMIN');
      expect(answer.status).toBe(400);
    });
  }

  for (const [what, target] of [
    ['a // start', '//other.host/launch'],
    ['a fragment', '/launch#admin'],
    ['absolute-form', 'http://other.host/launch'],
    ['non-ASCII read as Latin-1', '/caf\u00e9'],
  ] as const) {
    it(`${what} is refused with 400`, async () => {
      const { url, host } = await listen(verifyingServer());
      const authorization = await signedHeader(`http://${host}/launch`);
      const answer = await rawRequest(
        url,
        rawHttp(`GET ${target} HTTP/1.1`, { Host: host, Authorization: authorization }),
      );
      expect(answer.status).toBe(400);
    });
  }

  it('verifyRequest refuses an absolute URL string whose path a parser would rewrite', async () => {
    for (const url of [
      'https://api.example.com/\\other.host/x',
      'https://api.example.com/a/%2e%2e/b',
      'https://api.example.com//x',
    ]) {
      const error = await verifyRequest({ method: 'GET', url }, options()).catch((caught: unknown) => caught);
      expect(errorResponse(error).status, url).toBe(400);
    }
  });

  it('an ordinary target keeps its exact text: %2F, encoded spaces and a query with + verify', async () => {
    const { url, host } = await listen(verifyingServer());
    const target = '/files/a%2Fb/c%20d?q=x+y&z=%7E';
    const authorization = await signedHeader(`http://${host}${target}`);
    const answer = await rawRequest(
      url,
      rawHttp(`GET ${target} HTTP/1.1`, { Host: host, Authorization: authorization }),
    );
    expect(answer).toEqual({ status: 200, body: `served ${target}` });
  });
});

describe('Express under a mount point verifies the path the client addressed (req.originalUrl)', () => {
  async function mounted() {
    const app = express();
    app.use('/admin', oauthMiddleware(options()) as express.RequestHandler, (req, res) => {
      res.send(`admin ${req.url}`);
    });
    return listen(createServer(app));
  }

  it('a request signed for /users is refused at /admin/users', async () => {
    const { url, host } = await mounted();
    const authorization = await signedHeader(`http://${host}/users`);
    const answer = await rawRequest(
      url,
      rawHttp('GET /admin/users HTTP/1.1', { Host: host, Authorization: authorization }),
    );
    expect(answer.status).toBe(401);
  });

  it('a request correctly signed for /admin/users is accepted', async () => {
    const { url, host } = await mounted();
    const authorization = await signedHeader(`http://${host}/admin/users`);
    const answer = await rawRequest(
      url,
      rawHttp('GET /admin/users HTTP/1.1', { Host: host, Authorization: authorization }),
    );
    expect(answer).toEqual({ status: 200, body: 'admin /users' });
  });
});

describe('origin is the only way to change scheme and host', () => {
  it('X-Forwarded-Proto and X-Forwarded-Host are not read: a request signed for them is refused', async () => {
    const { url, host } = await listen(verifyingServer());
    const authorization = await signedHeader('https://evil.example/launch');
    const answer = await rawRequest(
      url,
      rawHttp('GET /launch HTTP/1.1', {
        Host: host,
        Authorization: authorization,
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'evil.example',
        Forwarded: 'proto=https;host=evil.example',
      }),
    );
    expect(answer.status).toBe(401);
  });

  it('with origin set, the Host header does not matter and the origin is what is verified', async () => {
    const { url, host } = await listen(verifyingServer({ origin: 'https://tool.example.com' }));
    const authorization = await signedHeader('https://tool.example.com/launch');
    const answer = await rawRequest(
      url,
      rawHttp('GET /launch HTTP/1.1', { Host: 'whatever.example', Authorization: authorization }),
    );
    expect(answer.status).toBe(200);
    const wrong = await rawRequest(
      url,
      rawHttp('GET /launch HTTP/1.1', { Host: host, Authorization: await signedHeader(`http://${host}/launch`) }),
    );
    expect(wrong.status).toBe(401);
  });

  it('an origin with a path, userinfo or another scheme is refused when the app starts', () => {
    for (const origin of [
      'https://tool.example.com/lti',
      'https://user@tool.example.com',
      'ftp://tool.example.com',
      'tool.example.com',
    ]) {
      expect(() => nodeRequestUrl({ url: '/x', headers: {} }, origin), origin).toThrow(/origin/);
    }
  });

  it('verifyFetchRequest: origin replaces scheme and host, and a Host header naming another host than the URL is refused', async () => {
    const authorization = await signedHeader('https://tool.example.com/launch?x=1');
    const proxied = new Request('http://10.0.0.7:3000/launch?x=1', { headers: { authorization } });
    const { result } = await verifyFetchRequest(proxied, options({ origin: 'https://tool.example.com' }));
    expect(result.ok).toBe(true);
    // Some runtimes build the URL from an absolute-form target, whatever the Host says.
    const absolute = new Request('http://other.host/launch', {
      headers: { authorization: await signedHeader('http://other.host/launch'), host: 'tool.example.com' },
    });
    const error = await verifyFetchRequest(absolute, options()).catch((caught: unknown) => caught);
    expect(errorResponse(error).status).toBe(400);
    // The old url option is refused rather than silently ignored.
    const renamed = await verifyFetchRequest(proxied, { ...options(), url: 'https://x.example/' } as never).catch(
      (caught: unknown) => caught,
    );
    expect(errorResponse(renamed).body).toMatch(/origin/);
  });

  it('a form body still verifies through a prefix-mounted Express router', async () => {
    const app = express();
    const router = express.Router();
    router.post('/launch', oauthMiddleware(options()) as express.RequestHandler, (_req, res) => {
      res.send('launched');
    });
    app.use('/lti', router);
    const { url, host } = await listen(createServer(app));
    const body = 'user_id=7&roles=Learner';
    const signed = await signer.sign({ method: 'POST', url: `http://${host}/lti/launch`, body, contentType: FORM });
    const answer = await rawRequest(
      url,
      rawHttp(
        'POST /lti/launch HTTP/1.1',
        { Host: host, Authorization: signed.authorization as string, 'Content-Type': FORM },
        body,
      ),
    );
    expect(answer).toEqual({ status: 200, body: 'launched' });
  });
});
