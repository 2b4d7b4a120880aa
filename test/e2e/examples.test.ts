import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Run as a user without provider credentials would: the examples then use the local sandbox.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/^(TWITTER|XAUTH|DEVICE|XERO|JIRA|LTI|MASTERCARD|NETSUITE|WOOCOMMERCE|MAGENTO|ETRADE|X)_/.test(name),
  ),
);

describe('every example runs as written against the local sandbox', () => {
  const expected: Record<string, RegExp> = {
    'three-legged.ts': /^access token \w{24} \(secret \[redacted\]\) for sandbox_user$/m,
    'xauth.ts': /^xAuth access token \w{24} \(secret \[redacted\]\)$/m,
    'reverse-auth.ts': /^step 2: access token \w{24} \(secret \[redacted\]\) for the app$/m,
    'xero-private.ts': /^GET \/api\.xro\/2\.0\/Organisation -> 200$/m,
    'jira.ts': /^GET \/rest\/api\/2\/myself -> 200$/m,
    'mastercard.ts':
      /^GET \/atms\/v1\/atm -> 200 \(oauth_body_hash of the empty body\)\nPOST \/merchants\/v1\/merchant -> 200 \(oauth_body_hash of 46 bytes of JSON\)$/m,
    'netsuite.ts':
      /^GET restlet\.nl\?script=…&deploy=1 -> 200 \(realm 123456-sb1 as 123456_SB1\)\nwith realm 654321 -> The provider answered 401: INVALID_LOGIN: Invalid login attempt\. \(sandbox: parameter_rejected: realm must be the account id 123456_SB1; got "654321"\.\)/m,
    'woocommerce.ts':
      /^GET \/wp-json\/wc\/v3\/products -> 200 \(signed in the query string\)\nover https: storeUrl https:\/\/shop\.example\.com: WooCommerce accepts OAuth 1\.0a only over plain http; over https it wants HTTP Basic authentication/m,
    'magento.ts': /^GET \/rest\/default\/V1\/products\?searchCriteria\[…\] -> 200$/m,
    'etrade.ts':
      /^access token \w{24} \(secret \[redacted\]\)\nGET \/v1\/accounts\/list\.json -> 200\ntwo idle hours later -> 200 \(renewed first\)\nafter midnight US Eastern -> This E\*TRADE access token expired at midnight US Eastern/m,
    'lti-outcomes.ts':
      /^replaceResult 0\.92 -> success\nreadResult -> 0\.92\nreplaceResult 92 -> score: LTI 1\.1 outcomes are a decimal from 0 to 1/m,
    'x-api.ts': /^uploaded 6291456 bytes in 2 chunks -> media \d+\nposted \d+: Signed with Countersign$/m,
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
