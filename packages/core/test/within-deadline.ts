import { Worker } from 'node:worker_threads';

let worker: Worker | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Calls `exportName(...args)` from the TypeScript module at `modulePath` in a worker thread
 * and resolves with what it returned (as JSON data, and a string's length), or rejects when
 * it is still running after `deadlineMs`: the guard for inputs that once cost seconds to
 * hours, where a linear implementation takes milliseconds. Not a speed target (those live in
 * the bench). Calls queue for one worker, kept between calls (loading the modules in a new
 * worker each time cost most of a second); one past its deadline takes its worker with it.
 */
export function finishesWithin(
  deadlineMs: number,
  modulePath: string,
  exportName: string,
  ...args: unknown[]
): Promise<{ length: number | undefined; result: unknown }> {
  const call = () =>
    new Promise<{ length: number | undefined; result: unknown }>((resolve, reject) => {
      worker ??= new Worker(new URL('./deadline-worker.mjs', import.meta.url));
      worker.unref();
      const current = worker;
      const settle = () => {
        clearTimeout(timer);
        current.off('message', onMessage);
        current.off('error', onError);
      };
      const timer = setTimeout(() => {
        settle();
        worker = undefined;
        void current.terminate();
        reject(new Error(`${exportName} was still running after ${deadlineMs} ms`));
      }, deadlineMs);
      const onMessage = (message: { length: number | undefined; result: unknown; error?: string }) => {
        settle();
        if (message.error !== undefined) reject(new Error(message.error));
        else resolve(message);
      };
      const onError = (error: Error) => {
        settle();
        worker = undefined;
        reject(error);
      };
      current.on('message', onMessage);
      current.on('error', onError);
      current.postMessage({ modulePath, exportName, args });
    });
  const result = queue.then(call, call);
  queue = result.catch(() => undefined);
  return result;
}
