import { generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createOAuthFetch, createSigner, type SignatureMethodName } from '@countersign/core';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawStatus } from '../../packages/server/test/raw-http.ts';

// Attacks on the sandbox as a provider: it must refuse them the way a production server would.
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_APP = { key: 'xeroPrivateAppKey000000', publicKey, privateApp: true };
let sandbox: Sandbox;
let corsSandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [PRIVATE_APP] });
  corsSandbox = await startSandbox({ consumers: [PRIVATE_APP], cors: true });
});
afterAll(async () => {
  await sandbox.close();
  await corsSandbox.close();
});

describe('sandbox: forgery on the Xero private-app route', () => {
  for (const signatureMethod of ['HMAC-SHA1', 'PLAINTEXT'] as SignatureMethodName[]) {
    it(`${signatureMethod} with an empty consumer secret is refused (the consumer has only an RSA key)`, async () => {
      const forger = createSigner({
        consumerKey: PRIVATE_APP.key,
        consumerSecret: '',
        token: PRIVATE_APP.key,
        tokenSecret: '',
        signatureMethod,
        // A forger opts in to whatever gets the request out.
        allowPlaintextOverHttp: true,
      });
      const response = await createOAuthFetch(forger)(`${sandbox.url}/api.xro/2.0/Organisation`);
      expect(response.status).toBe(401);
      expect(new URLSearchParams(await response.text()).get('oauth_problem')).toBe('signature_method_rejected');
    });
  }

  it('the real private app (RSA-SHA1) still gets in', async () => {
    const signer = createSigner({
      consumerKey: PRIVATE_APP.key,
      privateKey,
      signatureMethod: 'RSA-SHA1',
      token: PRIVATE_APP.key,
      tokenSecret: '',
    });
    expect((await createOAuthFetch(signer)(`${sandbox.url}/api.xro/2.0/Organisation`)).status).toBe(200);
  });
});

describe('sandbox: malformed request targets get a 4xx, not a 500', () => {
  for (const [name, line] of [
    ['absolute-form', 'GET http://other.example/steal HTTP/1.1'],
    ['asterisk-form', 'OPTIONS * HTTP/1.1'],
    ['scheme-relative', 'GET //other.example/steal HTTP/1.1'],
  ] as const) {
    it(`${name}`, async () => {
      for (const target of [sandbox, corsSandbox]) {
        expect(await rawStatus(target.url, `${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).toBe(400);
      }
    });
  }

  it('a malformed Host header', async () => {
    expect(await rawStatus(sandbox.url, 'GET /1/echo HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n')).toBe(400);
  });
});

describe('sandbox: bodies', () => {
  it('a 200 MB upload is refused with 413 before it is read', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(`${sandbox.url}/1/echo`, {
        method: 'POST',
        headers: { 'content-length': String(200 * 1024 * 1024), 'content-type': 'application/octet-stream' },
      });
      outgoing.on('response', (response) => resolve(response.statusCode ?? 0));
      outgoing.on('error', reject);
      outgoing.write(Buffer.alloc(64 * 1024));
    });
    expect(status).toBe(413);
  });
});
