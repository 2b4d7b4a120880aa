/**
 * parseCallback reads a request anyone can make: whatever arrives gets a typed error, and
 * only this flow's request token, non-empty, lets a verifier through.
 */
import { describe, expect, it } from 'vitest';
import { isCountersignError, parseCallback, parseTokenResponse } from '../src/index.ts';

function refusal(action: () => unknown) {
  try {
    action();
  } catch (error) {
    expect(isCountersignError(error), String(error)).toBe(true);
    return error as Error & { code: string };
  }
  throw new Error('expected a typed error');
}

const requestTokens = parseTokenResponse('oauth_token=rt&oauth_token_secret=rs&oauth_callback_confirmed=true');

describe('parseCallback', () => {
  it('reads the verifier of this flow', () => {
    expect(parseCallback('https://app.example/cb?oauth_token=rt&oauth_verifier=v', requestTokens)).toEqual({
      token: 'rt',
      verifier: 'v',
    });
  });

  it.each(['http://[::1/cb?oauth_token=rt&oauth_verifier=v', 'https://app.example:99999/cb?oauth_token=rt'])(
    'a callback URL that is not one (%s, say built from a forged Host header) is a typed error',
    (url) => {
      expect(refusal(() => parseCallback(url, requestTokens)).code).toBe('invalid_url');
    },
  );

  it("an empty oauth_token never matches, even when the session's token is empty too", () => {
    // An application that keeps '' when no flow started would let any verifier through.
    expect(refusal(() => parseCallback('/cb?oauth_token=&oauth_verifier=v', '')).code).toBe('invalid_option');
  });

  it.each([undefined, null, 42, {}])(
    'an expected token that is not one (%j, a lost session) is a typed error',
    (expected) => {
      expect(refusal(() => parseCallback('/cb?oauth_token=rt&oauth_verifier=v', expected as never)).code).toBe(
        'invalid_option',
      );
    },
  );
});
