import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersign as runCli } from '../../packages/cli/test/run-cli.ts';

const CONSUMER = { key: 'cliHardeningConsumer000', secret: 'cli hardening secret' };
let sandbox: Sandbox;
let silent: Server;
let silentUrl = '';
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER] });
  // A server that takes the request and never answers.
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox.close();
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
});

const countersign = (args: string[]) => runCli(args, { OAUTH_CONSUMER_SECRET: CONSUMER.secret });

const base = () => ['request', '--consumer-key', CONSUMER.key];
/** A POST of `body` to the sandbox's echo, with more options after it. */
const postEcho = (body: string, ...more: string[]) => [
  ...base(),
  '--method',
  'POST',
  '--url',
  `${sandbox.url}/1/echo`,
  '--body',
  body,
  ...more,
];

describe('countersign request: hardening', () => {
  it('--verbose shows the very request that was sent (one nonce), PLAINTEXT signature redacted', async () => {
    const result = await countersign([
      ...base(),
      '--url',
      `${sandbox.url}/1/echo?q=1`,
      '--signature-method',
      'PLAINTEXT',
      '--allow-plaintext-over-http',
      '--transmission',
      'query',
      '--verbose',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('cli%20hardening%20secret');
    expect(result.stderr).not.toContain(CONSUMER.secret);
    expect(result.stderr).toContain('oauth_signature=[redacted]');
    const shownNonces = [...result.stderr.matchAll(/oauth_nonce=(\w+)/g)].map((match) => match[1]);
    const echoed = JSON.parse(result.stdout) as { params: Array<[string, string]> };
    const sentNonce = echoed.params.find(([name]) => name === 'oauth_nonce')?.[1];
    expect(shownNonces).toEqual([sentNonce]);
  });

  it('--timeout gives up on a server that never answers, with a clear line', async () => {
    const started = Date.now();
    const result = await countersign([...base(), '--url', `${silentUrl}/slow`, '--timeout', '0.5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('countersign: no answer within 0.5 s (--timeout); nothing more was sent.\n');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('--body @file sends the file’s contents, signed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-cli-'));
    const file = join(dir, 'form.txt');
    writeFileSync(file, 'status=from%20a%20file&n=2');
    const result = await countersign(postEcho(`@${file}`));
    expect(result.code, result.stderr).toBe(0);
    const echoed = JSON.parse(result.stdout) as { params: Array<[string, string]> };
    expect(echoed.params).toContainEqual(['status', 'from a file']);
  });

  it('--body @missing is a usage error naming the file', async () => {
    const result = await countersign(postEcho('@/nonexistent/body'));
    expect(result).toMatchObject({
      code: 2,
      stderr: 'countersign: cannot read --body @/nonexistent/body: no such file\n',
    });
  });

  for (const name of ['__proto__', 'constructor']) {
    it(`--oauth-param ${name}=… is refused instead of silently dropped`, async () => {
      const result = await countersign([...base(), '--url', `${sandbox.url}/1/echo`, '--oauth-param', `${name}=x`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `countersign: --oauth-param ${name} cannot be sent: that name would be dropped, not signed\n`,
      );
    });
  }

  it('--oauth-param given twice is refused', async () => {
    const result = await countersign([
      ...base(),
      '--url',
      `${sandbox.url}/1/echo`,
      '--oauth-param',
      'oauth_callback=oob',
      '--oauth-param',
      'oauth_callback=http://x',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/given twice/);
  });

  it('a charset other than UTF-8 is refused: the body is sent as UTF-8', async () => {
    const result = await countersign(
      postEcho('name=caf%E9', '--content-type', 'application/x-www-form-urlencoded; charset=ISO-8859-1'),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/charset=iso-8859-1, but countersign sends --body as UTF-8/);
  });
});

describe('countersign sign --body-hash', () => {
  const sign = (...more: string[]) =>
    countersign(['sign', '--consumer-key', CONSUMER.key, '--url', 'https://api.example.com/r', '--json', ...more]);

  it('hashes a GET as the empty body, and a JSON body by its bytes', async () => {
    const get = await sign('--method', 'GET', '--body-hash');
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout).authorization).toContain('oauth_body_hash="2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D"');
    const json = await sign(
      '--method',
      'POST',
      '--body',
      '{"a":1}',
      '--content-type',
      'application/json',
      '--body-hash',
    );
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).authorization).toMatch(/oauth_body_hash="[^"]+"/);
  });

  it('refuses it for a form body (the default for --body), in terms of the options', async () => {
    const form = await sign('--method', 'POST', '--body', '{"a":1}', '--body-hash');
    expect(form.code).toBe(2);
    expect(form.stderr).toContain(
      '--body-hash is for a body that is not a form (JSON, XML, bytes): add --content-type',
    );
  });
});
