import { createOAuthFetch } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import ky from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireSigner } from './credentials.ts';
import { type NoChunkedArrival, startNoChunkedServer } from './no-chunked-server.ts';

// A JSON POST must reach a server that does not read chunked bodies (Python's http.server)
// whole, with a Content-Length, as it does without the wrapper.
let server: Awaited<ReturnType<typeof startNoChunkedServer>>;
beforeAll(async () => {
  server = await startNoChunkedServer();
});
afterAll(() => server.close());

const JSON_BODY = { text: 'hello', n: 1 };

describe('bodies keep their framing through the wrapper', () => {
  it('plain ky, for reference: a Content-Length and the whole body', async () => {
    const arrival = await ky.post(`${server.url}/plain`, { json: JSON_BODY }).json<NoChunkedArrival>();
    expect(arrival).toMatchObject({ transferEncoding: null, body: JSON.stringify(JSON_BODY) });
  });

  it('ky 1 with kyOAuth: the same', async () => {
    const arrival = await ky
      .post(`${server.url}/signed`, { json: JSON_BODY, ...kyOAuth(wireSigner()) })
      .json<NoChunkedArrival>();
    expect(arrival).toEqual({
      contentLength: String(JSON.stringify(JSON_BODY).length),
      transferEncoding: null,
      body: JSON.stringify(JSON_BODY),
    });
  });

  it('the fetch wrapper given a Request: the same', async () => {
    const request = new Request(`${server.url}/signed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(JSON_BODY),
    });
    const arrival = (await (await createOAuthFetch(wireSigner())(request)).json()) as NoChunkedArrival;
    expect(arrival).toEqual({
      contentLength: String(JSON.stringify(JSON_BODY).length),
      transferEncoding: null,
      body: JSON.stringify(JSON_BODY),
    });
  });
});
