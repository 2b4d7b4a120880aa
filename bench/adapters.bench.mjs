/**
 * What signing adds to a request, two ways.
 *
 * 1. **The fetch wrapper's CPU time** (the target): a hot loop in which fetch answers at
 *    once, timed by this process's CPU time, interleaved batch by batch with the signer
 *    signing the same request alone. Target: the wrapper costs at most the signer + 2 µs.
 *    Another process's load on a shared machine does not add to CPU time; it is what this
 *    machine can resolve (the loopback ratio below it could not, run to run).
 * 2. **Real requests over loopback**: signed against unsigned requests to a keep-alive server
 *    in another process, per client, medians from one run, with controls that show how low
 *    it can go here. Reported: the overheads, and each adapter's ratio to the least signing.
 *    Target: ky 1's overhead within 1.2× the least signing's. The 5% targets and the fetch
 *    wrapper's ratio target are retired (#22, #25): this machine's noise is larger than they are.
 */
import { spawn } from 'node:child_process';
import { hash, randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { installOAuth } from '@countersign/axios';
import { createOAuthFetch, createSigner, percentEncode } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import { verifyRequest } from '@countersign/server';
import axios from 'axios';
import ky from 'ky';
import { interleaved } from './interleave.mjs';

// The server runs in a process of its own, as a real one would: in this process its work
// would be billed to whichever client happened to be waiting.
const server = spawn(
  process.execPath,
  [
    '-e',
    `const s = require('node:http').createServer((q, r) => { q.resume(); q.on('end', () => r.end('ok')); });
     s.keepAliveTimeout = 60000;
     s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise((resolve) => server.stdout.once('data', (data) => resolve(Number(String(data).trim()))));
const origin = `http://127.0.0.1:${port}`;
const url = `${origin}/1.1/statuses/update.json?include_entities=true`;
const body = 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21';
const headers = { 'content-type': 'application/x-www-form-urlencoded' };
const signerSecrets = {
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};
const signer = createSigner(signerSecrets);

const agent = new Agent({ keepAlive: true });
const plainAxios = axios.create({ adapter: 'http', httpAgent: agent });
const signedAxios = axios.create({ adapter: 'http', httpAgent: agent });
installOAuth(signedAxios, signer);
const plainKy = ky.create({ retry: 0 });
const signedKy = ky.create({ retry: 0, ...kyOAuth(signer) });
const oauthFetch = createOAuthFetch(signer);

// 1. The fetch wrapper's CPU time per request, against the signer alone, on the same request.
const answered = new Response('ok');
const hotFetch = createOAuthFetch(signer, { fetch: async () => answered });
const hotSigner = createSigner(signerSecrets);
const FORM_TYPE = headers['content-type'];
const cpu = await interleaved(
  {
    'the signer alone': {
      run: async () => (await hotSigner.sign({ method: 'POST', url, body, contentType: FORM_TYPE })).authorization,
      async: true,
      batch: 2000,
    },
    'the fetch wrapper, fetch answering at once': {
      run: async () => (await hotFetch(url, { method: 'POST', body, headers })).status,
      async: true,
      batch: 2000,
    },
  },
  { rounds: 31, cpu: true },
);
const signerCpu = cpu.medians['the signer alone'];
const wrapperCpu = cpu.medians['the fetch wrapper, fetch answering at once'];
const wrapperMet = wrapperCpu - signerCpu <= 2000;
console.log('CPU time per request, hot loop, fetch answering at once: 31 interleaved rounds, medians');
console.log(`         the signer alone                     ${(signerCpu / 1000).toFixed(2).padStart(6)} µs`);
console.log(
  `  ${wrapperMet ? 'met   ' : 'MISSED'} the fetch wrapper                    ${(wrapperCpu / 1000).toFixed(2).padStart(6)} µs  +${((wrapperCpu - signerCpu) / 1000).toFixed(2)} µs (target: at most the signer + 2 µs)`,
);
console.log('');

// Controls for the ky and fetch rows, to show how low the overhead can go on this machine:
// the same request with an Authorization header of the same length but no signing, and
// the least any signer must do per request (a nonce, a timestamp, one HMAC over a base
// string whose every other piece is precomputed for this one request, the header), written
// out by hand. Neither is Countersign; they bound what signing can cost here.
const fixedAuthorization = (await signer.sign({ method: 'POST', url, body, contentType: headers['content-type'] }))
  .authorization;
const leastSigning = leastSigningFor();
// A control that signed wrongly would time the wrong work: check it as a server would.
const leastSigned = await verifyRequest(
  { method: 'POST', url, authorization: leastSigning(), body, contentType: headers['content-type'] },
  {
    lookupConsumer: () => ({ secret: signerSecrets.consumerSecret }),
    lookupToken: () => ({ secret: signerSecrets.tokenSecret }),
    nonceStore: false,
  },
);
if (!leastSigned.ok) throw new Error(`the least-signing control does not verify: ${leastSigned.problem}`);
const leastSignedKy = ky.create({
  retry: 0,
  hooks: { beforeRequest: [(request) => request.headers.set('authorization', leastSigning())] },
});

const clients = {
  axios: {
    unsigned: () => plainAxios.post(url, body, { headers }),
    signed: () => signedAxios.post(url, body, { headers }),
  },
  'ky 1': {
    unsigned: () => plainKy.post(url, { body, headers }).text(),
    signed: () => signedKy.post(url, { body, headers }).text(),
    'control: the least signing': () => leastSignedKy.post(url, { body, headers }).text(),
  },
  fetch: {
    unsigned: async () => (await fetch(url, { method: 'POST', body, headers })).text(),
    signed: async () => (await oauthFetch(url, { method: 'POST', body, headers })).text(),
    'control: header only, no signing': async () =>
      (await fetch(url, { method: 'POST', body, headers: { ...headers, authorization: fixedAuthorization } })).text(),
    'control: the least signing': async () =>
      (await fetch(url, { method: 'POST', body, headers: { ...headers, authorization: leastSigning() } })).text(),
  },
};

// The variants of a client take turns, a run of requests each, starting with a different
// one every round: drift in this machine's speed (it is noisy) then falls on all of them
// alike, while each request still follows one of its own kind, as in an application that
// uses one client. Medians over every request.
const ROUNDS = 20;
const RUN = 150;
const medianOf = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

console.log(
  `Signing overhead per request: ${ROUNDS} rounds of ${RUN} requests per variant, in turn, medians, loopback keep-alive`,
);
let allMet = wrapperMet;
for (const [client, variants] of Object.entries(clients)) {
  const names = Object.keys(variants);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < 300; i++) for (const name of names) await variants[name]();
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      for (let request = 0; request < RUN; request++) {
        const start = process.hrtime.bigint();
        await variants[name]();
        times[name].push(Number(process.hrtime.bigint() - start));
      }
    }
  }
  const unsigned = medianOf(times.unsigned);
  for (const name of names.filter((each) => each !== 'unsigned')) {
    const median = medianOf(times[name]);
    const overhead = median / unsigned - 1;
    const label = name === 'signed' ? client : `  ${name}`;
    console.log(
      `         ${label.padEnd(36)} unsigned ${(unsigned / 1000).toFixed(1).padStart(6)} µs  this ${(median / 1000).toFixed(1).padStart(6)} µs  overhead ${(overhead * 100).toFixed(1).padStart(5)}%`,
    );
  }
  // Issue #13: the adapter against the least signing, in the same run. Targeted for ky 1;
  // for the fetch wrapper reported only, its yardstick is the CPU time above (#22).
  const least = times['control: the least signing'];
  if (least !== undefined) {
    const signed = medianOf(times.signed);
    const control = medianOf(least);
    // A control that cost nothing over unsigned this run (noise) gives no ratio to judge by.
    const controlOverhead = control - unsigned;
    const overheadRatio = (signed - unsigned) / controlOverhead;
    const targeted = client === 'ky 1';
    const verdict =
      controlOverhead <= 0
        ? 'not measurable: the control cost nothing over unsigned in this run'
        : !targeted
          ? 'reported, not targeted'
          : overheadRatio <= 1.2
            ? 'met'
            : 'MISSED';
    if (targeted && controlOverhead > 0) allMet &&= overheadRatio <= 1.2;
    console.log(
      `         ${client} / the least signing: time ${(signed / control).toFixed(2)}×, overhead ${controlOverhead <= 0 ? '—' : `${overheadRatio.toFixed(2)}×`} (${targeted ? 'target: overhead <= 1.2×: ' : ''}${verdict})`,
    );
  }
}
agent.destroy();
server.kill();
process.exitCode = allMet ? 0 : 1;

/** The control described above: only what varies per request is computed. */
function leastSigningFor() {
  const key = hash('sha1', `${signerSecrets.consumerSecret}&${signerSecrets.tokenSecret}`, 'buffer');
  const inner = Buffer.alloc(64 + 1024);
  const outer = Buffer.alloc(64 + 20);
  for (let i = 0; i < 64; i++) {
    inner[i] = (key[i] ?? 0) ^ 0x36;
    outer[i] = (key[i] ?? 0) ^ 0x5c;
  }
  const nonces = randomBytes(1 << 16).toString('hex');
  let next = 0;
  const target = new URL(url);
  const beforeNonce = `POST&${percentEncode(`${target.origin}${target.pathname}`)}&${percentEncode(`include_entities=true&oauth_consumer_key=${signerSecrets.consumerKey}&oauth_nonce=`)}`;
  const beforeTimestamp = percentEncode('&oauth_signature_method=HMAC-SHA1&oauth_timestamp=');
  const rest = percentEncode(`&oauth_token=${signerSecrets.token}&oauth_version=1.0&${body}`);
  return () => {
    if (next + 24 > nonces.length) next = 0;
    const nonce = nonces.slice(next, (next += 24));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const length = 64 + inner.write(`${beforeNonce}${nonce}${beforeTimestamp}${timestamp}${rest}`, 64, 'latin1');
    outer.write(hash('sha1', inner.subarray(0, length), 'latin1'), 64, 'latin1');
    const signature = percentEncode(hash('sha1', outer, 'base64'));
    return `OAuth oauth_consumer_key="${signerSecrets.consumerKey}", oauth_nonce="${nonce}", oauth_signature="${signature}", oauth_signature_method="HMAC-SHA1", oauth_timestamp="${timestamp}", oauth_token="${signerSecrets.token}", oauth_version="1.0"`;
  };
}
