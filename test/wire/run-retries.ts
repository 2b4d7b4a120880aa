import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OauthlibJudge, startOauthlibJudge } from '../oauthlib/judge.ts';
import { type Misbehaviour, startWireServer, type WireServer } from './server.ts';

/** Sends one GET to `url`, retrying the client's own way; resolves with the final status. */
export type RetryingGet = (url: string) => Promise<number>;

/**
 * The server fails the first attempt (a 503, or a reset connection) and then answers 200:
 * every attempt must arrive with its own nonce and timestamp and verify on its own.
 */
export function describeRetries(client: string, makeGet: () => RetryingGet): void {
  describe(`${client}: every retry is signed afresh`, () => {
    let judge: OauthlibJudge;
    let server: WireServer;
    let get: RetryingGet;
    beforeAll(async () => {
      judge = startOauthlibJudge();
      server = await startWireServer(judge);
      get = makeGet();
    });
    afterAll(async () => {
      await server?.close();
      judge?.close();
    });

    for (const failure of ['503', 'reset'] as Misbehaviour[]) {
      it(`${failure === '503' ? 'a 503' : 'a reset connection'}, then 200`, async () => {
        const before = server.arrivals.length;
        server.misbehave(failure);
        const status = await get(`${server.origin}/timeline?count=2&q=a+b`);
        const attempts = server.arrivals.slice(before);
        expect(status).toBe(200);
        expect(attempts).toHaveLength(2);
        expect(new Set(attempts.map((attempt) => attempt.nonce)).size).toBe(2);
        for (const attempt of attempts) expect([attempt.ours.ok, attempt.oauthlib.ok]).toEqual([true, true]);
      });
    }
  });
}
