import { Worker } from 'node:worker_threads';

/**
 * Calls `exportName(...args)` from the TypeScript module at `modulePath` in a worker thread
 * and resolves with what it returned (as JSON data, and a string's length), or rejects when it is still
 * running after `deadlineMs`: the guard for inputs that once cost seconds to hours, where
 * a linear implementation takes milliseconds. Not a speed target (those live in the bench).
 */
export function finishesWithin(
  deadlineMs: number,
  modulePath: string,
  exportName: string,
  ...args: unknown[]
): Promise<{ length: number | undefined; result: unknown }> {
  const worker = new Worker(new URL('./deadline-worker.mjs', import.meta.url), {
    workerData: { modulePath, exportName, args },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`${exportName} was still running after ${deadlineMs} ms`));
    }, deadlineMs);
    worker.once('message', (message: { length: number | undefined; result: unknown }) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
