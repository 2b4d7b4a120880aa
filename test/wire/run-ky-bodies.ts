import { kyOAuth } from '@countersign/ky';
import { describe, expect, it } from 'vitest';
import { wireSigner } from './credentials.ts';
import { judgedWireServer } from './judged-server.ts';

type Ky = typeof import('ky').default;
const FORM = 'application/x-www-form-urlencoded';

/**
 * kyOAuth signs the body ky built its Request from without reading the Request's stream.
 * Whatever replaces that Request (a later hook, a retry's clone) must still be signed as
 * sent: each case checks the bytes that arrived against two independent verifiers.
 */
export function describeKyBodies(client: string, ky: Ky, major: 1 | 2): void {
  describe(`${client}: the body signed is the body sent`, () => {
    const wire = judgedWireServer();

    async function arrivalsOf(send: () => Promise<Response>) {
      const before = wire().arrivals.length;
      const response = await send();
      return { status: response.status, arrivals: wire().arrivals.slice(before) };
    }

    it('a form POST', async () => {
      const { status, arrivals } = await arrivalsOf(() =>
        ky.post(`${wire().origin}/statuses`, {
          ...kyOAuth(wireSigner()),
          retry: 0,
          body: new URLSearchParams({ status: 'a b+c !*' }),
        }),
      );
      expect(status).toBe(200);
      expect(arrivals.map((arrival) => [arrival.body, arrival.ours.ok, arrival.oauthlib.ok])).toEqual([
        ['status=a+b%2Bc+%21*', true, true],
      ]);
    });

    it('a form POST retried after a 503: each attempt sends and signs the form', async () => {
      wire().misbehave('503');
      const { status, arrivals } = await arrivalsOf(() =>
        ky.post(`${wire().origin}/statuses`, {
          ...kyOAuth(wireSigner()),
          retry: { limit: 2, methods: ['post'], statusCodes: [503], delay: () => 0 },
          body: 'status=again%20and%20again',
          headers: { 'content-type': FORM },
        }),
      );
      expect(status).toBe(200);
      expect(arrivals.map((arrival) => [arrival.body, arrival.ours.ok, arrival.oauthlib.ok])).toEqual([
        ['status=again%20and%20again', true, true],
        ['status=again%20and%20again', true, true],
      ]);
      expect(arrivals[0]?.nonce).not.toBe(arrivals[1]?.nonce);
    });

    const replaceBody = (request: Request) =>
      new Request(request, { body: 'status=from%20the%20hook', headers: { 'content-type': FORM } });
    const replacingHook =
      major === 1
        ? (request: Request) => replaceBody(request)
        : ({ request }: { request: Request }) => replaceBody(request);
    const withHook = { hooks: { beforeRequest: [replacingHook as never] } };

    it.each([
      ['after', () => ky.create({ retry: 0 }).extend(kyOAuth(wireSigner())).extend(withHook)],
      ['before', () => ky.create({ retry: 0, ...withHook }).extend(kyOAuth(wireSigner()))],
    ])('a hook %s ours that replaces the Request: its body is the one signed and sent', async (_where, makeApi) => {
      const { status, arrivals } = await arrivalsOf(() =>
        makeApi().post(`${wire().origin}/statuses`, {
          body: 'status=from%20the%20caller',
          headers: { 'content-type': FORM },
        }),
      );
      expect(status).toBe(200);
      expect(arrivals.map((arrival) => [arrival.body, arrival.ours.ok, arrival.oauthlib.ok])).toEqual([
        ['status=from%20the%20hook', true, true],
      ]);
    });

    it('onUploadProgress still reports the body it streams', async () => {
      const reported: number[] = [];
      const { status, arrivals } = await arrivalsOf(() =>
        ky.post(`${wire().origin}/statuses`, {
          ...kyOAuth(wireSigner()),
          retry: 0,
          body: new URLSearchParams({ status: 'uploaded' }),
          onUploadProgress: (progress: { transferredBytes: number }) => reported.push(progress.transferredBytes),
        } as never),
      );
      expect(status).toBe(200);
      expect(reported).toContain('status=uploaded'.length);
      expect(arrivals.map((arrival) => [arrival.body, arrival.ours.ok, arrival.oauthlib.ok])).toEqual([
        ['status=uploaded', true, true],
      ]);
    });
  });
}
