// Runs exported functions of TypeScript modules in a worker thread, one call at a time, so a
// test can stop one at a deadline: a pattern that backtracks blocks its thread and cannot be
// timed out. The worker stays for the next call, its modules already loaded.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

parentPort.on('message', async ({ modulePath, exportName, args }) => {
  try {
    const module = await tsImport(modulePath, import.meta.url);
    const started = performance.now();
    const result = await module[exportName](...args);
    parentPort.postMessage({
      ms: performance.now() - started,
      length: typeof result === 'string' ? result.length : undefined,
      // Plain data comes back as it is (an object of strings and numbers, say).
      result: result === undefined ? undefined : JSON.parse(JSON.stringify(result)),
    });
  } catch (error) {
    parentPort.postMessage({ error: String(error?.stack ?? error) });
  }
});
