/**
 * The errors axios and ky throw for a signed request are what error reporters serialize:
 * `toJSON()`, `JSON.stringify`, `util.inspect` at any depth, and the `config` they carry.
 * None of them may hold a secret: a PLAINTEXT signature (the secrets themselves, in the
 * header, the query or the body) or an `x_auth_password` in a form body.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { createSigner, type Transmission } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export const CONSUMER_SECRET = 'CONSUMER-SECRET-c0ffee';
export const TOKEN_SECRET = 'TOKEN-SECRET-d00d';
export const PASSWORD = 'hunter2-PASSWORD';
const SEEDS = [CONSUMER_SECRET, TOKEN_SECRET, PASSWORD];

export function plaintextSigner(transmission: Transmission) {
  return createSigner({
    consumerKey: 'ck',
    consumerSecret: CONSUMER_SECRET,
    token: 'tok',
    tokenSecret: TOKEN_SECRET,
    signatureMethod: 'PLAINTEXT',
    transmission,
    // A loopback test server: the option PLAINTEXT needs over http.
    allowPlaintextOverHttp: true,
  });
}

export const hmacSigner = () => createSigner({ consumerKey: 'ck', consumerSecret: CONSUMER_SECRET });

/** Every way the error gets printed or serialized, as one text. */
export function printed(error: unknown): string {
  const e = error as { toJSON?: () => unknown; config?: unknown; options?: unknown; request?: unknown };
  const texts = [
    String(error),
    JSON.stringify(error),
    JSON.stringify(e.toJSON?.() ?? null),
    inspect(error, { depth: 8 }),
    inspect(error, { depth: 8, showHidden: true }),
    JSON.stringify(e.config ?? null),
    inspect(e.config, { depth: 8 }),
    JSON.stringify(e.options ?? null),
    inspect(e.options, { depth: 8 }),
    inspect(e.request, { depth: 8 }),
  ];
  return texts.join('\n');
}

export function expectNoSeed(text: string) {
  for (const seed of SEEDS) {
    expect(text).not.toContain(seed);
    expect(text).not.toContain(encodeURIComponent(encodeURIComponent(seed)));
  }
}

/** A server that refuses every request, and the address of a closed port, for one test file. */
export function refusingServer(): { origin: string; closedOrigin: string } {
  let server: Server;
  const addresses = { origin: '', closedOrigin: '' };
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url?.startsWith('/json')) {
          // X's refusal, with an id too large for a double (what a lossless parseJson is for).
          response.writeHead(401, { 'content-type': 'application/json' });
          response.end(
            '{"errors":[{"code":32,"message":"Could not authenticate you."}],"id":123456789012345678901234567}',
          );
          return;
        }
        response.writeHead(401, { 'content-type': 'application/x-www-form-urlencoded' });
        response.end('oauth_problem=signature_invalid');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    addresses.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    addresses.closedOrigin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return addresses;
}

export async function caught(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

/** The same attacks on ky's HTTPError, for ky 1 and ky 2. */
export function describeKyErrors(name: string, ky: typeof import('ky').default): void {
  const server = refusingServer();
  describe(`${name}: a refused or failed request`, () => {
    for (const transmission of ['header', 'query', 'body'] as const) {
      for (const target of ['refusing', 'closed'] as const) {
        it(`PLAINTEXT in the ${transmission}, ${target} server`, async () => {
          const api = ky.create({ ...kyOAuth(plaintextSigner(transmission)), retry: 0 });
          const error = await caught(() =>
            api.post(`${target === 'refusing' ? server.origin : server.closedOrigin}/r?q=1`, {
              body: new URLSearchParams({ a: '1' }),
            }),
          );
          // ky's own error, with the refusal explained: not an error thrown from a hook.
          if (target === 'refusing') expectKyRefusal(error);
          expectNoSeed(printed(error));
        });
      }
    }

    it('a JSON refusal read by a parseJson that keeps large ids as BigInt', async () => {
      // ky 2 parses the refusal itself: serializing its data threw from the hook, and the
      // caller got "TypeError: Do not know how to serialize a BigInt" instead of ky's error.
      const parseJson = (text: string) =>
        JSON.parse(text, (key, value) => (key === 'id' ? BigInt(Math.trunc(value)) : value));
      const api = ky.create({ ...kyOAuth(hmacSigner()), retry: 0, parseJson });
      const error = await caught(() => api.get(`${server.origin}/json`));
      expectKyRefusal(error);
      expect(((error as Error).cause as { problem?: string }).problem).toBe('signature_invalid');
    });

    it('x_auth_password in the form body', async () => {
      const api = ky.create({ ...kyOAuth(hmacSigner()), retry: 0 });
      const error = await caught(() =>
        api.post(`${server.origin}/oauth/access_token`, {
          body: new URLSearchParams({ x_auth_username: 'bob', x_auth_password: PASSWORD }),
        }),
      );
      expectKyRefusal(error);
      expectNoSeed(printed(error));
    });
  });
}

function expectKyRefusal(error: unknown): void {
  expect((error as Error).name).toBe('HTTPError');
  expect(((error as Error).cause as Error).name).toBe('OAuthError');
}
