import {
  createNonceGenerator,
  createSigner,
  type FetchLike,
  parseAuthorizationHeader,
  requestToken,
} from '@countersign/core';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CONSUMER = { key: 'retryConsumerKey000000', secret: 'retry secret' };
let sandbox: Sandbox;
let ahead: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER] });
  ahead = await startSandbox({ consumers: [CONSUMER], clockOffsetSeconds: 3600 });
});
afterAll(async () => {
  await sandbox.close();
  await ahead.close();
});

/** A fetch that records the nonce and status of every attempt. */
function recording() {
  const attempts: Array<{ nonce: string | undefined; status: number }> = [];
  const send: FetchLike = async (input, init) => {
    const authorization = new Headers(init?.headers).get('authorization') ?? '';
    const response = await fetch(input, init);
    attempts.push({
      nonce: parseAuthorizationHeader(authorization).params.find(([name]) => name === 'oauth_nonce')?.[1],
      status: response.status,
    });
    return response;
  };
  return { attempts, send };
}

const signer = (options = {}) =>
  createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, ...options });

describe('retries and clock skew', () => {
  it('a provider an hour ahead: the first attempt is refused, the signer corrects itself, and the next request succeeds at once', async () => {
    const s = signer();
    const first = recording();
    const tokens = await requestToken(s, ahead.endpoints, { fetch: first.send });
    expect(tokens.token).toMatch(/^\w{24}$/);
    expect(first.attempts.map((a) => a.status)).toEqual([401, 200]);
    expect(Math.abs(s.clockOffsetFor(ahead.url) - 3600)).toBeLessThanOrEqual(2);
    const second = recording();
    await requestToken(s, ahead.endpoints, { fetch: second.send });
    expect(second.attempts.map((a) => a.status)).toEqual([200]);
  });

  it('a 503 is retried with a new nonce, and each attempt verified', async () => {
    const { attempts, send } = recording();
    sandbox.failNext(503);
    await requestToken(signer(), sandbox.endpoints, { fetch: send, retry: { minTimeout: 1 } });
    expect(attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(attempts[0]?.nonce).not.toBe(attempts[1]?.nonce);
  });

  it('retries are bounded: three 503s with retries: 2 end in the third 503', async () => {
    const { attempts, send } = recording();
    sandbox.failNext(503, 503, 503);
    const error = await requestToken(signer(), sandbox.endpoints, {
      fetch: send,
      retry: { retries: 2, minTimeout: 1 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(attempts).toHaveLength(3);
  });

  it('nonce_used gets one retry with a new nonce', async () => {
    let calls = 0;
    const fresh = createNonceGenerator();
    const s = signer({ nonce: () => (calls++ < 2 ? 'reusedNonce0000000000000' : fresh()) });
    await requestToken(s, sandbox.endpoints);
    const { attempts, send } = recording();
    await requestToken(s, sandbox.endpoints, { fetch: send });
    expect(attempts.map((a) => a.status)).toEqual([401, 200]);
  });

  it('a bad signature is never retried', async () => {
    const { attempts, send } = recording();
    const wrong = createSigner({ consumerKey: CONSUMER.key, consumerSecret: 'not the secret' });
    await expect(requestToken(wrong, sandbox.endpoints, { fetch: send })).rejects.toMatchObject({
      problem: 'signature_invalid',
    });
    expect(attempts).toHaveLength(1);
  });

  it('an aborted signal stops the retries', async () => {
    const controller = new AbortController();
    sandbox.failNext(503, 503, 503);
    const pending = requestToken(signer(), sandbox.endpoints, {
      retry: { minTimeout: 5_000, signal: controller.signal },
    });
    setTimeout(() => controller.abort(new Error('stopped by the caller')), 50);
    await expect(pending).rejects.toThrow('stopped by the caller');
    sandbox.failNext();
  });
});
