/**
 * Proves the published packages work as published: builds and packs each one (so
 * publishConfig applies), runs publint --strict and attw on the tarball, then installs the
 * tarballs with npm into a fresh project, typechecks it without the DOM lib, and loads
 * every package with require() and import.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PACKAGES } from './workspace-packages.mjs';

const root = resolve(import.meta.dirname, '..');
const packages = PACKAGES;
// One public function per package, loaded both ways (core and cli have checks of their own);
// a package without one stops the check here, before any build.
const exportsToLoad = [
  ['axios', 'installOAuth'],
  ['ky', 'kyOAuth'],
  ['twitter', 'twitterReverseAuth'],
  ['xero', 'createXeroPartnerFetch'],
  ['jira', 'jiraSigner'],
  ['server', 'verifyRequest'],
  ['sandbox', 'startSandbox'],
  ['testing', 'nockSignedBy'],
  ['mastercard', 'createMastercardFetch'],
  ['netsuite', 'createNetSuiteFetch'],
  ['woocommerce', 'createWooCommerceFetch'],
  ['magento', 'createMagentoFetch'],
  ['lti', 'replaceResult'],
  ['etrade', 'createEtradeSession'],
];
const unchecked = packages.filter(
  (name) => !['core', 'cli'].includes(name) && !exportsToLoad.some(([listed]) => listed === name),
);
if (unchecked.length > 0) throw new Error(`check-packages.mjs: name a function to load for ${unchecked.join(', ')}`);
const work = mkdtempSync(join(tmpdir(), 'countersign-pack-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (command, args, options = {}) =>
  execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });

const tarballs = {};
for (const name of packages) {
  const dir = join(root, 'packages', name);
  run('npx', ['-y', 'pnpm@10.34.8', 'run', 'build'], { cwd: dir });
  const out = join(work, `${name}-pack`);
  mkdirSync(out);
  run('npx', ['-y', 'pnpm@10.34.8', 'pack', '--pack-destination', out], { cwd: dir });
  const tarball = join(
    out,
    readdirSync(out).find((file) => file.endsWith('.tgz')),
  );
  tarballs[name] = tarball;
  // Both tools print pages on success; their output is shown only when they object.
  for (const [tool, args] of [
    ['publint', ['--strict', tarball]],
    ['attw', [tarball, '--format', 'table-flipped']],
  ]) {
    try {
      run(bin(tool), args);
    } catch (error) {
      console.error(`@countersign/${name}: ${tool} objects:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      throw new Error(`@countersign/${name} fails ${tool}`);
    }
  }
}
console.log(`Each of the ${packages.length} tarballs passes publint --strict and attw.`);

// A fresh project outside the workspace, installed from the tarballs with npm as a user
// would (peers and the CLI's dependency come from the registry), that typechecks against the
// published .d.ts without the DOM lib.
const consumer = join(work, 'consumer');
mkdirSync(consumer);
writeFileSync(join(consumer, 'package.json'), '{ "name": "fresh-project", "private": true }\n');
run(
  'npm',
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...packages.map((name) => tarballs[name]),
    'axios@1.21.1',
    'ky@1.14.3',
    'typescript@5.9.3',
    '@types/node@20',
  ],
  { cwd: consumer },
);
console.log(`\nnpm installed the ${packages.length} tarballs into a fresh project`);
// Every tarball carries the licence, and its source maps carry no copy of the sources.
for (const name of packages) {
  const dir = join(consumer, 'node_modules', '@countersign', name);
  if (!existsSync(join(dir, 'LICENSE'))) throw new Error(`@countersign/${name}: the tarball has no LICENSE`);
  const maps = readdirSync(join(dir, 'dist'), { recursive: true }).filter((file) => String(file).endsWith('.map'));
  for (const map of maps) {
    if ('sourcesContent' in JSON.parse(readFileSync(join(dir, 'dist', String(map)), 'utf8'))) {
      throw new Error(`@countersign/${name}: dist/${map} embeds its sources`);
    }
  }
}
console.log('Every tarball has a LICENSE, and no source map in it embeds the sources.');

// Every package imported under ESM (.mts) and CommonJS (.cts), some public types used, and
// the whole program checked with skipLibCheck off, lib ES2022 and Node's typings only: a
// DOM-only name (CryptoKey, RequestInfo) in our .d.ts fails here.
const imports = packages.map((name) => [name.replace(/\W/g, ''), `@countersign/${name}`]);
const uses = `
const signer: core.Signer = core.createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
const send: core.OAuthFetch = core.createOAuthFetch(signer);
const options: server.VerifyOptions = { lookupConsumer: () => undefined, nonceStore: server.createMemoryNonceStore() };
const started: Promise<sandbox.Sandbox> = sandbox.startSandbox({});
void [send, options, started];
`;
writeFileSync(
  join(consumer, 'esm.mts'),
  `${imports.map(([as, from]) => `import * as ${as} from '${from}';`).join('\n')}\n${uses}`,
);
writeFileSync(
  join(consumer, 'cjs.cts'),
  `${imports.map(([as, from]) => `import ${as} = require('${from}');`).join('\n')}\n${uses}`,
);
writeFileSync(
  join(consumer, 'tsconfig.json'),
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
run(process.execPath, [join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer], { cwd: consumer });
console.log('The published types check under ESM and CommonJS with lib ES2022, no DOM lib, skipLibCheck off');

const twitter = `{ method: 'POST', url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true', body: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21', contentType: 'application/x-www-form-urlencoded' }`;
const credentials = `{ consumerKey: 'xvz1evFS4wEEPTGEFPHBog', consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb', tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE', nonce: () => 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', clock: () => 1318622958000 }`;
const expected = 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=';
const checks = {
  'require()': `const { createSigner } = require('@countersign/core'); createSigner(${credentials}).sign(${twitter}).then((s) => console.log(s.signature));`,
  import: `import { createSigner } from '@countersign/core'; console.log((await createSigner(${credentials}).sign(${twitter})).signature);`,
};
console.log('\n== loading the packed @countersign/core');
for (const [how, code] of Object.entries(checks)) {
  const args = how === 'import' ? ['--input-type=module', '-e', code] : ['-e', code];
  const signature = run(process.execPath, args, { cwd: consumer }).trim();
  if (signature !== expected) throw new Error(`${how}: signed ${signature}, expected ${expected}`);
  console.log(`${how.padEnd(10)} signs the Twitter documentation request: ${signature}`);
}
const cli = run(process.execPath, [join(consumer, 'node_modules/@countersign/cli/dist/main.js'), '--help'], {
  cwd: consumer,
});
if (!cli.includes('Usage: countersign')) throw new Error('the packed countersign command did not start');
console.log('countersign --help runs from the packed @countersign/cli');
const version = run(process.execPath, [join(consumer, 'node_modules/@countersign/cli/dist/main.js'), '--version'], {
  cwd: consumer,
}).trim();
const manifest = JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8'));
if (version !== manifest.version)
  throw new Error(`countersign --version printed ${version}, the manifest says ${manifest.version}`);
console.log(`countersign --version runs from the packed @countersign/cli: ${version}`);
const requireCli = run(process.execPath, ['-e', "console.log(typeof require('@countersign/cli').run)"], {
  cwd: consumer,
}).trim();
if (requireCli !== 'function') throw new Error('require(@countersign/cli) did not give run()');
console.log('require(@countersign/cli).run is a function');
for (const [name, exported] of exportsToLoad) {
  for (const how of ['require', 'import']) {
    const code =
      how === 'require'
        ? `console.log(typeof require('@countersign/${name}').${exported})`
        : `import { ${exported} } from '@countersign/${name}'; console.log(typeof ${exported});`;
    const loaded = run(process.execPath, how === 'import' ? ['--input-type=module', '-e', code] : ['-e', code], {
      cwd: consumer,
    }).trim();
    if (loaded !== 'function') throw new Error(`${how} of @countersign/${name} did not give ${exported}()`);
  }
  console.log(`@countersign/${name} loads with require() and import`);
}
// The sandbox is made to be started from other projects' test suites: start it from the tarball.
const started = run(
  process.execPath,
  [
    '-e',
    "require('@countersign/sandbox').startSandbox({}).then(async (s) => { console.log(new URL(s.url).hostname); await s.close(); })",
  ],
  { cwd: consumer },
).trim();
if (started !== '127.0.0.1') throw new Error('the packed sandbox did not start');
console.log('the packed @countersign/sandbox starts (and stops) from require()');
console.log('\nEvery packed package passes publint and attw; each loads with require() and import.');
