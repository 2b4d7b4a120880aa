import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersign as runCli } from '../../packages/cli/test/run-cli.ts';

// `countersign request --curl` prints the signed request as a curl command; these run the
// printed command with bash and curl against the sandbox, as a user pasting it would.
const CONSUMER = { key: 'cliCurlConsumer00000000', secret: 'cliCurlSecret-0123.4_5~6' };
const USER = { username: 'ada', password: 'horse-battery-staple' };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER], users: [USER] });
});
afterAll(() => sandbox.close());

const shell = promisify(execFile);
async function runPrinted(command: string, env: NodeJS.ProcessEnv) {
  const { stdout } = await shell('bash', ['-c', `${command.trim()} --silent --write-out '\\n%{http_code}'`], {
    env: { PATH: process.env.PATH, ...env },
  });
  const status = stdout.slice(stdout.lastIndexOf('\n') + 1);
  return { status: Number(status), body: stdout.slice(0, stdout.lastIndexOf('\n')) };
}

const printCurl = (args: string[], env: NodeJS.ProcessEnv = { OAUTH_CONSUMER_SECRET: CONSUMER.secret }) =>
  runCli(['request', '--curl', '--consumer-key', CONSUMER.key, ...args], env);

describe('countersign request --curl', () => {
  it('prints a command that sends what was signed: brackets, + and %20, a form body (HMAC-SHA1)', async () => {
    const printed = await printCurl([
      '--method',
      'POST',
      '--url',
      `${sandbox.url}/1/echo?searchCriteria[pageSize]=2&q=a+b%20c`,
      '--body',
      "status=it's%20a%2Bb&list=1&list=2",
    ]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/^curl --globoff --request 'POST' '/);
    expect(printed.stdout).not.toContain(CONSUMER.secret);
    expect(printed.stderr).toBe('');
    // Nothing was sent: the nonce is still fresh when the printed command uses it.
    const sent = await runPrinted(printed.stdout, {});
    expect(sent.status, sent.body).toBe(200);
    const echoed = JSON.parse(sent.body) as { params: Array<[string, string]> };
    expect(echoed.params).toContainEqual(['searchCriteria[pageSize]', '2']);
    expect(echoed.params).toContainEqual(['q', 'a b c']);
    expect(echoed.params).toContainEqual(['status', "it's a+b"]);
  });

  it.each(['header', 'query', 'body'])(
    'PLAINTEXT (%s): the secrets are $OAUTH_CONSUMER_SECRET references, and the command verifies',
    async (transmission) => {
      const printed = await printCurl([
        '--method',
        'POST',
        '--url',
        `${sandbox.url}/1/echo`,
        '--signature-method',
        'PLAINTEXT',
        // The sandbox listens on loopback over http.
        '--allow-plaintext-over-http',
        '--transmission',
        transmission,
      ]);
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stdout).not.toContain(CONSUMER.secret);
      expect(printed.stdout).toContain(`"\${OAUTH_CONSUMER_SECRET}"'%26`);
      // The OAuth parameters in a form body go with their Content-Type, stated, not left to curl -d.
      if (transmission === 'body')
        expect(printed.stdout).toContain("--header 'content-type: application/x-www-form-urlencoded'");
      expect(printed.stderr).toBe('countersign: the command reads $OAUTH_CONSUMER_SECRET from the environment.\n');
      expect((await runPrinted(printed.stdout, { OAUTH_CONSUMER_SECRET: 'wrong' })).status).toBe(401);
      expect((await runPrinted(printed.stdout, { OAUTH_CONSUMER_SECRET: CONSUMER.secret })).status).toBe(200);
    },
  );

  it('xAuth: the password in the body becomes $X_AUTH_PASSWORD, and the printed command gets a token', async () => {
    const printed = await printCurl(
      [
        '--method',
        'POST',
        '--url',
        `${sandbox.url}/oauth/access_token`,
        '--body',
        `x_auth_mode=client_auth&x_auth_username=${USER.username}&x_auth_password=${USER.password}`,
      ],
      { OAUTH_CONSUMER_SECRET: CONSUMER.secret },
    );
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).not.toContain(USER.password);
    expect(printed.stdout).toContain(`x_auth_password='"\${X_AUTH_PASSWORD}"`);
    expect(printed.stderr).toContain('reads $X_AUTH_PASSWORD from the environment (not set here: export it first)');
    const sent = await runPrinted(printed.stdout, { X_AUTH_PASSWORD: USER.password });
    expect(sent.status, sent.body).toBe(200);
    expect(sent.body).toMatch(/^oauth_token=\w+&oauth_token_secret=/);
  });

  it('refuses, without quoting it, a PLAINTEXT secret that could not stand as a variable', async () => {
    const secret = 'needs encoding: & and space';
    const printed = await printCurl(
      ['--url', `${sandbox.url}/1/echo`, '--signature-method', 'PLAINTEXT', '--allow-plaintext-over-http'],
      {
        OAUTH_CONSUMER_SECRET: secret,
      },
    );
    expect(printed.code).toBe(2);
    expect(printed.stdout).toBe('');
    expect(printed.stderr).toContain('--curl cannot print the consumer secret as an environment reference');
    expect(printed.stderr).not.toContain('needs encoding');
  });
});
