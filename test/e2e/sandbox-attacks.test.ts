/**
 * The sandbox against odd or hostile input: a user's mistake gets a 4xx or a typed error
 * at start-up, never a 500; a callback is `oob` or an absolute http(s) URL, so it can
 * neither break the redirect nor point a browser at `javascript:`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigner, isCountersignError, requestToken } from '@countersign/core';
import { type Sandbox, type SandboxConsumer, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersign } from '../../packages/cli/test/run-cli.ts';

const CONSUMER = { key: 'sandboxAttackConsumer00', secret: 'sandbox attack secret' };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER] });
});
afterAll(() => sandbox.close());

const signer = () => createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });

/** Asks for a request token with `callback`; the answer as status and Problem Reporting fields. */
async function requestTokenWith(callback: string) {
  const signed = await signer().sign(
    { method: 'POST', url: `${sandbox.url}/oauth/request_token` },
    { token: null, oauthParams: { oauth_callback: callback } },
  );
  const response = await fetch(signed.url, { method: 'POST', headers: { authorization: signed.authorization ?? '' } });
  return { status: response.status, fields: new URLSearchParams(await response.text()) };
}

describe('sandbox: callbacks', () => {
  it.each([
    'notaurl',
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://files.example.com/cb',
    'https://app.example.com/cb\r\nSet-Cookie: stolen=1',
    '/relative/callback',
  ])('oauth_callback %j is refused at the request token, with a 400 that says what is accepted', async (callback) => {
    const { status, fields } = await requestTokenWith(callback);
    expect(status).toBe(400);
    expect(fields.get('oauth_problem')).toBe('parameter_rejected');
    expect(fields.get('oauth_problem_advice')).toMatch(/oob or an absolute http\(s\) URL/);
  });

  it.each(['oob', 'https://app.example.com/cb?x=1', 'http://127.0.0.1:8080/callback'])(
    'oauth_callback %j is accepted, approved and denied without a 500',
    async (callback) => {
      const tokens = await requestToken(signer(), sandbox.endpoints, {
        callback,
        fetch: (url, init) => fetch(url, init),
      });
      for (const deny of ['1', '']) {
        const again =
          deny === ''
            ? tokens
            : await requestToken(signer(), sandbox.endpoints, { callback, fetch: (u, i) => fetch(u, i) });
        const response = await fetch(
          `${sandbox.endpoints.authorizeUrl}?oauth_token=${again.token}${deny === '1' ? '&deny=1' : ''}`,
          { redirect: 'manual' },
        );
        expect(response.status).toBeLessThan(500);
        if (callback !== 'oob')
          expect(new URL(response.headers.get('location') ?? '').origin).toBe(new URL(callback).origin);
      }
    },
  );
});

describe('sandbox: consumers are checked when it starts, not on each request', () => {
  const publicKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
    type: 'spki',
    format: 'pem',
  }) as string;
  const bad: Array<[string, unknown, RegExp]> = [
    ['a public key that is not one', { key: 'rsaConsumer0000000000', publicKey: 'not a key' }, /publicKey/],
    [
      'signatureMethods that is not a list',
      { key: 'c', secret: 's', signatureMethods: Number.POSITIVE_INFINITY },
      /signatureMethods/,
    ],
    ['an unknown method', { key: 'c', secret: 's', signatureMethods: ['HMAC-MD5'] }, /signatureMethods/],
    ['a key with a line break', { key: 'good\nconsumers: all of them', secret: 's' }, /key/],
    ['no secret and no public key', { key: 'c' }, /secret or a publicKey/],
    ['a secret that is not a string', { key: 'c', secret: 42 }, /secret/],
    [
      'two consumers with one key',
      [
        { key: 'c', secret: 's' },
        { key: 'c', secret: 't' },
      ],
      /twice/,
    ],
  ];
  for (const [name, consumer, message] of bad) {
    it(`startSandbox refuses ${name}`, async () => {
      const consumers = (Array.isArray(consumer) ? consumer : [consumer]) as SandboxConsumer[];
      const error = await startSandbox({ consumers }).then(
        async (started) => {
          await started.close();
          return undefined;
        },
        (failure: unknown) => failure,
      );
      expect(isCountersignError(error) && error.code).toBe('invalid_option');
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toMatch(/[\r\n]/);
    });
  }

  it('addConsumer refuses the same mistakes', () => {
    expect(() => sandbox.addConsumer({ key: 'x', publicKey: 'not a key' } as SandboxConsumer)).toThrow(/publicKey/);
  });

  it('a valid RSA consumer still starts', async () => {
    const started = await startSandbox({ consumers: [{ key: 'rsaConsumer0000000000', publicKey }] });
    await started.close();
  });

  it('countersign sandbox --consumers with such a file exits 2 in words, listing nothing forged', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'countersign-consumers-')), 'consumers.json');
    for (const consumers of [
      [{ key: 'k', publicKey: 'not a key' }],
      [{ key: 'k', secret: 's', signatureMethods: null }],
      [{ key: 'ok\nsandbox listening on http://evil.example', secret: 's' }],
    ]) {
      // JSON's 1e400 parses as Infinity, which no JavaScript literal can write.
      writeFileSync(file, JSON.stringify(consumers).replace('null', '1e400'));
      const result = await countersign(['sandbox', '--consumers', file], {}, { untilStopped: async () => {} });
      expect(result.code, result.stdout).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
