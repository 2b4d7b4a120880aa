import { describe, expect, it } from 'vitest';
import { delay } from '../src/index.ts';

describe('delay', () => {
  it('waits, then resolves, and leaves no listener on a signal it was given', async () => {
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const { signal } = controller;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    };
    signal.removeEventListener = (...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    };
    const started = performance.now();
    for (let i = 0; i < 3; i++) await delay(5, signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(14);
    expect([added, removed]).toEqual([3, 3]);
  });

  it('rejects with the reason as soon as the signal aborts, and at once when it already has', async () => {
    const controller = new AbortController();
    const waiting = delay(60_000, controller.signal);
    controller.abort(new Error('stopped by the caller'));
    await expect(waiting).rejects.toThrow('stopped by the caller');
    await expect(delay(60_000, controller.signal)).rejects.toThrow('stopped by the caller');
  });
});
