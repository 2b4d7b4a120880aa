import { installOAuth } from '@countersign/axios';
import { createOAuthFetch, isCountersignError } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import axios from 'axios';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { wireSigner } from './credentials.ts';
import { judgedWireServer } from './judged-server.ts';

const wire = judgedWireServer();

function arrivalsDuring<T>(action: () => Promise<T>) {
  const before = wire().arrivals.length;
  return action().then((result) => ({ result, arrivals: wire().arrivals.slice(before) }));
}

describe('redirects never carry a stale signature', () => {
  it('createOAuthFetch follows a same-origin 302 and signs the new hop afresh', async () => {
    wire().misbehave('redirect');
    const oauthFetch = createOAuthFetch(wireSigner());
    const { result, arrivals } = await arrivalsDuring(() => oauthFetch(`${wire().origin}/old?x=1`));
    expect(result.status).toBe(200);
    expect(arrivals.map((arrival) => new URL(arrival.url).pathname)).toEqual(['/old', '/moved']);
    expect(arrivals[0]?.nonce).not.toBe(arrivals[1]?.nonce);
    for (const arrival of arrivals) expect([arrival.ours.ok, arrival.oauthlib.ok]).toEqual([true, true]);
  });

  it.each(['header', 'body'] as const)(
    'createOAuthFetch resends a form POST after a 307 signed afresh (OAuth parameters in the %s)',
    async (transmission) => {
      wire().misbehave('redirect307');
      const oauthFetch = createOAuthFetch(wireSigner(), { oauth: { transmission } });
      const { result, arrivals } = await arrivalsDuring(() =>
        oauthFetch(`${wire().origin}/old`, { method: 'POST', body: new URLSearchParams({ status: 'a b+c' }) }),
      );
      expect(result.status).toBe(200);
      expect(arrivals.map((arrival) => [new URL(arrival.url).pathname, arrival.ours.ok])).toEqual([
        ['/old', true],
        ['/moved', true],
      ]);
      const nonces = arrivals.map((arrival) => arrival.nonce ?? new URLSearchParams(arrival.body).get('oauth_nonce'));
      expect(nonces[0]).toMatch(/^\w{20,}$/);
      expect(nonces[1]).not.toBe(nonces[0]);
      // The second hop carries the caller's form once, and one set of OAuth parameters.
      for (const arrival of arrivals) {
        expect(arrival.body.match(/status=/g)).toHaveLength(1);
        expect(arrival.body.match(/oauth_signature=/g) ?? []).toHaveLength(transmission === 'body' ? 1 : 0);
      }
    },
  );

  it('ky (through the same fetch) does too', async () => {
    wire().misbehave('redirect');
    const api = ky.create({ ...kyOAuth(wireSigner()), retry: 0 });
    const { result, arrivals } = await arrivalsDuring(() => api.get(`${wire().origin}/old`));
    expect(result.status).toBe(200);
    expect(arrivals).toHaveLength(2);
    for (const arrival of arrivals) expect(arrival.ours.ok).toBe(true);
  });

  for (const adapter of ['http', 'fetch'] as const) {
    it(`axios (${adapter} adapter) returns the 302 instead of resending the signature elsewhere`, async () => {
      wire().misbehave('redirect');
      const instance = axios.create({ adapter, validateStatus: () => true });
      installOAuth(instance, wireSigner());
      const { result, arrivals } = await arrivalsDuring(() => instance.get(`${wire().origin}/old`));
      expect(result.status).toBe(302);
      expect(arrivals).toHaveLength(1);
    });
  }
});

describe('createOAuthFetch reads headers in every HeadersInit form, as fetch would', () => {
  const form = 'status=a%20b&tag=x%2By';
  const forms: Array<[string, HeadersInit]> = [
    ['a plain object with a mixed-case name', { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Trace': '1' }],
    ['an array of pairs', [['CONTENT-TYPE', 'application/x-www-form-urlencoded; charset=utf-8']]],
    ['a Headers object', new Headers({ 'content-type': 'Application/X-WWW-Form-Urlencoded' })],
  ];
  it.each(forms)('%s: the form body is signed and verifies', async (_, headers) => {
    const oauthFetch = createOAuthFetch(wireSigner());
    const { result, arrivals } = await arrivalsDuring(() =>
      oauthFetch(`${wire().origin}/form`, { method: 'POST', body: form, headers }),
    );
    expect(result.status).toBe(200);
    expect(arrivals).toHaveLength(1);
    expect([arrivals[0]?.ours.ok, arrivals[0]?.oauthlib.ok]).toEqual([true, true]);
    expect(arrivals[0]?.contentType?.toLowerCase()).toMatch(/^application\/x-www-form-urlencoded/);
  });

  it('a form body sent as text/plain is not signed as parameters, so the server refuses nothing it was not given', async () => {
    const oauthFetch = createOAuthFetch(wireSigner());
    const { arrivals } = await arrivalsDuring(() =>
      oauthFetch(`${wire().origin}/text`, { method: 'POST', body: form }),
    );
    expect(arrivals[0]?.contentType).toBe('text/plain;charset=UTF-8');
    expect([arrivals[0]?.ours.ok, arrivals[0]?.oauthlib.ok]).toEqual([true, true]);
  });

  it.each([{ AUTHORIZATION: 'Basic eDp5' }, [['Authorization', 'Bearer t']]] as HeadersInit[])(
    'a caller Authorization header in any case is refused before anything is sent (%j)',
    async (headers) => {
      const oauthFetch = createOAuthFetch(wireSigner());
      const { result, arrivals } = await arrivalsDuring(() =>
        oauthFetch(`${wire().origin}/x`, { headers }).then(
          () => undefined,
          (error: unknown) => error,
        ),
      );
      expect(isCountersignError(result) && result.code).toBe('invalid_option');
      expect(arrivals).toHaveLength(0);
    },
  );

  it('transmission "body" sends one Content-Type, whatever case the caller wrote it in', async () => {
    const sent: Array<[string, string]> = [];
    const oauthFetch = createOAuthFetch(wireSigner(), {
      oauth: { transmission: 'body' },
      fetch: (url, init) => {
        sent.push(...new Headers(init?.headers));
        return fetch(url, init);
      },
    });
    const headers = { 'Content-TYPE': 'application/x-www-form-urlencoded' };
    const { result, arrivals } = await arrivalsDuring(() =>
      oauthFetch(`${wire().origin}/body`, { method: 'POST', body: form, headers }),
    );
    expect(result.status).toBe(200);
    // The oauthlib judge reads OAuth parameters from the header only; ours reads the body.
    expect(arrivals[0]?.ours.ok).toBe(true);
    expect(arrivals[0]?.body.match(/oauth_signature=/g)).toHaveLength(1);
    expect(sent.filter(([name]) => name === 'content-type')).toEqual([
      ['content-type', 'application/x-www-form-urlencoded'],
    ]);
  });

  it("options only the fetch implementation knows (undici's dispatcher) reach it, and `oauth` does not", async () => {
    const dispatcher = { marker: 'dispatcher' };
    const seen: Array<Record<string, unknown>> = [];
    const oauthFetch = createOAuthFetch(wireSigner(), {
      fetch: (url, init) => {
        seen.push({ ...init });
        const { dispatcher: _dispatcher, ...rest } = init as RequestInit & { dispatcher?: unknown };
        return fetch(url, rest);
      },
    });
    const extra = { dispatcher, oauth: { oauthParams: { x_auth_mode: 'reverse_auth' } } } as RequestInit;
    const stream = () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(form));
          controller.close();
        },
      });
    const { arrivals } = await arrivalsDuring(async () => {
      await oauthFetch(`${wire().origin}/init`, extra);
      await oauthFetch(new Request(`${wire().origin}/request`), extra);
      await oauthFetch(`${wire().origin}/stream`, {
        ...extra,
        method: 'POST',
        body: stream(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        duplex: 'half',
      } as RequestInit);
    });
    expect(seen.map((init) => [init.dispatcher, 'oauth' in init])).toEqual([
      [dispatcher, false],
      [dispatcher, false],
      [dispatcher, false],
    ]);
    expect(arrivals.map((arrival) => [arrival.body, arrival.ours.ok, arrival.oauthlib.ok])).toEqual([
      ['', true, true],
      ['', true, true],
      [form, true, true],
    ]);
    for (const arrival of arrivals) expect(arrival.authorization).toContain('x_auth_mode="reverse_auth"');
  });

  it('a header value fetch would refuse is refused as fetch refuses it', async () => {
    const oauthFetch = createOAuthFetch(wireSigner());
    await expect(oauthFetch(`${wire().origin}/x`, { headers: { 'X-Bad': 'a\nb' } })).rejects.toThrow(TypeError);
    await expect(oauthFetch(`${wire().origin}/x`, { headers: [['only-a-name']] as never })).rejects.toThrow(TypeError);
  });
});

describe('axios configuration', () => {
  it('config.auth, which would replace the OAuth header with Basic, is refused before sending', async () => {
    const instance = axios.create();
    installOAuth(instance, wireSigner());
    const { result, arrivals } = await arrivalsDuring(() =>
      instance
        .get(`${wire().origin}/r`, { auth: { username: 'u', password: 'hunter2' } })
        .catch((error: unknown) => error),
    );
    expect(isCountersignError(result)).toBe(true);
    expect(result).toMatchObject({ code: 'invalid_option', message: expect.stringMatching(/config\.auth/) });
    expect(String((result as Error).message)).not.toContain('hunter2');
    expect(arrivals).toHaveLength(0);
  });

  it('user info in the URL is refused before sending', async () => {
    const instance = axios.create();
    installOAuth(instance, wireSigner());
    const url = wire().origin.replace('http://', 'http://u:p@');
    const result = await instance.get(`${url}/r`).catch((error: unknown) => error);
    expect(result).toMatchObject({ code: 'invalid_url' });
  });

  it('per-request oauth config: extra header params, query and body transmission, opting out', async () => {
    const instance = axios.create({ validateStatus: () => true });
    installOAuth(instance, wireSigner());
    const reverse = await arrivalsDuring(() =>
      instance.post(`${wire().origin}/oauth/request_token`, new URLSearchParams({ x_auth_mode: 'reverse_auth' }), {
        oauth: { oauthParams: { x_auth_mode: 'reverse_auth' } },
      }),
    );
    expect(reverse.arrivals[0]?.authorization).toContain('x_auth_mode="reverse_auth"');
    expect(reverse.arrivals[0]?.body).toBe('x_auth_mode=reverse_auth');
    expect(reverse.arrivals[0]?.ours.ok).toBe(true);

    const query = await arrivalsDuring(() =>
      instance.get(`${wire().origin}/q`, { params: { a: 'b c' }, oauth: { transmission: 'query' } }),
    );
    expect(query.arrivals[0]?.url).toMatch(/\?a=b(\+|%20)c&oauth_consumer_key=/);
    expect(query.arrivals[0]?.authorization).toBeUndefined();
    expect(query.arrivals[0]?.ours.ok).toBe(true);

    const body = await arrivalsDuring(() =>
      instance.post(`${wire().origin}/b`, 'status=hi', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        oauth: { transmission: 'body' },
      }),
    );
    expect(body.arrivals[0]?.body).toMatch(/^status=hi&oauth_consumer_key=/);
    expect(body.arrivals[0]?.ours.ok).toBe(true);

    const unsigned = await arrivalsDuring(() => instance.get(`${wire().origin}/public`, { oauth: false }));
    expect(unsigned.arrivals[0]?.authorization).toBeUndefined();
  });

  it('other interceptors, registered before or after, cannot make the signature stale', async () => {
    const instance = axios.create({ validateStatus: () => true });
    instance.interceptors.request.use((config) => ({
      ...config,
      params: { ...config.params, late: 'added after signing would have been' },
    }));
    installOAuth(instance, wireSigner());
    instance.interceptors.request.use((config) => {
      config.params = { ...config.params, early: 'x y' };
      return config;
    });
    const { arrivals } = await arrivalsDuring(() => instance.get(`${wire().origin}/r`, { params: { own: '1' } }));
    expect(arrivals[0]?.url).toContain('late=');
    expect(arrivals[0]?.url).toContain('early=');
    expect([arrivals[0]?.ours.ok, arrivals[0]?.oauthlib.ok]).toEqual([true, true]);
  });

  it('the function installOAuth returns removes the signing', async () => {
    const instance = axios.create({ validateStatus: () => true });
    const eject = installOAuth(instance, wireSigner());
    eject();
    const { arrivals } = await arrivalsDuring(() => instance.get(`${wire().origin}/r`));
    expect(arrivals[0]?.authorization).toBeUndefined();
  });
});
