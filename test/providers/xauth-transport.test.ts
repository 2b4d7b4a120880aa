import { createSigner, isCountersignError } from '@countersign/core';
import { xAuth } from '@countersign/twitter';
import { describe, expect, it } from 'vitest';

// xAuth sends the user's password itself in the form body. Over http that is the password in
// clear to every hop, as PLAINTEXT's secrets are, which the signer already refuses.
const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });

function recordingFetch() {
  const sent: string[] = [];
  const fetch = async (input: string | URL | Request) => {
    sent.push(String(input));
    return new Response('oauth_token=t&oauth_token_secret=ts');
  };
  return { fetch, sent };
}

describe('xAuth and the transport of the password', () => {
  it('an http: access-token URL on another host is refused before anything is sent', async () => {
    const { fetch, sent } = recordingFetch();
    const error = await xAuth(signer, {
      username: 'ada',
      password: 'Seeded-Password-x1',
      accessTokenUrl: 'http://www.instapaper.com/api/1/oauth/access_token',
      fetch,
    }).catch((e: Error) => e);
    expect(isCountersignError(error) && error.code).toBe('plaintext_over_http');
    expect((error as Error).message).toContain('https');
    expect((error as Error).message).not.toContain('Seeded-Password');
    expect(sent).toEqual([]);
  });

  it('https, a loopback http server (a test provider) and an explicit opt-in still send', async () => {
    for (const [accessTokenUrl, more] of [
      ['https://www.instapaper.com/api/1/oauth/access_token', {}],
      ['http://127.0.0.1:8080/oauth/access_token', {}],
      ['http://localhost:8080/oauth/access_token', {}],
      ['http://[::1]:8080/oauth/access_token', {}],
      ['http://xauth.internal/oauth/access_token', { allowPasswordOverHttp: true }],
    ] as const) {
      const { fetch, sent } = recordingFetch();
      const tokens = await xAuth(signer, { username: 'ada', password: 'pw', accessTokenUrl, fetch, ...more });
      expect(tokens.token).toBe('t');
      expect(sent).toHaveLength(1);
    }
  });
});
