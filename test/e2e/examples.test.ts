import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Run as a user without provider credentials would: the examples then use the local sandbox.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(TWITTER|XAUTH|DEVICE|XERO|JIRA|LTI)_/.test(name)),
);

describe('every example runs as written against the local sandbox', () => {
  const expected: Record<string, RegExp> = {
    'three-legged.ts': /^access token \w{24} \(secret \[redacted\]\) for sandbox_user$/m,
    'xauth.ts': /^xAuth access token \w{24} \(secret \[redacted\]\)$/m,
    'reverse-auth.ts': /^step 2: access token \w{24} \(secret \[redacted\]\) for the app$/m,
    'xero-private.ts': /^GET \/api\.xro\/2\.0\/Organisation -> 200$/m,
    'jira.ts': /^GET \/rest\/api\/2\/myself -> 200$/m,
    'lti-tool-provider.ts':
      /^launch -> 200: Welcome, Ada Lovelace \(Learner\), to Unit 3: Signatures\.\ntampered launch \(roles changed\) -> 401: signature_invalid$/m,
  };
  for (const [example, output] of Object.entries(expected)) {
    it(example, async () => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `examples/${example}`], {
        cwd: root,
        env,
      });
      expect(stdout).toMatch(output);
      expect(stdout).not.toMatch(/example (consumer|device) secret|example password|PRIVATE KEY/);
    }, 30_000);
  }
});
