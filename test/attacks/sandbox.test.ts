import { createSigner } from '@countersign/core';
import { startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttp, rawRequest } from '../../packages/server/test/raw-http.ts';

// The sandbox's verification, attacked as the server's is: it is a provider that tests and
// demos point real clients at.
const A = { key: 'sandboxConsumerA000000', secret: 'secret-a' };
const B = { key: 'sandboxConsumerB000000', secret: 'secret-b' };
const FORM = 'application/x-www-form-urlencoded';
let sandbox: Awaited<ReturnType<typeof startSandbox>>;

beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [A, B] });
});
afterAll(() => sandbox.close());

describe('sandbox verification under attack', () => {
  it("consumer B presenting A's access token is refused (the record names its consumer)", async () => {
    const issued = sandbox.issueAccessToken(A.key);
    const asB = createSigner({
      consumerKey: B.key,
      consumerSecret: B.secret,
      token: issued.token,
      tokenSecret: issued.tokenSecret,
    });
    const signed = await asB.sign({ method: 'GET', url: `${sandbox.url}/1.1/account.json` });
    const response = await fetch(signed.url, { headers: { authorization: signed.authorization as string } });
    expect(response.status).toBe(401);
    expect(new URLSearchParams(await response.text()).get('oauth_problem')).toBe('token_rejected');
    const asA = createSigner({
      consumerKey: A.key,
      consumerSecret: A.secret,
      token: issued.token,
      tokenSecret: issued.tokenSecret,
    });
    const genuine = await asA.sign({ method: 'GET', url: `${sandbox.url}/1.1/account.json` });
    expect((await fetch(genuine.url, { headers: { authorization: genuine.authorization as string } })).status).toBe(
      200,
    );
  });

  it('/\\other.host/x is refused, not verified as a request to other.host', async () => {
    const signed = await createSigner({ consumerKey: A.key, consumerSecret: A.secret }).sign({
      method: 'GET',
      url: 'http://other.host/x',
    });
    const { host } = new URL(sandbox.url);
    const answer = await rawRequest(
      sandbox.url,
      rawHttp('GET /\\other.host/x HTTP/1.1', { Host: host, Authorization: signed.authorization as string }),
    );
    expect(answer.status).toBe(400);
  });

  it('a dot-segment target is refused, not verified as the path it resolves to', async () => {
    const signed = await createSigner({ consumerKey: A.key, consumerSecret: A.secret }).sign({
      method: 'GET',
      url: `${sandbox.url}/echo`,
    });
    const { host } = new URL(sandbox.url);
    const answer = await rawRequest(
      sandbox.url,
      rawHttp('GET /private/%2e%2e/echo HTTP/1.1', { Host: host, Authorization: signed.authorization as string }),
    );
    expect(answer.status).toBe(400);
  });

  it('a 1 MiB body of pairs without = is refused at once, and every refusal stays under 8 KB', async () => {
    const signed = await createSigner({ consumerKey: A.key, consumerSecret: A.secret }).sign({
      method: 'POST',
      url: `${sandbox.url}/echo`,
    });
    const started = performance.now();
    const response = await fetch(`${sandbox.url}/echo`, {
      method: 'POST',
      headers: { authorization: signed.authorization as string, 'content-type': FORM },
      body: 'a&'.repeat(512 * 1024 - 8),
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(new URLSearchParams(text).get('oauth_problem')).toBe('parameter_rejected');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(8 * 1024);
    expect(performance.now() - started).toBeLessThan(2000);
    const large = await fetch(`${sandbox.url}/echo`, {
      method: 'POST',
      headers: { authorization: signed.authorization as string, 'content-type': FORM },
      body: `data=${'x'.repeat(1000 * 1000)}`,
    });
    expect(large.status).toBe(401);
    expect(Buffer.byteLength(await large.text())).toBeLessThanOrEqual(8 * 1024);
  });

  it('a refused signature is explained: a + signed literally is named', async () => {
    // The client signed the query's + as a plus, as oauth-1.0a does.
    const signer = createSigner({ consumerKey: A.key, consumerSecret: A.secret });
    const signed = await signer.sign({ method: 'GET', url: `${sandbox.url}/search?q=a%2Bb` });
    const response = await fetch(`${sandbox.url}/search?q=a+b`, {
      headers: { authorization: signed.authorization as string },
    });
    expect(response.status).toBe(401);
    const advice = new URLSearchParams(await response.text()).get('oauth_problem_advice');
    expect(advice).toMatch(/literal plus/);
  });
});
