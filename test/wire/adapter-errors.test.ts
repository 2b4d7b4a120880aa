/**
 * The errors axios and ky throw for a signed request are what error reporters serialize:
 * `toJSON()`, `JSON.stringify`, `util.inspect` at any depth, and the `config` they carry.
 * None of them may hold a secret: a PLAINTEXT signature (the secrets themselves, in the
 * header, the query or the body) or an `x_auth_password` in a form body.
 */
import { installOAuth } from '@countersign/axios';
import { isOAuthError } from '@countersign/core';
import axios from 'axios';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import {
  caught,
  describeKyErrors,
  expectNoSeed,
  hmacSigner,
  PASSWORD,
  plaintextSigner,
  printed,
  refusingServer,
} from './run-adapter-errors.ts';

const server = refusingServer();

describe.each(['http', 'fetch'] as const)('axios (%s adapter): a refused or failed request', (adapter) => {
  for (const transmission of ['header', 'query', 'body'] as const) {
    for (const target of ['refusing', 'closed'] as const) {
      it(`PLAINTEXT in the ${transmission}, ${target} server`, async () => {
        const api = axios.create({ adapter });
        installOAuth(api, plaintextSigner(transmission));
        const error = await caught(() =>
          api.post(`${target === 'refusing' ? server.origin : server.closedOrigin}/r?q=1`, 'a=1', {
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        );
        expect(axios.isAxiosError(error)).toBe(true);
        expectNoSeed(printed(error));
        const response = (error as { response?: unknown }).response;
        expect(response === undefined).toBe(target === 'closed');
        if (response !== undefined) expectNoSeed(printed(response));
      });
    }
  }

  it('x_auth_password in the form body', async () => {
    const api = axios.create({ adapter });
    installOAuth(api, hmacSigner());
    const error = await caught(() =>
      api.post(
        `${server.origin}/oauth/access_token`,
        `x_auth_username=bob&x_auth_password=${PASSWORD}&x_auth_mode=client_auth`,
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ),
    );
    expectNoSeed(printed(error));
  });

  it('the config stays usable: the same request sent again from error.config is signed afresh and carries the password', async () => {
    const api = axios.create({ adapter, validateStatus: (status) => status === 401 });
    installOAuth(api, hmacSigner());
    const body = `x_auth_username=bob&x_auth_password=${PASSWORD}`;
    const first = await api.post(`${server.origin}/r`, body, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectNoSeed(printed({ config: first.config }));
    // What axios-retry does: send error.config (here response.config) through the instance again.
    const again = await api.request(first.config);
    expect(again.status).toBe(401);
    expect(again.config.data).toBe(body);
  });
});

describe('axios: a refusal whose data is not text', () => {
  it.each(['http', 'fetch'] as const)(
    'a stream (responseType: stream, %s adapter) is not quoted as an object',
    async (adapter) => {
      // The OAuthError quoted JSON.stringify of the stream: its internal state, bytes as numbers.
      const api = axios.create({ adapter });
      installOAuth(api, hmacSigner());
      const error = await caught(() => api.get(`${server.origin}/r`, { responseType: 'stream' }));
      expect(axios.isAxiosError(error), String(error)).toBe(true);
      const cause = (error as Error).cause;
      expect(isOAuthError(cause)).toBe(true);
      expect((cause as Error).message).not.toMatch(/_readableState|highWaterMark|locked|\{/);
    },
  );
});

describeKyErrors('ky 1', ky);
