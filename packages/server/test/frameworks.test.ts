import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createSigner } from '@countersign/core';
import { serve } from '@hono/node-server';
import Router from '@koa/router';
import express5 from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import mount from 'koa-mount';
import { NextRequest } from 'next/server.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createMemoryNonceStore,
  errorResponse,
  type MiddlewareOptions,
  type OAuthVerifiedRequest,
  oauthMiddleware,
  problemResponse,
  type VerifiedRequest,
  verifyFetchRequest,
  verifyNodeRequest,
} from '../src/index.ts';
import { rawHttp, rawRequest } from './raw-http.ts';

// Each framework with a mounted router or a prefix: the path verified must be the path the
// client addressed (prefix included), read the way that framework keeps it. These are the
// recipes the README shows.
const CONSUMER = { key: 'framework-consumer-0000', secret: 'framework secret' };
const FORM = 'application/x-www-form-urlencoded';
const signer = createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });
const closers: Array<() => Promise<unknown> | unknown> = [];

afterAll(async () => {
  for (const close of closers) await close();
});

function options(extra: Partial<MiddlewareOptions> = {}): MiddlewareOptions {
  return {
    lookupConsumer: (key) => (key === CONSUMER.key ? { secret: CONSUMER.secret } : undefined),
    nonceStore: createMemoryNonceStore(),
    ...extra,
  };
}

async function listenNode(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Posts a form to `path`, signed for `signedPath`; answers the status and the text. */
async function post(base: string, path: string, signedPath = path) {
  const body = 'user_id=7&note=a%20b';
  const signed = await signer.sign({ method: 'POST', url: `${base}${signedPath}`, body, contentType: FORM });
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: signed.authorization as string, 'content-type': FORM },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** The checks every framework must pass under its prefix. */
function mountedPrefixChecks(start: () => Promise<string>) {
  let base: string;
  it('a form POST signed for the full path (prefix included) is accepted, and the app still reads the body', async () => {
    base = await start();
    expect(await post(base, '/api/items')).toEqual({ status: 200, text: `${CONSUMER.key} user_id=7` });
  });
  it('a request signed for the path without the prefix is refused', async () => {
    const answer = await post(base, '/api/items', '/items');
    expect(answer.status).toBe(401);
    expect(new URLSearchParams(answer.text).get('oauth_problem')).toBe('signature_invalid');
  });
  it('a dot-segment target that routes under the prefix is refused', async () => {
    const { host } = new URL(base);
    const signed = await signer.sign({ method: 'POST', url: `${base}/items` });
    const answer = await rawRequest(
      base,
      rawHttp('POST /api/%2e%2e/items HTTP/1.1', { Host: host, Authorization: signed.authorization as string }),
    );
    expect(answer.status).not.toBe(200);
  });
}

describe('Express 4: app.use(prefix, router), the middleware reads req.originalUrl', () => {
  mountedPrefixChecks(async () => {
    const app = express4();
    const router = express4.Router();
    // A body parser may run first when it keeps the raw bytes for the verifier.
    const keepRaw = (req: object, _res: unknown, raw: Buffer) => Object.assign(req, { rawBody: raw });
    router.post(
      '/items',
      express4.urlencoded({ extended: false, verify: keepRaw }),
      oauthMiddleware(options()),
      (req, res) => {
        const verified = req as unknown as OAuthVerifiedRequest;
        res.send(`${verified.oauth.consumerKey} user_id=${(req.body as Record<string, string>).user_id}`);
      },
    );
    app.use('/api', router);
    return listenNode(createServer(app));
  });
});

describe('Express 5: app.use(prefix, router)', () => {
  mountedPrefixChecks(async () => {
    const app = express5();
    const router = express5.Router();
    router.post('/items', oauthMiddleware(options()) as express5.RequestHandler, (req, res) => {
      const verified = req as unknown as OAuthVerifiedRequest;
      res.send(
        `${verified.oauth.consumerKey} user_id=${new URLSearchParams(Buffer.from(verified.rawBody).toString()).get('user_id')}`,
      );
    });
    app.use('/api', router);
    return listenNode(createServer(app));
  });
});

describe('Fastify: a plugin under a prefix, verified in preParsing (request.raw keeps the full URL)', () => {
  mountedPrefixChecks(async () => {
    const app = Fastify();
    const verifyOptions = options();
    app.decorateRequest('oauth', null);
    app.addHook('preParsing', async (request, reply, _payload) => {
      const { result, body } = await verifyNodeRequest(request.raw, verifyOptions).catch((error: unknown) => {
        const answer = errorResponse(error);
        reply.code(answer.status).headers(answer.headers).send(answer.body);
        return { result: undefined, body: new Uint8Array() };
      });
      if (result === undefined) return reply;
      if (!result.ok) {
        const answer = problemResponse(result);
        reply.code(answer.status).headers(answer.headers).send(answer.body);
        return reply;
      }
      (request as unknown as { oauth: VerifiedRequest }).oauth = result;
      // The body was read to verify it: hand Fastify the same bytes to parse.
      return Object.assign(Readable.from([Buffer.from(body)]), { receivedEncodedLength: body.byteLength });
    });
    app.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    await app.register(
      async (api) => {
        api.post('/items', async (request) => {
          const oauth = (request as unknown as { oauth: VerifiedRequest }).oauth;
          const form = new URLSearchParams(String(request.body));
          return `${oauth.consumerKey} user_id=${form.get('user_id')}`;
        });
      },
      { prefix: '/api' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const { port } = app.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  });
});

/** The Koa recipe: verify with the target Koa kept before any mount shortened ctx.req.url. */
function koaOAuth(verifyOptions: MiddlewareOptions): Koa.Middleware {
  return async (ctx, next) => {
    let verdict: Awaited<ReturnType<typeof verifyNodeRequest>>;
    try {
      verdict = await verifyNodeRequest(ctx.req, { ...verifyOptions, requestTarget: ctx.originalUrl });
    } catch (error) {
      const answer = errorResponse(error);
      ctx.status = answer.status;
      ctx.set(answer.headers);
      ctx.body = answer.body;
      return;
    }
    if (!verdict.result.ok) {
      const answer = problemResponse(verdict.result);
      ctx.status = answer.status;
      ctx.set(answer.headers);
      ctx.body = answer.body;
      return;
    }
    ctx.state.oauth = verdict.result;
    ctx.state.rawBody = verdict.body;
    await next();
  };
}

function koaItems(router: Router) {
  router.post('/items', (ctx) => {
    const form = new URLSearchParams(Buffer.from(ctx.state.rawBody as Uint8Array).toString());
    ctx.body = `${(ctx.state.oauth as VerifiedRequest).consumerKey} user_id=${form.get('user_id')}`;
  });
}

describe('Koa: a sub-app under koa-mount (ctx.req.url shortened, ctx.originalUrl kept)', () => {
  mountedPrefixChecks(async () => {
    const api = new Koa();
    const router = new Router();
    koaItems(router);
    api.use(koaOAuth(options()));
    api.use(router.routes());
    const app = new Koa();
    app.use(mount('/api', api));
    return listenNode(createServer(app.callback()));
  });
});

describe('Koa: @koa/router with a prefix', () => {
  mountedPrefixChecks(async () => {
    const router = new Router({ prefix: '/api' });
    router.use(koaOAuth(options()));
    koaItems(router);
    const app = new Koa();
    app.use(router.routes());
    return listenNode(createServer(app.callback()));
  });
});

describe('Hono (Fetch): a sub-app under app.route(prefix), served by @hono/node-server', () => {
  mountedPrefixChecks(async () => {
    const verifyOptions = options();
    const api = new Hono<{ Variables: { oauth: VerifiedRequest } }>();
    api.use('*', async (c, next) => {
      try {
        const { result } = await verifyFetchRequest(c.req.raw, verifyOptions);
        if (!result.ok) {
          const answer = problemResponse(result);
          return new Response(answer.body, { status: answer.status, headers: answer.headers });
        }
        c.set('oauth', result);
      } catch (error) {
        const answer = errorResponse(error);
        return new Response(answer.body, { status: answer.status, headers: answer.headers });
      }
      await next();
    });
    api.post('/items', async (c) => {
      const form = await c.req.parseBody();
      return c.text(`${c.get('oauth').consumerKey} user_id=${form.user_id}`);
    });
    const app = new Hono();
    app.route('/api', api);
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  it('an absolute-form target (which @hono/node-server turns into the Request URL) is refused', async () => {
    const verifyOptions = options();
    const app = new Hono();
    app.all('*', async (c) => {
      try {
        const { result } = await verifyFetchRequest(c.req.raw, verifyOptions);
        return c.text(result.ok ? 'verified' : result.problem, result.ok ? 200 : 401);
      } catch (error) {
        return c.text('refused', errorResponse(error).status as 400);
      }
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const signed = await signer.sign({ method: 'GET', url: 'http://other.host/items' });
    const answer = await rawRequest(
      base,
      rawHttp('GET http://other.host/items HTTP/1.1', {
        Host: new URL(base).host,
        Authorization: signed.authorization as string,
      }),
    );
    expect(answer).toEqual({ status: 400, body: 'refused' });
  });
});

describe('Next.js: a route handler under basePath, given the NextRequest Next builds', () => {
  // The recipe: app/api/items/route.ts
  //   export async function POST(request: NextRequest) {
  //     const { result } = await verifyFetchRequest(request, { ...options, origin: 'https://app.example.com' });
  //     …
  //   }
  // request.url keeps the basePath (request.nextUrl.pathname does not). Next builds
  // request.url from the Host and X-Forwarded-* headers, so `origin` is required.
  const verifyOptions = options({ origin: 'https://app.example.com' });
  async function routeHandlerPost(request: NextRequest): Promise<Response> {
    const { result, body } = await verifyFetchRequest(request, verifyOptions);
    if (!result.ok) {
      const answer = problemResponse(result);
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    }
    const form = new URLSearchParams(Buffer.from(body).toString());
    return new Response(`${result.consumerKey} user_id=${form.get('user_id')} at ${request.nextUrl.pathname}`);
  }

  async function nextRequest(signedUrl: string, forwardedHost?: string) {
    const body = 'user_id=7&note=a%20b';
    const signed = await signer.sign({ method: 'POST', url: signedUrl, body, contentType: FORM });
    return new NextRequest('http://localhost:3000/docs/api/items', {
      method: 'POST',
      headers: {
        authorization: signed.authorization as string,
        'content-type': FORM,
        ...(forwardedHost === undefined ? {} : { 'x-forwarded-host': forwardedHost }),
      },
      body,
      nextConfig: { basePath: '/docs' },
    });
  }

  it('a request signed for the URL the client addressed (basePath included) is accepted', async () => {
    const request = await nextRequest('https://app.example.com/docs/api/items');
    expect(request.nextUrl.pathname).toBe('/api/items');
    const response = await routeHandlerPost(request);
    expect(await response.text()).toBe(`${CONSUMER.key} user_id=7 at /api/items`);
  });

  it('a request signed without the basePath is refused', async () => {
    const response = await routeHandlerPost(await nextRequest('https://app.example.com/api/items'));
    expect(response.status).toBe(401);
  });

  it('X-Forwarded-Host does not change what is verified', async () => {
    const response = await routeHandlerPost(await nextRequest('https://evil.example/docs/api/items', 'evil.example'));
    expect(response.status).toBe(401);
  });
});
