/**
 * Waits `milliseconds`, or rejects with the signal's reason as soon as it aborts. Retries and
 * provider helpers that poll wait with it.
 *
 * @example
 * ```ts
 * await delay(500, controller.signal); // rejects at once if controller.abort() is called
 * ```
 */
export function delay(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    // The listener goes with the wait: a long-lived signal passed to every call gathered one
    // per wait (Node warns of a leak after eleven), each holding its promise.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
