/**
 * Provider helpers against odd input and hostile answers: a typed error that says what to
 * fix, never a raw TypeError or RangeError, never an endless loop, never malformed XML.
 */
import { createSigner, isCountersignError } from '@countersign/core';
import { etradeTokenExpiry } from '@countersign/etrade';
import { ltiOutcomesSigner, outcomeXml, parseOutcomeResponse, replaceResult } from '@countersign/lti';
import { checkNetSuiteHost, netsuiteAccount, netsuiteUrls } from '@countersign/netsuite';
import { twitterReverseAuth, uploadMedia } from '@countersign/twitter';
import { woocommerceSigner } from '@countersign/woocommerce';
import { createXeroPartnerFetch } from '@countersign/xero';
import { describe, expect, it } from 'vitest';

function typedError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    expect(isCountersignError(error), String(error)).toBe(true);
    return error as Error;
  }
  throw new Error('expected a typed error');
}

describe('netsuite: an account id or URL that is not one', () => {
  it.each(['https://', 'http://', 'https://[::1', ''])('netsuiteAccount(%j) is a typed error', (input) => {
    expect(typedError(() => netsuiteAccount(input)).message).toMatch(/accountId/);
  });

  it('netsuiteUrls too', () => {
    expect(typedError(() => netsuiteUrls('https://')).message).toMatch(/accountId/);
  });
});

describe('etrade: token expiry at the edge of representable dates', () => {
  it.each([8.64e15, -8.64e15, 8.64e15 - 1000])('etradeTokenExpiry(%d) is a typed error', (at) => {
    expect(typedError(() => etradeTokenExpiry(at)).message).toMatch(/issuedAt/);
  });

  it('an ordinary date still works', () => {
    expect(new Date(etradeTokenExpiry(Date.parse('2026-07-01T20:00:00Z'))).toISOString()).toBe(
      '2026-07-02T04:00:00.000Z',
    );
  });
});

// XML 1.0 §2.2: a document holds no C0 control but tab, line feed and carriage return, not
// even as a character reference.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids.
const NOT_XML_1_0 = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|&#(?:[0-8]|1[124-9]|2\d|3[01]);/;

describe('lti: outcomes XML is well-formed XML 1.0 or refused', () => {
  it.each(['a\u0001b', 'a\u0000b', 'x\u001bY', 'a\ufffeb', 'lone \ud800 surrogate'])(
    'a sourcedId with %j is refused in words',
    (sourcedId) => {
      expect(typedError(() => outcomeXml('readResult', sourcedId)).message).toMatch(/sourcedId/);
    },
  );

  it('tab, line feed and markup characters are carried', () => {
    const xml = outcomeXml('replaceResult', 'a\tb\nc<&>"\'', { score: 0.5, messageId: 'm' });
    expect(xml).not.toMatch(NOT_XML_1_0);
    expect(xml).toContain('a\tb\nc&#60;&#38;&#62;&#34;&#39;');
  });

  it("an LMS's description with control characters reaches the error inert", async () => {
    const answer = `<imsx_POXEnvelopeResponse><imsx_codeMajor>failure</imsx_codeMajor><imsx_description>no\u001b[31m\nsuch grade</imsx_description></imsx_POXEnvelopeResponse>`;
    const error = await replaceResult(
      ltiOutcomesSigner({ consumerKey: 'k', consumerSecret: 's' }),
      { serviceUrl: 'https://lms.example.com/outcomes', sourcedId: '1' },
      0.5,
      { fetch: async () => new Response(answer, { status: 200 }) },
    ).catch((failure: Error) => failure);
    expect((error as Error).name).toBe('OutcomeError');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a message must not hold.
    expect((error as Error).message).not.toMatch(/[\u0000-\u001f]/);
  });

  it.each(['abc', '1e308', '-0.5', '1.5', 'Infinity', '0x1'])(
    'a readResult score of %s is not handed on as a grade',
    (score) => {
      // Number('abc') is NaN, and a grade book took NaN, 1e308 or -0.5 as the LMS's score.
      const answer = `<imsx_POXEnvelopeResponse><imsx_codeMajor>success</imsx_codeMajor><textString>${score}</textString></imsx_POXEnvelopeResponse>`;
      const result = parseOutcomeResponse(answer);
      expect(result.codeMajor).toBe('unreadable');
      expect(result.score).toBeUndefined();
    },
  );

  it('parseOutcomeResponse reads a huge answer in linear time', () => {
    const answer = `${'<imsx_codeMajor>'.repeat(200_000)}`;
    expect(parseOutcomeResponse(answer).codeMajor).toBe('unreadable');
  });
});

describe("twitter: uploadMedia against an X that keeps saying 'in progress'", () => {
  function endlessProcessing(checkAfterSecs: number | undefined) {
    let statusChecks = 0;
    const xFetch = async (url: string | URL | Request) => {
      const text = String(url);
      if (text.endsWith('/initialize')) return Response.json({ data: { id: '42' } });
      if (text.includes('/append')) return new Response(null, { status: 204 });
      statusChecks++;
      return Response.json({ data: { processing_info: { state: 'in_progress', check_after_secs: checkAfterSecs } } });
    };
    return { xFetch, checks: () => statusChecks };
  }

  it.each([0, -5, undefined, Number.NaN])(
    'check_after_secs %s: waits at least a second each time, and gives up',
    async (after) => {
      const waits: number[] = [];
      const x = endlessProcessing(after);
      const error = await uploadMedia(x.xFetch as never, new Uint8Array(10), {
        mediaType: 'video/mp4',
        wait: async (milliseconds) => {
          waits.push(milliseconds);
          // Back to the event loop, so a loop that never ends fails at the test's timeout.
          await new Promise((resolve) => setImmediate(resolve));
        },
        maxProcessingSeconds: 60,
      }).catch((failure: Error) => failure);
      expect(isCountersignError(error)).toBe(true);
      expect((error as Error).message).toMatch(/still processing media 42 after 60 s/);
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(1000);
      expect(x.checks()).toBeLessThanOrEqual(61);
    },
  );

  it('a huge check_after_secs is capped, so one answer cannot park the upload for a day', async () => {
    const waits: number[] = [];
    const x = endlessProcessing(86_400);
    await uploadMedia(x.xFetch as never, new Uint8Array(10), {
      mediaType: 'video/mp4',
      wait: async (milliseconds) => {
        waits.push(milliseconds);
        // Back to the event loop, so a loop that never ends fails at the test's timeout.
        await new Promise((resolve) => setImmediate(resolve));
      },
      maxProcessingSeconds: 300,
    }).catch(() => undefined);
    expect(Math.max(...waits)).toBeLessThanOrEqual(60_000);
  });
});

// What a terminal acts on: C0 and C1 controls, DEL, and the bidirectional overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters no message may hold.
const TERMINAL_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('twitter: uploadMedia for a caller that gives up', () => {
  it('stops polling X at once when its signal aborts, and sends nothing more', async () => {
    // Without a way to stop it, an upload kept checking X's status for up to
    // maxProcessingSeconds (15 minutes) after the request that wanted it had gone.
    const controller = new AbortController();
    const requests: string[] = [];
    const xFetch = async (url: string | URL | Request, init?: RequestInit) => {
      init?.signal?.throwIfAborted();
      requests.push(String(url));
      if (String(url).endsWith('/initialize')) return Response.json({ data: { id: '42' } });
      if (String(url).includes('/append')) return new Response(null, { status: 204 });
      return Response.json({ data: { processing_info: { state: 'in_progress', check_after_secs: 5 } } });
    };
    let waits = 0;
    const error = await uploadMedia(xFetch as never, new Uint8Array(10), {
      mediaType: 'video/mp4',
      signal: controller.signal,
      wait: async () => {
        waits++;
        if (waits === 2) controller.abort(new Error('the caller gave up'));
        await new Promise((resolve) => setImmediate(resolve));
      },
    }).catch((failure: Error) => failure);
    expect((error as Error).message).toBe('the caller gave up');
    expect(requests.filter((url) => url.includes('command=STATUS'))).toHaveLength(1);
  });
});

describe("twitter: X's own words in uploadMedia's errors", () => {
  it('a media id with escape sequences, a megabyte long, reaches the message inert and short', async () => {
    const id = `\u001b[2J\u001b]8;;https://evil.example\u0007${'9'.repeat(1_000_000)}`;
    const xFetch = async (url: string | URL | Request) => {
      const text = String(url);
      if (text.endsWith('/initialize')) return Response.json({ data: { id } });
      if (text.includes('/append')) return new Response(null, { status: 204 });
      return Response.json({ data: { processing_info: { state: 'failed', error: { message: 'bad' } } } });
    };
    const error = (await uploadMedia(xFetch as never, new Uint8Array(10), { mediaType: 'video/mp4' }).catch(
      (failure: Error) => failure,
    )) as Error;
    expect(isCountersignError(error)).toBe(true);
    expect(error.message).toMatch(/could not process media/);
    expect(error.message).not.toMatch(TERMINAL_CONTROL);
    expect(error.message.length).toBeLessThan(1_000);
  });
});

describe('twitter: reverse auth step 1 against an answer too long to be one', () => {
  it('is refused rather than handed on cut at 64 KB', async () => {
    const answer = `OAuth oauth_nonce="n", oauth_signature="${'s'.repeat(200_000)}"`;
    const error = await twitterReverseAuth(createSigner({ consumerKey: 'ck', consumerSecret: 'cs' }), {
      fetch: async () => new Response(answer),
      retry: false,
    }).catch((failure: Error) => failure);
    expect(isCountersignError(error) && error.code).toBe('invalid_token_response');
  });
});

describe('xero: renewing an expired session', () => {
  it("cancels the expired-token answer's body before sending again", async () => {
    const seen = { cancelled: false };
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('oauth_problem=token_expired&'.padEnd(16 * 1024, 'x')));
      },
      cancel() {
        seen.cancelled = true;
      },
    });
    const answers = [
      () => new Response(endless, { status: 401 }),
      () => new Response('oauth_token=t2&oauth_token_secret=s2&oauth_session_handle=h2'),
      () => new Response('ok'),
    ];
    const session = { token: 't1', tokenSecret: 's1', sessionHandle: 'h1' };
    const xeroFetch = createXeroPartnerFetch(createSigner({ consumerKey: 'ck', consumerSecret: 'cs' }), session, {
      fetch: async () => (answers.shift() as () => Response)(),
    });
    const response = await xeroFetch('https://api.xero.com/api.xro/2.0/Invoices');
    expect(await response.text()).toBe('ok');
    expect(session.token).toBe('t2');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen.cancelled).toBe(true);
  });
});

describe('URLs given to provider helpers that are not URLs', () => {
  it.each(['shop.example.com', 'http://[::1', ''])(
    'woocommerceSigner({ storeUrl: %j }) is a typed error',
    (storeUrl) => {
      expect(
        typedError(() => woocommerceSigner({ storeUrl, consumerKey: 'ck_1', consumerSecret: 'cs_1' })).message,
      ).toMatch(/storeUrl/);
    },
  );

  it.each(['/relative/path', 'https://[::1'])('checkNetSuiteHost(%j) is a typed error', (url) => {
    expect(typedError(() => checkNetSuiteHost(url, '123456')).message).toMatch(/url/);
  });
});
