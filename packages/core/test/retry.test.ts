import { describe, expect, it } from 'vitest';
import {
  createOAuthFetch,
  createSigner,
  isCountersignError,
  isOAuthError,
  sendWithRetries,
  throwIfRefused,
} from '../src/index.ts';

const signer = () => createSigner({ consumerKey: 'ck', consumerSecret: 'cs', clock: () => 1_700_000_000_000 });

/** A response as fetch gives it, with the URL that answered (a correction belongs to its origin). */
function from(url: string, response: Response): Response {
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
const API = 'https://api.example.com/1/resource';

/** Answers with the given responses in turn and counts the attempts. */
function script(...responses: Array<() => Response>) {
  let calls = 0;
  return {
    attempt: async () => (responses[Math.min(calls++, responses.length - 1)] as () => Response)(),
    calls: () => calls,
  };
}

describe('sendWithRetries', () => {
  it('honours Retry-After on a 429, and gives back a wait longer than it allows', async () => {
    const short = script(
      () => new Response('slow down', { status: 429, headers: { 'retry-after': '0' } }),
      () => new Response('ok'),
    );
    expect((await sendWithRetries(signer(), short.attempt)).status).toBe(200);
    expect(short.calls()).toBe(2);
    const long = script(
      () => new Response('come back later', { status: 429, headers: { 'retry-after': '120' } }),
      () => new Response('ok'),
    );
    expect((await sendWithRetries(signer(), long.attempt)).status).toBe(429);
    expect(long.calls()).toBe(1);
  });

  it('takes the server clock from the Date header when no acceptable range is given', async () => {
    const s = signer();
    const serverDate = new Date(1_700_000_000_000 + 7200_000).toUTCString();
    const skewed = script(
      () => from(API, new Response('oauth_problem=timestamp_refused', { status: 401, headers: { date: serverDate } })),
      () => new Response('ok'),
    );
    expect((await sendWithRetries(s, skewed.attempt)).status).toBe(200);
    expect(s.clockOffsetFor(API)).toBe(7200);
  });

  it("Twitter's error 135 is a refused timestamp too, and is corrected once only", async () => {
    const s = signer();
    const twitter135 = () =>
      from(
        API,
        new Response(JSON.stringify({ errors: [{ code: 135, message: 'Timestamp out of bounds.' }] }), {
          status: 401,
          headers: { date: new Date(1_700_000_000_000 - 600_000).toUTCString() },
        }),
      );
    const always = script(twitter135);
    expect((await sendWithRetries(s, always.attempt)).status).toBe(401);
    expect(always.calls()).toBe(2);
    expect(s.clockOffsetFor(API)).toBe(-600);
  });

  it('network errors are retried, then rethrown when the retries are used up', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new TypeError('fetch failed');
    };
    await expect(sendWithRetries(signer(), failing, { retries: 2, minTimeout: 1 })).rejects.toThrow('fetch failed');
    expect(calls).toBe(3);
  });

  it('a refusal thrown by the attempt (onRefusal: throwIfRefused) is not retried as if the network failed', async () => {
    // The wrapper's onRefusal turns a 401 into a thrown OAuthError: it was retried like a
    // network error, sending a request refused for its signature three times.
    let calls = 0;
    const oauthFetch = createOAuthFetch(signer(), {
      fetch: async () => {
        calls++;
        return new Response('oauth_problem=signature_invalid', { status: 401 });
      },
      onRefusal: throwIfRefused,
    });
    const error = await sendWithRetries(signer(), () => oauthFetch(API), { minTimeout: 1 }).catch((e: Error) => e);
    expect(isOAuthError(error) && error.problem).toBe('signature_invalid');
    expect(calls).toBe(1);
  });

  it('a mistake the signer reports (a typed error) fails at once, not after the backoff', async () => {
    let calls = 0;
    const attempt = async () => {
      calls++;
      await signer().sign({ method: 'GET', url: 'not a url' });
      return new Response('ok');
    };
    const error = await sendWithRetries(signer(), attempt, { minTimeout: 1 }).catch((e: Error) => e);
    expect(isCountersignError(error) && error.code).toBe('invalid_url');
    expect(calls).toBe(1);
  });

  it('a thrown refusal that is transient (503) is still retried', async () => {
    let calls = 0;
    const oauthFetch = createOAuthFetch(signer(), {
      fetch: async () => (calls++ === 0 ? new Response('busy', { status: 503 }) : new Response('ok')),
      onRefusal: throwIfRefused,
    });
    const response = await sendWithRetries(signer(), () => oauthFetch(API), { minTimeout: 1 });
    expect(response.status).toBe(200);
    expect(calls).toBe(2);
  });
});
