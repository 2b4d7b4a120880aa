import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersign } from '../../packages/cli/test/run-cli.ts';
import { pythonWithOauthlib } from '../oauthlib/judge.ts';

// `countersign sandbox` started as a user would, and driven by oauthlib's Python client.
const root = fileURLToPath(new URL('../..', import.meta.url));
const CONSUMER = { key: 'pythonClientConsumer0000', secret: 'python client secret' };
let child: ChildProcess;
let url = '';
const printed: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-sandbox-'));
  const consumers = join(dir, 'consumers.json');
  writeFileSync(consumers, JSON.stringify([CONSUMER]));
  child = spawn(process.execPath, ['packages/cli/bin/countersign.js', 'sandbox', '--consumers', consumers], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`countersign sandbox exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      printed.push(line);
      const listening = /^sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (listening) resolve(listening[1] as string);
    });
  });
}, 30_000);
afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

function oauthlibClient(spec: Record<string, string>): { status: number; body: string } {
  const result = spawnSync(pythonWithOauthlib(), [fileURLToPath(new URL('../oauthlib/client.py', import.meta.url))], {
    input: JSON.stringify(spec),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as { status: number; body: string };
}

describe('countersign sandbox, driven by a Python OAuth client', () => {
  it('prints where it listens and which consumers it knows', () => {
    expect(printed.find((line) => line.startsWith('consumers: '))).toMatch(
      new RegExp(`^consumers: ${CONSUMER.key} \\(secret as in .*consumers\\.json\\)$`),
    );
    // A secret from the file is not printed.
    expect(printed.join('\n')).not.toContain(CONSUMER.secret);
    expect(printed).toContain(`request token: POST ${url}/oauth/request_token`);
  });

  it('oauthlib gets a request token, and its signed request to a resource verifies', () => {
    const requestToken = oauthlibClient({
      url: `${url}/oauth/request_token`,
      method: 'POST',
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      callback: 'oob',
    });
    expect(requestToken.status).toBe(200);
    expect(new URLSearchParams(requestToken.body).get('oauth_callback_confirmed')).toBe('true');
    const echo = oauthlibClient({
      url: `${url}/api/items?page=2`,
      method: 'GET',
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
    });
    expect(echo.status).toBe(200);
    expect((JSON.parse(echo.body) as { params: string[][] }).params).toContainEqual(['page', '2']);
  });

  it('a wrong secret is refused with the base string the sandbox computed', () => {
    const refused = oauthlibClient({
      url: `${url}/api/items`,
      method: 'GET',
      consumerKey: CONSUMER.key,
      consumerSecret: 'wrong',
    });
    expect(refused.status).toBe(401);
    expect(new URLSearchParams(refused.body).get('oauth_signature_base_string')).toMatch(
      /^GET&http%3A%2F%2F127\.0\.0\.1/,
    );
  });

  it('stops on Ctrl-C (SIGINT), exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(printed.at(-1)).toBe('sandbox stopped');
  });
});

describe('countersign --version and sandbox usage errors', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as {
      version: string;
    };
    const result = await countersign(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('a consumers file that is not a list of consumers is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-sandbox-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ key: 'x' }));
    const result = await countersign(['sandbox', '--consumers', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must be a JSON array/);
  });
});
