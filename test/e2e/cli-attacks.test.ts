/**
 * The CLI against hostile input: `--curl` must print only commands that send exactly the
 * signed bytes (every secret its own variable, form values split as the signer splits
 * them, bodies that cannot ride on an argument through a file, one Content-Type); a hostile
 * server must not hang it, exhaust its memory or write on the user's terminal; local files
 * are checked before they are read.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersign as runCli } from '../../packages/cli/test/run-cli.ts';
import { finishesWithin } from '../../packages/core/test/within-deadline.ts';

const CONSUMER = { key: 'cliAttackConsumer000000', secret: 'cli attack secret' };
// A PLAINTEXT consumer whose secret can stand as a variable (only unreserved characters).
const STAGING = { key: 'cliAttackStaging0000000', secret: 'staging-secret.42' };
const USER = { username: 'ada', password: 'left#right-half-of-the-password' };
const BOB = { username: 'bob', password: 'horse-battery' };
const env = { OAUTH_CONSUMER_SECRET: CONSUMER.secret };
let sandbox: Sandbox;
const work = mkdtempSync(join(tmpdir(), 'countersign-cli-attacks-'));

beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER, STAGING], users: [USER, BOB] });
});
afterAll(() => sandbox.close());

const shell = promisify(execFile);
async function runPrinted(command: string, variables: NodeJS.ProcessEnv) {
  const { stdout } = await shell('bash', ['-c', `${command.trim()} --silent --write-out '\\n%{http_code}'`], {
    env: { PATH: process.env.PATH, ...variables },
    maxBuffer: 16 * 1024 * 1024,
  });
  const status = stdout.slice(stdout.lastIndexOf('\n') + 1);
  return { status: Number(status), body: stdout.slice(0, stdout.lastIndexOf('\n')) };
}

/** The variables a printed command says it reads, in the order named. */
function variablesNamed(stderr: string): string[] {
  return [...stderr.matchAll(/reads \$([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] as string);
}

const curlFor = (...args: string[]) => runCli(['request', '--curl', '--consumer-key', CONSUMER.key, ...args], env);

describe('countersign request --curl prints only commands that send the signed bytes', () => {
  it('a query parameter named oauth_consumer_secret does not reuse $OAUTH_CONSUMER_SECRET', async () => {
    const printed = await curlFor('--url', `${sandbox.url}/1/echo?oauth_consumer_secret=public-value`);
    expect(printed.code, printed.stderr).toBe(0);
    const [variable] = variablesNamed(printed.stderr);
    expect(variable).toBeDefined();
    expect(variable).not.toBe('OAUTH_CONSUMER_SECRET');
    // The environment that ran countersign still has the real secret; the URL must not get it.
    const sent = await runPrinted(printed.stdout, { ...env, [variable as string]: 'public-value' });
    expect(sent.status, sent.body).toBe(200);
    expect(sent.body).not.toContain('cli%20attack%20secret');
    expect(sent.body).not.toContain('cli attack secret');
  });

  it('two parameters that would map to one variable get two, and a name starting with a digit a valid one', async () => {
    const printed = await curlFor(
      '--method',
      'POST',
      '--url',
      `${sandbox.url}/1/echo`,
      '--body',
      'a-password=first&a_password=second&1password=third',
    );
    expect(printed.code, printed.stderr).toBe(0);
    const variables = variablesNamed(printed.stderr);
    expect(new Set(variables).size).toBe(3);
    const values = ['first', 'second', 'third'];
    const sent = await runPrinted(
      printed.stdout,
      Object.fromEntries(variables.map((name, index) => [name, values[index]])),
    );
    expect(sent.status, sent.body).toBe(200);
  });

  it('a # in a form value is part of the value: no half of a password is printed', async () => {
    const printed = await curlFor(
      '--method',
      'POST',
      '--url',
      `${sandbox.url}/oauth/access_token`,
      '--body',
      `x_auth_username=ada&x_auth_password=${USER.password}&x_auth_mode=client_auth`,
    );
    // The whole value is the password: it cannot stand as a variable (# is encoded on the
    // wire), so the command is refused rather than printed with a half in clear.
    expect(printed.code).toBe(2);
    expect(printed.stderr).toMatch(/the value of x_auth_password/);
    expect(`${printed.stdout}${printed.stderr}`).not.toContain('right-half');
  });

  it('the same request without a #: the password is a variable and the command gets a token', async () => {
    const printed = await curlFor(
      '--method',
      'POST',
      '--url',
      `${sandbox.url}/oauth/access_token`,
      '--body',
      'x_auth_username=bob&x_auth_password=horse-battery&x_auth_mode=client_auth',
    );
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).not.toContain('horse-battery');
    const [variable] = variablesNamed(printed.stderr);
    const sent = await runPrinted(printed.stdout, { [variable as string]: 'horse-battery' });
    expect(sent.status, sent.body).toBe(200);
    expect(sent.body).toMatch(/^oauth_token=/);
  });

  it('a body with a NUL byte goes through the file, byte for byte', async () => {
    const file = join(work, 'nul.txt');
    writeFileSync(file, 'a=1&b=x\u0000y');
    const printed = await curlFor('--method', 'POST', '--url', `${sandbox.url}/1/echo`, '--body', `@${file}`);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('--data-binary');
    const sent = await runPrinted(printed.stdout, {});
    expect(sent.status, sent.body).toBe(200);
    expect(JSON.parse(sent.body).params).toContainEqual(['b', 'x\u0000y']);
  });

  it('a 200 KiB body does not hit the argument limit', async () => {
    const file = join(work, 'large.txt');
    writeFileSync(file, `big=${'x'.repeat(200 * 1024)}`);
    const printed = await curlFor('--method', 'POST', '--url', `${sandbox.url}/1/echo`, '--body', `@${file}`);
    expect(printed.code, printed.stderr).toBe(0);
    const sent = await runPrinted(printed.stdout, {});
    expect(sent.status, sent.body).toBe(200);
  });

  it('--consumer-secret with another OAUTH_CONSUMER_SECRET exported: the command sends the secret signed, not that one', async () => {
    // The shell has production's secret exported; the flag names staging's. A command that
    // read $OAUTH_CONSUMER_SECRET sent production's secret to the staging host, and failed.
    const shellEnv = { OAUTH_CONSUMER_SECRET: 'production-secret' };
    const printed = await runCli(
      [
        'request',
        '--curl',
        '--consumer-key',
        STAGING.key,
        '--consumer-secret',
        STAGING.secret,
        '--signature-method',
        'PLAINTEXT',
        '--allow-plaintext-over-http',
        '--url',
        `${sandbox.url}/1/echo`,
      ],
      shellEnv,
    );
    expect(printed.code, printed.stderr).toBe(0);
    const [variable] = variablesNamed(printed.stderr);
    expect(variable).not.toBe('OAUTH_CONSUMER_SECRET');
    expect(printed.stderr).toMatch(/not set here/);
    const sent = await runPrinted(printed.stdout, { ...shellEnv, [variable as string]: STAGING.secret });
    expect(sent.status, sent.body).toBe(200);
    expect(sent.body).not.toContain('production');
  });

  it('a password parameter does not read a variable the shell already holds for something else', async () => {
    const shellEnv = { ...env, X_AUTH_PASSWORD: 'the-password-of-another-tool' };
    const printed = await runCli(
      [
        'request',
        '--curl',
        '--consumer-key',
        CONSUMER.key,
        '--method',
        'POST',
        '--url',
        `${sandbox.url}/oauth/access_token`,
        '--body',
        'x_auth_username=bob&x_auth_password=horse-battery&x_auth_mode=client_auth',
      ],
      shellEnv,
    );
    expect(printed.code, printed.stderr).toBe(0);
    const [variable] = variablesNamed(printed.stderr);
    expect(variable).not.toBe('X_AUTH_PASSWORD');
    const sent = await runPrinted(printed.stdout, { ...shellEnv, [variable as string]: 'horse-battery' });
    expect(sent.status, sent.body).toBe(200);
    expect(sent.body).toMatch(/^oauth_token=/);
  });

  /** `countersign request` posting a=1 to the sandbox's echo, with `more` flags. */
  const postA = (...more: string[]) =>
    runCli(
      [
        'request',
        '--consumer-key',
        CONSUMER.key,
        '--method',
        'POST',
        '--url',
        `${sandbox.url}/1/echo`,
        '--body',
        'a=1',
        ...more,
      ],
      env,
    );

  it('--content-type and --header Content-Type that disagree are refused, with or without --curl', async () => {
    for (const curl of [['--curl'], []]) {
      const result = await postA(
        ...curl,
        '--content-type',
        'application/x-www-form-urlencoded',
        '--header',
        'Content-Type: text/plain',
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Content-Type/);
    }
  });

  it('--header Content-Type alone is the type that is signed and sent', async () => {
    const result = await postA('--header', 'Content-Type: text/plain');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).params).not.toContainEqual(['a', '1']);
  });
});

/**
 * A fetch answering with `status` and a body made on the fly, endless or of `megabytes`,
 * never held whole; `asSocket` hands each chunk over in a later turn of the event loop, as
 * a socket does, so that timers still run while it is read.
 */
function answerOf(status: number, megabytes: number, head = '', asSocket = false) {
  const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
  const seen = { pulled: 0, cancelled: false };
  const fetch = async () => {
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (asSocket) await new Promise((resolve) => setImmediate(resolve));
        if (seen.pulled === 0 && head !== '') controller.enqueue(new TextEncoder().encode(head));
        if (seen.pulled++ >= megabytes) controller.close();
        else controller.enqueue(chunk);
      },
      cancel() {
        seen.cancelled = true;
      },
    });
    return new Response(stream, { status });
  };
  return { fetch, seen };
}

describe('countersign request against a hostile server', () => {
  const request = (fetch: () => Promise<Response>, stdout: (text: string) => void | Promise<void>) =>
    runCli(['request', '--consumer-key', CONSUMER.key, '--url', 'https://api.example.com/r'], env, {
      fetch: fetch as never,
      stdout,
    });

  it('streams an endless answer to stdout as it arrives, and stops reading when stdout closes', async () => {
    // Reading the whole answer first (as response.text() does) never ends on this body, and
    // died with "Cannot create a string longer than…" on a 600 MB one.
    const answer = answerOf(200, Number.POSITIVE_INFINITY);
    let written = 0;
    const result = await request(answer.fetch, (text) => {
      written += text.length;
      if (written > 4 * 1024 * 1024) throw new Error('stdout closed');
    });
    expect(result.code).toBe(1);
    expect(answer.seen.cancelled).toBe(true);
    expect(answer.seen.pulled).toBeLessThan(16);
  });

  it('reads an endless answer no faster than stdout takes it (a pipe nobody drains)', async () => {
    // Each chunk was written without waiting for the last to drain: with stdout piped to a
    // pager that stopped reading, memory grew by about 170 MB a second until --timeout.
    const answer = answerOf(200, Number.POSITIVE_INFINITY, '', true);
    let writes = 0;
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    let closed = false;
    let closePipe: (error: Error) => void = () => {};
    const run = request(answer.fetch, () => {
      writes++;
      if (closed) throw epipe;
      if (writes === 1) return undefined;
      // The pipe is full from the second write on, until it closes.
      return new Promise<void>((_resolve, reject) => {
        closePipe = reject;
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pulledWhileFull = answer.seen.pulled;
    closed = true;
    closePipe(epipe);
    const result = await run;
    expect(pulledWhileFull).toBeLessThanOrEqual(4);
    expect(writes).toBeLessThanOrEqual(3);
    expect(result.code).toBe(1);
    expect(answer.seen.cancelled).toBe(true);
  });

  it('explains a 32 MB refusal from its prefix, and prints it whole', async () => {
    const answer = answerOf(401, 32, 'oauth_problem=timestamp_refused&x=');
    let written = 0;
    const result = await request(answer.fetch, (text) => {
      written += text.length;
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('timestamp_refused');
    expect(written).toBeGreaterThanOrEqual(32 * 1024 * 1024);
  });

  it('an oauth_problem with a newline and ANSI escapes reaches stderr inert', async () => {
    const body = `oauth_problem=${encodeURIComponent('nonce_used\n\u001b[2J\u001b[32mcountersign: all good\u0007')}`;
    const result = await runCli(
      ['request', '--consumer-key', CONSUMER.key, '--url', 'https://api.example.com/r'],
      env,
      { fetch: (async () => new Response(body, { status: 401 })) as never },
    );
    expect(result.code).toBe(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters stderr must not hold.
    expect(result.stderr.replaceAll('\n', '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('countersign: all good'))).toEqual([]);
  });
});

describe('countersign explain on what a hostile server reported', () => {
  it("writes the causes to stdout inert: the server's base string cannot draw on the terminal", async () => {
    // A parameter name with an escape sequence and a value with an 8-bit CSI and a
    // right-to-left override, as a server's debug base string can carry them once decoded.
    const theirs = 'GET&https%3A%2F%2Fapi.example.com%2Fr&%1B%5B2J%1B%5B32mok%3D1%26a%3D%C2%9B2J%E2%80%AE';
    const result = await runCli([
      'explain',
      '--ours',
      'GET&https%3A%2F%2Fapi.example.com%2Fr&a%3D1',
      '--theirs',
      theirs,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^1\. /);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters stdout must not hold.
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('countersign flow against a provider that never finishes answering', () => {
  // A fetch whose answer arrives one byte at a time, forever, and stops only when aborted:
  // a real provider can do this under every timeout undici has (each byte resets them).
  const trickling = async (_url: unknown, init?: RequestInit) => {
    const signal = init?.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          controller.error(signal.reason);
        });
      },
      pull(controller) {
        return new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            controller.enqueue(new TextEncoder().encode('x'));
            resolve();
          }, 10);
        });
      },
    });
    return new Response(body, { status: 200 });
  };

  it('gives up at --timeout, saying so, instead of reading forever', async () => {
    const result = await runCli(
      ['flow', 'twitter', '--consumer-key', CONSUMER.key, '--base', 'https://api.example.com', '--timeout', '0.3'],
      env,
      { fetch: trickling as never, readLine: async () => 'verifier' },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no answer from api\.example\.com within 0\.3 s \(--timeout\)/);
  });
});

describe('countersign flow --base that is not a URL', () => {
  it.each(['notaurl', 'jira.example.com', 'ftp://jira.example.com', 'https://[::1'])(
    '--base %s is refused by its own name',
    async (base) => {
      // It was refused as "--url: expected an absolute http(s) URL", a flag flow does not have.
      const result = await runCli(['flow', 'jira', '--consumer-key', CONSUMER.key, '--base', base], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^countersign: --base /);
      expect(result.stderr).not.toMatch(/--url/);
    },
  );
});

describe('countersign flow against a provider whose token response carries hostile extras', () => {
  it('prints each extra on its own line, inert', async () => {
    const answers = [
      'oauth_token=requestToken00000000000&oauth_token_secret=rs&oauth_callback_confirmed=true',
      `oauth_token=accessToken000000000000&oauth_token_secret=as&screen_name=${encodeURIComponent('ada\noauth_token_secret=forged\u001b[31m')}`,
    ];
    const result = await runCli(
      ['flow', 'twitter', '--consumer-key', CONSUMER.key, '--base', 'https://api.example.com'],
      env,
      {
        fetch: (async () => new Response(answers.shift() ?? '', { status: 200 })) as never,
        readLine: async () => 'verifier',
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => line.startsWith('oauth_token_secret='))).toEqual(['oauth_token_secret=as']);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters stdout must not hold.
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('flags and files that cost more than they say', () => {
  /** `sign` for a GET of https://api.example.com/r, with `more` flags. */
  const signArgs = (...more: string[]) => [
    'sign',
    '--consumer-key',
    'ck',
    '--url',
    'https://api.example.com/r',
    ...more,
  ];

  it.each(['1e21', '99999999999', '99999999999999999999999', '-5', '1.5'])(
    '--timestamp %s is refused: a timestamp is whole seconds',
    async (timestamp) => {
      const result = await runCli(
        ['sign', '--consumer-key', 'ck', '--url', 'https://api.example.com/r', '--timestamp', timestamp],
        env,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--timestamp/);
    },
  );

  it('--private-key /dev/zero is refused before reading', async () => {
    // Reading it as a file never ends: run in a worker, stopped at the deadline.
    const cli = fileURLToPath(new URL('../../packages/cli/test/run-cli.ts', import.meta.url));
    const { result } = await finishesWithin(
      10_000,
      cli,
      'countersign',
      signArgs('--signature-method', 'RSA-SHA1', '--private-key', '/dev/zero'),
    );
    const { code, stderr } = result as { code: number; stderr: string };
    expect(code).toBe(2);
    expect(stderr).toMatch(/--private-key \/dev\/zero is not a regular file/);
  });

  it.each([
    ['--private-key', '--signature-method', 'RSA-SHA1'],
    ['--body', '--method', 'POST'],
  ])('%s naming a missing file says so in words', async (flag, ...more) => {
    const missing = join(work, 'no-such-file.pem');
    const result = await runCli(signArgs(...more, flag, flag === '--body' ? `@${missing}` : missing), env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no such file/);
    expect(result.stderr).not.toMatch(/ENOENT/);
  });

  it.skipIf(!existsSync('/proc/self/cmdline'))(
    '--body @file of a file whose size the system reports as 0 (/proc) is signed whole, not as empty',
    async () => {
      // run-cli runs in this process: /proc/self/cmdline is the same bytes for both reads.
      const expected = createHash('sha1').update(readFileSync('/proc/self/cmdline')).digest('base64');
      expect(expected).not.toBe('2jmj7l5rSw0yVb/vlWAYkK/YBwk=');
      const result = await runCli(
        [
          'sign',
          '--consumer-key',
          'ck',
          '--url',
          'https://api.example.com/r',
          '--method',
          'POST',
          '--content-type',
          'application/octet-stream',
          '--body-hash',
          '--body',
          '@/proc/self/cmdline',
        ],
        env,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`oauth_body_hash="${encodeURIComponent(expected)}"`);
    },
  );

  it('a key file of several megabytes is refused before it is read', async () => {
    const file = join(work, 'huge.pem');
    writeFileSync(file, Buffer.alloc(8 * 1024 * 1024, 0x41));
    const result = await runCli(signArgs('--signature-method', 'RSA-SHA1', '--private-key', file), env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--private-key .* is 8\.0 MB/);
  });

  it('a --header value with a line break is refused without quoting the value', async () => {
    const result = await runCli(
      [
        'request',
        '--consumer-key',
        'ck',
        '--url',
        'https://api.example.com/r',
        '--header',
        'X-Api-Key: a\r\nb: hunter2',
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--header X-Api-Key/);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('a --timeout longer than a timer can hold is refused, not fired at once', async () => {
    const result = await runCli(
      ['request', '--consumer-key', 'ck', '--url', 'https://api.example.com/r', '--timeout', '99999999'],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--timeout expects .* at most/);
  });

  it('PLAINTEXT over http: is refused unless --allow-plaintext-over-http', async () => {
    const args = [
      'sign',
      '--consumer-key',
      'ck',
      '--url',
      'http://api.example.com/r',
      '--signature-method',
      'PLAINTEXT',
    ];
    const refused = await runCli(args, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--allow-plaintext-over-http/);
    const allowed = await runCli([...args, '--allow-plaintext-over-http'], env);
    expect(allowed.code, allowed.stderr).toBe(0);
  });
});
