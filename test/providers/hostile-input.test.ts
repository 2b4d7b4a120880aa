/**
 * Provider helpers against odd input and hostile answers: a typed error that says what to
 * fix, never a raw TypeError or RangeError, never an endless loop, never malformed XML.
 */
import { isCountersignError } from '@countersign/core';
import { etradeTokenExpiry } from '@countersign/etrade';
import { ltiOutcomesSigner, outcomeXml, parseOutcomeResponse, replaceResult } from '@countersign/lti';
import { netsuiteAccount, netsuiteUrls } from '@countersign/netsuite';
import { uploadMedia } from '@countersign/twitter';
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
