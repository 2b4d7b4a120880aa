import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Each package README opens with a quick start; this runs it exactly as written (the first
// code block), from a folder where the packages resolve as they would once installed.
const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = fileURLToPath(new URL('../.quick-starts/', import.meta.url));
mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = promisify(execFile);
const PACKAGES = readdirSync(`${root}packages`).filter((name) => existsSync(`${root}packages/${name}/package.json`));

const INSTALL = /^(npm install .*\n?)+$/;

function codeBlocks(name: string): { language: string; code: string }[] {
  const readme = readFileSync(`${root}packages/${name}/README.md`, 'utf8');
  return [...readme.matchAll(/```(ts|js|sh)\n([\s\S]*?)\n```/g)].map((match) => ({
    language: match[1] as string,
    code: match[2] as string,
  }));
}

/** The quick start: the first code block that is not the install line. */
function firstCodeBlock(name: string): { language: string; code: string } {
  const block = codeBlocks(name).find(({ code }) => !INSTALL.test(code));
  if (block === undefined) throw new Error(`packages/${name}/README.md has no quick start`);
  return block;
}

async function runQuickStart(name: string): Promise<string> {
  const { language, code } = firstCodeBlock(name);
  if (language === 'sh') {
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', code], {
      cwd: root,
      env: { ...process.env, PATH: `${root}node_modules/.bin:${process.env.PATH}` },
    });
    return stdout;
  }
  const file = `${scratch}${name}.mts`;
  writeFileSync(file, code);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: scratch });
  return stdout;
}

const SECRETS =
  /kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw|LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE|kd94hf93k423kf44|pfkkdhi9sl3r4s00|app secret|device secret|correct horse|demo-secret|integration secret|lms shared secret|etrade consumer secret|cs_quickstart secret|PRIVATE KEY|"cs"|"ts"/;

describe("every package README's quick start runs as written", () => {
  it.each([
    [
      'core',
      /^OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="\w{24}"[\s\S]*^GET&https%3A%2F%2Fapi\.twitter\.com/m,
    ],
    ['axios', /^OAuth oauth_consumer_key="ck", oauth_nonce="\w+", oauth_signature="[^"]+"/],
    ['ky', /^OAuth oauth_consumer_key="ck", oauth_nonce="\w+", oauth_signature="[^"]+"/],
    ['twitter', /token: '\w{20,}',[\s\S]*tokenSecret: '\[redacted\]'/],
    ['xero', /^200$/m],
    ['jira', /^200$/m],
    ['sandbox', /token: '\w{20,}',\s+callbackConfirmed: true,[\s\S]*tokenSecret: '\[redacted\]'/],
    // A request that verifies, then the cause of one that does not (the wrong token secret).
    ['testing', /^200 \{ screen_name: 'ada' \}\n[\s\S]*No common mistake reproduces the signature/m],
    ['mastercard', /^200 \[ 'oauth_body_hash', '47DEQpj8HBSa\+\/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU=' \]$/m],
    ['netsuite', /^200\n401 INVALID_LOGIN$/m],
    ['woocommerce', /^200 true$/m],
    ['magento', /^200 HMAC-SHA256$/m],
    ['lti', /^success 0\.92$/m],
    ['etrade', /^200 \d{4}-\d\d-\d\dT0[45]:00:00\.000Z$/m],
    // RFC 5849 §1.2: the photo request's signature.
    ['cli', /"signature": "MdpQcU8iPSUjWoN\/UDMsK2sui9I="/],
  ])(
    '%s',
    async (name, expected) => {
      const output = await runQuickStart(name);
      expect(output).toMatch(expected);
      // The secrets the quick starts use never reach their output.
      expect(output).not.toMatch(SECRETS);
    },
    30_000,
  );
});

describe('every package README opens with its npm install line', () => {
  it.each(PACKAGES)('%s', (name) => {
    const manifest = JSON.parse(readFileSync(`${root}packages/${name}/package.json`, 'utf8'));
    const [first] = codeBlocks(name);
    expect(first?.code).toMatch(INSTALL);
    const installed = (first?.code ?? '').split(/\s+/);
    expect(installed).toContain(manifest.name);
    // Peer dependencies are named (optional ones too, on a line of their own), and so is core
    // wherever the quick start imports it: a strict package manager installs only what is named.
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) expect(installed).toContain(peer);
    if (firstCodeBlock(name).code.includes("from '@countersign/core'"))
      expect(installed).toContain('@countersign/core');
  });
});

describe("the root README's package table lists every package", () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const table = readme.slice(
    readme.indexOf('## Which package for which job'),
    readme.indexOf('\n## ', readme.indexOf('## Which package for which job') + 1),
  );
  it.each(PACKAGES)('%s', (name) => {
    expect(table).toMatch(new RegExp(`@countersign/${name}\\b|\`/${name}\``));
  });
});
