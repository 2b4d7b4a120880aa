/**
 * What a hostile or broken provider can put in its answers, and what the client must do
 * with it: read a bounded prefix and cancel the rest, redact in linear time, and keep
 * control characters out of every message.
 */
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  compareBaseStrings,
  createSigner,
  explain,
  inertText,
  isCountersignError,
  isOAuthError,
  type OAuthError,
  oauthErrorOf,
  parseProviderProblem,
  parseTokenResponse,
  readTextPrefix,
  redactForm,
  redactText,
  redactUrl,
  requestToken,
  throwIfRefused,
} from '../src/index.ts';
import { finishesWithin } from './within-deadline.ts';

const signer = () => createSigner({ consumerKey: 'ck', consumerSecret: 'CONSUMER-SECRET-c0ffee' });
const endpoints = {
  requestTokenUrl: 'https://provider.example/oauth/request_token',
  authorizeUrl: 'https://provider.example/oauth/authorize',
  accessTokenUrl: 'https://provider.example/oauth/access_token',
};

/** A body that never ends, and how much of it was pulled and whether it was cancelled. */
function endlessBody(chunk = 'oauth_problem=x&'.repeat(4096)) {
  const bytes = new TextEncoder().encode(chunk);
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulled += bytes.length;
      controller.enqueue(bytes);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

// Control characters but tab; the C1 range; what a terminal reads as an escape.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a message must not hold.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

describe('a body that never ends is read up to a bounded prefix, then cancelled', () => {
  it('throwIfRefused on a 401 with an endless body', async () => {
    const { stream, seen } = endlessBody();
    const error = await rejection(throwIfRefused(new Response(stream, { status: 401 })));
    expect(isOAuthError(error)).toBe(true);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(1024 * 1024);
  });

  it('requestToken against a provider answering 200 with an endless body', async () => {
    const { stream, seen } = endlessBody('oauth_token=t&oauth_token_secret=s&'.repeat(2000));
    const error = await rejection(
      requestToken(signer(), endpoints, { fetch: async () => new Response(stream, { status: 200 }), retry: false }),
    );
    expect(isCountersignError(error) && error.code).toBe('invalid_token_response');
    expect(error.message).toMatch(/larger than/);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(1024 * 1024);
  });

  for (const retry of [false, undefined] as const) {
    it(`requestToken against a provider refusing with an endless body (retry ${retry === false ? 'off' : 'on'})`, async () => {
      const { stream, seen } = endlessBody();
      const error = await rejection(
        requestToken(signer(), endpoints, { fetch: async () => new Response(stream, { status: 400 }), retry }),
      );
      expect(isOAuthError(error)).toBe(true);
      expect(seen.cancelled).toBe(true);
      expect(seen.pulled).toBeLessThan(1024 * 1024);
    });
  }
});

describe('the bounded readers refuse a bound that bounds nothing', () => {
  it('readTextPrefix with maxBytes NaN, negative or fractional: invalid_option, and nothing of the body read', async () => {
    for (const maxBytes of [Number.NaN, -1, 1.5]) {
      const { stream, seen } = endlessBody();
      const error = await rejection(readTextPrefix(new Response(stream), maxBytes));
      expect(isCountersignError(error) && error.code).toBe('invalid_option');
      expect(seen.pulled).toBeLessThan(1024 * 1024);
    }
  });

  it('inertText with maxLength NaN or 0, or given no string: invalid_option', () => {
    for (const [text, maxLength] of [
      ['x'.repeat(10_000), Number.NaN],
      ['x', 0],
      [42, 10],
    ] as const) {
      let thrown: unknown;
      try {
        inertText(text as string, maxLength);
      } catch (error) {
        thrown = error;
      }
      expect(isCountersignError(thrown) && thrown.code).toBe('invalid_option');
    }
  });
});

describe('redaction is linear in its input', () => {
  // Each of these took seconds to hours with a backtracking pattern (6.4 KB of "password"
  // repeated: 6 s; 12 KB: about a minute). Run in a worker, so a regression fails the test
  // at the deadline instead of blocking the run.
  const redact = fileURLToPath(new URL('../src/redact.ts', import.meta.url));
  const shapes = {
    'password repeated': 'password'.repeat(25_000),
    'secret repeated with separators that never close': 'secret"  '.repeat(20_000),
    'name characters around one sensitive word': `${'a%'.repeat(50_000)}password${'-.'.repeat(50_000)}`,
    'encoded equals without a value': 'password%3D%253D'.repeat(12_000),
  };
  for (const [shape, text] of Object.entries(shapes)) {
    it(`redactText: ${shape}`, async () => {
      const { length } = await finishesWithin(5_000, redact, 'redactText', text);
      expect(length).toBeGreaterThan(0);
    });
  }

  it('redactForm, redactUrl and redactBaseString on 2 MB of pairs without "=" (a body, a query, a base string)', async () => {
    // The next '=' was searched for from every pair to the end: 1 MB took 2 s, 2 MB 8 s. A
    // signed request's printing (--verbose, util.inspect) and a server's base string hit it.
    const errors = fileURLToPath(new URL('./hostile-body-errors.ts', import.meta.url));
    const { result } = await finishesWithin(10_000, errors, 'redactedPairs', 1_000_000);
    for (const length of result as number[]) expect(length).toBeGreaterThan(2_000_000);
  });

  it('explain() on a refused 2 MB form body of pairs without "="', async () => {
    // Each detector parsed the body again, searching for the next '=' from every pair: 1 MB
    // took 7 s (0.45 s once linear), and countersign request explained a refused --body @file
    // the same way. 2 MB, so that a quadratic parse (half a minute) stays far from the deadline
    // whatever else the machine is doing, and a linear one (a second or two) far below it.
    const errors = fileURLToPath(new URL('./hostile-body-errors.ts', import.meta.url));
    const { result } = await finishesWithin(10_000, errors, 'causesForLargeBody', 2 * 1024 * 1024);
    expect(String(result)).toBe('body_params_wrongly_signed');
  });

  it('throwIfRefused and parseTokenResponse on a body of "password" repeated', async () => {
    const body = 'password'.repeat(25_000);
    const errors = fileURLToPath(new URL('./hostile-body-errors.ts', import.meta.url));
    const { length } = await finishesWithin(5_000, errors, 'messagesFor', body);
    expect(length).toBeGreaterThan(0);
  });

  it('oauthErrorOf and parseTokenResponse on a 4 MB answer handed over whole (axios, ky 2)', async () => {
    // Took 60 to 75 s: form parsing searched for the next '=' from every pair to the end.
    const errors = fileURLToPath(new URL('./hostile-body-errors.ts', import.meta.url));
    const { result } = await finishesWithin(10_000, errors, 'wholeAnswerMessages', 4 * 1024 * 1024);
    const [problem, token] = String(result).split('\n');
    expect(problem).toBe('signature_invalid');
    expect(token).toMatch(/larger than 64 KB/);
  });

  it('redacts what the pattern redacted before', () => {
    expect(redactText('{"oauth_token":"t","oauth_token_secret":"s3cr3t"}')).toBe(
      '{"oauth_token":"t","oauth_token_secret":"[redacted]"}',
    );
    expect(redactText('x_auth_password = hunter2; next')).toBe('x_auth_password = [redacted]; next');
    expect(redactText('oauth_signature%3Dabc%26x')).toBe('oauth_signature%3D[redacted]');
    expect(redactText('oauth_signature%253Dabc')).toBe('oauth_signature%253D[redacted]');
    expect(redactText('client_secret: "hunter2" and more')).toBe('client_secret: "[redacted]" and more');
    expect(redactText('<b>password=hunter2</b>')).toBe('<b>password=[redacted]</b>');
    expect(redactText('nothing to see here')).toBe('nothing to see here');
  });

  it('a secret with spaces in it is redacted whole, quoted or not', () => {
    // Found by the inspector's secrets test: the value stopped at its first space.
    expect(redactText('{"password":"a b c","x":1}')).toBe('{"password":"[redacted]","x":1}');
    expect(redactText('{"password":"a\\"b c"}')).toBe('{"password":"[redacted]"}');
    expect(redactText('password="a b" rest')).toBe('password="[redacted]" rest');
    expect(redactText('password: correct horse battery staple')).toBe('password: [redacted]');
    expect(redactText('x_auth_password=a+b c&y=1')).toBe('x_auth_password=[redacted]&y=1');
  });

  it('finds a sensitive name written with percent-escapes in free text', () => {
    expect(redactText('pass%77ord=hunter2')).toBe('pass%77ord=[redacted]');
  });
});

describe('redaction has no gaps', () => {
  it('a pass%77ord name next to a malformed escape elsewhere in the query', () => {
    expect(redactForm('a=%zz&pass%77ord=hunter2')).toBe('a=%zz&pass%77ord=[redacted]');
    expect(redactUrl('https://api.example.com/r?a=%zz&pass%77ord=hunter2')).not.toContain('hunter2');
  });

  it('user:password@ in a URL', () => {
    expect(redactUrl('https://bob:hunter2@api.example.com/r')).toBe('https://bob:[redacted]@api.example.com/r');
    expect(redactUrl('https://bob:hunter2@api.example.com/r?q=1')).not.toContain('hunter2');
    expect(redactUrl('https://bob:hun@ter2@api example/r')).not.toContain('ter2');
  });

  it('user:password@ in an invalid-URL error', async () => {
    const error = await rejection(signer().sign({ method: 'GET', url: 'https://bob:hunter2@api example.com/r' }));
    expect(isCountersignError(error)).toBe(true);
    expect(`${error.message}${inspect(error)}`).not.toContain('hunter2');
  });

  it('*secret* and *password* extras of a token response never print', () => {
    const tokens = parseTokenResponse(
      'oauth_token=t&oauth_token_secret=TOKEN-SECRET&client_secret=EXTRA-SECRET&x_password=EXTRA-PASSWORD&user_id=42',
    );
    expect(tokens.extras.client_secret).toBe('EXTRA-SECRET');
    for (const printed of [JSON.stringify(tokens), inspect(tokens), inspect(tokens, { showHidden: true })]) {
      for (const secret of ['TOKEN-SECRET', 'EXTRA-SECRET', 'EXTRA-PASSWORD']) expect(printed).not.toContain(secret);
      expect(printed).toContain('42');
    }
    expect(JSON.stringify(tokens.extras)).not.toContain('EXTRA-SECRET');
  });
});

describe("a provider's text reaches messages inert", () => {
  const hostile = `oauth_problem=${encodeURIComponent('signature_invalid\n\u001b[2J\u001b[31mFAKE: all good\r\u0007')}&oauth_problem_advice=${encodeURIComponent(`see\u001b]8;;https://evil.example\u0007here\n${'A'.repeat(100_000)}`)}`;

  it('control characters never reach the message, and the message is bounded', () => {
    const error = oauthErrorOf({ status: 401, body: hostile });
    for (const text of [error.message, String(error.problem), String(error.advice), String(error.hint)]) {
      expect(text).not.toMatch(CONTROL);
    }
    expect(error.message.length).toBeLessThan(2_000);
    expect(String(error.advice).length).toBeLessThanOrEqual(4_000);
  });

  it('a 100 KB oauth_problem is shortened', () => {
    const error = oauthErrorOf({ status: 401, body: `oauth_problem=${'x'.repeat(100_000)}` });
    expect(error.message.length).toBeLessThan(2_000);
    expect(String(error.problem).length).toBeLessThanOrEqual(200);
  });

  it('hints are looked up by own keys only', () => {
    for (const problem of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const error: OAuthError = oauthErrorOf({ status: 401, body: `oauth_problem=${problem}` });
      expect(error.hint === undefined || typeof error.hint === 'string').toBe(true);
      expect(error.message).not.toMatch(/function|native code/);
    }
  });

  it('a Twitter JSON error and a plain-text one are inert too', () => {
    const json = parseProviderProblem(JSON.stringify({ errors: [{ code: 32, message: 'bad\u001b[31m\nline' }] }));
    expect(json.providerMessage).not.toMatch(CONTROL);
    const plain = oauthErrorOf({ status: 500, body: '\u001b[2Jboom\u0000' });
    expect(plain.message).not.toMatch(CONTROL);
  });

  it("the server's base string, printed as error.serverBaseString, is inert too", () => {
    // Legitimate base strings are percent-encoded and hold no control character; a hostile
    // one reached error.serverBaseString raw, which the hint tells people to print.
    const serverBase = `GET&https%3A%2F%2Fapi.example%2Fr&a%3D1\u001b[2J\u001b[32mOK\u202e`;
    for (const body of [
      `oauth_problem=signature_invalid&oauth_signature_base_string=${encodeURIComponent(serverBase)}`,
      `oauth_problem=signature_invalid&debug_sbs=${serverBase}`,
    ]) {
      const error = oauthErrorOf({ status: 401, body });
      expect(error.serverBaseString).toBeDefined();
      expect(error.serverBaseString).not.toMatch(TERMINAL_CONTROL);
      expect(parseProviderProblem(body).serverBaseString).not.toMatch(TERMINAL_CONTROL);
    }
  });

  it('WWW-Authenticate is inert too', () => {
    const problem = parseProviderProblem('', 'OAuth oauth_problem="nonce_used%0A%1B%5B31mX"');
    expect(problem.problem).not.toMatch(CONTROL);
  });
});

// What a terminal acts on: C0 and C1 controls, DEL, and the bidirectional overrides that
// reorder what it shows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters no message may hold.
const TERMINAL_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe("explain() and compareBaseStrings() quote a server's base string inert", () => {
  // Values the server's base string can carry once decoded: an escape sequence in a
  // parameter name, an 8-bit CSI and a right-to-left override in values and in the URI.
  const ours = 'GET&https%3A%2F%2Fapi.example%2Fr&a%3D1%26b%3D2';
  const theirs = {
    'a parameter name': 'GET&https%3A%2F%2Fapi.example%2Fr&%1B%5B2J%1B%5B31mFAKE%3D1%26a%3D1%26b%3D2',
    'a value (C1 CSI, DEL)': 'GET&https%3A%2F%2Fapi.example%2Fr&a%3D%C2%9B31m%7F%26b%3D2',
    'the base URI (right-to-left override)': 'GET&https%3A%2F%2Fapi.example%2Fr%E2%80%AEexe.txt&a%3D1%26b%3D2',
    'a value encoded with + (bidi isolate)': `GET&https%3A%2F%2Fapi.example%2Fr&a%3D1%26b%3D${encodeURIComponent('2+⁧x')}`,
  };
  for (const [where, serverBaseString] of Object.entries(theirs)) {
    it(`control characters in ${where}`, () => {
      const causes = explain({ ourBaseString: ours, serverBaseString });
      expect(causes.length).toBeGreaterThan(0);
      for (const { explanation } of causes) expect(explanation).not.toMatch(TERMINAL_CONTROL);
      expect(compareBaseStrings(ours, serverBaseString)?.summary).not.toMatch(TERMINAL_CONTROL);
      // Through a refusal too, and explain({ error }) of it.
      const error = oauthErrorOf(
        { status: 401, body: `oauth_problem=signature_invalid&debug_sbs=${serverBaseString}` },
        undefined,
      );
      for (const { explanation } of explain({ error, ourBaseString: ours })) {
        expect(explanation).not.toMatch(TERMINAL_CONTROL);
      }
    });
  }

  it('a 60 KB parameter name or value is shortened, and the advice still ends the explanation', () => {
    const long = 'x'.repeat(60_000);
    for (const serverBaseString of [
      `GET&https%3A%2F%2Fapi.example%2Fr&a%3D1%26b%3D2%26${long}%3D1`,
      `GET&https%3A%2F%2Fapi.example%2Fr&a%3D${long}%26b%3D2`,
    ]) {
      const [first] = explain({ ourBaseString: ours, serverBaseString });
      expect(first?.explanation.length).toBeLessThan(2_000);
      expect(first?.explanation).toMatch(/\.$/);
      expect(compareBaseStrings(ours, serverBaseString)?.summary.length).toBeLessThan(2_000);
    }
  });
});

describe('explain() on a request of many parameters', () => {
  it('rebuilds the base string of a 200,000-pair form body instead of overflowing the stack', () => {
    // Its pairs were spread into push(): "RangeError: Maximum call stack size exceeded" from
    // about 130,000 of them (a 520 KB body).
    const causes = explain({
      request: {
        method: 'POST',
        url: 'https://api.example.com/bulk',
        authorization:
          'OAuth oauth_consumer_key="ck", oauth_nonce="n", oauth_signature="s", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1"',
        body: 'a=1&'.repeat(200_000),
        contentType: 'application/x-www-form-urlencoded',
      },
      response: {
        status: 401,
        body: 'oauth_problem=signature_invalid&oauth_signature_base_string=POST%26https%253A%252F%252Fapi.example.com%252Fbulk%26a%253D1',
      },
    });
    expect(causes.length).toBeGreaterThan(0);
  });
});

describe('a token response with repeated and prototype-named fields', () => {
  it('the first oauth_token wins, and no field reaches a prototype', () => {
    const tokens = parseTokenResponse(
      'oauth_token=first&oauth_token_secret=s&oauth_token=second&__proto__=polluted&constructor=c&oauth_callback_confirmed=true',
    );
    expect(tokens.token).toBe('first');
    expect(Object.getOwnPropertyDescriptor(tokens.extras, '__proto__')?.value).toBe('polluted');
    expect(Object.getPrototypeOf(tokens.extras)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(tokens.callbackConfirmed).toBe(true);
  });
});

describe('a token response that holds no usable token', () => {
  it('an empty oauth_token is refused, not signed with later as oauth_token=""', () => {
    const error = (() => {
      try {
        parseTokenResponse('oauth_token=&oauth_token_secret=s&oauth_callback_confirmed=true');
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(isCountersignError(error) && error.code).toBe('invalid_token_response');
    expect(error.message).toMatch(/empty oauth_token/);
  });
});

describe('a token response message is inert', () => {
  it('C1 controls, DEL and bidirectional overrides, which JSON quoting leaves as they are', () => {
    const error = (() => {
      try {
        parseTokenResponse('error=\u009b2J\u202etxt.exe\u007f');
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(isCountersignError(error) && error.code).toBe('invalid_token_response');
    expect(error.message).not.toMatch(TERMINAL_CONTROL);
  });
});
