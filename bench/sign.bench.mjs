/**
 * `pnpm bench`: one process, one input (the Twitter documentation request), Countersign
 * against the peers and against the floor, interleaved round by round (./interleave.mjs).
 * Prints medians and the ratios the targets are stated in; exits 1 when a target is
 * missed, so a regression is seen.
 */
import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { verifyRequest } from '@countersign/server';
// The built package, as users load it: `pnpm bench` builds it first.
import { createSigner } from '../packages/core/dist/node/index.js';
import { interleaved } from './interleave.mjs';
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

// About 10 ms per batch: long enough for the clock, short enough to interleave finely.
const HMAC_BATCH = 2000;
const RSA_BATCH = 30;
const contenders = {
  'floor: bare HMAC-SHA1 over a prebuilt base string': {
    run: () => createHmac('sha1', hmacKey).update(prebuilt).digest('base64'),
    batch: HMAC_BATCH,
  },
  'countersign HMAC-SHA1 header': {
    run: async () => (await hmacSigner.sign(request)).authorization,
    async: true,
    batch: HMAC_BATCH,
  },
  ...Object.fromEntries(
    Object.entries(peers).map(([name, make]) => [`${name} HMAC-SHA1 header`, { run: make, batch: HMAC_BATCH }]),
  ),
  'floor: bare RSA-SHA1 crypto.sign with a cached key': {
    run: () => rsaSign('sha1', rsaBase, privateKey).toString('base64'),
    batch: RSA_BATCH,
  },
  'countersign RSA-SHA1 header': {
    run: async () => (await rsaSigner.sign(request)).authorization,
    async: true,
    batch: RSA_BATCH,
  },
};

const ROUNDS = 31;
console.log(`Signing one request: ${ROUNDS} interleaved rounds, median time per call`);
const { medians } = await interleaved(contenders, { rounds: ROUNDS });
// Every contender must have made a header that verifies for this request. Checked after
// timing: running the verifier first changes how V8 compiles the shared code (measured).
const makers = { ...peers, countersign: async () => (await hmacSigner.sign(request)).authorization };
for (const [name, make] of Object.entries(makers)) {
  const verdict = await verifyRequest(
    { ...request, authorization: await make() },
    {
      lookupConsumer: () => ({ secret: TWITTER.consumerSecret }),
      lookupToken: () => ({ secret: TWITTER.tokenSecret }),
      nonceStore: false,
    },
  );
  if (!verdict.ok) throw new Error(`${name} made a header that does not verify: ${verdict.problem}`);
}

const ns = (name) => medians[name];

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
for (const [name, value] of Object.entries(medians))
  console.log(`  ${name.padEnd(52)} ${(value / 1000).toFixed(2).padStart(8)} µs`);
console.log('\nTargets:');
for (const check of checks)
  console.log(
    `  ${check.ok ? 'met   ' : 'MISSED'} ${check.what.padEnd(52)} ${check.ratio.toFixed(2).padStart(6)}× (target ${check.target})`,
  );
process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
