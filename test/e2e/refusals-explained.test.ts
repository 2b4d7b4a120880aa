import { installOAuth } from '@countersign/axios';
import {
  createOAuthFetch,
  createSigner,
  explain,
  isOAuthError,
  type SignedEvent,
  signingOf,
  throwIfRefused,
} from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import axios, { AxiosError } from 'axios';
import ky, { HTTPError } from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A refusal met through the fetch wrapper carries the signing that was sent, so the
// explanation can compare both base strings instead of guessing.
const CONSUMER = { key: 'refusalConsumerKey0000', secret: 'the right secret' };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER] });
});
afterAll(() => sandbox.close());

const wrongSecret = () => createSigner({ consumerKey: CONSUMER.key, consumerSecret: 'a wrong secret' });

describe('refusals through the fetch wrapper are explained from the signing that was sent', () => {
  it('a wrong consumer secret: throwIfRefused(response) alone names the signing key', async () => {
    const response = await createOAuthFetch(wrongSecret())(`${sandbox.url}/1/echo?q=1`);
    expect(signingOf(response)?.baseString).toMatch(/^GET&/);
    const error = await throwIfRefused(response).catch((caught: unknown) => caught);
    expect(isOAuthError(error)).toBe(true);
    if (!isOAuthError(error)) return;
    expect(error.baseString).toBe(signingOf(response)?.baseString);
    expect(error.serverBaseString).toBe(error.baseString);
    expect(explain({ error })[0]?.cause).toBe('signing_key');
  });

  it('onRefusal: throwIfRefused makes the wrapper reject with that OAuthError itself', async () => {
    const oauthFetch = createOAuthFetch(wrongSecret(), { onRefusal: throwIfRefused });
    const error = await oauthFetch(`${sandbox.url}/1/echo`, {
      method: 'POST',
      body: new URLSearchParams({ a: '1' }),
    }).catch((caught: unknown) => caught);
    expect(isOAuthError(error) && error.problem).toBe('signature_invalid');
    expect(isOAuthError(error) && explain({ error })[0]?.cause).toBe('signing_key');
  });

  it('a body parameter the server saw but we did not sign: named from the error alone', async () => {
    const signer = createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });
    // Signed as JSON (not a form), sent with a form Content-Type by a misconfigured proxy.
    const sneaky = createOAuthFetch(signer, {
      fetch: (url, init) =>
        fetch(url, {
          ...init,
          headers: {
            ...Object.fromEntries(new Headers(init?.headers)),
            'content-type': 'application/x-www-form-urlencoded',
          },
        }),
    });
    const response = await sneaky(`${sandbox.url}/1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'extra=1',
    });
    const error = await throwIfRefused(response).catch((caught: unknown) => caught);
    expect(isOAuthError(error) && error.problem).toBe('signature_invalid');
    expect(isOAuthError(error) && explain({ error })[0]?.cause).toMatch(
      /params_sent_not_signed|body_params_not_signed/,
    );
  });

  it('onSigned sees every signed request, redacted, and its base string is the one the server verified', async () => {
    const events: SignedEvent[] = [];
    const signer = createSigner({
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      signatureMethod: 'PLAINTEXT',
      transmission: 'query',
      allowPlaintextOverHttp: true,
    });
    const response = await createOAuthFetch(signer, { onSigned: (event) => events.push(event) })(
      `${sandbox.url}/1/echo?x=1`,
    );
    const echoed = (await response.json()) as { baseString: string };
    expect(events).toHaveLength(1);
    expect(events[0]?.baseString).toBe(echoed.baseString);
    expect(events[0]?.url).toContain('oauth_signature=[redacted]');
    expect(JSON.stringify(events)).not.toContain('right%20secret');
  });

  it('ky: the HTTPError’s cause is the OAuthError, one property away', async () => {
    const error = await ky(`${sandbox.url}/1/echo`, { ...kyOAuth(wrongSecret()) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HTTPError);
    const cause = (error as HTTPError).cause;
    expect(isOAuthError(cause) && cause.problem).toBe('signature_invalid');
    expect(isOAuthError(cause) && explain({ error: cause })[0]?.cause).toBe('signing_key');
    // The response stays readable for the caller.
    expect(new URLSearchParams(await (error as HTTPError).response.text()).get('oauth_problem')).toBe(
      'signature_invalid',
    );
  });

  it('ky: hooks of your own are kept when kyOAuth comes in through extend()', async () => {
    const seen: number[] = [];
    const api = ky
      .create({ hooks: { afterResponse: [(_request, _options, response) => void seen.push(response.status)] } })
      .extend(kyOAuth(wrongSecret()));
    const error = await api(`${sandbox.url}/1/echo`).catch((caught: unknown) => caught);
    expect(seen).toEqual([401]);
    expect(isOAuthError((error as HTTPError).cause)).toBe(true);
  });

  it('axios: the AxiosError’s cause is the OAuthError, and onSigned saw the request', async () => {
    const api = axios.create();
    const events: SignedEvent[] = [];
    installOAuth(api, wrongSecret(), { onSigned: (event) => events.push(event) });
    const error = await api
      .post(`${sandbox.url}/1/echo`, new URLSearchParams({ a: '1' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AxiosError);
    const cause = (error as AxiosError).cause;
    expect(isOAuthError(cause) && cause.problem).toBe('signature_invalid');
    expect(isOAuthError(cause) && cause.baseString).toBe(events[0]?.baseString);
    expect(isOAuthError(cause) && explain({ error: cause })[0]?.cause).toBe('signing_key');
  });
});
