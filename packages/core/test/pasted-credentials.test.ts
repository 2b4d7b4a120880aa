import { describe, expect, it } from 'vitest';
import { accessToken, createSigner, isCountersignError } from '../src/index.ts';

// A credential copied from a dashboard, a .env file written on Windows or a chat message
// brings along what nobody sees: it was signed faithfully and refused as signature_invalid
// (or consumer_key_unknown), far from the cause.
const PASTED: Array<[string, string]> = [
  ['a CR from a CRLF .env file', 'Seeded-Secret\r'],
  ['a line feed', 'Seeded-Secret\n'],
  ['a tab inside', 'Seeded\tSecret'],
  ['a zero-width space inside', 'Seeded\u200bSecret'],
  ['a byte-order mark in front', '\ufeffSeeded-Secret'],
  ['a right-to-left override', 'Seeded\u202eSecret'],
];

const base = { consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts' };

describe('credentials with invisible leftovers', () => {
  for (const option of ['consumerKey', 'consumerSecret', 'token', 'tokenSecret'] as const) {
    for (const [what, value] of PASTED) {
      it(`${option} with ${what}: refused when the signer is created, naming the option, not the value`, () => {
        let error: unknown;
        try {
          createSigner({ ...base, [option]: value });
        } catch (caught) {
          error = caught;
        }
        expect(isCountersignError(error) && error.code).toBe('invalid_option');
        const message = (error as Error).message;
        expect(message).toContain(option);
        expect(message).not.toContain('Seeded');
      });
    }
  }

  it('a per-request token or token secret is held to the same', async () => {
    const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
    for (const oauth of [
      { token: 't\r', tokenSecret: 'ts' },
      { token: 't', tokenSecret: 'Seeded-Secret\n' },
    ]) {
      const error = await signer
        .sign({ method: 'GET', url: 'https://api.example.com/r' }, oauth)
        .catch((e: Error) => e);
      expect(isCountersignError(error) && error.code).toBe('invalid_option');
      expect((error as Error).message).not.toContain('Seeded');
    }
  });

  it('visible punctuation, non-ASCII letters, spaces (at the ends too) and an empty secret still sign', async () => {
    // RFC 5849 credentials are opaque: a space is encoded like any other character (§3.6).
    const signer = createSigner({
      consumerKey: 'key-ü.~_+/=',
      consumerSecret: ' sé cret!*()\u00a0',
      token: 'tøken',
      tokenSecret: '',
    });
    const signed = await signer.sign({ method: 'GET', url: 'https://api.example.com/r' });
    expect(signed.authorization).toContain('oauth_consumer_key="key-%C3%BC.~_%2B%2F%3D"');
  });
});

describe('a verifier typed or pasted by the user', () => {
  const endpoints = {
    requestTokenUrl: 'https://api.example.com/oauth/request_token',
    authorizeUrl: 'https://api.example.com/oauth/authorize',
    accessTokenUrl: 'https://api.example.com/oauth/access_token',
  };
  const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });

  it('with a line ending or a zero-width space is refused before anything is sent, naming it', async () => {
    for (const verifier of ['8675309\n', '86\u200b75309', '\ufeff8675309']) {
      let sent = 0;
      const fetch = async () => {
        sent++;
        return new Response('oauth_token=a&oauth_token_secret=b');
      };
      const error = await accessToken(signer, endpoints, { token: 't', tokenSecret: 'ts', verifier }, { fetch }).catch(
        (e: Error) => e,
      );
      expect(isCountersignError(error) && error.code).toBe('invalid_option');
      expect((error as Error).message).toMatch(/^verifier: /);
      expect(sent).toBe(0);
    }
  });

  it('that is missing says so in its own words', async () => {
    const error = await accessToken(signer, endpoints, {
      token: 't',
      tokenSecret: 'ts',
      verifier: undefined as unknown as string,
    }).catch((e: Error) => e);
    expect(isCountersignError(error) && error.code).toBe('invalid_option');
    expect((error as Error).message).toMatch(/^verifier: /);
  });
});
