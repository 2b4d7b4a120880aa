/**
 * Nothing Countersign starts goes on after the caller has its answer or gave up: no
 * listener left on the caller's AbortSignal, no refused answer left streaming on its
 * connection while the retry runs.
 */
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createOAuthFetch, createSigner, sendWithRetries } from '../src/index.ts';

const API = 'https://api.example.com/1/resource';
const signer = () => createSigner({ consumerKey: 'ck', consumerSecret: 'cs', clock: () => 1_700_000_000_000 });

/** A response as fetch gives it, with the URL that answered. */
function from(response: Response): Response {
  Object.defineProperty(response, 'url', { value: API });
  return response;
}

/** A refusal whose body begins with `problem` and never ends, and whether it was cancelled. */
function endlessRefusal(problem: string) {
  const seen = { cancelled: false };
  const filler = new TextEncoder().encode('x'.repeat(16 * 1024));
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(first ? new TextEncoder().encode(`${problem}&`) : filler);
      first = false;
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { response: from(new Response(body, { status: 401 })), seen };
}

describe('sendWithRetries', () => {
  it("leaves no listener on the caller's signal after waiting between attempts", async () => {
    // A long-lived signal (a shutdown signal, a per-job controller) passed to every call
    // gathered one listener per backoff, and Node warned of a leak after eleven.
    const controller = new AbortController();
    for (let call = 0; call < 3; call++) {
      let attempts = 0;
      const response = await sendWithRetries(
        signer(),
        async () => (attempts++ === 0 ? new Response('busy', { status: 503 }) : new Response('ok')),
        { signal: controller.signal, minTimeout: 1 },
      );
      expect(response.status).toBe(200);
    }
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
  });

  it.each([
    ['nonce_used', 'oauth_problem=nonce_used'],
    ['timestamp_refused', 'oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000500-1700000700'],
  ])('cancels the body of a %s refusal it retries, instead of leaving it streaming', async (_, problem) => {
    const refused = endlessRefusal(problem);
    let attempts = 0;
    const response = await sendWithRetries(signer(), async () =>
      attempts++ === 0 ? refused.response : from(new Response('ok')),
    );
    expect(response.status).toBe(200);
    expect(attempts).toBe(2);
    // The source is cancelled once both branches of the clone that was read are.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(refused.seen.cancelled).toBe(true);
  });
});

describe('a caller that gives up', () => {
  it('stops sendWithRetries reading a refusal that arrives a byte at a time', async () => {
    // The attempt does not pass the signal on (sendWithRetries cannot require it): the
    // refusal's prefix was read to 64 KB at a byte per 10 ms, eleven minutes after the abort.
    const seen = { cancelled: false };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const trickle = new ReadableStream<Uint8Array>({
      pull: (controller) =>
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            controller.enqueue(new TextEncoder().encode('x'));
            resolve();
          }, 10);
        }),
      cancel() {
        clearTimeout(timer);
        seen.cancelled = true;
      },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('gave up')), 50);
    const outcome = await sendWithRetries(signer(), async () => from(new Response(trickle, { status: 401 })), {
      signal: controller.signal,
    }).catch((error: Error) => error);
    expect((outcome as Error).message).toBe('gave up');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen.cancelled).toBe(true);
  }, 3_000);
});

describe('a response the caller keeps', () => {
  it('does not keep the upload it answered alive (only a form body is kept, for explain())', async () => {
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const oauthFetch = createOAuthFetch(signer(), { fetch: async () => new Response('ok') });
    let upload: WeakRef<ArrayBuffer> | undefined;
    const send = async () => {
      const body = new Uint8Array(8 * 1024 * 1024);
      upload = new WeakRef(body.buffer);
      return oauthFetch(API, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
    };
    const response = await send();
    for (let round = 0; round < 3 && upload?.deref() !== undefined; round++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      gc();
    }
    expect(upload?.deref() === undefined).toBe(true);
    expect(await response.text()).toBe('ok');
  });
});
