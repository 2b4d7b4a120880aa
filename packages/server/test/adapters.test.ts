import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from '@countersign/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryNonceStore,
  errorResponse,
  type MiddlewareOptions,
  type NodeRequest,
  oauthMiddleware,
  problemResponse,
  verifyFetchRequest,
  verifyNodeRequest,
} from '../src/index.ts';
import { rawStatus } from './raw-http.ts';

const CONSUMER = { key: 'adapter-consumer-000000', secret: 'adapter secret' };
const FORM = 'application/x-www-form-urlencoded';
const servers: Server[] = [];
let lookups = 0;

function options(extra: Partial<MiddlewareOptions> = {}): MiddlewareOptions {
  return {
    lookupConsumer: (key) => {
      lookups++;
      return key === CONSUMER.key ? { secret: CONSUMER.secret } : undefined;
    },
    nonceStore: createMemoryNonceStore(),
    ...extra,
  };
}

const signer = createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('verifyFetchRequest (Hono, edge runtimes, msw)', () => {
  it('verifies a signed form POST and leaves the Request readable', async () => {
    const body = 'status=hello%20world&n=1';
    const signed = await signer.sign({
      method: 'POST',
      url: 'https://api.example.com/1/post?x=y',
      body,
      contentType: FORM,
    });
    const request = new Request(signed.url, {
      method: 'POST',
      headers: { authorization: signed.authorization as string, 'content-type': FORM },
      body,
    });
    const { result, body: read } = await verifyFetchRequest(request, options());
    expect(result).toMatchObject({ ok: true, consumerKey: CONSUMER.key });
    expect(new TextDecoder().decode(read)).toBe(body);
    expect(await request.text()).toBe(body);
  });

  it('a tampered body is refused, and problemResponse answers in the Problem Reporting format', async () => {
    const signed = await signer.sign({
      method: 'POST',
      url: 'https://api.example.com/1/post',
      body: 'a=1',
      contentType: FORM,
    });
    const request = new Request(signed.url, {
      method: 'POST',
      headers: { authorization: signed.authorization as string, 'content-type': FORM },
      body: 'a=2',
    });
    const { result } = await verifyFetchRequest(request, options());
    expect(result).toMatchObject({ ok: false, problem: 'signature_invalid' });
    if (result.ok) return;
    const answer = problemResponse(result, 'api');
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('OAuth realm="api", oauth_problem="signature_invalid"');
    expect(new URLSearchParams(answer.body).get('oauth_signature_base_string')).toContain('a%3D2');
  });

  it('a body over maxBodyBytes is refused while reading, before any verification work', async () => {
    lookups = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const request = new Request('https://api.example.com/upload', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const error = await verifyFetchRequest(request, options({ maxBodyBytes: 256 * 1024 })).catch(
      (caught: unknown) => caught,
    );
    expect(errorResponse(error).status).toBe(413);
    expect(lookups).toBe(0);
  });
});

describe('verifyNodeRequest and the middleware (node:http, Express)', () => {
  it('node:http: verifies a signed request with its body, on the Host the client used', async () => {
    const url = await listen(
      createServer(async (req, res) => {
        const { result } = await verifyNodeRequest(req, options());
        res.writeHead(result.ok ? 200 : 401).end(result.ok ? 'ok' : result.problem);
      }),
    );
    const body = 'q=a%20b';
    const signed = await signer.sign({ method: 'POST', url: `${url}/hook?x=1`, body, contentType: FORM });
    const response = await fetch(signed.url, {
      method: 'POST',
      headers: { authorization: signed.authorization as string, 'content-type': FORM },
      body,
    });
    expect(await response.text()).toBe('ok');
  });

  it('Express: the middleware lets a signed request through with req.oauth, refuses a replay and a bad signature', async () => {
    const app = express();
    // No casts: the middleware is an Express handler, and req.oauth and req.rawBody are typed.
    app.post('/launch', oauthMiddleware(options({ realm: 'tool' })), (req, res) => {
      res.json({ consumer: req.oauth?.consumerKey, bytes: req.rawBody?.byteLength });
    });
    const url = await listen(createServer(app));
    const body = 'user_id=42&roles=Learner';
    const signed = await signer.sign({ method: 'POST', url: `${url}/launch`, body, contentType: FORM });
    const send = (authorization: string) =>
      fetch(`${url}/launch`, { method: 'POST', headers: { authorization, 'content-type': FORM }, body });
    const accepted = await send(signed.authorization as string);
    expect(await accepted.json()).toEqual({ consumer: CONSUMER.key, bytes: body.length });
    const replay = await send(signed.authorization as string);
    expect(replay.status).toBe(401);
    expect(new URLSearchParams(await replay.text()).get('oauth_problem')).toBe('nonce_used');
    const fresh = await signer.sign({ method: 'POST', url: `${url}/launch`, body: 'user_id=43', contentType: FORM });
    const tampered = await send(fresh.authorization as string);
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('www-authenticate')).toBe('OAuth realm="tool", oauth_problem="signature_invalid"');
  });

  it('mounted after a body parser: the raw body it kept is used, or a clear 500 instead of a hang', async () => {
    const withRaw = express();
    withRaw.use(express.raw({ type: '*/*', verify: (req, _res, buffer) => Object.assign(req, { rawBody: buffer }) }));
    withRaw.post('/launch', oauthMiddleware(options()) as express.RequestHandler, (_req, res) => {
      res.send('in');
    });
    const without = express();
    without.use(express.urlencoded({ extended: false }));
    without.post('/launch', oauthMiddleware(options()) as express.RequestHandler, (_req, res) => {
      res.send('in');
    });
    for (const [app, expected] of [
      [withRaw, 200],
      [without, 500],
    ] as const) {
      const url = await listen(createServer(app));
      const body = 'user_id=42';
      const signed = await signer.sign({ method: 'POST', url: `${url}/launch`, body, contentType: FORM });
      const response = await fetch(`${url}/launch`, {
        method: 'POST',
        headers: { authorization: signed.authorization as string, 'content-type': FORM },
        body,
      });
      expect(response.status).toBe(expected);
      if (expected === 500) expect(await response.text()).toMatch(/mount the OAuth middleware before body parsers/);
    }
  });

  it('a middleware without a nonceStore is refused when it is created, not on every request', () => {
    const { nonceStore: _omitted, ...withoutStore } = options();
    expect(() => oauthMiddleware(withoutStore as MiddlewareOptions)).toThrow(/nonceStore is required/);
    expect(() => oauthMiddleware(options({ maxBodyBytes: -1 }))).toThrow(/maxBodyBytes/);
  });

  it('a 200 MB upload is refused with 413 from its Content-Length, without reading it', async () => {
    lookups = 0;
    let heapBefore = 0;
    let heapAfter = 0;
    const url = await listen(
      createServer(async (req, res) => {
        heapBefore = process.memoryUsage().heapUsed;
        const error = await verifyNodeRequest(req, options()).catch((caught: unknown) => caught);
        heapAfter = process.memoryUsage().heapUsed;
        const answer = errorResponse(error);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      }),
    );
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(`${url}/upload`, {
        method: 'POST',
        headers: { 'content-length': String(200 * 1024 * 1024) },
      });
      outgoing.on('response', (response) => resolve(response.statusCode ?? 0));
      outgoing.on('error', reject);
      outgoing.write(Buffer.alloc(1024 * 1024));
    });
    expect(status).toBe(413);
    expect(lookups).toBe(0);
    expect(heapAfter - heapBefore).toBeLessThan(16 * 1024 * 1024);
  });

  it('a chunked body with no length is cut off at the limit while reading', async () => {
    lookups = 0;
    const url = await listen(
      createServer(async (req, res) => {
        const error = await verifyNodeRequest(req, options({ maxBodyBytes: 100_000 })).catch(
          (caught: unknown) => caught,
        );
        const answer = errorResponse(error);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      }),
    );
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(`${url}/upload`, { method: 'POST' });
      outgoing.on('response', (response) => resolve(response.statusCode ?? 0));
      outgoing.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024);
      const pump = () => {
        while (!outgoing.destroyed && outgoing.write(chunk)) {}
      };
      outgoing.on('drain', pump);
      pump();
    });
    expect(status).toBe(413);
    expect(lookups).toBe(0);
  });

  for (const [name, target] of [
    ['absolute-form', 'GET http://other.example/steal HTTP/1.1'],
    ['asterisk-form', 'OPTIONS * HTTP/1.1'],
  ] as const) {
    it(`a ${name} request target gets 400, not a crash`, async () => {
      const url = await listen(
        createServer(async (req, res) => {
          const error = await verifyNodeRequest(req as IncomingMessage & NodeRequest, options()).catch(
            (caught: unknown) => caught,
          );
          const answer = errorResponse(error);
          res.writeHead(answer.status, answer.headers).end(answer.body);
        }),
      );
      expect(await rawStatus(url, `${target}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).toBe(400);
    });
  }
});
