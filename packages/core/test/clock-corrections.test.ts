import { describe, expect, it } from 'vitest';
import { createSigner, isCountersignError, sendSigned, sendWithRetries } from '../src/index.ts';

// A server's answer may say what time it is (oauth_acceptable_timestamps, the Date header).
// A hostile or broken one must not move the clock of requests to other hosts, nor by years.
const NOW = 1_700_000_000;
const signer = (options = {}) =>
  createSigner({ consumerKey: 'ck', consumerSecret: 'cs', clock: () => NOW * 1000, ...options });

/** A refusal as host `url` would answer it (fetch sets `url` on every real response). */
function refusal(url: string, body: string, headers: Record<string, string> = {}): Response {
  const response = new Response(body, { status: 401, headers });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

const timestampOf = async (s: ReturnType<typeof signer>, url: string) =>
  Number((await s.sign({ method: 'GET', url })).oauthParams.oauth_timestamp);

const YEAR_3000 = 32_503_680_000;

describe('clock corrections learned from answers', () => {
  it('attack: one refusal from host A with oauth_acceptable_timestamps in the year 3000 does not date host B (nor A) in the year 3000', async () => {
    const s = signer();
    let calls = 0;
    const response = await sendWithRetries(s, async () => {
      calls++;
      return refusal(
        'https://a.example/r',
        `oauth_problem=timestamp_refused&oauth_acceptable_timestamps=${YEAR_3000}-${YEAR_3000 + 600}`,
      );
    });
    expect(response.status).toBe(401);
    // Not believed, so not retried: the refusal comes back as it was.
    expect(calls).toBe(1);
    expect(await timestampOf(s, 'https://b.example/r')).toBe(NOW);
    expect(await timestampOf(s, 'https://a.example/r')).toBe(NOW);
  });

  it('attack: a hostile Date header in the year 3000 is not believed either', async () => {
    const s = signer();
    await sendWithRetries(s, async () =>
      refusal('https://a.example/r', 'oauth_problem=timestamp_refused', { date: 'Wed, 01 Jan 3000 00:00:00 GMT' }),
    );
    expect(await timestampOf(s, 'https://b.example/r')).toBe(NOW);
    expect(s.clockOffsetFor('https://a.example/')).toBe(0);
  });

  it('a plausible correction applies to the origin that answered, and to no other host', async () => {
    const s = signer();
    let calls = 0;
    const ok = await sendWithRetries(s, async () =>
      ++calls === 1
        ? refusal(
            'https://a.example/r',
            `oauth_problem=timestamp_refused&oauth_acceptable_timestamps=${NOW + 7000}-${NOW + 7400}`,
          )
        : new Response('ok'),
    );
    expect(ok.status).toBe(200);
    expect(calls).toBe(2);
    expect(s.clockOffsetFor('https://a.example/other/path?q=1')).toBe(7200);
    expect(await timestampOf(s, 'https://a.example/x')).toBe(NOW + 7200);
    expect(await timestampOf(s, 'https://b.example/x')).toBe(NOW);
    // Another port or scheme is another origin.
    expect(await timestampOf(s, 'https://a.example:8443/x')).toBe(NOW);
    expect(await timestampOf(s, 'http://a.example/x')).toBe(NOW);
  });

  it('the limit is an option: a day by default, longer when asked, 0 to learn nothing', async () => {
    const twoDays = NOW + 2 * 86_400;
    const answer = () =>
      refusal(
        'https://a.example/r',
        `oauth_problem=timestamp_refused&oauth_acceptable_timestamps=${twoDays}-${twoDays}`,
      );
    const byDefault = signer();
    await sendWithRetries(byDefault, async () => answer());
    expect(byDefault.clockOffsetFor('https://a.example/')).toBe(0);
    const week = signer({ maxClockCorrectionSeconds: 7 * 86_400 });
    expect(week.correctClock('https://a.example/', twoDays)).toBe(true);
    expect(week.clockOffsetFor('https://a.example/')).toBe(2 * 86_400);
    const never = signer({ maxClockCorrectionSeconds: 0 });
    expect(never.correctClock('https://a.example/', NOW + 60)).toBe(false);
    expect(() => signer({ maxClockCorrectionSeconds: -1 })).toThrow(/maxClockCorrectionSeconds/);
  });

  it('sendSigned learns for the URL it sent to, with or without a url on the response', async () => {
    const s = signer();
    let calls = 0;
    await sendSigned(
      s,
      { method: 'POST', url: 'https://api.a.example/oauth/request_token' },
      {},
      {
        fetch: async () =>
          ++calls === 1
            ? new Response(`oauth_problem=timestamp_refused&oauth_acceptable_timestamps=${NOW - 3700}-${NOW - 3500}`, {
                status: 401,
              })
            : new Response('oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true'),
      },
    );
    expect(s.clockOffsetFor('https://api.a.example/')).toBe(-3600);
    expect(s.clockOffsetFor('https://api.b.example/')).toBe(0);
  });

  it('an offset the caller sets applies to every host and is not bounded by the limit', async () => {
    const s = signer();
    s.setClockOffset(-10 * 86_400);
    expect(s.clockOffsetSeconds).toBe(-864_000);
    expect(await timestampOf(s, 'https://b.example/r')).toBe(NOW - 864_000);
    expect(s.correctClock('https://a.example/', NOW - 864_000 + 60)).toBe(true);
    expect(await timestampOf(s, 'https://a.example/r')).toBe(NOW - 864_000 + 60);
  });
});

describe('oauth_timestamp is always a decimal integer', () => {
  it('attack: a huge offset or clock is refused with a typed error, never signed as 1e+25', async () => {
    expect(() => signer({ clockOffsetSeconds: 1e25 })).toThrow(/clockOffsetSeconds/);
    expect(() => signer().setClockOffset(1e25)).toThrow(/clockOffsetSeconds/);
    for (const clock of [() => 1e28, () => Number.NaN, () => -5000, () => Number.POSITIVE_INFINITY]) {
      const error = await signer({ clock })
        .sign({ method: 'GET', url: 'https://a.example/' })
        .catch((e: unknown) => e);
      expect(isCountersignError(error) && error.code).toBe('invalid_timestamp');
      expect(String((error as Error).message)).toMatch(/whole number of seconds from 0 to 9999999999/);
    }
  });

  it('a timestamp just inside the range is signed as its digits', async () => {
    const s = signer({ clock: () => 9_999_999_999_000 });
    expect((await s.sign({ method: 'GET', url: 'https://a.example/' })).authorization).toContain(
      'oauth_timestamp="9999999999"',
    );
  });
});
