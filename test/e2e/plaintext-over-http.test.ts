import { installOAuth } from '@countersign/axios';
import { createOAuthFetch, createSigner, isCountersignError, type SignerOptions } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import axios from 'axios';
import ky from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// PLAINTEXT's signature is the consumer and token secrets themselves: RFC 5849 §3.4.4 allows
// it only over TLS, and our verifier refuses it over http. Attack (#24): the signer sent it in
// clear. The sandbox below listens on loopback http and accepts PLAINTEXT there, so every
// request that reaches it shows what a signer would have put on the wire.
const CONSUMER = { key: 'plaintextConsumerKey00', secret: 'the consumer secret' };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER] });
});
afterAll(() => sandbox.close());

const plaintext = (options: Partial<SignerOptions> = {}) =>
  createSigner({
    consumerKey: CONSUMER.key,
    consumerSecret: CONSUMER.secret,
    signatureMethod: 'PLAINTEXT',
    ...options,
  });

/** Sends one echo request by each client; what each gives back (a status, or the error's code). */
const clients = {
  'the signer': async (options?: Partial<SignerOptions>) => {
    const signed = await plaintext(options).sign({ method: 'GET', url: `${sandbox.url}/1/echo` });
    const response = await fetch(signed.url, { headers: { authorization: signed.authorization as string } });
    return response.status;
  },
  'the fetch wrapper': async (options?: Partial<SignerOptions>) =>
    (await createOAuthFetch(plaintext(options))(`${sandbox.url}/1/echo`)).status,
  axios: async (options?: Partial<SignerOptions>) => {
    const api = axios.create({ adapter: 'http' });
    installOAuth(api, plaintext(options));
    return (await api.get(`${sandbox.url}/1/echo`)).status;
  },
  'ky 1': async (options?: Partial<SignerOptions>) =>
    (await ky(`${sandbox.url}/1/echo`, { retry: 0, ...kyOAuth(plaintext(options)) })).status,
};

describe('PLAINTEXT over http: refused unless the caller opts in (allowPlaintextOverHttp)', () => {
  for (const [client, send] of Object.entries(clients)) {
    it(`${client}: refused with plaintext_over_http before anything is sent; sent once opted in`, async () => {
      const error = await send().catch((caught: unknown) => caught);
      // axios wraps what its adapter threw; the cause is the signer's error itself.
      const refusal = isCountersignError(error) ? error : (error as { cause?: unknown })?.cause;
      expect(isCountersignError(refusal) && refusal.code).toBe('plaintext_over_http');
      expect(String((refusal as Error).message)).not.toContain(CONSUMER.secret);
      expect(await send({ allowPlaintextOverHttp: true })).toBe(200);
    });
  }

  it('https is signed as before, without opting in', async () => {
    const signed = await plaintext().sign({ method: 'GET', url: 'https://api.example.com/r' });
    expect(signed.authorization).toContain('oauth_signature="the%2520consumer%2520secret%26"');
  });
});
