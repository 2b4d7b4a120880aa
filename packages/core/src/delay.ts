import { CountersignError } from './errors.ts';

/** The longest wait {@link delay} takes, in milliseconds: any whole-number-safe duration. */
export const MAX_DELAY_MILLISECONDS = Number.MAX_SAFE_INTEGER;

// setTimeout fires after 1 ms for anything longer (Node warns TimeoutOverflowWarning): a
// server's "come back in a month" became an instant retry. Longer waits are made of these.
const LONGEST_TIMER = 2 ** 31 - 1;

/**
 * Waits `milliseconds`, or rejects with the signal's reason as soon as it aborts. Retries and
 * provider helpers that poll wait with it. Waits longer than a timer can hold (24.8 days)
 * are waited in full; a wait that is not a number from 0 up (NaN, negative, infinite) is an
 * `invalid_option` error.
 *
 * @example
 * ```ts
 * await delay(500, controller.signal); // rejects at once if controller.abort() is called
 * ```
 */
export function delay(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!(typeof milliseconds === 'number' && milliseconds >= 0 && milliseconds <= MAX_DELAY_MILLISECONDS)) {
      return reject(
        new CountersignError(
          'invalid_option',
          `delay: expected milliseconds from 0 to ${MAX_DELAY_MILLISECONDS}; got ${String(milliseconds)}.`,
        ),
      );
    }
    if (signal?.aborted) return reject(signal.reason);
    let timer: ReturnType<typeof setTimeout>;
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const end = Date.now() + milliseconds;
    // The listener goes with the wait: a long-lived signal passed to every call gathered one
    // per wait (Node warns of a leak after eleven), each holding its promise.
    const wait = (left: number) => {
      timer = setTimeout(
        () => {
          const remaining = end - Date.now();
          if (remaining > 0 && left > LONGEST_TIMER) return wait(remaining);
          signal?.removeEventListener('abort', abort);
          resolve();
        },
        Math.min(left, LONGEST_TIMER),
      );
    };
    wait(milliseconds);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
