import { run } from '@countersign/cli';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CONSUMER = { key: 'cliConsumerKey00000000', secret: 'cli consumer secret' };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER] });
});
afterAll(() => sandbox.close());

/** Runs the CLI; `answer` sees what was printed so far when it is asked a question. */
async function countersign(args: string[], answer?: (printed: string) => Promise<string>) {
  let stdout = '';
  let stderr = '';
  const readLine = answer && (() => answer(stdout));
  const code = await run(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { OAUTH_CONSUMER_SECRET: CONSUMER.secret },
    readLine,
  });
  return { code, stdout, stderr };
}

describe('countersign flow and request, against the sandbox', () => {
  it('flow: prints where to approve, reads the verifier, prints the tokens; request then uses them', async () => {
    // The "user" opens the printed URL, approves, and types the verifier the sandbox shows.
    const approve = async (printed: string) => {
      const authorizeAt = /(http:\/\/\S+)/.exec(printed)?.[1] as string;
      const page = await (await fetch(authorizeAt)).text();
      return /Your verifier: (\w+)/.exec(page)?.[1] ?? '';
    };
    const flow = await countersign(['flow', 'twitter', '--base', sandbox.url, '--consumer-key', CONSUMER.key], approve);
    expect(flow.code, flow.stderr).toBe(0);
    const tokens = Object.fromEntries(
      flow.stdout
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => line.split('=') as [string, string]),
    );
    expect(tokens.oauth_token).toMatch(/^\w{24}$/);

    const request = await countersign([
      'request',
      '--url',
      `${sandbox.url}/1/echo?q=caf%C3%A9`,
      '--method',
      'POST',
      '--body',
      'status=hi%20there',
      '--consumer-key',
      CONSUMER.key,
      '--token',
      tokens.oauth_token as string,
      '--token-secret',
      tokens.oauth_token_secret as string,
      '--verbose',
    ]);
    expect(request.code, request.stderr).toBe(0);
    expect(JSON.parse(request.stdout).params).toEqual(
      expect.arrayContaining([
        ['q', 'café'],
        ['status', 'hi there'],
      ]),
    );
    expect(request.stderr).toMatch(/^> POST .*\n> base string: POST&/);
    expect(request.stderr).not.toContain(tokens.oauth_token_secret as string);
  });

  it('request: a refusal exits 1 and explains itself', async () => {
    const refused = await countersign([
      'request',
      '--url',
      `${sandbox.url}/1/echo`,
      '--consumer-key',
      CONSUMER.key,
      '--timestamp',
      '1000000000',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/answered 401 \(timestamp_refused\)/);
    // Advice a shell user can follow: the CLI's own options, not signer.setClockOffset().
    expect(refused.stderr).toMatch(/pass --timestamp with a time the server accepts/);
    expect(refused.stderr).not.toMatch(/setClockOffset/);
  });

  it('flow for jira without --base is a usage error', async () => {
    const result = await countersign(['flow', 'jira', '--consumer-key', CONSUMER.key]);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/jira needs --base/) });
  });
});
