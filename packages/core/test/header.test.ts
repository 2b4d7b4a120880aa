import { describe, expect, it } from 'vitest';
import { formatAuthorizationHeader, parseAuthorizationHeader, parseTokenResponse } from '../src/index.ts';

describe('Authorization header', () => {
  it('parses the RFC 5849 §3.5.1 example, decoding values and unquoting the realm', () => {
    const parsed = parseAuthorizationHeader(`OAuth realm="Example",
        oauth_consumer_key="0685bd9184jfhq22",
        oauth_token="ad180jjd733klru7",
        oauth_signature_method="HMAC-SHA1",
        oauth_signature="wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D",
        oauth_timestamp="137131200",
        oauth_nonce="4572616e48616d6d65724c61686176",
        oauth_version="1.0"`);
    expect(parsed.realm).toBe('Example');
    expect(Object.fromEntries(parsed.params)).toMatchObject({
      oauth_signature: 'wOJIO9A2W5mFwDgiDvZbTSMK/PY=',
      oauth_version: '1.0',
    });
    expect(parsed.params).toHaveLength(7);
  });

  it('round-trips what formatAuthorizationHeader writes, realm quoting included', () => {
    const params: Array<[string, string]> = [
      ['oauth_callback', 'http://a.example/cb?x=1&y=2'],
      ['x_auth_mode', 'reverse_auth'],
      ['oauth_signature', 'a+b/c='],
    ];
    const header = formatAuthorizationHeader(params, 'say "hi" \\ there');
    const parsed = parseAuthorizationHeader(header);
    expect(parsed.realm).toBe('say "hi" \\ there');
    expect(parsed.params).toEqual(params);
  });

  it('keeps a + in a header value as a plus (header values are not form-encoded)', () => {
    expect(parseAuthorizationHeader('OAuth oauth_signature="a+b"').params).toEqual([['oauth_signature', 'a+b']]);
  });

  it.each(['Basic dXNlcjpwYXNz', 'OAuth oauth_token', 'OAuth oauth_token="abc', 'OAuth oauth_token="%zz"'])(
    'refuses %j',
    (header) => {
      expect(() => parseAuthorizationHeader(header)).toThrow(
        expect.objectContaining({ code: 'invalid_authorization_header' }),
      );
    },
  );
});

describe('token responses', () => {
  it('parses RFC 5849 §2.1 and keeps provider extras', () => {
    const tokens = parseTokenResponse(
      'oauth_token=hdk48Djdsa&oauth_token_secret=xyz4992k83j47x0b&oauth_callback_confirmed=true&screen_name=jane+doe\n',
    );
    expect(tokens).toMatchObject({
      token: 'hdk48Djdsa',
      tokenSecret: 'xyz4992k83j47x0b',
      callbackConfirmed: true,
      extras: { screen_name: 'jane doe' },
    });
  });

  it('reads oauth_callback_confirmed leniently and leaves absence to the flow', () => {
    expect(parseTokenResponse('oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=1').callbackConfirmed).toBe(
      true,
    );
    expect(
      parseTokenResponse('oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=false').callbackConfirmed,
    ).toBe(false);
    expect(parseTokenResponse('oauth_token=a&oauth_token_secret=b').callbackConfirmed).toBeUndefined();
  });

  it('accepts an empty token secret (Xero private apps, some xAuth servers)', () => {
    expect(parseTokenResponse('oauth_token=a&oauth_token_secret=').tokenSecret).toBe('');
  });
});
