/**
 * `pnpm bench`: Countersign against the peers and against the floor, interleaved round by
 * round (./interleave.mjs), in one process, on two inputs:
 *
 * - **repeated**: the Twitter documentation request, signed over and over (a poll, a retry);
 * - **varied**: 2,000 distinct requests (path, query and form body all differ), each signed
 *   in turn, as real traffic arrives. Every peer gets the same requests in its own input
 *   form, and the floor is a bare HMAC over each request's own prebuilt base string.
 *
 * Prints medians and the ratios the targets are stated in; exits 1 when a target is
 * missed, so a regression is seen.
 */
import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { verifyRequest } from '@countersign/server';
// The built package, as users load it: `pnpm bench` builds it first.
import { createSigner } from '../packages/core/dist/node/index.js';
import { interleaved } from './interleave.mjs';
import { cycle, nodeOauth, oauth1a, oauthSign, TWITTER, variedRequests } from './peers.mjs';

const request = { method: TWITTER.method, url: TWITTER.url, body: TWITTER.body, contentType: TWITTER.contentType };
const credentials = {
  consumerKey: TWITTER.consumerKey,
  consumerSecret: TWITTER.consumerSecret,
  token: TWITTER.token,
  tokenSecret: TWITTER.tokenSecret,
};
const hmacSigner = createSigner(credentials);
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

// The varied row: its own signer, so the repeated row's template never helps it.
const VARIED = 2000;
const requests = variedRequests(VARIED);
const variedSigner = createSigner(credentials);
const prebuiltBases = [];
for (const each of requests) prebuiltBases.push((await variedSigner.sign(each)).baseString);
const nextRequest = cycle(requests);
const nextBase = cycle(prebuiltBases);
// Each peer signs the varied requests in turn, from its own cursor.
const variedPeers = {
  'oauth-1.0a': (list) => oauth1a(cycle(list)),
  'oauth-sign': (list) => oauthSign(cycle(list)),
  oauth: (list) => nodeOauth(cycle(list)),
};

// About 10 ms per batch: long enough for the clock, short enough to interleave finely. A
// varied batch goes once through all its requests.
const HMAC_BATCH = 2000;
const RSA_BATCH = 30;
const FLOOR = 'floor: bare HMAC-SHA1 over a prebuilt base string';
const VARIED_FLOOR = 'varied: floor, bare HMAC-SHA1 over each base string';
const contenders = {
  [FLOOR]: { run: () => createHmac('sha1', hmacKey).update(prebuilt).digest('base64'), batch: HMAC_BATCH },
  'countersign HMAC-SHA1 header': {
    run: async () => (await hmacSigner.sign(request)).authorization,
    async: true,
    batch: HMAC_BATCH,
  },
  ...Object.fromEntries(
    Object.entries(peers).map(([name, make]) => [`${name} HMAC-SHA1 header`, { run: make, batch: HMAC_BATCH }]),
  ),
  [VARIED_FLOOR]: { run: () => createHmac('sha1', hmacKey).update(nextBase()).digest('base64'), batch: VARIED },
  'varied: countersign HMAC-SHA1 header': {
    run: async () => (await variedSigner.sign(nextRequest())).authorization,
    async: true,
    batch: VARIED,
  },
  ...Object.fromEntries(
    Object.entries(variedPeers).map(([name, make]) => [
      `varied: ${name} HMAC-SHA1 header`,
      { run: make(requests), batch: VARIED },
    ]),
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
console.log(`Signing: ${ROUNDS} interleaved rounds, median time per call`);
const { medians } = await interleaved(contenders, { rounds: ROUNDS });

// Every contender must have made headers that verify for the requests it signed. Checked
// after timing: running the verifier first changes how V8 compiles the shared code (measured).
const verifyOptions = {
  lookupConsumer: () => ({ secret: TWITTER.consumerSecret }),
  lookupToken: () => ({ secret: TWITTER.tokenSecret }),
  nonceStore: false,
};
const makers = { ...peers, countersign: async () => (await hmacSigner.sign(request)).authorization };
for (const [name, make] of Object.entries(makers)) {
  const verdict = await verifyRequest({ ...request, authorization: await make() }, verifyOptions);
  if (!verdict.ok) throw new Error(`${name} made a header that does not verify: ${verdict.problem}`);
}
const variedMakers = {
  ...Object.fromEntries(Object.entries(variedPeers).map(([name, make]) => [name, make(requests)])),
  countersign: (() => {
    const signer = createSigner(credentials);
    const next = cycle(requests);
    return async () => (await signer.sign(next())).authorization;
  })(),
};
for (const [name, make] of Object.entries(variedMakers)) {
  // Each maker starts at the first request: the first 50 checked, in order.
  for (const each of requests.slice(0, 50)) {
    const verdict = await verifyRequest({ ...each, authorization: await make() }, verifyOptions);
    if (!verdict.ok) throw new Error(`${name} made a header for ${each.url} that does not verify: ${verdict.problem}`);
  }
}

const ns = (name) => medians[name];
const fastest = (prefix) => {
  const name = Object.keys(peers).reduce((best, each) =>
    ns(`${prefix}${each} HMAC-SHA1 header`) < ns(`${prefix}${best} HMAC-SHA1 header`) ? each : best,
  );
  return { name, time: ns(`${prefix}${name} HMAC-SHA1 header`) };
};
const repeated = ns('countersign HMAC-SHA1 header');
const varied = ns('varied: countersign HMAC-SHA1 header');
const peer = fastest('');
const variedPeer = fastest('varied: ');
const rsa = ns('countersign RSA-SHA1 header') / ns('floor: bare RSA-SHA1 crypto.sign with a cached key');
const checks = [
  { what: `repeated: fastest peer (${peer.name}) / countersign`, ratio: peer.time / repeated, target: '>= 3' },
  { what: 'repeated: countersign / floor', ratio: repeated / ns(FLOOR), target: '<= 2' },
  { what: `varied: fastest peer (${variedPeer.name}) / countersign`, ratio: variedPeer.time / varied, target: '>= 4' },
  { what: 'varied: countersign / floor', ratio: varied / ns(VARIED_FLOOR), target: '<= 2' },
  { what: 'RSA-SHA1: countersign / bare crypto.sign', ratio: rsa, target: '<= 1.2' },
].map((check) => {
  const bound = Number(check.target.slice(3));
  return { ...check, ok: check.target.startsWith('>=') ? check.ratio >= bound : check.ratio <= bound };
});
console.log('\nMedians (one run, same process):');
for (const [name, value] of Object.entries(medians))
  console.log(`  ${name.padEnd(52)} ${(value / 1000).toFixed(2).padStart(8)} µs`);
console.log('\nTargets:');
for (const check of checks)
  console.log(
    `  ${check.ok ? 'met   ' : 'MISSED'} ${check.what.padEnd(52)} ${check.ratio.toFixed(2).padStart(6)}× (target ${check.target})`,
  );
process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
