/**
 * `pnpm bench`: one process, one input (the Twitter documentation request), Countersign
 * against the peers and against the floor. Prints medians and the ratios the targets are
 * stated in; exits 1 when a target is missed, so a regression is seen.
 */
import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { bench, do_not_optimize, run } from 'mitata';
// The built package, as users load it: `pnpm bench` builds it first.
import { createSigner, verifyRequest } from '../packages/core/dist/node/index.js';
import { nodeOauth, oauth1a, oauthSign, TWITTER } from './peers.mjs';

const request = { method: TWITTER.method, url: TWITTER.url, body: TWITTER.body, contentType: TWITTER.contentType };
const hmacSigner = createSigner({
  consumerKey: TWITTER.consumerKey,
  consumerSecret: TWITTER.consumerSecret,
  token: TWITTER.token,
  tokenSecret: TWITTER.tokenSecret,
});
const prebuilt = (await hmacSigner.sign(request)).baseString;
const hmacKey = `${TWITTER.consumerSecret}&${TWITTER.tokenSecret}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaSigner = createSigner({
  consumerKey: TWITTER.consumerKey,
  signatureMethod: 'RSA-SHA1',
  privateKey,
  token: TWITTER.token,
});
const rsaBase = Buffer.from((await rsaSigner.sign(request)).baseString);

const peers = { 'oauth-1.0a': oauth1a(), 'oauth-sign': oauthSign(), oauth: nodeOauth() };

bench('floor: bare HMAC-SHA1 over a prebuilt base string', () =>
  do_not_optimize(createHmac('sha1', hmacKey).update(prebuilt).digest('base64')),
);
bench('countersign HMAC-SHA1 header', async () => do_not_optimize((await hmacSigner.sign(request)).authorization));
for (const [name, make] of Object.entries(peers)) bench(`${name} HMAC-SHA1 header`, () => do_not_optimize(make()));
bench('floor: bare RSA-SHA1 crypto.sign with a cached key', () =>
  do_not_optimize(rsaSign('sha1', rsaBase, privateKey).toString('base64')),
);
bench('countersign RSA-SHA1 header', async () => do_not_optimize((await rsaSigner.sign(request)).authorization));

if (typeof globalThis.gc !== 'function')
  console.warn('Run with node --expose-gc (pnpm bench does) for steadier numbers.');
const results = await run({ colors: process.stdout.isTTY === true });
// Every contender must have made a header that verifies for this request. Checked after
// timing: running the verifier first changes how V8 compiles the shared code (measured).
const contenders = { ...peers, countersign: async () => (await hmacSigner.sign(request)).authorization };
for (const [name, make] of Object.entries(contenders)) {
  const verdict = await verifyRequest(
    { ...request, authorization: await make() },
    {
      lookupConsumer: () => ({ secret: TWITTER.consumerSecret }),
      lookupToken: () => ({ secret: TWITTER.tokenSecret }),
    },
  );
  if (!verdict.ok) throw new Error(`${name} made a header that does not verify: ${verdict.problem}`);
}

const median = new Map();
for (const trial of results.benchmarks) for (const r of trial.runs) if (r.stats) median.set(r.name, r.stats.p50);
const ns = (name) => median.get(name);

const countersign = ns('countersign HMAC-SHA1 header');
const fastestPeer = Math.min(...Object.keys(peers).map((name) => ns(`${name} HMAC-SHA1 header`)));
const fastestPeerName = Object.keys(peers).find((name) => ns(`${name} HMAC-SHA1 header`) === fastestPeer);
const checks = [
  {
    what: `HMAC-SHA1: fastest peer (${fastestPeerName}) / countersign`,
    ratio: fastestPeer / countersign,
    target: '>= 3',
    ok: fastestPeer / countersign >= 3,
  },
  {
    what: 'HMAC-SHA1: countersign / floor',
    ratio: countersign / ns('floor: bare HMAC-SHA1 over a prebuilt base string'),
    target: '<= 2',
    ok: countersign / ns('floor: bare HMAC-SHA1 over a prebuilt base string') <= 2,
  },
  {
    what: 'RSA-SHA1: countersign / bare crypto.sign',
    ratio: ns('countersign RSA-SHA1 header') / ns('floor: bare RSA-SHA1 crypto.sign with a cached key'),
    target: '<= 1.2',
    ok: ns('countersign RSA-SHA1 header') / ns('floor: bare RSA-SHA1 crypto.sign with a cached key') <= 1.2,
  },
];
console.log('\nMedians (one run, same process):');
for (const [name, value] of median) console.log(`  ${name.padEnd(52)} ${(value / 1000).toFixed(2).padStart(8)} µs`);
console.log('\nTargets:');
for (const check of checks)
  console.log(
    `  ${check.ok ? 'met   ' : 'MISSED'} ${check.what.padEnd(52)} ${check.ratio.toFixed(2).padStart(6)}× (target ${check.target})`,
  );
process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
