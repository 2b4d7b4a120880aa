/**
 * `pnpm bench`, the server's throughput row: a node:http server that verifies every request
 * against the same server that does not, both reading the body and answering 200.
 *
 * The server runs in a child process (one core), the load generator here (the other): 20,000
 * signed form POSTs per run, 64 in flight on keep-alive connections, each request signed
 * beforehand with a fresh nonce so signing is not timed. Runs alternate (plain, verifying,
 * plain, …) and each mode is summarised by its median requests per second.
 * Target: the verifying server ≥ 90% of the plain one's throughput.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createSigner } from '@countersign/core';

const REQUESTS = 20_000;
const IN_FLIGHT = 64;
const RUNS = 5;
const CONSUMER = { key: 'throughputConsumer0000', secret: 'throughput-secret' };
const FORM = 'application/x-www-form-urlencoded';
const BODY = new URLSearchParams([
  ['lti_message_type', 'basic-lti-launch-request'],
  ['lti_version', 'LTI-1p0'],
  ['resource_link_id', 'course-42-unit-3'],
  ['user_id', 'learner-7'],
  ['roles', 'Learner'],
  ['lis_person_name_full', 'Ada Lovelace'],
]).toString();

if (process.argv[2] === 'serve') {
  // The child: one server, in the mode asked for.
  const { createServer } = await import('node:http');
  const { createMemoryNonceStore, verifyNodeRequest, readNodeRequestBody } = await import('@countersign/server');
  const verifying = process.argv[3] === 'verifying';
  const options = {
    lookupConsumer: (key) => (key === CONSUMER.key ? { secret: CONSUMER.secret } : undefined),
    nonceStore: createMemoryNonceStore(),
    origin: 'http://bench.example',
  };
  let refused = 0;
  const server = createServer(async (req, res) => {
    if (verifying) {
      const { result } = await verifyNodeRequest(req, options);
      if (!result.ok) refused++;
      res.writeHead(result.ok ? 200 : 401, { 'content-type': 'text/plain' }).end(result.ok ? 'ok' : 'refused');
    } else {
      await readNodeRequestBody(req);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', (message) => {
    if (message === 'refused?') process.send({ refused });
  });
} else {
  const signer = createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });
  async function signedBatch() {
    const batch = [];
    for (let i = 0; i < REQUESTS; i++) {
      const signed = await signer.sign({
        method: 'POST',
        url: 'http://bench.example/launch',
        body: BODY,
        contentType: FORM,
      });
      batch.push(signed.authorization);
    }
    return batch;
  }

  function start(mode) {
    const child = fork(fileURLToPath(import.meta.url), ['serve', mode], {
      execArgv: ['--import', './bench/use-built-packages.mjs'],
    });
    return new Promise((resolve) => child.once('message', ({ port }) => resolve({ child, port })));
  }

  async function load(port, authorizations) {
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    let next = 0;
    let failed = 0;
    const one = () =>
      new Promise((resolve, reject) => {
        const outgoing = request(
          {
            host: '127.0.0.1',
            port,
            path: '/launch',
            method: 'POST',
            agent,
            headers: {
              authorization: authorizations[next++],
              'content-type': FORM,
              'content-length': Buffer.byteLength(BODY),
            },
          },
          (response) => {
            if (response.statusCode !== 200) failed++;
            response.resume();
            response.on('end', resolve);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(BODY);
      });
    const worker = async () => {
      while (next < authorizations.length) await one();
    };
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    agent.destroy();
    if (failed > 0) throw new Error(`${failed} requests were not answered 200`);
    return authorizations.length / seconds;
  }

  const rates = { plain: [], verifying: [] };
  // One warm-up run of each, not counted.
  for (let run = -1; run < RUNS; run++) {
    for (const mode of ['plain', 'verifying']) {
      const authorizations = await signedBatch();
      const { child, port } = await start(mode);
      await load(port, authorizations.slice(0, 2000)); // the server's JIT warms up on other nonces
      const rate = await load(port, authorizations.slice(2000).concat(authorizations.slice(0, 0)));
      child.kill();
      if (run >= 0) rates[mode].push(rate);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const plain = median(rates.plain);
  const verifying = median(rates.verifying);
  const share = verifying / plain;
  console.log(
    `\nnode:http throughput, signed form POSTs (${REQUESTS - 2000} timed per run after 2,000 warm-up, ${IN_FLIGHT} in flight, keep-alive), median of ${RUNS} alternating runs:`,
  );
  console.log(
    `  plain server (reads the body)       ${Math.round(plain)} req/s  [${rates.plain.map(Math.round).join(', ')}]`,
  );
  console.log(
    `  verifying server (verifyNodeRequest) ${Math.round(verifying)} req/s  [${rates.verifying.map(Math.round).join(', ')}]`,
  );
  console.log(
    `  verifying / plain                   ${(share * 100).toFixed(1)}% (target ≥ 90%): ${share >= 0.9 ? 'met' : 'MISSED'}`,
  );
  if (share < 0.9) process.exitCode = 1;
}
