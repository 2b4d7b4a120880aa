import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_LAUNCH, startToolProvider } from '../../examples/lti-tool-provider.ts';
import { pythonWithOauthlib } from '../oauthlib/judge.ts';

// The LMS here is oauthlib, an implementation we did not write: it signs the launches,
// our tool provider example (built on @countersign/server) verifies them.
const LMS = { key: 'oauthlibLmsConsumer0000', secret: 'lms shared secret +/&' };
let tool: Awaited<ReturnType<typeof startToolProvider>>;

beforeAll(async () => {
  tool = await startToolProvider({ consumers: new Map([[LMS.key, LMS.secret]]) });
});
afterAll(() => tool.close());

/** Launch forms signed by oauthlib (HMAC-SHA1, OAuth parameters in the body), in one Python run. */
function signedByOauthlib(
  launches: ReadonlyArray<ReadonlyArray<readonly [string, string]>>,
  secret = LMS.secret,
  extra: { url?: string; token?: string; tokenSecret?: string } = {},
): string[] {
  const input = launches.map((params) => ({
    url: tool.url,
    consumerKey: LMS.key,
    consumerSecret: secret,
    params,
    ...extra,
  }));
  const result = spawnSync(
    pythonWithOauthlib(),
    [fileURLToPath(new URL('../oauthlib/sign_body.py', import.meta.url))],
    {
      input: JSON.stringify(input),
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as string[];
}

const post = (body: string) =>
  fetch(tool.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

describe('LTI 1.1 tool provider example, launches signed by oauthlib', () => {
  it('accepts genuine launches (including names and values that need encoding)', async () => {
    const launches = [
      SAMPLE_LAUNCH,
      [
        ...SAMPLE_LAUNCH.filter(([name]) => name !== 'lis_person_name_full'),
        ['lis_person_name_full', "Zoë O'Brien-Smith (TA) + co!"],
      ],
      [...SAMPLE_LAUNCH, ['custom_a b', 'x=y&z'], ['ext_empty', '']],
    ] as const;
    const bodies = signedByOauthlib(launches);
    const first = await Promise.all(bodies.map(async (body) => (await post(body)).status));
    expect(first).toEqual([200, 200, 200]);
    // The same launches sent again are replays.
    const again = await Promise.all(
      bodies.map(async (body) => new URLSearchParams(await (await post(body)).text()).get('oauth_problem')),
    );
    expect(again).toEqual(['nonce_used', 'nonce_used', 'nonce_used']);
  });

  it('shows the launch only when verified', async () => {
    const [body] = signedByOauthlib([SAMPLE_LAUNCH]);
    const response = await post(body as string);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('Welcome, Ada Lovelace (Learner), to Unit 3: Signatures.');
  });

  it('refuses tampered launches: a role raised, a user swapped, a parameter added or removed', async () => {
    const [body] = signedByOauthlib([SAMPLE_LAUNCH]);
    const tampered = [
      (body as string).replace('roles=Learner', 'roles=Instructor'),
      (body as string).replace('user_id=learner-7', 'user_id=learner-8'),
      `${body}&custom_grade=100`,
      (body as string).replace(/&?context_id=course-42/, ''),
    ];
    for (const variant of tampered) {
      expect(variant).not.toBe(body);
      const response = await post(variant);
      expect(response.status).toBe(401);
      expect(new URLSearchParams(await response.text()).get('oauth_problem')).toBe('signature_invalid');
    }
  });

  it('refuses a launch signed with the wrong secret, and one from an unknown LMS', async () => {
    const [wrongSecret] = signedByOauthlib([SAMPLE_LAUNCH], 'not the secret');
    const refused = await post(wrongSecret as string);
    expect(refused.status).toBe(401);
    const [genuine] = signedByOauthlib([SAMPLE_LAUNCH]);
    const unknown = await post(
      (genuine as string).replace(`oauth_consumer_key=${LMS.key}`, 'oauth_consumer_key=someOtherLms000000000'),
    );
    expect(new URLSearchParams(await unknown.text()).get('oauth_problem')).toBe('consumer_key_unknown');
  });

  it('a verified request that is not an LTI launch is still turned away', async () => {
    const [body] = signedByOauthlib([SAMPLE_LAUNCH.filter(([name]) => name !== 'resource_link_id')]);
    const response = await post(body as string);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('Not an LTI 1.1 launch: missing resource_link_id.');
  });

  it('a launch carrying an oauth_token is refused: launches are two-legged and the tool issues no token', async () => {
    const [body] = signedByOauthlib([SAMPLE_LAUNCH], LMS.secret, {
      token: 'someTokenFromElsewhere00',
      tokenSecret: 'x',
    });
    const response = await post(body as string);
    expect(response.status).toBe(401);
    expect(new URLSearchParams(await response.text()).get('oauth_problem')).toBe('token_rejected');
  });

  it('an LMS that signed https while the tool computed http (a TLS proxy, origin not set) is told why', async () => {
    const [body] = signedByOauthlib([SAMPLE_LAUNCH], LMS.secret, { url: tool.url.replace('http:', 'https:') });
    const refusal = new URLSearchParams(await (await post(body as string)).text());
    expect(refusal.get('oauth_problem')).toBe('signature_invalid');
    expect(refusal.get('oauth_problem_advice')).toMatch(
      /signed an https:\/\/ URL and this server verified http:\/\/.*origin option/,
    );
  });

  it('behind a TLS proxy with origin set, the launch the LMS signed for the public URL is accepted', async () => {
    const behindProxy = await startToolProvider({
      consumers: new Map([[LMS.key, LMS.secret]]),
      origin: 'https://tool.example.com',
    });
    try {
      const [body] = signedByOauthlib([SAMPLE_LAUNCH], LMS.secret, { url: 'https://tool.example.com/launch' });
      const response = await fetch(behindProxy.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-host': 'evil.example' },
        body: body as string,
      });
      expect(response.status).toBe(200);
    } finally {
      await behindProxy.close();
    }
  });
});
