import { describe, expect, it } from 'vitest';
import { createSigner, delay, explain, inertText, isCountersignError, sendWithRetries } from '../src/index.ts';

const signer = () => createSigner({ consumerKey: 'ck', consumerSecret: 'cs', clock: () => 1_700_000_000_000 });

/** Answers 429 with the given Retry-After (each value a header line of its own), then 200; counts attempts. */
function storm(...retryAfter: string[]) {
  let calls = 0;
  return {
    attempt: async () => {
      calls++;
      if (calls > 1) return new Response('ok');
      const headers = new Headers();
      for (const value of retryAfter) headers.append('retry-after', value);
      return new Response('slow down', { status: 429, headers });
    },
    calls: () => calls,
  };
}

/** Whether a retry was sent within `ms`: the backoff (a minute here) must still be running. */
async function retriedWithin(retryAfter: string[], ms: number): Promise<number> {
  const s = storm(...retryAfter);
  const controller = new AbortController();
  const sending = sendWithRetries(signer(), s.attempt, { minTimeout: 60_000, signal: controller.signal }).catch(
    () => undefined,
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  controller.abort(new Error('test over'));
  await sending;
  return s.calls();
}

describe('waits a hostile server asks for', () => {
  it('a Retry-After that is neither seconds nor an HTTP-date is no advice: the backoff applies, not an instant retry', async () => {
    // Date.parse reads '-1', '3.5' and the '5, 5' of a header sent twice as dates in 2001,
    // so each 429 was retried at once, skipping the server's wait and our own backoff.
    for (const value of [['-1'], ['3.5'], ['5', '5'], ['soon']]) {
      expect({ value, calls: await retriedWithin(value, 15) }).toEqual({ value, calls: 1 });
    }
  });

  it('a well-formed Retry-After is still honoured: seconds, and an HTTP-date in each of its three forms', async () => {
    for (const value of [
      '0',
      'Sun, 06 Nov 1994 08:49:37 GMT',
      'Sunday, 06-Nov-94 08:49:37 GMT',
      'Sun Nov  6 08:49:37 1994',
    ]) {
      // A date in the past means now: retried at once.
      expect({ value, calls: await retriedWithin([value], 15) }).toEqual({ value, calls: 2 });
    }
  });

  it('a wait longer than a timer can hold is waited, not fired after a millisecond', async () => {
    // setTimeout fires at once (1 ms) for anything over 2^31 - 1 ms (24.8 days).
    const controller = new AbortController();
    let resolved = false;
    const waiting = delay(2 ** 31 + 1000, controller.signal).then(
      () => {
        resolved = true;
      },
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(resolved).toBe(false);
    controller.abort(new Error('test over'));
    await waiting;
  });

  it('a Retry-After of weeks, with maxRetryAfterSeconds set as high, does not become an instant retry', async () => {
    const s = storm(String(30 * 86_400));
    const controller = new AbortController();
    const sending = sendWithRetries(signer(), s.attempt, {
      maxRetryAfterSeconds: 60 * 86_400,
      signal: controller.signal,
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort(new Error('test over'));
    await sending;
    expect(s.calls()).toBe(1);
  });

  it('delay and the retry options refuse what is not a number of milliseconds or retries, with a typed error', async () => {
    for (const ms of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      const error = await delay(ms).catch((e: Error) => e);
      expect(isCountersignError(error) && error.code).toBe('invalid_option');
    }
    const ok = async () => new Response('ok');
    for (const options of [
      { retries: -1 },
      { retries: 1.5 },
      { retries: Number.NaN },
      { minTimeout: Number.NaN },
      { minTimeout: -5 },
      { maxRetryAfterSeconds: Number.POSITIVE_INFINITY },
      { maxRetryAfterSeconds: -1 },
    ]) {
      const error = await sendWithRetries(signer(), ok, options).catch((e: Error) => e);
      expect({ options, code: isCountersignError(error) && error.code }).toEqual({ options, code: 'invalid_option' });
    }
  });
});

describe('text a server controls', () => {
  it('inertText neutralises every bidirectional control, U+061C (Arabic letter mark) included', () => {
    // Unicode's Bidi_Control property: U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069.
    for (const control of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069']) {
      expect(inertText(`a${control}b`, 80)).toBe(`a\\u${control.charCodeAt(0).toString(16).padStart(4, '0')}b`);
    }
  });

  it('inertText turns the Unicode line and paragraph separators into spaces, like a line feed', () => {
    // U+2028/U+2029 end a line in JSON viewers, editors and some log tools: a forged line.
    expect(inertText('oauth_problem=x\u2028[INFO] all good\u2029', 80)).toBe('oauth_problem=x [INFO] all good ');
  });
});

describe('a Date header explain() is given', () => {
  const now = Math.floor(Date.now() / 1000);
  const input = (date: string) => ({
    request: {
      method: 'GET',
      url: 'https://api.example.com/r',
      authorization: `OAuth oauth_consumer_key="ck", oauth_nonce="n", oauth_signature="s", oauth_signature_method="HMAC-SHA1", oauth_timestamp="${now}"`,
    },
    response: { status: 401, body: 'oauth_problem=signature_invalid', date },
  });

  it('one that is not an HTTP-date (Date.parse reads "-1" as 2001) suggests no clock skew', () => {
    for (const date of ['-1', '5, 5', 'now']) {
      expect(explain(input(date)).map((cause) => cause.cause)).not.toContain('clock_skew');
    }
  });

  it('a real one an hour off still does', () => {
    const date = new Date((now + 3600) * 1000).toUTCString();
    expect(explain(input(date)).map((cause) => cause.cause)).toContain('clock_skew');
  });
});
