/**
 * What signing adds to a real request: signed against unsigned requests to a loopback
 * keep-alive server, per client, medians from one run. Target: at most 5% overhead.
 */
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { installOAuth } from '@countersign/axios';
import { createOAuthFetch, createSigner } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import axios from 'axios';
import ky from 'ky';

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
const signer = createSigner({
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
});

const agent = new Agent({ keepAlive: true });
const plainAxios = axios.create({ adapter: 'http', httpAgent: agent });
const signedAxios = axios.create({ adapter: 'http', httpAgent: agent });
installOAuth(signedAxios, signer);
const plainKy = ky.create({ retry: 0 });
const signedKy = ky.create({ retry: 0, ...kyOAuth(signer) });
const oauthFetch = createOAuthFetch(signer);

const pairs = {
  axios: [() => plainAxios.post(url, body, { headers }), () => signedAxios.post(url, body, { headers })],
  'ky 1': [() => plainKy.post(url, { body, headers }).text(), () => signedKy.post(url, { body, headers }).text()],
  fetch: [
    async () => (await fetch(url, { method: 'POST', body, headers })).text(),
    async () => (await oauthFetch(url, { method: 'POST', body, headers })).text(),
  ],
};
// Unsigned and signed requests alternate in rounds, so drift in this machine's speed
// (it is noisy) falls on both sides alike; medians over every request of every round.
const ROUNDS = 12;
const PER_ROUND = 150;
async function timed(send, into) {
  for (let i = 0; i < PER_ROUND; i++) {
    const start = process.hrtime.bigint();
    await send();
    into.push(Number(process.hrtime.bigint() - start));
  }
}
const medianOf = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

console.log(
  `Signing overhead per request: ${ROUNDS} alternating rounds of ${PER_ROUND} requests, medians, loopback keep-alive`,
);
let allMet = true;
for (const [client, [plain, signed]] of Object.entries(pairs)) {
  for (let i = 0; i < 200; i++) {
    await plain();
    await signed();
  }
  const plainTimes = [];
  const signedTimes = [];
  for (let round = 0; round < ROUNDS; round++) {
    await timed(plain, plainTimes);
    await timed(signed, signedTimes);
  }
  const unsignedMedian = medianOf(plainTimes);
  const signedMedian = medianOf(signedTimes);
  const overhead = signedMedian / unsignedMedian - 1;
  allMet &&= overhead <= 0.05;
  console.log(
    `  ${overhead <= 0.05 ? 'met   ' : 'MISSED'} ${client.padEnd(6)} unsigned ${(unsignedMedian / 1000).toFixed(1).padStart(6)} µs  signed ${(signedMedian / 1000).toFixed(1).padStart(6)} µs  overhead ${(overhead * 100).toFixed(1).padStart(5)}% (target <= 5%)`,
  );
}
agent.destroy();
server.kill();
process.exitCode = allMet ? 0 : 1;
