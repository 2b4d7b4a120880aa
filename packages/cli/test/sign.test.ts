import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { verifyRequest } from '@countersign/server';
import { describe, expect, it } from 'vitest';
import { countersign } from './run-cli.ts';

const TWITTER = {
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  args: [
    'sign',
    '--method',
    'POST',
    '--url',
    'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
    '--body',
    'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
    '--consumer-key',
    'xvz1evFS4wEEPTGEFPHBog',
    '--token',
    '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
    '--nonce',
    'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
    '--timestamp',
    '1318622958',
  ],
};

describe('countersign sign', () => {
  it('prints the Authorization header of the Twitter documentation request, secrets from the environment', async () => {
    const result = await countersign(TWITTER.args, {
      OAUTH_CONSUMER_SECRET: TWITTER.consumerSecret,
      OAUTH_TOKEN_SECRET: TWITTER.tokenSecret,
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"');
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--json prints baseString, signature and authorization, and no secret', async () => {
    const result = await countersign([
      ...TWITTER.args,
      '--json',
      '--consumer-secret',
      TWITTER.consumerSecret,
      '--token-secret',
      TWITTER.tokenSecret,
    ]);
    const output = JSON.parse(result.stdout);
    expect(output.signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    expect(output.baseString).toMatch(
      /^POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26/,
    );
    expect(output.authorization).toMatch(/^OAuth /);
    expect(result.stdout).not.toContain(TWITTER.consumerSecret);
    expect(result.stdout).not.toContain(TWITTER.tokenSecret);
  });

  it('signs RSA-SHA1 with a PKCS#1 key file, extra OAuth params and a realm; the signature verifies', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const file = join(mkdtempSync(join(tmpdir(), 'countersign-')), 'key.pem');
    writeFileSync(file, keys.privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const url = 'https://jira.example.com/plugins/servlet/oauth/request-token';
    const result = await countersign([
      'sign',
      '--method',
      'POST',
      '--url',
      url,
      '--consumer-key',
      'jira',
      '--signature-method',
      'RSA-SHA1',
      '--private-key',
      file,
      '--oauth-param',
      'oauth_callback=oob',
      '--realm',
      'Jira',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^OAuth realm="Jira", oauth_callback="oob", /);
    const verdict = await verifyRequest(
      { method: 'POST', url, authorization: result.stdout.trim() },
      { lookupConsumer: () => ({ publicKey: keys.publicKey }), nonceStore: false },
    );
    expect(verdict.ok).toBe(true);
  });

  it('--no-oauth-version reproduces the RFC 5849 §1.2 photo request', async () => {
    const result = await countersign(
      [
        'sign',
        '--method',
        'GET',
        '--url',
        'http://photos.example.net/photos?file=vacation.jpg&size=original',
        '--consumer-key',
        'dpf43f3p2l4k3l03',
        '--token',
        'nnch734d00sl2jdk',
        '--realm',
        'Photos',
        '--nonce',
        'chapoH',
        '--timestamp',
        '137131202',
        '--no-oauth-version',
        '--json',
      ],
      { OAUTH_CONSUMER_SECRET: 'kd94hf93k423kf44', OAUTH_TOKEN_SECRET: 'pfkkdhi9sl3r4s00' },
    );
    expect(JSON.parse(result.stdout).signature).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });

  it('query and body transmissions print the URL and the body to send', async () => {
    const secret = { OAUTH_CONSUMER_SECRET: 's' };
    const query = await countersign(
      [
        'sign',
        '--method',
        'GET',
        '--url',
        'https://api.example.com/r?a=1',
        '--consumer-key',
        'k',
        '--transmission',
        'query',
      ],
      secret,
    );
    expect(query.stdout).toMatch(/^https:\/\/api\.example\.com\/r\?a=1&oauth_consumer_key=k&.*oauth_signature=/);
    const body = await countersign(
      [
        'sign',
        '--method',
        'POST',
        '--url',
        'https://api.example.com/r',
        '--body',
        'a=1',
        '--consumer-key',
        'k',
        '--transmission',
        'body',
      ],
      secret,
    );
    expect(body.stdout).toMatch(/^a=1&oauth_consumer_key=k&/);
  });

  // A request that would sign, but for the one mistake each case adds.
  const GET = ['sign', '--method', 'GET', '--url', 'https://a.example/', '--consumer-key', 'k'];
  const SECRET = ['--consumer-secret', 's'];
  const mistakes: Array<[string, string[], RegExp]> = [
    ['relative URL', ['sign', '--method', 'GET', '--url', '/r', '--consumer-key', 'k', ...SECRET], /absolute/],
    ['unknown method', [...GET, ...SECRET, '--signature-method', 'MD5'], /signature-method/],
    ['no consumer secret', GET, /--consumer-secret \(or OAUTH_CONSUMER_SECRET/],
    ['RSA without a key', [...GET, '--signature-method', 'RSA-SHA1'], /--private-key/],
    [
      'a key without an RSA method',
      [...GET, '--private-key', '/any.pem'],
      /--private-key is for RSA: add --signature-method RSA-SHA1/,
    ],
    [
      'unreadable key file',
      [...GET, '--signature-method', 'RSA-SHA1', '--private-key', '/nonexistent.pem'],
      /cannot read --private-key \/nonexistent.pem: no such file/,
    ],
    ['malformed --oauth-param', [...GET, ...SECRET, '--oauth-param', 'novalue'], /name=value/],
    ['bad timestamp', [...GET, ...SECRET, '--timestamp', 'noon'], /--timestamp/],
    ['unknown option', [...GET, ...SECRET, '--colour'], /unknown option '--colour'/],
  ];
  for (const [name, args, message] of mistakes) {
    it(`${name}: one line on stderr, exit code 2`, async () => {
      const result = await countersign(args, {});
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('a secret given on the command line never reaches stderr', async () => {
    const result = await countersign([
      'sign',
      '--method',
      'GET',
      '--url',
      'https://u:p@a.example/',
      '--consumer-key',
      'k',
      '--consumer-secret',
      'SUPER-SECRET-VALUE',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('SUPER-SECRET-VALUE');
  });

  it('runs as a real process from the workspace bin', async () => {
    const bin = fileURLToPath(new URL('../bin/countersign.js', import.meta.url));
    const ok = await promisify(execFile)(process.execPath, [bin, ...TWITTER.args], {
      env: { ...process.env, OAUTH_CONSUMER_SECRET: TWITTER.consumerSecret, OAUTH_TOKEN_SECRET: TWITTER.tokenSecret },
    });
    expect(ok.stdout).toContain('oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"');
    const failed = await promisify(execFile)(process.execPath, [
      bin,
      'sign',
      '--method',
      'GET',
      '--url',
      '/relative',
      '--consumer-key',
      'k',
      '--consumer-secret',
      's',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^countersign: --url: expected an absolute/),
    });
  });
});
