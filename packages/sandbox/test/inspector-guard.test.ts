import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCountersignError } from '@countersign/core';
import { createMemoryNonceStore, oauthMiddleware } from '@countersign/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.ts';
import { get, poke } from './inspector-http.ts';

// Who may read the inspector: pages on the sandbox's own loopback origin, nobody else.
let sandbox: Sandbox;
let port = '';

beforeAll(async () => {
  sandbox = await startSandbox({ cors: true, inspector: { hosts: ['sandbox.test', 'proxy.test:8443'] } });
  port = new URL(sandbox.url).port;
  await poke(sandbox.url, '/recorded/before');
});
afterAll(() => sandbox.close());

const PATHS = ['', 'requests', 'events', 'inspector.js'];

describe('the inspector answers loopback pages only', () => {
  it('under 127.0.0.1, localhost and [::1] with the sandbox port it answers the page, the list and the stream', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      for (const path of PATHS) {
        expect((await get(`${sandbox.inspectorUrl}${path}`, { host })).status, `${host} /${path}`).toBe(200);
      }
    }
    const list = await get(`${sandbox.inspectorUrl}requests`);
    expect(list.body).toContain('/recorded/before');
  });

  it('DNS rebinding: a Host of another name (evil.example resolving to 127.0.0.1) is refused, and told nothing', async () => {
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1:${Number(port) + 1}`,
      `localhost.evil.example:${port}`,
    ]) {
      for (const path of PATHS) {
        const answer = await get(`${sandbox.inspectorUrl}${path}`, { host });
        expect(answer.status, `${host} /${path}`).toBe(403);
        expect(answer.body).not.toContain('/recorded/before');
        expect(answer.body).toContain('inspector: { hosts: [that name] }');
      }
    }
  });

  it('a name given in hosts is answered, with the sandbox port or the one given', async () => {
    expect((await get(`${sandbox.inspectorUrl}requests`, { host: `sandbox.test:${port}` })).status).toBe(200);
    expect((await get(`${sandbox.inspectorUrl}requests`, { host: 'proxy.test:8443' })).status).toBe(200);
    expect((await get(`${sandbox.inspectorUrl}requests`, { host: `proxy.test:${port}` })).status).toBe(403);
  });

  it('a page on another origin (another name, another loopback port, an opaque origin) is refused', async () => {
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${Number(port) + 1}`,
      'null',
      `https://127.0.0.1:${port}`,
    ]) {
      for (const path of PATHS) {
        expect((await get(`${sandbox.inspectorUrl}${path}`, { origin })).status, `${origin} /${path}`).toBe(403);
      }
    }
    expect(
      (await get(`${sandbox.inspectorUrl}events`, { origin: `http://localhost:${port}`, host: `localhost:${port}` }))
        .status,
    ).toBe(200);
  });

  it('data is refused to a browser that says the request comes from another site; the page itself may be linked to', async () => {
    for (const site of ['cross-site', 'same-site']) {
      expect((await get(`${sandbox.inspectorUrl}requests`, { 'sec-fetch-site': site })).status).toBe(403);
      expect((await get(`${sandbox.inspectorUrl}events`, { 'sec-fetch-site': site })).status).toBe(403);
    }
    expect((await get(`${sandbox.inspectorUrl}requests`, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect(
      (await get(sandbox.inspectorUrl ?? '', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' })).status,
    ).toBe(200);
  });

  it('with cors: true the sandbox answers other origins, the inspector still does not', async () => {
    const api = await fetch(`${sandbox.url}/any`, { headers: { origin: 'http://app.example' } });
    expect(api.headers.get('access-control-allow-origin')).toBe('http://app.example');
    const page = await get(`${sandbox.inspectorUrl}requests`);
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await get(`${sandbox.inspectorUrl}requests`, { origin: 'http://app.example' }, 'OPTIONS');
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('every answer is uncached, unframed, unsniffed, and the page runs only its own script', async () => {
    const page = await get(sandbox.inspectorUrl ?? '');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect((await get(`${sandbox.url}/_countersign`)).status).toBe(308);
    expect((await get(`${sandbox.inspectorUrl}requests`, {}, 'POST')).status).toBe(405);
    const head = await get(`${sandbox.inspectorUrl}events`, {}, 'HEAD');
    expect([head.status, head.headers['content-type'], head.body]).toEqual([
      200,
      'text/event-stream; charset=utf-8',
      '',
    ]);
    expect((await get(`${sandbox.inspectorUrl}nothing-here`)).status).toBe(404);
  });

  it('its own requests are not recorded', async () => {
    const list = JSON.parse((await get(`${sandbox.inspectorUrl}requests`)).body) as Array<{ url: string }>;
    expect(list.some((entry) => entry.url.includes('/_countersign'))).toBe(false);
  });
});

describe('where the inspector is not', () => {
  it('inspector: false turns it off: the path is an ordinary resource, refused unsigned', async () => {
    const quiet = await startSandbox({ inspector: false });
    try {
      expect(quiet.inspectorUrl).toBeUndefined();
      const answer = await get(`${quiet.url}/_countersign/requests`);
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('oauth_problem=parameter_absent');
    } finally {
      await quiet.close();
    }
  });

  it('@countersign/server never serves it: its middleware treats the path as any other', async () => {
    const verify = oauthMiddleware({ lookupConsumer: () => undefined, nonceStore: createMemoryNonceStore() });
    const server = createServer((request, response) => {
      verify(request as never, response as never, () => response.writeHead(200).end('application'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/_countersign/`);
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('oauth_problem=parameter_absent');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('bad inspector options are a typed error at start-up', async () => {
    for (const inspector of [
      { maxRequests: 0 },
      { maxRequests: 1.5 },
      { maxViewers: 0 },
      { hosts: ['evil.example/x'] },
      { hosts: 'x' },
      'on',
    ]) {
      const error = await startSandbox({ inspector: inspector as never }).then(
        (started) => started.close().then(() => undefined),
        (thrown: unknown) => thrown,
      );
      expect(isCountersignError(error) && error.code === 'invalid_option', JSON.stringify(inspector)).toBe(true);
    }
  });
});
