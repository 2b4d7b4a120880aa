import { createSigner, explain, isOAuthError, type OAuthError, throwIfRefused } from '@countersign/core';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CONSUMER = { key: 'explainConsumerKey0000', secret: 'explain secret' };
const FORM = 'application/x-www-form-urlencoded';
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER] });
});
afterAll(() => sandbox.close());

const signer = (options = {}) =>
  createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, ...options });

/** Sends a request and returns the typed refusal (with the sandbox's own base string). */
async function refusal(
  send: { url: string; method?: string; authorization: string; body?: string },
  signedBaseString: string,
): Promise<OAuthError> {
  const response = await fetch(send.url, {
    method: send.method ?? 'GET',
    headers: { authorization: send.authorization, ...(send.body ? { 'content-type': FORM } : {}) },
    body: send.body,
  });
  const error = await throwIfRefused(response, signedBaseString).catch((e: unknown) => e);
  if (!isOAuthError(error)) throw new Error(`expected a refusal, got ${response.status}`);
  return error;
}

/** The base string a server computes for a request, from the sandbox's echo. */
async function serverBaseString(url: string): Promise<string> {
  const signed = await signer().sign({ method: 'GET', url });
  const response = await fetch(signed.url, { headers: { authorization: signed.authorization as string } });
  return ((await response.json()) as { baseString: string }).baseString;
}

describe('explain names the right cause first', () => {
  it('+ for a space in the base string', async () => {
    const correct = await serverBaseString(`${sandbox.url}/1/echo?q=a%20b`);
    const naive = correct.replace('q%3Da%2520b', 'q%3Da%2Bb');
    expect(explain({ ourBaseString: naive, serverBaseString: correct })[0]?.cause).toBe('plus_for_space');
  });

  it("!*'() left unencoded (encodeURIComponent as the encoder)", async () => {
    const correct = await serverBaseString(`${sandbox.url}/1/echo?status=it%27s`);
    const naive = correct.replace('status%3Dit%2527s', "status%3Dit's");
    const [first] = explain({ ourBaseString: naive, serverBaseString: correct });
    expect(first?.cause).toBe('unencoded_reserved_characters');
  });

  it('body parameters left out of the signature', async () => {
    const url = `${sandbox.url}/1/echo`;
    const signed = await signer().sign({ method: 'POST', url });
    const body = 'status=hello';
    const error = await refusal(
      { url, method: 'POST', authorization: signed.authorization as string, body },
      signed.baseString,
    );
    const [first] = explain({ error, request: { body, contentType: FORM } });
    expect(first).toMatchObject({ cause: 'body_params_not_signed', explanation: expect.stringMatching(/status/) });
  });

  it('a clock an hour off', async () => {
    const signed = await signer({ clockOffsetSeconds: -3600 }).sign({ method: 'GET', url: `${sandbox.url}/1/echo` });
    const error = await refusal({ url: signed.url, authorization: signed.authorization as string }, signed.baseString);
    expect(explain({ error })[0]?.cause).toBe('clock_skew');
    // From the response's Date header alone, too.
    expect(
      explain({
        request: { authorization: signed.authorization },
        response: { status: 401, date: new Date().toUTCString() },
      })[0]?.cause,
    ).toBe('clock_skew');
  });

  it('a reused nonce', async () => {
    const signed = await signer().sign({ method: 'GET', url: `${sandbox.url}/1/echo` });
    await fetch(signed.url, { headers: { authorization: signed.authorization as string } });
    const error = await refusal({ url: signed.url, authorization: signed.authorization as string }, signed.baseString);
    expect(explain({ error })[0]?.cause).toBe('nonce_reused');
  });

  it('reverse auth with x_auth_mode in the body only', async () => {
    const body = 'x_auth_mode=reverse_auth';
    const signed = await signer().sign({
      method: 'POST',
      url: sandbox.endpoints.requestTokenUrl,
      body,
      contentType: FORM,
    });
    const error = await refusal(
      { url: signed.url, method: 'POST', authorization: signed.authorization as string, body },
      signed.baseString,
    );
    const [first] = explain({ error, request: { authorization: signed.authorization, body, contentType: FORM } });
    expect(first).toMatchObject({
      cause: 'reverse_auth_mode_placement',
      explanation: expect.stringMatching(/only in the body/),
    });
  });

  it('an echoed base string (Atlassian-style) that differs in one parameter', async () => {
    const signed = await signer().sign({ method: 'GET', url: `${sandbox.url}/1/echo?count=5` });
    const error = await refusal(
      { url: `${sandbox.url}/1/echo?count=5&include_entities=true`, authorization: signed.authorization as string },
      signed.baseString,
    );
    const [first] = explain({ error });
    expect(first).toMatchObject({
      cause: 'params_sent_not_signed',
      explanation: expect.stringMatching(/include_entities/),
    });
  });

  it('a parameter string encoded only once', async () => {
    const correct = await serverBaseString(`${sandbox.url}/1/echo?q=x`);
    const [method, uri, parameters] = correct.split('&');
    const once = `${method}&${uri}&${decodeURIComponent(parameters as string)}`;
    expect(explain({ ourBaseString: once, serverBaseString: correct })[0]?.cause).toBe('not_double_encoded');
  });

  it('identical base strings leave the signing key', () => {
    const base = 'GET&https%3A%2F%2Fa.example%2F&oauth_consumer_key%3Dk';
    expect(explain({ ourBaseString: base, serverBaseString: base })[0]?.cause).toBe('signing_key');
  });

  it('base strings of two different signings: said so, not a spurious parameter cause', async () => {
    const first = await signer().sign({ method: 'GET', url: `${sandbox.url}/1/echo` });
    const second = await signer().sign({ method: 'GET', url: `${sandbox.url}/1/echo` });
    const causes = explain({ ourBaseString: first.baseString, serverBaseString: second.baseString });
    expect(causes.map((cause) => cause.cause)).toEqual(['different_signings']);
  });

  it('a difference inside a password is found, and the password never printed', () => {
    const password = 'pa!ss';
    const theirs = `POST&https%3A%2F%2Fapi.x.com%2Foauth%2Faccess_token&x_auth_password%3Dpa%2521ss`;
    const ours = `POST&https%3A%2F%2Fapi.x.com%2Foauth%2Faccess_token&x_auth_password%3D${encodeURIComponent(encodeURIComponent(password))}`;
    const causes = explain({ ourBaseString: ours, serverBaseString: theirs });
    expect(causes[0]?.cause).toBe('unencoded_reserved_characters');
    expect(JSON.stringify(causes)).not.toContain('pa!ss');
    expect(JSON.stringify(causes)).not.toContain('pa%21ss');
  });
});
