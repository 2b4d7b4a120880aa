/**
 * nockSignedBy's behaviour, for every nock major the package supports: nock.test.ts runs it
 * with nock 14 on Node 20, nock.node22.test.ts with nock 15 (which needs Node 22).
 */
import { installOAuth } from '@countersign/axios';
import { createOAuthFetch, createSigner } from '@countersign/core';
import axios from 'axios';
import type nockOf14 from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nockSignedBy, OAuthMismatchError } from '../src/index.ts';

const CREDENTIALS = {
  consumerKey: 'nockConsumer',
  consumerSecret: 'nock-consumer-secret',
  token: 'nockToken',
  tokenSecret: 'nock-token-secret',
};
const SECRETS = [CREDENTIALS.consumerSecret, CREDENTIALS.tokenSecret];
const API = 'https://api.example.com';

/** The error a fetch through nock failed with: the reply's own error is its cause. */
async function failure(send: () => Promise<unknown>): Promise<Error> {
  const error = await send().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  const cause = (error as Error).cause;
  return (cause instanceof Error ? cause : error) as Error;
}

export function describeNockSignedBy(major: string, nock: typeof nockOf14): void {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  describe(`nockSignedBy (nock ${major}): a nock reply that verifies instead of matching a fixed header`, () => {
    it('answers a correctly signed form POST (the fetch wrapper) and hands the reply the verified request', async () => {
      const api = nock(API);
      const signed = nockSignedBy(api, CREDENTIALS);
      api
        .post('/1.1/statuses/update.json')
        .query(true)
        .reply(signed.reply(200, (verified) => ({ consumer: verified.consumerKey, params: verified.params.length })));
      const response = await createOAuthFetch(createSigner(CREDENTIALS))(
        `${API}/1.1/statuses/update.json?include_entities=true`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'status=Hello%20Ladies%20%2B%20Gentlemen',
        },
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ consumer: 'nockConsumer', params: 8 });
    });

    it('checks oauth_body_hash against the JSON bytes sent (axios), which nock would have parsed', async () => {
      const api = nock(API);
      const signed = nockSignedBy(api, CREDENTIALS);
      api.post('/v1/items').reply(signed.reply(201, { ok: true }));
      const client = axios.create({ baseURL: API });
      installOAuth(client, createSigner(CREDENTIALS), { oauth: { bodyHash: true } });
      const response = await client.post('/v1/items', { name: 'a  b', list: [1, 2] });
      expect(response.status).toBe(201);
    });

    it('checks oauth_body_hash against bytes that are not UTF-8 (nock hands those over as hex)', async () => {
      const api = nock(API);
      const signed = nockSignedBy(api, CREDENTIALS);
      api.post('/upload').times(2).reply(signed.reply(201, 'stored'));
      const upload = createOAuthFetch(createSigner(CREDENTIALS), { oauth: { bodyHash: true } });
      const send = (body: Uint8Array<ArrayBuffer> | string) =>
        upload(`${API}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
      // Signed over these five bytes; nock's text of them is "fffe008041".
      expect((await send(new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0x41]))).status).toBe(201);
      // A text body that is itself hex stays text: its length tells it apart.
      expect((await send('fffe008041')).status).toBe(201);
    });

    it('a body changed after signing is still refused when it is not UTF-8', async () => {
      const api = nock(API);
      const signed = nockSignedBy(api, CREDENTIALS);
      api.post('/upload').reply(signed.reply(201, 'stored'));
      const signer = createSigner(CREDENTIALS);
      const headers = { 'content-type': 'application/octet-stream' };
      const request = { method: 'POST', url: `${API}/upload`, contentType: headers['content-type'] };
      const hashed = await signer.sign({ ...request, body: new Uint8Array([0xff, 0x01]) }, { bodyHash: true });
      const error = await failure(() =>
        fetch(`${API}/upload`, {
          method: 'POST',
          headers: { ...headers, authorization: hashed.authorization as string },
          body: new Uint8Array([0xff, 0x02]),
        }),
      );
      expect((error as OAuthMismatchError).problem).toBe('signature_invalid');
    });

    it('a request signed with + for a space fails, and the message names that cause with both base strings', async () => {
      const api = nock(API);
      const signed = nockSignedBy(api, CREDENTIALS);
      api.get('/search').query(true).reply(signed.reply(200, 'found'));
      // The client signed q as "a+b" (a form-style encoder), and sent a%20b.
      const wrong = await createSigner(CREDENTIALS).sign({ method: 'GET', url: `${API}/search?q=a%2Bb` });
      const error = await failure(() =>
        fetch(`${API}/search?q=a%20b`, { headers: { authorization: wrong.authorization as string } }),
      );
      expect(error).toBeInstanceOf(OAuthMismatchError);
      expect((error as OAuthMismatchError).problem).toBe('signature_invalid');
      expect(error.message).toContain(
        'The OAuth 1.0a request GET https://api.example.com/search?q=a%20b does not verify (signature_invalid)',
      );
      expect(error.message).toContain('Likely cause: The client encoded spaces as + in the parameter string');
      expect((error as OAuthMismatchError).likelyCause).toBe('plus_for_space');
      expect(error.message).toContain('Base string expected: GET&https%3A%2F%2Fapi.example.com%2Fsearch&');
      expect(error.message).toContain('q%3Da%2520b');
      expect(error.message).toContain('Base string signed:   GET&');
      for (const secret of SECRETS) expect(error.message).not.toContain(secret);
    });

    it('names a token secret left out of the key, and a secret it cannot reproduce', async () => {
      const api = nock(API);
      const signed = nockSignedBy(api, CREDENTIALS);
      api.get('/r').times(2).reply(signed.reply(200, 'ok'));
      const noTokenSecret = createOAuthFetch(createSigner({ ...CREDENTIALS, tokenSecret: '' }));
      const first = await failure(() => noTokenSecret(`${API}/r`));
      expect(first.message).toContain('Likely cause: The client signed with the consumer secret alone');
      const wrongSecret = createOAuthFetch(createSigner({ ...CREDENTIALS, consumerSecret: 'another secret' }));
      const second = await failure(() => wrongSecret(`${API}/r`));
      expect(second.message).toContain('No common mistake reproduces the signature');
    });

    it('refuses a replayed nonce, as a provider would', async () => {
      const api = nock(API);
      const signed = nockSignedBy(api, CREDENTIALS);
      api.get('/r').times(2).reply(signed.reply(200, 'ok'));
      const fixedNonce = createOAuthFetch(createSigner({ ...CREDENTIALS, nonce: () => 'the-same-nonce-every-time' }));
      expect((await fixedNonce(`${API}/r`)).status).toBe(200);
      const error = await failure(() => fixedNonce(`${API}/r`));
      expect(error.message).toContain('(nonce_used)');
    });

    it('checks the expected method, URL and parameters once the signature verifies', async () => {
      const api = nock(API);
      const signed = nockSignedBy(api, { ...CREDENTIALS, params: { status: 'hello' } });
      api.post('/update').reply(signed.reply(200, 'ok'));
      const send = createOAuthFetch(createSigner(CREDENTIALS));
      const error = await failure(() =>
        send(`${API}/update`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'status=goodbye',
        }),
      );
      expect((error as OAuthMismatchError).problem).toBe('request_mismatch');
      expect(error.message).toContain('verifies, but expected parameter status = "hello"; it was signed as "goodbye".');
    });

    it('refuses a request without the expected token (fails closed)', async () => {
      const api = nock(API);
      api.get('/r').reply(nockSignedBy(api, CREDENTIALS).reply(200, 'ok'));
      const consumerOnly = createOAuthFetch(
        createSigner({ consumerKey: CREDENTIALS.consumerKey, consumerSecret: CREDENTIALS.consumerSecret }),
      );
      const error = await failure(() => consumerOnly(`${API}/r`));
      expect(error).toBeInstanceOf(OAuthMismatchError);
    });
  });
}
