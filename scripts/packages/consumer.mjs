/**
 * A fresh project outside the workspace, installed from the tarballs with npm as a user
 * would (the latest release of every peer from the registry), then checked: every tarball
 * carries the licence and no source map embeds the sources; the published types check under
 * ESM and CommonJS with lib ES2022, no DOM lib and skipLibCheck off; every package loads
 * with require() and import; the CLI runs; the sandbox starts from require().
 * The quick starts run in the same project (quick-starts.mjs).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGES } from '../workspace-packages.mjs';
import { TARBALLS } from './pack.mjs';
import { root, run } from './run.mjs';

// Outside the workspace, so nothing resolves from its node_modules by walking up; one per
// checkout, so the install, the checks and the quick starts find the same project.
export const CONSUMER = join(
  tmpdir(),
  `countersign-consumer-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`,
);

/** The peers and tools a user of the quick starts installs: each at its latest release. */
export const LATEST_PEERS = ['axios', 'ky', 'nock', 'msw', 'express', 'redis', 'tsx', '@types/express'];

// One public function per package, loaded both ways (core and cli have checks of their own).
const exportsToLoad = {
  axios: 'installOAuth',
  ky: 'kyOAuth',
  twitter: 'twitterReverseAuth',
  xero: 'createXeroPartnerFetch',
  jira: 'jiraSigner',
  server: 'verifyRequest',
  sandbox: 'startSandbox',
  testing: 'nockSignedBy',
  mastercard: 'createMastercardFetch',
  netsuite: 'createNetSuiteFetch',
  woocommerce: 'createWooCommerceFetch',
  magento: 'createMagentoFetch',
  lti: 'replaceResult',
  etrade: 'createEtradeSession',
};

/**
 * A new project outside the workspace (CommonJS, as `npm init -y` makes it, and an ESM folder
 * in it) with the latest release of every peer installed: it waits on the registry, not on
 * the build, so the test run starts it first.
 */
export async function installPeers({ log = () => {} } = {}) {
  rmSync(CONSUMER, { recursive: true, force: true });
  mkdirSync(join(CONSUMER, 'esm'), { recursive: true });
  writeFileSync(join(CONSUMER, 'package.json'), '{ "name": "fresh-project", "private": true, "type": "commonjs" }\n');
  // The ESM project: a folder of its own with "type": "module", resolving the same node_modules.
  writeFileSync(
    join(CONSUMER, 'esm', 'package.json'),
    '{ "name": "fresh-esm-project", "private": true, "type": "module" }\n',
  );
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...LATEST_PEERS.map((name) => `${name}@latest`),
      'typescript@5.9.3',
      '@types/node@20',
    ],
    { cwd: CONSUMER },
  );
  log(`npm installed the latest ${LATEST_PEERS.join(', ')} into a fresh project`);
}

/** Installs the tarballs into the project {@link installPeers} made. */
export async function installTarballs({ log = () => {} } = {}) {
  const unchecked = PACKAGES.filter((name) => !['core', 'cli'].includes(name) && exportsToLoad[name] === undefined);
  if (unchecked.length > 0) throw new Error(`consumer.mjs: name a function to load for ${unchecked.join(', ')}`);
  if (!existsSync(join(CONSUMER, 'node_modules'))) throw new Error('consumer.mjs: install the peers first');
  const tarballs = JSON.parse(readFileSync(TARBALLS, 'utf8'));
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...PACKAGES.map((name) => tarballs[name])],
    { cwd: CONSUMER },
  );
  log(`npm installed the ${PACKAGES.length} tarballs into the fresh project`);
}

/** A fresh project outside the workspace: the latest peers, then the tarballs. */
export async function installConsumer({ log = () => {} } = {}) {
  await installPeers({ log });
  await installTarballs({ log });
}

const node = (args) => run(process.execPath, args, { cwd: CONSUMER }).then((output) => output.trim());

export async function checkConsumer({ log = () => {} } = {}) {
  for (const name of PACKAGES) {
    const dir = join(CONSUMER, 'node_modules', '@countersign', name);
    if (!existsSync(join(dir, 'LICENSE'))) throw new Error(`@countersign/${name}: the tarball has no LICENSE`);
    const maps = readdirSync(join(dir, 'dist'), { recursive: true }).filter((file) => String(file).endsWith('.map'));
    for (const map of maps) {
      if ('sourcesContent' in JSON.parse(readFileSync(join(dir, 'dist', String(map)), 'utf8'))) {
        throw new Error(`@countersign/${name}: dist/${map} embeds its sources`);
      }
    }
  }
  log('Every tarball has a LICENSE, and no source map in it embeds the sources.');

  // Every package imported under ESM (.mts) and CommonJS (.cts), some public types used, and
  // the whole program checked with skipLibCheck off, lib ES2022 and Node's typings only: a
  // DOM-only name (CryptoKey, RequestInfo) in our .d.ts fails here.
  const types = join(CONSUMER, 'types');
  mkdirSync(types, { recursive: true });
  const imports = PACKAGES.map((name) => [name.replace(/\W/g, ''), `@countersign/${name}`]);
  const uses = `
const signer: core.Signer = core.createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
const send: core.OAuthFetch = core.createOAuthFetch(signer);
const options: server.VerifyOptions = { lookupConsumer: () => undefined, nonceStore: server.createMemoryNonceStore() };
const started: Promise<sandbox.Sandbox> = sandbox.startSandbox({});
void [send, options, started];
`;
  writeFileSync(
    join(types, 'esm.mts'),
    `${imports.map(([as, from]) => `import * as ${as} from '${from}';`).join('\n')}\n${uses}`,
  );
  writeFileSync(
    join(types, 'cjs.cts'),
    `${imports.map(([as, from]) => `import ${as} = require('${from}');`).join('\n')}\n${uses}`,
  );
  writeFileSync(
    join(types, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        lib: ['ES2022'],
        types: ['node'],
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      },
      files: ['esm.mts', 'cjs.cts'],
    }),
  );
  await run(process.execPath, [join(CONSUMER, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', types], {
    cwd: CONSUMER,
  });
  log('The published types check under ESM and CommonJS with lib ES2022, no DOM lib, skipLibCheck off');

  const twitter = `{ method: 'POST', url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true', body: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21', contentType: 'application/x-www-form-urlencoded' }`;
  const credentials = `{ consumerKey: 'xvz1evFS4wEEPTGEFPHBog', consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb', tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE', nonce: () => 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', clock: () => 1318622958000 }`;
  const expected = 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=';
  const signatures = await Promise.all([
    node([
      '-e',
      `const { createSigner } = require('@countersign/core'); createSigner(${credentials}).sign(${twitter}).then((s) => console.log(s.signature));`,
    ]),
    node([
      '--input-type=module',
      '-e',
      `import { createSigner } from '@countersign/core'; console.log((await createSigner(${credentials}).sign(${twitter})).signature);`,
    ]),
  ]);
  for (const [how, signature] of [
    ['require()', signatures[0]],
    ['import', signatures[1]],
  ]) {
    if (signature !== expected) throw new Error(`${how}: signed ${signature}, expected ${expected}`);
    log(`${how.padEnd(10)} signs the Twitter documentation request: ${signature}`);
  }
  const main = join(CONSUMER, 'node_modules/@countersign/cli/dist/main.js');
  const [help, version, requireCli] = await Promise.all([
    node([main, '--help']),
    node([main, '--version']),
    node(['-e', "console.log(typeof require('@countersign/cli').run)"]),
  ]);
  if (!help.includes('Usage: countersign')) throw new Error('the packed countersign command did not start');
  const manifest = JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8'));
  if (version !== manifest.version)
    throw new Error(`countersign --version printed ${version}, the manifest says ${manifest.version}`);
  if (requireCli !== 'function') throw new Error('require(@countersign/cli) did not give run()');
  log(
    `the packed countersign command runs (--help, --version ${version}); require(@countersign/cli).run is a function`,
  );
  // One process per way of loading, every package in it.
  const entries = Object.entries(exportsToLoad);
  const [required, imported] = await Promise.all([
    node([
      '-e',
      `console.log(JSON.stringify([${entries.map(([name, fn]) => `typeof require('@countersign/${name}').${fn}`).join(', ')}]))`,
    ]),
    node([
      '--input-type=module',
      '-e',
      `${entries.map(([name, fn], i) => `import { ${fn} as f${i} } from '@countersign/${name}';`).join(' ')} console.log(JSON.stringify([${entries.map((_, i) => `typeof f${i}`).join(', ')}]));`,
    ]),
  ]);
  for (const [how, loaded] of [
    ['require', required],
    ['import', imported],
  ]) {
    JSON.parse(loaded).forEach((type, index) => {
      if (type !== 'function')
        throw new Error(`${how} of @countersign/${entries[index][0]} did not give ${entries[index][1]}()`);
    });
  }
  log(`${entries.map(([name]) => `@countersign/${name}`).join(', ')} load with require() and import`);
  // The sandbox is made to be started from other projects' test suites: start it from the tarball.
  const started = await node([
    '-e',
    "require('@countersign/sandbox').startSandbox({}).then(async (s) => { console.log(new URL(s.url).hostname); await s.close(); })",
  ]);
  if (started !== '127.0.0.1') throw new Error('the packed sandbox did not start');
  log('the packed @countersign/sandbox starts (and stops) from require()');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `peers`, `tarballs` or `check` runs one step (the test run schedules each); no argument, all three.
  const step = process.argv[2];
  if (step === undefined || step === 'peers') await installPeers({ log: console.log });
  if (step === undefined || step === 'tarballs') await installTarballs({ log: console.log });
  if (step === undefined || step === 'check') await checkConsumer({ log: console.log });
}
