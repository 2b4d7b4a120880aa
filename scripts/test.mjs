/**
 * `pnpm test`: every check, as one schedule on this machine's cores. The long vitest run
 * starts first; builds (each package once, after its siblings), packing, the fresh-project
 * install and its checks, the quick starts, the size guard, the API docs and the other two
 * vitest runs fill the other core; downloads (npm install, Node 22) take no core. Each job's
 * output goes to .countersign-tmp/logs; a failed job's tail is printed, and the last line
 * sums up the tests of the three vitest runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildOrder } from './packages/build.mjs';
import { root } from './packages/run.mjs';

const logs = join(root, '.countersign-tmp', 'logs');
mkdirSync(logs, { recursive: true });
const node = (script, ...args) => [process.execPath, [join(root, 'scripts', script), ...args]];
const bin = (name, ...args) => [join(root, 'node_modules', '.bin', name), args];
const vitest = (...args) => [
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=dot', ...args],
];

/** id → { command, after, io }: `io` jobs wait on the network, not a core. */
const jobs = {
  'system packages': { command: node('ensure-system-packages.mjs'), after: [] },
  'vitest (Node 20)': {
    command: vitest('--reporter=json', '--outputFile.json=.countersign-tmp/vitest-node20.json'),
    after: ['system packages'],
    // The longest job, on one core of its own: every other job yields to it (nice).
    first: true,
  },
  lint: { command: bin('biome', 'check', '.'), after: [] },
  typecheck: { command: bin('tsc', '--build'), after: [] },
  ...Object.fromEntries(
    buildOrder().map(({ name, after }) => [
      `build ${name}`,
      { command: node('packages/build.mjs', '--one', name), after: after.map((sibling) => `build ${sibling}`) },
    ]),
  ),
  'pack and lint tarballs': {
    command: node('packages/pack.mjs'),
    after: buildOrder().map(({ name }) => `build ${name}`),
  },
  // The peers wait on the registry only: installed while the packages build.
  'install the latest peers': { command: node('packages/consumer.mjs', 'peers'), after: [], io: true },
  'install a fresh project': {
    command: node('packages/consumer.mjs', 'tarballs'),
    after: ['pack and lint tarballs', 'install the latest peers'],
  },
  'check the installed packages': {
    command: node('packages/consumer.mjs', 'check'),
    after: ['install a fresh project'],
  },
  'quick starts': { command: node('packages/quick-starts.mjs'), after: ['install a fresh project'] },
  'size guard': { command: node('check-size.mjs'), after: ['build core'] },
  'API docs': { command: node('api-docs.mjs'), after: [] },
  'vitest (lowest peers)': {
    command: vitest(
      '--config',
      'vitest.lowest-peers.config.ts',
      '--reporter=json',
      '--outputFile.json=.countersign-tmp/vitest-lowest-peers.json',
    ),
    after: ['system packages'],
  },
  'vitest (Node 22)': {
    command: [
      'npx',
      [
        '--loglevel=error',
        '-y',
        'node@22',
        join(root, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        'vitest.node22.config.ts',
        '--reporter=dot',
        '--reporter=json',
        '--outputFile.json=.countersign-tmp/vitest-node22.json',
      ],
    ],
    after: ['system packages'],
  },
};

// Longest chain of work after each job, in rough seconds measured on this machine: the
// scheduler starts what holds the most behind it first.
const COST = {
  'vitest (Node 20)': 120,
  'install a fresh project': 5,
  'install the latest peers': 20,
  'quick starts': 25,
  'API docs': 10,
  'pack and lint tarballs': 15,
};
const cost = (id) => COST[id] ?? (id.startsWith('build ') ? 4 : 5);
const chain = new Map();
const chainOf = (id) => {
  if (!chain.has(id)) {
    const dependants = Object.entries(jobs)
      .filter(([, job]) => job.after.includes(id))
      .map(([other]) => other);
    chain.set(id, cost(id) + Math.max(0, ...dependants.map(chainOf)));
  }
  return chain.get(id);
};

const cores = Math.max(2, availableParallelism());
const NICE = spawnSync('nice', ['true']).status === 0;
const state = new Map(Object.keys(jobs).map((id) => [id, 'waiting']));
const timings = new Map();
let busy = 0;

function start(id) {
  const job = jobs[id];
  state.set(id, 'running');
  if (!job.io) busy++;
  const started = performance.now();
  const log = createWriteStream(join(logs, `${id.replace(/\W+/g, '-')}.log`));
  const [command, args] = job.command;
  return new Promise((resolve) => {
    // Everything but the longest job runs at a lower priority, so that job keeps its core and
    // the rest fills what is left, instead of all of them finishing late together.
    const [file, argv] = job.first || !NICE ? [command, args] : ['nice', ['-n', '10', command, ...args]];
    const child = spawn(file, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (error) => log.write(`${error.stack}\n`));
    child.on('close', (code) => {
      log.end();
      if (!job.io) busy--;
      const seconds = (performance.now() - started) / 1000;
      timings.set(id, seconds);
      state.set(id, code === 0 ? 'passed' : 'failed');
      console.log(`${code === 0 ? '✓' : '✗'} ${id} (${seconds.toFixed(1)} s)`);
      resolve();
    });
  });
}

const running = new Set();
const started = performance.now();
while ([...state.values()].some((status) => status === 'waiting' || status === 'running')) {
  const ready = Object.keys(jobs)
    .filter((id) => state.get(id) === 'waiting')
    .filter((id) => jobs[id].after.every((before) => state.get(before) === 'passed'));
  // A job whose prerequisite failed cannot run.
  for (const id of Object.keys(jobs).filter((other) => state.get(other) === 'waiting')) {
    if (jobs[id].after.some((before) => ['failed', 'skipped'].includes(state.get(before)))) {
      state.set(id, 'skipped');
      console.log(
        `- ${id} (not run: ${jobs[id].after.filter((before) => state.get(before) !== 'passed').join(', ')} did not pass)`,
      );
    }
  }
  ready.sort((a, b) => chainOf(b) - chainOf(a));
  for (const id of ready) {
    if (!jobs[id].io && busy >= cores) continue;
    const promise = start(id).then(() => running.delete(promise));
    running.add(promise);
  }
  if (running.size === 0) break;
  await Promise.race(running);
}

const failed = [...state].filter(([, status]) => status !== 'passed').map(([id]) => id);
for (const id of failed.filter((id) => state.get(id) === 'failed')) {
  const text = readFileSync(join(logs, `${id.replace(/\W+/g, '-')}.log`), 'utf8')
    .trimEnd()
    .split('\n');
  console.log(
    `\n── ${id}: last lines of .countersign-tmp/logs/${id.replace(/\W+/g, '-')}.log ──\n${text.slice(-60).join('\n')}`,
  );
}
console.log(
  `\n${Object.keys(jobs).length} jobs in ${((performance.now() - started) / 1000).toFixed(0)} s on ${cores} cores.`,
);
let summary = 'tests: no report';
try {
  const reports = ['vitest-node20.json', 'vitest-lowest-peers.json', 'vitest-node22.json'].map((name) =>
    JSON.parse(readFileSync(join(root, '.countersign-tmp', name), 'utf8')),
  );
  const sum = (field) => reports.reduce((total, report) => total + report[field], 0);
  summary = `tests: ${sum('numPassedTests')} passed, ${sum('numFailedTests')} failed, ${sum('numPendingTests') + sum('numTodoTests')} skipped`;
} catch {
  // A vitest run that did not finish leaves no report; its job is listed as failed above.
}
if (failed.length > 0) console.log(`Not passed: ${failed.join(', ')}.`);
console.log(summary);
process.exitCode = failed.length === 0 ? 0 : 1;
