import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.ts';
import { MAX_ENTRY_LENGTH } from '../src/inspector/entry.ts';
import { get, poke } from './inspector-http.ts';

// However many and however large the requests, the inspector keeps a bounded amount, and
// one client cannot flood a page or make the sandbox buffer for a page that stopped reading.
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ inspector: { maxRequests: 3, maxViewers: 1 } });
});
afterAll(() => sandbox.close());

interface Listed {
  id: number;
  url: string;
  status: number;
  parameters: unknown[];
}

async function listed(): Promise<Listed[]> {
  return JSON.parse((await get(`${sandbox.inspectorUrl}requests`)).body) as Listed[];
}

/** Reads a stream until `events` entries arrived. */
function entries(headers: Record<string, string>, events: number): Promise<string> {
  const url = new URL(`${sandbox.inspectorUrl}events`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), '127.0.0.1', () =>
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n${Object.entries(headers)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('')}\r\n`,
      ),
    );
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if ((text.match(/^event: entry$/gm) ?? []).length >= events) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

describe('the inspector is bounded', () => {
  it('keeps the last maxRequests requests, newest first, in the list and in the stream', async () => {
    for (const n of [1, 2, 3, 4, 5]) await poke(sandbox.url, `/bounded/${n}`);
    const list = await listed();
    expect(list.map((entry) => new URL(entry.url).pathname)).toEqual(['/bounded/5', '/bounded/4', '/bounded/3']);
    const stream = await entries({}, 3);
    const instance = /data: \{"maxRequests":3,"instance":"([0-9a-f]{8})"\}/.exec(stream)?.[1];
    expect(instance).toBeDefined();
    expect([...stream.matchAll(/"url":"http:\/\/127\.0\.0\.1:\d+(\/bounded\/\d)"/g)].map((match) => match[1])).toEqual([
      '/bounded/3',
      '/bounded/4',
      '/bounded/5',
    ]);
    // A page that reconnects says what it saw last and gets only what came after.
    const last = list[1]?.id as number;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const resumed = await entries({ 'last-event-id': `${instance}.${last}` }, 1);
    expect(resumed).toContain('/bounded/5');
    expect(resumed).not.toContain('/bounded/4');
    // An id from another sandbox (one restarted on the same port) gets everything kept.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const elsewhere = await entries({ 'last-event-id': `00000000.${last}` }, 3);
    expect(elsewhere).toContain('/bounded/3');
  });

  it('keeps 300 by default, and tells the page so', async () => {
    const defaults = await startSandbox();
    try {
      const hello = await get(`${defaults.inspectorUrl}events`);
      expect(hello.body).toMatch(/^event: hello\ndata: \{"maxRequests":300,/);
    } finally {
      await defaults.close();
    }
  });

  it('an entry stays under 64 KB however large and hostile the request', async () => {
    // Each character costs the most it can once inert and serialized: a control character,
    // a quote, a backslash, a character outside ASCII.
    const hostile = '\u0001"\\é'.repeat(4000);
    const form = new URLSearchParams();
    for (let n = 0; n < 5; n++) form.append(`${hostile.slice(0, 200)}${n}`, hostile);
    const body = form.toString();
    // Past the 64 KB up to which parameters are listed, and a body preview of the worst characters.
    expect(body.length).toBeGreaterThan(200_000);
    // Node refuses a request line and headers over 16 KB: the URL stays under that.
    await fetch(`${sandbox.url}/large/body?${new URLSearchParams({ q: hostile.slice(0, 1000) })}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `OAuth oauth_consumer_key="${'k'.repeat(7000)}", oauth_signature_method="PLAINTEXT"`,
      },
      body,
    });
    // Within the 64 KB the parameters are listed, each cut: the list stays short too.
    const small = new URLSearchParams();
    for (let n = 0; n < 500; n++) small.append(`p${n}`, hostile.slice(0, 12));
    await fetch(`${sandbox.url}/large/many`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'OAuth oauth_consumer_key="k", oauth_signature_method="HMAC-SHA1"',
      },
      body: small.toString(),
    });
    const raw = (await get(`${sandbox.inspectorUrl}requests`)).body;
    const list = JSON.parse(raw) as Listed[];
    const [many, large] = list;
    for (const entry of [many, large]) expect(JSON.stringify(entry).length).toBeLessThanOrEqual(MAX_ENTRY_LENGTH);
    expect(large?.url).toContain('/large/body');
    // Read, not refused for its size: its body is shown (cut) like any form's.
    expect(large?.status).toBe(400);
    expect(JSON.stringify(large)).toContain('"body":"%01%22%5C%C3%A9');
    expect(many?.parameters.length).toBe(40);
    expect(JSON.stringify(many)).toContain('more parameters are not listed');
    // Control characters arrive inert: written out, never raw.
    const texts: string[] = [];
    JSON.parse(raw, (_key, value: unknown) => {
      if (typeof value === 'string') texts.push(value);
      return value;
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them.
    expect(texts.filter((text) => /[\u0000-\u001f\u007f-\u009f]/.test(text))).toEqual([]);
    expect(texts.some((text) => text.includes('\\u0001'))).toBe(true);
  });

  it('a page that stops reading is dropped before the sandbox holds a megabyte for it; its place frees up', async () => {
    const url = new URL(`${sandbox.inspectorUrl}events`);
    const stalled = connect(Number(url.port), '127.0.0.1');
    stalled.on('error', () => {});
    await new Promise<void>((resolve) => stalled.once('connect', resolve));
    stalled.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    stalled.pause();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // maxViewers is 1: the stalled page holds the only place.
    expect((await get(`${sandbox.inspectorUrl}events`)).status).toBe(503);
    // Large entries (a rebuilt base string and 40 parameters of quotes, each escaped in JSON):
    // the socket's buffers fill, then the sandbox's own, until it drops the page.
    const form = new URLSearchParams();
    for (let n = 0; n < 50; n++) form.append(`${'"'.repeat(70)}${n}`, '"'.repeat(300));
    let sent = 0;
    let place = 503;
    while (place === 503 && sent < 600) {
      for (let n = 0; n < 20; n++, sent++) {
        await fetch(`${sandbox.url}/flood`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: 'OAuth oauth_consumer_key="k", oauth_signature_method="HMAC-SHA1"',
          },
          body: form.toString(),
        }).then((answer) => answer.arrayBuffer());
      }
      place = (await get(`${sandbox.inspectorUrl}events`)).status;
    }
    expect(place).toBe(200);
    stalled.destroy();
  });
});
