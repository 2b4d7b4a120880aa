import { lookup } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OauthlibJudge, startOauthlibJudge } from '../oauthlib/judge.ts';
import { WIRE_CASES } from './cases.ts';
import type { Send } from './drivers.ts';
import { startWireServer, type WireServer } from './server.ts';

/**
 * Runs every wire case through one client against a real server on 127.0.0.1 and checks
 * what arrived with Countersign's verifier and with oauthlib. The mixed-case host case
 * needs port 80 (the scheme's default) on the loopback; where it cannot be bound the case
 * is reported as skipped, never passed.
 */
/** Where the cases are sent: a real server by default, or nock. */
export interface WireTargets {
  start(judge: OauthlibJudge): Promise<WireServer>;
  /** The server for the mixed-case host with its default port, and the origin clients use for it. */
  startDefaultPort(judge: OauthlibJudge): Promise<{ server: WireServer; origin: string } | undefined>;
}

const REAL_SERVERS: WireTargets = {
  start: (judge) => startWireServer(judge),
  async startDefaultPort(judge) {
    const localhost = await lookup('LocalHost', { family: 4 }).catch(() => undefined);
    if (localhost?.address !== '127.0.0.1') return undefined;
    // The other vitest runs of `pnpm test` (lowest peers, Node 22) hold port 80 for their own
    // cases for a second or two: wait for it (within the hook timeout) rather than skip the case.
    for (let waited = 0; ; waited += 100) {
      try {
        return { server: await startWireServer(judge, 80), origin: 'http://LocalHost:80' };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || waited >= 8_000) return undefined;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  },
};

export function describeWireCases(client: string, makeSend: () => Send, targets: WireTargets = REAL_SERVERS): void {
  describe(`${client}: every wire case verifies where it arrives`, () => {
    let judge: OauthlibJudge;
    let server: WireServer;
    let defaultPort: { server: WireServer; origin: string } | undefined;
    let send: Send;
    beforeAll(async () => {
      judge = startOauthlibJudge();
      server = await targets.start(judge);
      defaultPort = await targets.startDefaultPort(judge);
      send = makeSend();
    });
    afterAll(async () => {
      await server?.close();
      await defaultPort?.server.close();
      judge?.close();
    });

    for (const wireCase of WIRE_CASES) {
      it(wireCase.name, async (context) => {
        const target = wireCase.mixedCaseHostDefaultPort ? defaultPort?.server : server;
        if (target === undefined) {
          context.skip('port 80 on the loopback cannot be bound here');
          return;
        }
        const origin = wireCase.mixedCaseHostDefaultPort ? (defaultPort?.origin as string) : server.origin;
        const before = target.arrivals.length;
        const status = await send(wireCase, origin);
        expect(target.arrivals.length).toBe(before + 1);
        const arrival = target.arrivals[before];
        expect({ status, ours: arrival?.ours.ok, oauthlib: arrival?.oauthlib }).toEqual({
          status: 200,
          ours: true,
          oauthlib: { ok: true },
        });
      });
    }
  });
}
