import { describe, expect, it } from 'vitest';
import { explain, normalizeParameters, signatureBaseString } from '../src/index.ts';

const OAUTH: Array<[string, string]> = [
  ['oauth_consumer_key', 'ck'],
  ['oauth_nonce', 'n1'],
  ['oauth_signature_method', 'HMAC-SHA1'],
  ['oauth_timestamp', '1700000000'],
];
const baseOf = (pairs: Array<[string, string]>, method = 'POST') =>
  signatureBaseString(method, 'https://api.example.com/r', normalizeParameters([...OAUTH, ...pairs]));

describe('explain() on requests it used to throw on (#24)', () => {
  it('attack: a request sent with Basic auth gets causes, not a parse error', () => {
    const causes = explain({
      request: { method: 'GET', url: 'https://api.example.com/r', authorization: 'Basic dXNlcjpwYXNz' },
      response: { status: 401, body: 'oauth_problem=signature_invalid' },
    });
    expect(causes.map((each) => each.cause)).toEqual(['params_signed_not_sent']);
  });

  it('a broken OAuth header is read as no OAuth parameters, and the rest is still explained', () => {
    const causes = explain({
      request: { method: 'GET', url: 'https://api.example.com/r', authorization: 'OAuth oauth_nonce="unclosed' },
      response: { status: 401, body: 'oauth_problem=nonce_used' },
    });
    expect(causes.map((each) => each.cause)).toEqual(['nonce_reused']);
  });
});

describe('the ranking: what the provider said, then the base strings, then the request', () => {
  it('orders causes found by different detectors by the strength of their evidence', () => {
    const causes = explain({
      ourBaseString: baseOf([['q', 'a']]),
      serverBaseString: baseOf([['q', 'a']], 'GET'),
      request: {
        method: 'POST',
        url: 'https://api.example.com/r',
        authorization: 'OAuth oauth_timestamp="1700000000"',
        body: 'x_auth_mode=reverse_auth',
        contentType: 'application/json',
      },
      response: {
        status: 401,
        body: 'oauth_problem=signature_method_rejected',
        date: new Date(1_700_003_600_000).toUTCString(),
      },
    });
    expect(causes.map((each) => each.cause)).toEqual([
      'wrong_signature_method',
      'wrong_method_or_url',
      'reverse_auth_mode_placement',
      'clock_skew',
    ]);
    expect(causes[3]?.explanation).toMatch(/3600 s away from the server's Date header/);
  });

  it('a refused timestamp is said once, by the provider, however far the Date header is', () => {
    const causes = explain({
      request: { method: 'GET', url: 'https://api.example.com/r', authorization: 'OAuth oauth_timestamp="1"' },
      response: {
        status: 401,
        body: 'oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600',
        date: new Date(1_700_000_000_000).toUTCString(),
      },
      audience: 'cli',
    });
    expect(causes).toHaveLength(1);
    expect(causes[0]?.explanation).toMatch(
      /it accepts 1700000000-1700000600\)\. Set this machine's clock right, or pass --timestamp/,
    );
  });
});
