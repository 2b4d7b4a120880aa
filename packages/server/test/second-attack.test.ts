import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifierBaseString, verifierBaseStringBytes } from '../src/base-string.ts';
import {
  createMemoryNonceStore,
  nodeRequestUrl,
  oauthMiddleware,
  problemResponse,
  type RejectedRequest,
  type VerifyOptions,
  verifyFetchRequest,
  verifyRequest,
} from '../src/index.ts';
import { rawHttp, rawRequest } from './raw-http.ts';

// A second attacker's hour (after the bytes path of 7b305b2): each test is a request an
// attacker or a careless client sends, and what must not come back.
const CONSUMER = { key: 'second-consumer-0000000', secret: 'second secret' };
const FORM = 'application/x-www-form-urlencoded';
const PASSWORD = 'hunter2-do-not-print';
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

function options(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    lookupConsumer: (key) => (key === CONSUMER.key ? { secret: CONSUMER.secret } : undefined),
    nonceStore: createMemoryNonceStore(),
    ...extra,
  };
}

const wrongSignature = () =>
  `OAuth oauth_consumer_key="${CONSUMER.key}", oauth_signature_method="HMAC-SHA1", oauth_signature="AAAA", oauth_timestamp="${Math.floor(Date.now() / 1000)}", oauth_nonce="n0n0n0n0n0n0n0n0n0n0"`;

function leaks(result: RejectedRequest): string[] {
  const places = {
    baseString: result.baseString ?? '',
    json: JSON.stringify(result),
    answer: problemResponse(result).body,
  };
  return Object.entries(places)
    .filter(([, text]) => text.includes(PASSWORD) || text.includes(encodeURIComponent(PASSWORD)))
    .map(([place]) => place);
}

describe('a base string shown for a request over 64 KB keeps a password redacted, wherever the cut falls', () => {
  // The head is cut at 64 K characters and then redacted; redaction decodes the parameter
  // string once, and a cut inside an escape (`…%2`) made that decoding fail, so nothing was
  // redacted. Five offsets put the cut at each character of a `%2520`.
  for (let shift = 0; shift < 5; shift++) {
    it(`cut ${shift} characters into an escape`, async () => {
      // `x_auth_password` sorts before `zz`, so the password sits in the head (and in the
      // first 8 KB the problem response keeps).
      const body = `x_auth_password=${PASSWORD}&x_auth_username=bob&zz=${'z'.repeat(shift)}${'%20'.repeat(23_000)}`;
      const result = await verifyRequest(
        {
          method: 'POST',
          url: 'https://api.example.com/r',
          authorization: wrongSignature(),
          body,
          contentType: FORM,
        },
        options(),
      );
      expect(result).toMatchObject({ ok: false, problem: 'signature_invalid' });
      const shown = (result as RejectedRequest).baseString as string;
      expect(shown).toMatch(/ …\[truncated: \d+ more characters\]$/);
      expect(shown).toContain('x_auth_password%3D%5Bredacted%5D');
      expect(leaks(result as RejectedRequest)).toEqual([]);
    });
  }
});

describe('a method holding & cannot turn redaction off', () => {
  // RFC 9110 lets a method be any token, `&` included; the base string starts with the method
  // unencoded, and redaction splits the base string on `&` into exactly three parts.
  const body = `x_auth_password=${PASSWORD}&x_auth_username=bob`;

  it('verifyRequest refuses it before anything is computed', async () => {
    const request = {
      method: 'P&Q',
      url: 'https://api.example.com/r',
      authorization: wrongSignature(),
      body,
      contentType: FORM,
    };
    await expect(verifyRequest(request, options())).rejects.toMatchObject({
      name: 'ServerError',
      code: 'invalid_request',
    });
  });

  it('a Fetch Request with that method (which fetch allows) is refused too', async () => {
    const request = new Request('https://api.example.com/r', {
      method: 'P&Q',
      headers: { authorization: wrongSignature(), 'content-type': FORM },
      body,
    });
    await expect(verifyFetchRequest(request, options())).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('a Host a URL parser refuses is a 400, never a raw TypeError', () => {
  // These pass the Host grammar check, but WHATWG's host parser refuses them: a port over
  // 65535, a last label that is a number (read as IPv4), an IPv4 address out of range.
  const hosts = ['api.example.com:99999', 'api.999', '256.1.1.1'];

  for (const host of hosts) {
    it(`Host: ${host}`, async () => {
      expect(() => nodeRequestUrl({ url: '/r', headers: { host } })).toThrow(
        expect.objectContaining({ name: 'ServerError', code: 'invalid_request' }),
      );
      await expect(verifyRequest({ method: 'GET', url: `https://${host}/r` }, options())).rejects.toMatchObject({
        name: 'ServerError',
        code: 'invalid_request',
      });
      await expect(
        verifyFetchRequest(new Request('https://api.example.com/r', { headers: { host } }), options()),
      ).rejects.toMatchObject({ name: 'ServerError', code: 'invalid_request' });
    });
  }

  it('an origin option that no URL parser reads is refused as an option mistake', () => {
    expect(() => nodeRequestUrl({ url: '/r', headers: { host: 'h' } }, 'https://api.example.com:99999')).toThrow(
      expect.objectContaining({ code: 'invalid_option' }),
    );
  });

  it('over the wire: node:http passes such a Host on, and the middleware answers 400', async () => {
    const server = createServer(oauthMiddleware(options()) as Parameters<typeof createServer>[0]);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const answer = await rawRequest(
      url,
      rawHttp('GET /r HTTP/1.1', { Host: '256.1.1.1', Authorization: wrongSignature() }),
    );
    expect(answer.status).toBe(400);
  });
});

/**
 * How many times `String.prototype.slice` runs while `run` runs: core's percentEncode appends
 * one slice per escape, so this counts the pieces a string is grown from, counted rather
 * than timed so a busy machine cannot decide the outcome.
 */
function slicesTaken(run: () => unknown): number {
  const original = String.prototype.slice;
  let taken = 0;
  String.prototype.slice = function (this: string, start?: number, end?: number) {
    taken++;
    return original.call(this, start, end);
  };
  try {
    run();
  } finally {
    String.prototype.slice = original;
  }
  return taken;
}

describe('a megabyte split into many short values costs what one long value does', () => {
  // Values up to 1 KB were encoded twice with core's percentEncode, one append per escape:
  // 990 values of 1000 spaces (a 1 MB form body, under the parameter limit) took 540 ms
  // here, one value of a million spaces 21 ms. Only a known consumer key and a fresh
  // timestamp are needed to make a server spend it.
  const pairs = Array.from({ length: 990 }, () => ['a', ' '.repeat(1000)] as const);

  it('the byte path grows no string per escape', () => {
    expect(slicesTaken(() => verifierBaseStringBytes('POST', 'https://h/r', pairs))).toBeLessThan(10 * pairs.length);
  });

  it('nor does the text path (16 to 64 KB)', () => {
    const some = pairs.slice(0, 60);
    expect(slicesTaken(() => verifierBaseString('POST', 'https://h/r', some))).toBeLessThan(10 * some.length);
  });
});

describe('the Authorization header counts toward what is diagnosed', () => {
  // node:http caps headers at 16 KB; a runtime or an app calling verifyRequest itself may
  // not. Only the query and body were counted, so a megabyte header was diagnosed in full.
  it('a header over 64 KB with a wrong signature is refused without trying mistakes', async () => {
    const authorization = `${wrongSignature()}, padding="${'x'.repeat(70_000)}"`;
    const result = await verifyRequest({ method: 'GET', url: 'https://api.example.com/r', authorization }, options());
    expect(result).toMatchObject({ ok: false, problem: 'signature_invalid' });
    expect((result as RejectedRequest).diagnosis?.variantsTried).toBe(0);
    expect((result as RejectedRequest).baseString).toMatch(/ …\[truncated: \d+ more characters\]$/);
  });

  it('a lone surrogate in a header given as a string is a parameter_rejected refusal, not an encoding error', async () => {
    const authorization = `${wrongSignature()}, x="\uD800"`;
    const result = await verifyRequest({ method: 'GET', url: 'https://api.example.com/r', authorization }, options());
    expect(result).toMatchObject({ ok: false, problem: 'parameter_rejected' });
  });
});

describe('a request over 64 KB (its base string hashed as bytes) gets the same verdict as oauthlib', () => {
  // oauthlib signs, and computes its own base string for what it sent; the verifier must
  // accept the request, hold the same base string, and refuse it once one byte changes.
  const SIGN_SCRIPT = fileURLToPath(new URL('./oauthlib-sign.py', import.meta.url));
  const TOKEN = { key: 'second-token-0000000000', secret: 'token secret' };
  const prefix = 'caf\u00e9 ~*+%\u{1F600}'.repeat(6_000);
  const form = (pairs: ReadonlyArray<readonly [string, string]>) =>
    pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
  const specs = [
    // One name, huge values sharing a long prefix: the sort compares them byte by byte.
    {
      method: 'POST',
      url: 'https://api.example.com/r',
      body: form([
        ['a', `${prefix}~`],
        ['a', prefix],
        ['a', `${prefix} `],
        [`n${prefix}`, 'v'],
        ['b', 'short'],
      ]),
      signatureMethod: 'HMAC-SHA1',
    },
    // A huge query and a form body, HMAC-SHA256.
    {
      method: 'POST',
      url: `https://api.example.com/r?q=${encodeURIComponent(prefix)}&q=`,
      body: form([['q', 'x'.repeat(70_000)]]),
      signatureMethod: 'HMAC-SHA256',
    },
  ];

  it('oauthlib-signed large requests are accepted with its base string, and refused once changed', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const run = spawnSync('/usr/bin/python3', [SIGN_SCRIPT], {
      input: JSON.stringify(
        specs.map((spec, i) => ({
          ...spec,
          consumerKey: CONSUMER.key,
          consumerSecret: CONSUMER.secret,
          token: TOKEN.key,
          tokenSecret: TOKEN.secret,
          nonce: `oauthlibnonce${i}0000000000`,
          timestamp,
        })),
      ),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.stderr).toBe('');
    const signed = JSON.parse(run.stdout) as Array<{
      uri: string;
      authorization: string;
      body: string;
      baseString: string;
    }>;
    const verifyOptions = options({
      lookupToken: (token) => (token === TOKEN.key ? { secret: TOKEN.secret, consumerKey: CONSUMER.key } : undefined),
    });
    for (const [i, sent] of signed.entries()) {
      const request = {
        method: specs[i]?.method as string,
        url: sent.uri,
        authorization: sent.authorization,
        body: sent.body,
        contentType: FORM,
      };
      expect(request.body.length + new URL(request.url).search.length).toBeGreaterThan(64 * 1024);
      const result = await verifyRequest(request, verifyOptions);
      expect(result.ok).toBe(true);
      expect(result.ok && result.baseString === sent.baseString).toBe(true);
      // One byte of the last value changed (a y for its last character): refused.
      const changed = { ...request, body: `${request.body.slice(0, -1)}y`, authorization: sent.authorization };
      const again = await verifyRequest(changed, options({ lookupToken: verifyOptions.lookupToken }));
      expect(again).toMatchObject({ ok: false, problem: 'signature_invalid' });
    }
  });
});

describe('the diagnosis never throws on a Host it cannot read', () => {
  // With `origin` set the Host header is not the URL verified, only read by the diagnosis
  // (a client that signed for the Host it sent); a Host a URL parser refuses threw there.
  it('behind a proxy (origin set), Host: 256.1.1.1 and a wrong signature is a 401 with advice, not a 500', async () => {
    const server = createServer(
      oauthMiddleware({ ...options(), origin: 'https://api.example.com' }) as Parameters<typeof createServer>[0],
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const host of ['256.1.1.1', 'api.example.com:99999']) {
      const answer = await rawRequest(url, rawHttp('GET /r HTTP/1.1', { Host: host, Authorization: wrongSignature() }));
      expect(answer.status).toBe(401);
      expect(new URLSearchParams(answer.body).get('oauth_problem')).toBe('signature_invalid');
    }
  });
});
