// Runs one exported function of a TypeScript module in a worker thread, so a test can stop
// it at a deadline: a pattern that backtracks blocks its thread and cannot be timed out.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const module = await tsImport(workerData.modulePath, import.meta.url);
const started = performance.now();
const result = await module[workerData.exportName](...workerData.args);
parentPort.postMessage({
  ms: performance.now() - started,
  length: typeof result === 'string' ? result.length : undefined,
  // Plain data comes back as it is (an object of strings and numbers, say).
  result: result === undefined ? undefined : JSON.parse(JSON.stringify(result)),
});
