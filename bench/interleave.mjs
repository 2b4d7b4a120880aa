/**
 * Timing on a noisy machine: contenders take turns, batch by batch, round after round, and
 * each is summarised by the median of its batches. A burst of outside load then lands on
 * every contender alike instead of on whichever one happened to be running (mitata runs
 * one benchmark to completion before the next, and its ratios swung by ±30% here).
 */

let sink = 0;

/** Keeps results alive so the optimiser cannot drop the work that made them. */
export function consume(value) {
  sink ^= typeof value === 'string' ? value.length : value === undefined ? 0 : 1;
}

/** Nanoseconds now: wall time, or this process's CPU time (user and system, all its threads). */
const wallClock = () => process.hrtime.bigint();
const cpuClock = () => {
  const { user, system } = process.cpuUsage();
  return BigInt(user + system) * 1000n;
};

async function timeBatch(run, size, now) {
  const start = now();
  for (let i = 0; i < size; i++) consume(await run());
  return Number(now() - start) / size;
}

function timeBatchSync(run, size, now) {
  const start = now();
  for (let i = 0; i < size; i++) consume(run());
  return Number(now() - start) / size;
}

export const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/**
 * @param contenders `{ name: { run, async?, batch } }`: `batch` calls are timed together.
 * @param options.cpu time each batch by the CPU time the process spent (what another
 *   process's load on a shared machine does not add to), instead of wall time.
 * @returns the median nanoseconds per call for each name, and every batch's figure.
 */
export async function interleaved(contenders, { rounds = 31, warmupRounds = 3, cpu = false } = {}) {
  const now = cpu ? cpuClock : wallClock;
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < warmupRounds + rounds; round++) {
    // Rotate who goes first, so no contender always follows the same one.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const { run, batch, async: isAsync } = contenders[name];
      const perCall = isAsync ? await timeBatch(run, batch, now) : timeBatchSync(run, batch, now);
      if (round >= warmupRounds) samples[name].push(perCall);
    }
  }
  if (sink === 0.5) console.log(sink);
  return { medians: Object.fromEntries(names.map((name) => [name, median(samples[name])])), samples };
}
