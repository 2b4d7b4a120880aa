import { accessToken, createSigner, isCountersignError, isOAuthError, requestToken } from '@countersign/core';
import {
  createEtradeSession,
  ETRADE_IDLE_MS,
  etradeAuthorizeUrl,
  etradeEndpoints,
  etradeTokenExpiry,
} from '@countersign/etrade';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterEach, describe, expect, it } from 'vitest';

const APP = { key: 'etradeConsumerKey00000', secret: 'etrade consumer secret' };
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('E*TRADE: midnight US Eastern', () => {
  it.each([
    ['an evening in summer (EDT)', '2026-07-01T20:00:00Z', '2026-07-02T04:00:00.000Z'],
    ['just before midnight EDT', '2026-07-02T03:59:00Z', '2026-07-02T04:00:00.000Z'],
    ['at midnight: the next one', '2026-07-02T04:00:00Z', '2026-07-03T04:00:00.000Z'],
    ['winter (EST)', '2026-12-04T06:00:00Z', '2026-12-05T05:00:00.000Z'],
    ['the evening before DST starts', '2026-03-08T03:00:00Z', '2026-03-08T05:00:00.000Z'],
    ['the night DST ends, 01:30 EDT', '2026-11-01T05:30:00Z', '2026-11-02T05:00:00.000Z'],
  ])('%s', (_name, issued, expires) => {
    expect(new Date(etradeTokenExpiry(Date.parse(issued))).toISOString()).toBe(expires);
  });
});

describe('E*TRADE: bad input', () => {
  it('is refused with a typed error that says what to pass', () => {
    expect(() => etradeAuthorizeUrl('key', 'token', '/e/t/etws/authorize')).toThrow(
      expect.objectContaining({
        code: 'invalid_url',
        message: expect.stringContaining('authorizeUrl: expected an absolute URL'),
      }),
    );
    expect(() => etradeTokenExpiry(Number.NaN)).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => etradeTokenExpiry(new Date('not a date'))).toThrow(/issuedAt: expected a Date or milliseconds/);
  });
});

describe('E*TRADE against the sandbox playing it', () => {
  it('GET token requests, the key/token authorize page, then renew after two idle hours, expiry at midnight, revoke', async () => {
    let now = Date.parse('2026-07-01T14:00:00Z'); // 10:00 in New York
    const clock = () => now;
    sandbox = await startSandbox({ consumers: [APP], profile: { provider: 'etrade' }, now: clock });
    const signer = await authorizedSigner(sandbox, clock);
    const session = createEtradeSession({ signer, base: sandbox.url, now: clock });
    const accounts = `${sandbox.url}/v1/accounts/list.json`;
    expect((await session.fetch(accounts)).status).toBe(200);

    // Two idle hours: the token is inactive at E*TRADE; used as is, it is refused…
    now += ETRADE_IDLE_MS + 1000;
    const plain = await signer.sign({ method: 'GET', url: accounts });
    const refused = await fetch(accounts, { headers: { authorization: signed(plain.authorization) } });
    expect(refused.status).toBe(401);
    expect(new URLSearchParams(await refused.text()).get('oauth_problem_advice')).toContain(
      'renew it with GET /oauth/renew_access_token',
    );
    // …while the session renews it first, and the request goes through.
    now += 1000;
    expect((await session.fetch(accounts)).status).toBe(200);

    // Past midnight US Eastern, renewal cannot help: the session says so before sending.
    now = session.expiresAt + 1000;
    const expired = await session.fetch(accounts).catch((error: unknown) => error);
    expect(isCountersignError(expired) && expired.code).toBe('token_expired');
    expect((expired as Error).message).toMatch(/expired at midnight US Eastern \(2026-07-02T04:00:00\.000Z\)/);
  });

  it('revoke: the token is refused afterwards', async () => {
    sandbox = await startSandbox({ consumers: [APP], profile: { provider: 'etrade' } });
    const signer = await authorizedSigner(sandbox, Date.now);
    const session = createEtradeSession({ signer, base: sandbox.url });
    await session.revoke();
    const other = createEtradeSession({ signer, base: sandbox.url });
    const after = await other.fetch(`${sandbox.url}/v1/accounts/list.json`);
    expect(after.status).toBe(401);
    const again = await session.fetch(`${sandbox.url}/v1/accounts/list.json`).catch((error: unknown) => error);
    expect(isCountersignError(again) && !isOAuthError(again) && again.code).toBe('token_expired');
  });
});

/** The E*TRADE flow against the sandbox: GET token requests and the key/token authorize page. */
async function authorizedSigner(sandbox: Sandbox, clock: () => number) {
  const endpoints = etradeEndpoints(sandbox.url, `${sandbox.url}/e/t/etws/authorize`);
  const consumer = createSigner({ consumerKey: APP.key, consumerSecret: APP.secret, clock });
  const requestTokens = await requestToken(consumer, endpoints, { callback: 'oob' });
  const page = etradeAuthorizeUrl(APP.key, requestTokens.token, endpoints.authorizeUrl);
  expect(new URL(page).searchParams.get('key')).toBe(APP.key);
  const verifier = /Your verifier: (\w+)/.exec(await (await fetch(page)).text())?.[1] ?? '';
  const access = await accessToken(consumer, endpoints, {
    token: requestTokens.token,
    tokenSecret: requestTokens.tokenSecret,
    verifier,
  });
  return createSigner({
    consumerKey: APP.key,
    consumerSecret: APP.secret,
    token: access.token,
    tokenSecret: access.tokenSecret,
    clock,
  });
}

describe('E*TRADE: a token issued directly by the sandbox', () => {
  it('lives by the same rules: inactive after two idle hours', async () => {
    let now = Date.parse('2026-07-01T14:00:00Z');
    const clock = () => now;
    sandbox = await startSandbox({ consumers: [APP], profile: { provider: 'etrade' }, now: clock });
    const { token, tokenSecret } = sandbox.issueAccessToken(APP.key);
    const signer = createSigner({ consumerKey: APP.key, consumerSecret: APP.secret, token, tokenSecret, clock });
    const send = async () => {
      const request = await signer.sign({ method: 'GET', url: `${sandbox?.url}/v1/accounts/list.json` });
      return (await fetch(request.url, { headers: { authorization: signed(request.authorization) } })).status;
    };
    expect(await send()).toBe(200);
    now += ETRADE_IDLE_MS + 1000;
    expect(await send()).toBe(401);
  });
});

function signed(authorization: string | undefined): string {
  if (authorization === undefined) throw new Error('no Authorization header');
  return authorization;
}
