// ky 2 needs Node ≥ 22: this file runs under `npx -y node@22` (vitest.node22.config.ts).
import { kyOAuth } from '@countersign/ky';
import ky from 'ky2';
import { describe, expect, it } from 'vitest';
import { wireSigner } from './credentials.ts';
import { kyDriver } from './drivers.ts';
import { type NoChunkedArrival, startNoChunkedServer } from './no-chunked-server.ts';
import { describeWireCases } from './run-cases.ts';
import { describeKyBodies } from './run-ky-bodies.ts';
import { describeRetries } from './run-retries.ts';

describeWireCases('ky 2', () => kyDriver(ky as never, 2, wireSigner()));

describeRetries('ky 2', () => {
  const api = ky.create({ ...kyOAuth(wireSigner()), retry: { limit: 2, delay: () => 0 } });
  return async (url) => (await api.get(url)).status;
});

describe('ky 2: a JSON POST keeps its Content-Length through kyOAuth', () => {
  it('arrives whole at a server that does not read chunked bodies', async () => {
    const server = await startNoChunkedServer();
    try {
      const arrival = await ky
        .post(`${server.url}/signed`, { json: { text: 'hello' }, ...kyOAuth(wireSigner()) })
        .json<NoChunkedArrival>();
      expect(arrival).toEqual({ contentLength: '16', transferEncoding: null, body: '{"text":"hello"}' });
    } finally {
      server.close();
    }
  });
});

describe('ky 2: a refusal carries the OAuthError as the HTTPError’s cause', () => {
  it('with both base strings, from the body ky 2 already read', async () => {
    const { startSandbox } = await import('@countersign/sandbox');
    const { createSigner, isOAuthError, explain } = await import('@countersign/core');
    const sandbox = await startSandbox({ consumers: [{ key: 'ky2ConsumerKey00000000', secret: 'right' }] });
    try {
      const signer = createSigner({ consumerKey: 'ky2ConsumerKey00000000', consumerSecret: 'wrong' });
      const error = await ky(`${sandbox.url}/1/echo`, { ...kyOAuth(signer), retry: 0 }).catch(
        (caught: unknown) => caught,
      );
      const cause = (error as Error).cause;
      expect(isOAuthError(cause) && cause.problem).toBe('signature_invalid');
      expect(isOAuthError(cause) && explain({ error: cause })[0]?.cause).toBe('signing_key');
    } finally {
      await sandbox.close();
    }
  });
});

describeKyBodies('ky 2', ky as never, 2);
