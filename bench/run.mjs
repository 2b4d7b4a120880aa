/**
 * `pnpm bench`: every benchmark, each in a fresh process. Exits 0 unless a live target was
 * missed (or a benchmark could not run): each benchmark exits 1 only for its own live targets;
 * figures that are reported but not targeted never fail it.
 */
import { spawnSync } from 'node:child_process';

const benches = [
  ['--import', './bench/use-built-packages.mjs', 'bench/sign.bench.mjs'],
  ['--import', './bench/use-built-packages.mjs', 'bench/adapters.bench.mjs'],
  ['--import', './bench/use-built-packages.mjs', '--expose-gc', 'bench/server.bench.mjs'],
  ['--import', './bench/use-built-packages.mjs', 'bench/server-throughput.bench.mjs'],
];
let missed = false;
for (const args of benches) {
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
  missed ||= status !== 0;
}
process.exitCode = missed ? 1 : 0;
