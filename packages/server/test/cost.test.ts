import { generateKeyPairSync } from 'node:crypto';
import { createSigner, hasControlCharacters, parseForm } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import { printable } from '../src/advice.ts';
import {
  createMemoryNonceStore,
  DEFAULT_MAX_PARAMETERS,
  MAX_PROBLEM_BODY_BYTES,
  problemResponse,
  type RejectedRequest,
  receivedParameters,
  type VerifyOptions,
  verifyFetchRequest,
  verifyRequest,
} from '../src/index.ts';

// Unauthenticated CPU and amplification: what a request costs before any credential is
// known, and how large the answer to it can be.
const KNOWN = { key: 'known-consumer-00000000', secret: 'known secret' };
const FORM = 'application/x-www-form-urlencoded';
const MiB = 1024 * 1024;
let lookups = 0;

function options(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    lookupConsumer: (key) => {
      lookups++;
      return key === KNOWN.key ? { secret: KNOWN.secret } : undefined;
    },
    nonceStore: createMemoryNonceStore(),
    ...extra,
  };
}

const header = (consumerKey: string, method = 'HMAC-SHA1') =>
  `OAuth oauth_consumer_key="${consumerKey}", oauth_signature_method="${method}", oauth_signature="AAAA", oauth_timestamp="${Math.floor(Date.now() / 1000)}", oauth_nonce="n0n0n0n0n0n0n0n0n0n0"`;

/**
 * How many characters `String.prototype.indexOf` walks while `run` runs: the work of a
 * parser built on it, counted rather than timed, so a busy machine cannot decide the outcome.
 */
function charactersSearched(run: () => unknown): number {
  const original = String.prototype.indexOf;
  let walked = 0;
  String.prototype.indexOf = function (this: string, search: string, from = 0) {
    const found = original.call(this, search, from);
    walked += (found === -1 ? this.length : found) - Math.max(0, from);
    return found;
  };
  try {
    run();
  } finally {
    String.prototype.indexOf = original;
  }
  return walked;
}

describe('the form parsers are linear in their input', () => {
  // Pairs without `=`: a search for `=` per pair that runs to the end of the text walked
  // n²/4 characters (1 MiB took 4 s).
  const shapes = {
    'a&a&…': 'a&'.repeat(64 * 1024),
    '=&=&…': '=&'.repeat(64 * 1024),
    'a&…&b=c': `${'a&'.repeat(64 * 1024)}b=c`,
  };
  for (const [shape, text] of Object.entries(shapes)) {
    it(`parseForm on ${shape} walks each character a bounded number of times`, () => {
      expect(charactersSearched(() => parseForm(text))).toBeLessThanOrEqual(4 * text.length);
    });
    it(`signing a form body ${shape} (the signer's own parser) does too`, async () => {
      const signer = createSigner({ consumerKey: 'k', consumerSecret: 's' });
      // Signing is asynchronous; its parse of the body happens synchronously inside sign().
      const walked = charactersSearched(() =>
        signer.sign({ method: 'POST', url: 'https://a.example/', body: text, contentType: FORM }),
      );
      expect(walked).toBeLessThanOrEqual(8 * text.length);
    });
    it(`the verifier's strict parser on ${shape} does too`, () => {
      const walked = charactersSearched(() =>
        receivedParameters(
          { method: 'POST', url: 'https://a.example/', body: text, contentType: FORM },
          { maxParameters: Number.POSITIVE_INFINITY },
        ),
      );
      expect(walked).toBeLessThanOrEqual(8 * text.length);
    });
  }
});

describe('a parameter-count limit, checked before any work', () => {
  it('a 1 MiB a&a&… body is refused with parameter_rejected before the consumer is looked up', async () => {
    lookups = 0;
    const result = await verifyRequest(
      {
        method: 'POST',
        url: 'https://api.example.com/r',
        authorization: header(KNOWN.key),
        body: 'a&'.repeat(MiB / 2),
        contentType: FORM,
      },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'parameter_rejected' });
    expect(!result.ok && result.advice).toMatch(`more than ${DEFAULT_MAX_PARAMETERS} parameters`);
    expect(lookups).toBe(0);
    expect(problemResponse(result as RejectedRequest).status).toBe(400);
  });

  it('the limit counts header, query and body together, and is an option', async () => {
    const signer = createSigner({ consumerKey: KNOWN.key, consumerSecret: KNOWN.secret });
    const query = Array.from({ length: 600 }, (_, i) => `q${i}=1`).join('&');
    const body = Array.from({ length: 600 }, (_, i) => `b${i}=1`).join('&');
    const signed = await signer.sign({
      method: 'POST',
      url: `https://api.example.com/r?${query}`,
      body,
      contentType: FORM,
    });
    const request = { method: 'POST', url: signed.url, authorization: signed.authorization, body, contentType: FORM };
    expect(await verifyRequest(request, options())).toMatchObject({ ok: false, problem: 'parameter_rejected' });
    expect((await verifyRequest(request, options({ maxParameters: 2000 }))).ok).toBe(true);
    await expect(verifyRequest(request, options({ maxParameters: 0 }))).rejects.toThrow(/maxParameters/);
  });

  it('a Fetch request with a megabyte of Authorization header parameters is refused the same way', async () => {
    lookups = 0;
    const request = new Request('https://api.example.com/r', {
      headers: { authorization: `${header(KNOWN.key)}, ${'x="1", '.repeat(150_000)}` },
    });
    const { result } = await verifyFetchRequest(request, options());
    expect(result).toMatchObject({ ok: false, problem: 'parameter_rejected' });
    expect(lookups).toBe(0);
  });
});

describe('every refusal is at most 8 KB, whatever was sent', () => {
  it('a known consumer with a bad signature and a 1 MiB body: the base string is cut with a marker', async () => {
    const body = `data=${'x'.repeat(MiB - 5)}`;
    const result = await verifyRequest(
      { method: 'POST', url: 'https://api.example.com/r', authorization: header(KNOWN.key), body, contentType: FORM },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'signature_invalid' });
    const answer = problemResponse(result as RejectedRequest);
    expect(Buffer.byteLength(answer.body)).toBeLessThanOrEqual(MAX_PROBLEM_BODY_BYTES);
    const echoed = new URLSearchParams(answer.body).get('oauth_signature_base_string') as string;
    expect(echoed.startsWith('POST&https%3A%2F%2Fapi.example.com%2Fr&')).toBe(true);
    expect(echoed).toMatch(/…\[truncated: \d+ more characters\]$/);
  });

  it("the verifier's own result holds the first 64 K characters and says how many more; the answer counts them all", async () => {
    const body = `data=${'+'.repeat(MiB - 5)}`;
    const result = (await verifyRequest(
      { method: 'POST', url: 'https://api.example.com/r', authorization: header(KNOWN.key), body, contentType: FORM },
      options(),
    )) as RejectedRequest;
    // Each + is a space, %2520 in the base string; the OAuth parameters sort after `data`.
    const shown = result.baseString as string;
    const head = 64 * 1024;
    const cut = / …\[truncated: (\d+) more characters\]$/.exec(shown);
    expect(cut?.index).toBe(head);
    expect(shown.startsWith('POST&https%3A%2F%2Fapi.example.com%2Fr&data%3D%2520%2520')).toBe(true);
    const whole = head + Number(cut?.[1]);
    expect(whole).toBeGreaterThan(5 * (MiB - 5));
    expect(whole).toBeLessThan(5 * (MiB - 5) + 400);
    // The problem response cuts it again, and counts from the whole base string.
    const echoed = new URLSearchParams(problemResponse(result).body).get('oauth_signature_base_string') as string;
    const kept = echoed.indexOf(' …');
    expect(echoed.slice(kept)).toBe(` …[truncated: ${whole - kept} more characters]`);
  });

  it('a request over 64 KB signed right is accepted, with HMAC-SHA1 and RSA-SHA1 (its base string hashed as bytes)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const verifyOptions = options({
      lookupConsumer: (key) =>
        key === KNOWN.key
          ? { secret: KNOWN.secret, publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string }
          : undefined,
    });
    const body = `status=${'caf%C3%A9+%2B+'.repeat(20_000)}&other=${'x'.repeat(70_000)}&other=${'x'.repeat(70_000)}~`;
    for (const signer of [
      createSigner({ consumerKey: KNOWN.key, consumerSecret: KNOWN.secret }),
      createSigner({ consumerKey: KNOWN.key, signatureMethod: 'RSA-SHA1', privateKey: rsaPem }),
    ]) {
      const url = 'https://api.example.com/r?q=a%20b';
      const signed = await signer.sign({ method: 'POST', url, body, contentType: FORM });
      const result = await verifyRequest(
        { method: 'POST', url, authorization: signed.authorization, body, contentType: FORM },
        verifyOptions,
      );
      expect(result.ok).toBe(true);
      // The accepted request's base string is whole, and the one the client signed.
      expect(result.ok && result.baseString).toBe(signed.baseString);
    }
  });

  it('an unknown consumer gets no base string at all', async () => {
    const result = await verifyRequest(
      {
        method: 'POST',
        url: 'https://api.example.com/r',
        authorization: header('someone-else-0000000000'),
        body: 'a=1',
        contentType: FORM,
      },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'consumer_key_unknown' });
    expect(
      new URLSearchParams(problemResponse(result as RejectedRequest).body).has('oauth_signature_base_string'),
    ).toBe(false);
  });

  it('a megabyte oauth_signature_method is neither echoed nor amplified', async () => {
    const method = 'X'.repeat(MiB);
    const result = await verifyRequest(
      { method: 'GET', url: 'https://api.example.com/r', authorization: header('anyone', method) },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'signature_method_rejected' });
    const answer = problemResponse(result as RejectedRequest);
    expect(Buffer.byteLength(answer.body)).toBeLessThan(1024);
    expect(answer.body).not.toContain('XXXX');
  });

  it('every kind of refusal of a hostile request stays under the bound', async () => {
    const huge = 'Z'.repeat(256 * 1024);
    const requests = [
      { method: 'GET', url: 'https://api.example.com/r', authorization: `OAuth ${huge}="1"` },
      { method: 'GET', url: 'https://api.example.com/r', authorization: `OAuth a="${huge}` },
      { method: 'GET', url: `https://api.example.com/r?oauth_consumer_key=${huge}&oauth_consumer_key=2` },
      { method: 'GET', url: `https://api.example.com/r?oauth_version=${huge}` },
      { method: 'GET', url: `https://api.example.com/r?oauth_${huge}=1&oauth_${huge}=2` },
      { method: 'GET', url: 'https://api.example.com/r', authorization: header(huge) },
      {
        method: 'GET',
        url: 'https://api.example.com/r',
        authorization: header(KNOWN.key).replace(/oauth_timestamp="\d+"/, `oauth_timestamp="${huge}"`),
      },
    ];
    for (const request of requests) {
      const result = await verifyRequest(request, options());
      expect(result.ok).toBe(false);
      const answer = problemResponse(result as RejectedRequest);
      expect(Buffer.byteLength(answer.body)).toBeLessThanOrEqual(MAX_PROBLEM_BODY_BYTES);
      expect(answer.body).not.toContain('ZZZZZZZZ');
    }
  });
});

/** Characters that could forge a line or drive a terminal: C0/C1 controls, separators, bidi overrides. */
function unprintable(text: string): string[] {
  return [...text].filter((character) => {
    const code = character.charCodeAt(0);
    return (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x2028 && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
}

describe('advice quotes only names from a safe alphabet, and never CR or LF', () => {
  it("the last guard on advice replaces every character core's inertText neutralises, bidi marks included", () => {
    const hostile = 'a\r\nb\u001b[2Jc\u0085d\u2028e\u202ef\u2067g\u061ch\u200ei\u200fj';
    expect(printable(hostile)).toBe('a??b?[2Jc?d?e?f?g?h?i?j');
    expect(hasControlCharacters(printable(hostile))).toBe(false);
  });

  const injections = ['oauth_x\r\nX-Injected: 1', 'oauth_\u001b[31mred', 'oauth_\u202eevil'];
  for (const name of injections) {
    it(`a duplicated parameter named ${JSON.stringify(name)}`, async () => {
      const encoded = encodeURIComponent(name);
      const result = await verifyRequest(
        { method: 'GET', url: `https://api.example.com/r?${encoded}=1&${encoded}=2` },
        options(),
      );
      expect(result).toMatchObject({ ok: false, problem: 'parameter_rejected' });
      const advice = (result as RejectedRequest).advice;
      expect(unprintable(advice)).toEqual([]);
      expect(advice).toMatch(/sent more than once/);
    });
  }

  it('a signature method with CR/LF and an escape sequence in it', async () => {
    const result = await verifyRequest(
      { method: 'GET', url: 'https://api.example.com/r', authorization: header('k', 'HMAC%0D%0AX%1B%5B2J') },
      options(),
    );
    expect(unprintable((result as RejectedRequest).advice)).toEqual([]);
  });

  it('an Authorization header whose malformed parameter has CR/LF in its decoded name', async () => {
    const result = await verifyRequest(
      { method: 'GET', url: 'https://api.example.com/r', authorization: 'OAuth oauth_a%0D%0AInjected%3A%201="%ZZ"' },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'parameter_rejected' });
    expect((result as RejectedRequest).advice).not.toMatch(/[\r\n]/);
    expect((result as RejectedRequest).advice).not.toContain('Injected');
  });
});
