import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAuthorizationHeader } from '@countersign/core';
import { createMemoryNonceStore, type NonceStore, type VerifyResult, verifyRequest } from '@countersign/server';
import type { OauthlibJudge, Verdict } from '../oauthlib/judge.ts';
import { CREDENTIALS } from './credentials.ts';

/** What a request looked like on arrival, and what two independent verifiers said of it. */
export interface Arrival {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
  nonce: string | undefined;
  ours: VerifyResult;
  oauthlib: Verdict;
}

/** How the server answers the next requests, before answering 200 again. */
export type Misbehaviour = '503' | 'reset' | 'redirect' | 'redirect307';

export interface WireServer {
  readonly origin: string;
  readonly arrivals: Arrival[];
  misbehave(...next: Misbehaviour[]): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A real HTTP server on 127.0.0.1 that rebuilds each request from what arrived (Host
 * header, raw path and query, raw body bytes) and verifies it twice: with Countersign's
 * verifier (nonce store included, so a replayed attempt fails) and with oauthlib.
 */
/**
 * oauthlib's decoder refuses raw `[ ] { } | ^` in a query or form body, which servers
 * accept and some clients send (axios 1.7 sends `ids[]=1`). Escaping them changes no
 * decoded parameter, so the base string oauthlib computes is the same.
 */
function escapeForOauthlib(text: string): string {
  return text.replace(/[[\]{}|^]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Verifies one arrived request with Countersign's verifier and with oauthlib. */
export async function checkArrival(
  judge: OauthlibJudge,
  nonceStore: NonceStore,
  received: {
    method: string;
    url: string;
    authorization: string | undefined;
    contentType: string | undefined;
    body: string;
  },
): Promise<Arrival> {
  const { method, url, authorization, contentType, body } = received;
  const ours = await verifyRequest(
    { method, url, authorization, body: new TextEncoder().encode(body), contentType },
    {
      lookupConsumer: (key) => (key === CREDENTIALS.consumerKey ? { secret: CREDENTIALS.consumerSecret } : undefined),
      lookupToken: (token) => (token === CREDENTIALS.token ? { secret: CREDENTIALS.tokenSecret } : undefined),
      nonceStore,
    },
  );
  const oauthlib: Verdict =
    authorization === undefined
      ? { ok: false, error: 'no Authorization header' }
      : await judge.judge({
          signatureMethod: 'HMAC-SHA1',
          method,
          url: url.includes('?') ? url.replace(/\?.*/, (query) => escapeForOauthlib(query)) : url,
          authorization,
          body: escapeForOauthlib(body),
          contentType,
          consumerSecret: CREDENTIALS.consumerSecret,
          tokenSecret: CREDENTIALS.tokenSecret,
        });
  const nonce =
    authorization === undefined
      ? undefined
      : parseAuthorizationHeader(authorization).params.find(([name]) => name === 'oauth_nonce')?.[1];
  return { ...received, nonce, ours, oauthlib };
}

export async function startWireServer(judge: OauthlibJudge, port = 0): Promise<WireServer> {
  const arrivals: Arrival[] = [];
  const queue: Misbehaviour[] = [];
  const nonceStore = createMemoryNonceStore();
  const server: Server = createServer(async (request, response) => {
    const body = (await readBody(request)).toString('utf8');
    arrivals.push(
      await checkArrival(judge, nonceStore, {
        method: request.method as string,
        url: `http://${request.headers.host}${request.url}`,
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        body,
      }),
    );
    const next = queue.shift();
    if (next === 'reset') {
      request.socket.destroy();
      return;
    }
    if (next === '503') {
      // No Retry-After: ky 1.0 reads `Retry-After: 0` as "do not retry".
      response.writeHead(503, { 'content-type': 'text/plain' }).end('try again');
      return;
    }
    if (next === 'redirect' || next === 'redirect307') {
      response.writeHead(next === 'redirect' ? 302 : 307, { location: '/moved' }).end();
      return;
    }
    const arrival = arrivals[arrivals.length - 1] as Arrival;
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ ok: arrival.ours.ok && arrival.oauthlib.ok }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${bound}`,
    arrivals,
    misbehave: (...next) => queue.push(...next),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
