import { createMemoryNonceStore } from '@countersign/server';
import nock from 'nock';
import type { OauthlibJudge } from '../oauthlib/judge.ts';
import type { WireTargets } from './run-cases.ts';
import { type Arrival, checkArrival, type WireServer } from './server.ts';

/** nock in place of the server: requests never leave the process, and are checked the same way. */
function startNockServer(judge: OauthlibJudge, origin: string): WireServer {
  const arrivals: Arrival[] = [];
  const nonceStore = createMemoryNonceStore();
  nock.disableNetConnect();
  const reply = async function (this: nock.ReplyFnContext, uri: string, body: nock.Body): Promise<[number, string]> {
    const header = (name: string) => {
      const value = this.req.headers[name];
      return Array.isArray(value) ? value.join(', ') : (value ?? undefined);
    };
    arrivals.push(
      await checkArrival(judge, nonceStore, {
        method: this.req.method as string,
        url: origin + uri,
        authorization: header('authorization'),
        contentType: header('content-type'),
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
    return [200, '{}'];
  };
  const scope = nock(origin).persist();
  for (const method of ['get', 'post', 'put'] as const) scope[method](() => true).reply(reply);
  return {
    origin,
    arrivals,
    misbehave: () => {
      throw new Error('the nock target answers 200 only');
    },
    close: async () => {
      scope.persist(false);
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

let current: WireServer | undefined;

// nock treats http://host and http://host:80 as one origin, so the default-port case goes to
// the same interceptor, spelled the way a client might: mixed case, port written out.
export const NOCK_TARGETS: WireTargets = {
  start: async (judge) => {
    current = startNockServer(judge, 'http://api.example.test');
    return current;
  },
  startDefaultPort: async () =>
    current && { server: { ...current, close: async () => {} }, origin: 'http://API.Example.Test:80' },
};
