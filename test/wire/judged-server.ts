import { afterAll, beforeAll } from 'vitest';
import { type OauthlibJudge, startOauthlibJudge } from '../oauthlib/judge.ts';
import { startWireServer, type WireServer } from './server.ts';

/**
 * Starts a wire server, judged by oauthlib, around the enclosing suite. Returns a getter:
 * the server exists only once the suite has started.
 */
export function judgedWireServer(): () => WireServer {
  let judge: OauthlibJudge | undefined;
  let server: WireServer | undefined;
  beforeAll(async () => {
    judge = startOauthlibJudge();
    server = await startWireServer(judge);
  });
  afterAll(async () => {
    await server?.close();
    judge?.close();
  });
  return () => {
    if (server === undefined) throw new Error('the wire server starts in beforeAll: read it inside a test');
    return server;
  };
}
