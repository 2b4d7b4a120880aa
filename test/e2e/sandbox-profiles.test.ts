import { generateKeyPairSync } from 'node:crypto';
import { createOAuthFetch, createSigner, oauthErrorOf } from '@countersign/core';
import { createMagentoFetch } from '@countersign/magento';
import { createMastercardFetch } from '@countersign/mastercard';
import { createNetSuiteFetch } from '@countersign/netsuite';
import { type Sandbox, type SandboxProfile, startSandbox } from '@countersign/sandbox';
import { createWooCommerceFetch } from '@countersign/woocommerce';
import { afterEach, describe, expect, it } from 'vitest';

// The sandbox plays each provider with its quirk enforced: the provider's package is
// accepted, and the mistake the quirk is about is refused with a reason that names it.
const CONSUMER = { key: 'profileConsumerKey0000', secret: 'profile consumer secret' };
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const RSA_CONSUMER = { key: 'profileRsaConsumerKey0', publicKey: keys.publicKey };

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});
async function play(profile: SandboxProfile): Promise<Sandbox> {
  sandbox = await startSandbox({ consumers: [CONSUMER, RSA_CONSUMER], profile });
  return sandbox;
}
async function refusal(response: Response) {
  return oauthErrorOf({
    status: response.status,
    body: await response.text(),
    wwwAuthenticate: response.headers.get('www-authenticate'),
  });
}

describe('sandbox profiles', () => {
  it('mastercard: RSA-SHA256 with a body hash on every request, a GET included', async () => {
    const { url } = await play({ provider: 'mastercard' });
    const mastercard = createMastercardFetch({ consumerKey: RSA_CONSUMER.key, privateKey });
    expect((await mastercard(`${url}/atms/v1/atm?Format=JSON`)).status).toBe(200);
    expect(
      (
        await mastercard(`${url}/merchants`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(200);
    const noHash = createOAuthFetch(
      createSigner({ consumerKey: RSA_CONSUMER.key, signatureMethod: 'RSA-SHA256', privateKey }),
    );
    const refused = await refusal(await noHash(`${url}/atms/v1/atm`));
    expect(refused).toMatchObject({ status: 400, problem: 'parameter_absent', parametersAbsent: ['oauth_body_hash'] });
    const sha1 = createOAuthFetch(
      createSigner({ consumerKey: RSA_CONSUMER.key, signatureMethod: 'RSA-SHA1', privateKey }),
      {
        oauth: { bodyHash: true },
      },
    );
    expect((await refusal(await sha1(`${url}/atms/v1/atm`))).problem).toBe('signature_method_rejected');
  });

  it('netsuite: the realm must be the account, refusals as NetSuite words them', async () => {
    const sandboxNow = await play({ provider: 'netsuite', realm: '123456_SB1' });
    const token = sandboxNow.issueAccessToken(CONSUMER.key);
    const credentials = {
      accountId: '123456-sb1',
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      token: token.token,
      tokenSecret: token.tokenSecret,
    };
    const restlet = `${sandboxNow.url}/app/site/hosting/restlet.nl?script=1234&deploy=1`;
    expect((await createNetSuiteFetch(credentials)(restlet)).status).toBe(200);
    const wrongRealm = await createNetSuiteFetch({ ...credentials, accountId: '123456' })(restlet);
    expect(wrongRealm.status).toBe(401);
    const body = (await wrongRealm.json()) as { 'o:errorDetails': Array<{ 'o:errorCode': string; detail: string }> };
    expect(body['o:errorDetails'][0]).toMatchObject({
      'o:errorCode': 'INVALID_LOGIN',
      detail: expect.stringContaining('realm must be the account id 123456_SB1; got "123456"'),
    });
    const sha1 = createOAuthFetch(createSigner({ ...credentials, realm: '123456_SB1' }));
    expect((await sha1(restlet)).status).toBe(401);
  });

  it('woocommerce: consumer only, in the query string', async () => {
    const { url } = await play({ provider: 'woocommerce' });
    const credentials = { storeUrl: url, consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret };
    expect((await createWooCommerceFetch(credentials)(`${url}/wp-json/wc/v3/products?per_page=5`)).status).toBe(200);
    const inHeader = createOAuthFetch(createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret }));
    const refused = await refusal(await inHeader(`${url}/wp-json/wc/v3/products`));
    expect(refused.problem).toBe('parameter_absent');
    expect(refused.advice).toMatch(/query string only/);
  });

  it('magento: a pre-issued access token, in the Authorization header', async () => {
    const sandboxNow = await play({ provider: 'magento' });
    const token = sandboxNow.issueAccessToken(CONSUMER.key);
    const integration = {
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      accessToken: token.token,
      accessTokenSecret: token.tokenSecret,
    };
    expect(
      (await createMagentoFetch(integration)(`${sandboxNow.url}/rest/default/V1/products?searchCriteria[pageSize]=10`))
        .status,
    ).toBe(200);
    const noToken = createOAuthFetch(
      createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, signatureMethod: 'HMAC-SHA256' }),
    );
    const refused = await refusal(await noToken(`${sandboxNow.url}/rest/default/V1/products`));
    expect(refused).toMatchObject({ problem: 'parameter_absent', parametersAbsent: ['oauth_token'] });
    const inQuery = createOAuthFetch(
      createSigner({
        consumerKey: CONSUMER.key,
        consumerSecret: CONSUMER.secret,
        token: token.token,
        tokenSecret: token.tokenSecret,
        signatureMethod: 'HMAC-SHA256',
        transmission: 'query',
      }),
    );
    expect((await refusal(await inQuery(`${sandboxNow.url}/rest/default/V1/products`))).advice).toMatch(
      /Authorization header only/,
    );
  });
});
