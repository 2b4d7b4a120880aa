import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createMemoryNonceStore, type MiddlewareOptions } from '@countersign/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonWithOauthlib } from '../oauthlib/judge.ts';
import { startExpressVerifier, startFetchVerifier, type VerifierServer } from './servers.ts';

// Clients nobody here wrote, sending to our server through Express and through a Fetch
// Request: their ordinary requests verify, and each known quirk is refused with its cause named.
const require = createRequire(import.meta.url);
const OAuth1a = require('oauth-1.0a') as typeof import('oauth-1.0a');
const nodeOAuth = require('oauth') as { OAuth: new (...args: unknown[]) => NodeOAuthClient };
const HmacSha1 = require('ims-lti/lib/hmac-sha1') as new () => {
  build_signature(req: object, body: Record<string, string>, secret: string, token?: string): string;
};

interface NodeOAuthClient {
  get(url: string, token: string, secret: string, callback: NodeOAuthCallback): void;
  post(
    url: string,
    token: string,
    secret: string,
    body: Record<string, string>,
    type: string | null,
    callback: NodeOAuthCallback,
  ): void;
}
type NodeOAuthCallback = (error: { statusCode: number; data: string } | null, data?: string) => void;

const CONSUMER = { key: 'interopConsumerKey00000', secret: 'interop-secret_0123' };
const SPACED = { key: 'interopSpacedSecret0000', secret: 'lms shared secret' };
const TOKEN = { key: 'interopAccessToken00000', secret: 'interop-token-secret' };
const FORM = 'application/x-www-form-urlencoded';

function options(): MiddlewareOptions {
  return {
    lookupConsumer: (key) =>
      key === CONSUMER.key ? { secret: CONSUMER.secret } : key === SPACED.key ? { secret: SPACED.secret } : undefined,
    lookupToken: (token) => (token === TOKEN.key ? { secret: TOKEN.secret, consumerKey: CONSUMER.key } : undefined),
    nonceStore: createMemoryNonceStore(),
  };
}

const servers: Record<string, VerifierServer> = {};
beforeAll(async () => {
  servers.Express = await startExpressVerifier(options());
  servers['a Fetch Request'] = await startFetchVerifier(options());
});
afterAll(async () => {
  for (const server of Object.values(servers)) await server.close();
});

interface Answer {
  status: number;
  text: string;
  cause: string | null;
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text(), cause: response.headers.get('x-likely-cause') };
}

function expectRefusedWith(answer: Answer, cause: string, words: RegExp) {
  expect(answer.status).toBe(401);
  const refusal = new URLSearchParams(answer.text);
  expect(refusal.get('oauth_problem')).toBe('signature_invalid');
  expect(refusal.get('oauth_problem_advice')).toMatch(words);
  // The Fetch test server also passes result.likelyCause on.
  if (answer.cause !== null) expect(answer.cause).toBe(cause);
}

const oauth1a = (consumer = CONSUMER) =>
  new OAuth1a({
    consumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base: string, key: string) => createHmac('sha1', key).update(base).digest('base64'),
  });

for (const via of ['Express', 'a Fetch Request']) {
  describe(`oauth-1.0a → our server through ${via}`, () => {
    it('an ordinary GET with a query and a token verifies', async () => {
      const url = `${servers[via]?.url}/photos?size=original&file=vacation%20photo.jpg`;
      const header = oauth1a().toHeader(oauth1a().authorize({ url, method: 'GET' }, TOKEN));
      const answer = await send(url, { headers: { ...header } });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ consumer: CONSUMER.key, token: TOKEN.key });
    });

    it('an ordinary form POST verifies', async () => {
      const url = `${servers[via]?.url}/statuses/update`;
      const data = { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' };
      const header = oauth1a().toHeader(oauth1a().authorize({ url, method: 'POST', data }, TOKEN));
      const answer = await send(url, {
        method: 'POST',
        headers: { ...header, 'content-type': FORM },
        body: new URLSearchParams(data),
      });
      expect(answer.status).toBe(200);
    });

    it('quirk: a + in the query signed as a literal plus is named', async () => {
      const url = `${servers[via]?.url}/search?q=c+plus`;
      const header = oauth1a().toHeader(oauth1a().authorize({ url, method: 'GET' }));
      expectRefusedWith(await send(url, { headers: { ...header } }), 'plus_for_space', /literal plus .*oauth-1\.0a/);
    });

    it('quirk: a JSON body passed as data is signed as a form, and named', async () => {
      const url = `${servers[via]?.url}/items`;
      const data = { name: 'ada', role: 'admin' };
      const header = oauth1a().toHeader(oauth1a().authorize({ url, method: 'POST', data }));
      const answer = await send(url, {
        method: 'POST',
        headers: { ...header, 'content-type': 'application/json' },
        body: JSON.stringify(data),
      });
      expectRefusedWith(answer, 'body_params_wrongly_signed', /JSON body’s fields/);
    });
  });

  describe(`oauth (node-oauth) → our server through ${via}`, () => {
    const client = () => new nodeOAuth.OAuth(null, null, CONSUMER.key, CONSUMER.secret, '1.0', null, 'HMAC-SHA1');
    const call = (run: (callback: NodeOAuthCallback) => void) =>
      new Promise<{ status: number; data: string }>((resolve) =>
        run((error, data) =>
          resolve(error ? { status: error.statusCode, data: error.data } : { status: 200, data: data ?? '' }),
        ),
      );

    it('an ordinary GET with a query verifies', async () => {
      const answer = await call((done) =>
        client().get(`${servers[via]?.url}/me?fields=id,name&a=b%20c`, TOKEN.key, TOKEN.secret, done),
      );
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.data)).toMatchObject({ consumer: CONSUMER.key, token: TOKEN.key });
    });

    it('an ordinary form POST verifies', async () => {
      const answer = await call((done) =>
        client().post(
          `${servers[via]?.url}/statuses/update`,
          TOKEN.key,
          TOKEN.secret,
          { status: "it's (ok)! 100% ~ yes" },
          null,
          done,
        ),
      );
      expect(answer.status).toBe(200);
    });
  });

  describe(`ims-lti's consumer signing → our server through ${via}`, () => {
    function launch(server: string, consumer: { key: string; secret: string }, protocol = 'http') {
      const { host } = new URL(server);
      const body: Record<string, string> = {
        lti_message_type: 'basic-lti-launch-request',
        lti_version: 'LTI-1p0',
        resource_link_id: 'course-42-unit-3',
        user_id: 'learner-7',
        roles: 'Learner',
        lis_person_name_full: "Zoë O'Brien",
        oauth_consumer_key: consumer.key,
        oauth_nonce: `imsltiNonce${Math.random().toString(36).slice(2, 14)}`,
        oauth_signature_method: 'HMAC-SHA1',
        oauth_timestamp: String(Math.floor(Date.now() / 1000)),
        oauth_version: '1.0',
      };
      body.oauth_signature = new HmacSha1().build_signature(
        { url: '/lti/launch', method: 'POST', protocol, headers: { host } },
        body,
        consumer.secret,
      );
      return send(`${server}/lti/launch`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: new URLSearchParams(body),
      });
    }

    it('an ordinary launch verifies', async () => {
      const answer = await launch(servers[via]?.url as string, CONSUMER);
      expect(answer.status).toBe(200);
    });

    it('quirk: a secret with a space (the key built without percent-encoding) is named', async () => {
      expectRefusedWith(
        await launch(servers[via]?.url as string, SPACED),
        'signing_key',
        /without percent-encoding.*ims-lti/,
      );
    });

    it('quirk: the LMS signed https behind a TLS-terminating proxy, the server computed http: named', async () => {
      expectRefusedWith(
        await launch(servers[via]?.url as string, CONSUMER, 'https'),
        'wrong_method_or_url',
        /https:\/\/ URL and this server verified http:\/\/.*origin option/,
      );
    });
  });

  describe(`oauthlib's Client (Python) → our server through ${via}`, () => {
    // Asynchronous: the server answering it runs in this process.
    function oauthlibSends(spec: object): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const child = spawn(pythonWithOauthlib(), [fileURLToPath(new URL('../oauthlib/client.py', import.meta.url))]);
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
        });
        child.stderr.on('data', (chunk) => {
          err += chunk;
        });
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
        child.stdin.end(JSON.stringify(spec));
      });
    }

    it('an ordinary GET with a query and a token, and a form POST, verify', async () => {
      const base = servers[via]?.url as string;
      const credentials = {
        consumerKey: CONSUMER.key,
        consumerSecret: CONSUMER.secret,
        token: TOKEN.key,
        tokenSecret: TOKEN.secret,
      };
      const get = await oauthlibSends({
        ...credentials,
        url: `${base}/photos?size=original&name=a%20b`,
        method: 'GET',
      });
      expect(get.status).toBe(200);
      expect(JSON.parse(get.body)).toMatchObject({ consumer: CONSUMER.key, token: TOKEN.key });
      const post = await oauthlibSends({
        ...credentials,
        url: `${base}/statuses/update`,
        method: 'POST',
        body: 'status=Hello%20world%21&n=1',
      });
      expect(post.status).toBe(200);
      const sha256 = await oauthlibSends({
        ...credentials,
        signatureMethod: 'HMAC-SHA256',
        url: `${base}/r?x=1`,
        method: 'GET',
      });
      expect(sha256.status).toBe(200);
    });
  });
}

describe('node-oauth quirk', () => {
  it('oauth_version 1.0A (node-oauth constructed as its README shows) is refused with the cause named', async () => {
    for (const server of Object.values(servers)) {
      const client = new nodeOAuth.OAuth(null, null, CONSUMER.key, CONSUMER.secret, '1.0A', null, 'HMAC-SHA1');
      const answer = await new Promise<{ status: number; data: string }>((resolve) =>
        client.get(`${server.url}/me`, TOKEN.key, TOKEN.secret, (error, data) =>
          resolve(error ? { status: error.statusCode, data: error.data } : { status: 200, data: data ?? '' }),
        ),
      );
      expect(answer.status).toBe(400);
      const refusal = new URLSearchParams(answer.data);
      expect(refusal.get('oauth_problem')).toBe('version_rejected');
      expect(refusal.get('oauth_problem_advice')).toMatch(/node-oauth/);
    }
  });
});
