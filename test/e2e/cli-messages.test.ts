/**
 * Every failure a shell user meets gets a message that names its cause and what to do,
 * in the command line's terms (flags, not code options): network failures of each kind, a
 * mistyped flag, a flow with no verifier on stdin, the defaults a user expects.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLineFrom } from '../../packages/cli/src/read-line.ts';
import { countersign } from '../../packages/cli/test/run-cli.ts';

const CONSUMER = { key: 'cliMessagesConsumer0000', secret: 'cli messages secret' };
const env = { OAUTH_CONSUMER_SECRET: CONSUMER.secret };
const servers: Server[] = [];
let sandbox: Sandbox;
const origins = { closed: '', reset: '', silent: '', tls: '', plainHttp: '' };

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER] });
  const closed = createHttpServer();
  origins.closed = `http://${await listen(closed)}`;
  await new Promise((resolve) => closed.close(resolve));
  servers.splice(servers.indexOf(closed), 1);
  origins.reset = `http://${await listen(createHttpServer((request) => request.socket.destroy()))}`;
  origins.silent = `http://${await listen(createHttpServer(() => {}))}`;
  // A self-signed certificate for localhost and 127.0.0.1 (test/fixtures, valid until 2126).
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
  const tls = createHttpsServer(
    { key: fixture('tls-self-signed.key.pem'), cert: fixture('tls-self-signed.cert.pem') },
    (_request, response) => response.end('ok'),
  );
  origins.tls = `https://${await listen(tls as unknown as Server)}`;
  origins.plainHttp = `https://${new URL(sandbox.url).host}`;
});

afterAll(async () => {
  await sandbox.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const request = (url: string, ...more: string[]) =>
  countersign(['request', '--consumer-key', CONSUMER.key, '--url', url, ...more], env);

describe('network failures say their cause and what to do', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    [
      'connection refused',
      () => `${origins.closed}/r`,
      /nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)/,
    ],
    ['an unknown host', () => 'https://no-such-host.invalid/r', /the host no-such-host\.invalid was not found \(DNS/],
    [
      'a self-signed certificate',
      () => `${origins.tls}/r`,
      /TLS certificate of 127\.0\.0\.1:\d+ was refused: it is self-signed.*NODE_EXTRA_CA_CERTS/,
    ],
    [
      'https to an http server',
      () => `${origins.plainHttp}/r`,
      /did not answer in TLS: is it http:\/\/ rather than https:\/\//,
    ],
    ['a connection reset', () => `${origins.reset}/r`, /closed the connection before answering \(reset\)/],
  ];
  for (const [name, url, message] of cases) {
    it(name, async () => {
      const result = await request(url());
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/fetch failed/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('a server that does not answer in time', async () => {
    const result = await request(`${origins.silent}/r`, '--timeout', '0.5');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no answer within 0\.5 s \(--timeout\)/);
  });

  it('flow against a closed port says so too', async () => {
    const result = await countersign(
      ['flow', 'twitter', '--consumer-key', CONSUMER.key, '--base', origins.closed],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/connection refused/);
  });
});

describe('mistakes on the command line', () => {
  it('a mistyped flag is named, with the closest real one', async () => {
    const result = await countersign(['sign', '--consumerkey', 'k', '--url', 'https://api.example.com/r'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--consumerkey'.*Did you mean --consumer-key\?/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing --consumer-key is said in words', async () => {
    const result = await countersign(['sign', '--url', 'https://api.example.com/r'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--consumer-key is required/);
  });

  it.each([
    [['--oauth-param', 'oauth_token=x'], /--oauth-param oauth_token: countersign sets it itself; use --token/],
    [['--oauth-param', 'oauth_nonce=x'], /use --nonce/],
    [
      ['--signature-method', 'RSA-SHA1', '--private-key', 'package.json'],
      /^countersign: --private-key: expected PEM text/,
    ],
    [
      [
        '--signature-method',
        'PLAINTEXT',
        '--body-hash',
        '--method',
        'POST',
        '--body',
        '{}',
        '--content-type',
        'application/json',
      ],
      /^countersign: --body-hash: PLAINTEXT has no hash/,
    ],
  ])('messages name flags, not code options: %j', async (args, message) => {
    const result = await countersign(
      ['sign', '--consumer-key', 'k', '--url', 'https://api.example.com/r', ...args],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/privateKey|oauthParams|bodyHash|signer option|setClockOffset/);
  });

  it('an empty --consumer-key is named as the flag', async () => {
    const result = await countersign(['sign', '--consumer-key', '', '--url', 'https://api.example.com/r'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^countersign: --consumer-key: /);
  });

  it('a pasted credential with an invisible character is named as its flag, never quoted', async () => {
    const secret = await countersign(['sign', '--consumer-key', 'ck', '--url', 'https://api.example.com/r'], {
      OAUTH_CONSUMER_SECRET: 'cli messages secret\r',
    });
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/^countersign: --consumer-secret: contains U\+000D/);
    expect(secret.stderr).not.toContain('cli messages secret');
    const token = await countersign(
      ['sign', '--consumer-key', 'ck', '--token', 'tok\u200b', '--url', 'https://api.example.com/r'],
      { ...env, OAUTH_TOKEN_SECRET: 'ts' },
    );
    expect(token.code).toBe(2);
    expect(token.stderr).toMatch(/^countersign: --token: contains U\+200B/);
  });

  it('explain and request give clock skew the same advice, in flags', async () => {
    const refusal = 'oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600';
    const explained = await countersign(['explain', '--status', '401', '--response', refusal], env);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toMatch(/clock_skew: .*--timestamp/);
    expect(explained.stdout).not.toMatch(/setClockOffset/);
    const requested = await countersign(
      ['request', '--consumer-key', CONSUMER.key, '--url', 'https://api.example.com/r'],
      env,
      { fetch: (async () => new Response(refusal, { status: 401 })) as never },
    );
    expect(requested.code).toBe(1);
    expect(requested.stderr).toMatch(/--timestamp/);
    expect(requested.stderr).not.toMatch(/setClockOffset/);
  });

  it('sign without --method signs a GET', async () => {
    const result = await countersign(
      ['sign', '--consumer-key', 'k', '--url', 'https://api.example.com/r', '--json'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).baseString).toMatch(/^GET&/);
  });
});

describe('flow without a verifier', () => {
  it('stdin that ends with no line is said, not a silent exit', async () => {
    const result = await countersign(['flow', 'twitter', '--consumer-key', CONSUMER.key, '--base', sandbox.url], env, {
      readLine: readLineFrom(Readable.from([]), new PassThrough()),
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/Open this URL/);
    expect(result.stderr).toMatch(/no verifier: stdin ended before one was given/);
  });

  it('an empty line is said too', async () => {
    const result = await countersign(['flow', 'twitter', '--consumer-key', CONSUMER.key, '--base', sandbox.url], env, {
      readLine: readLineFrom(Readable.from(['\n']), new PassThrough()),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no verifier given/);
  });
});
