import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createSigner, type SignedRequest } from '@countersign/core';
import { etradeEndpoints } from '@countersign/etrade';
import { ltiOutcomesSigner, outcomeXml } from '@countersign/lti';
import { magentoSigner, magentoUrl } from '@countersign/magento';
import { MASTERCARD_SIGN_OPTIONS, mastercardSigner } from '@countersign/mastercard';
import { netsuiteSigner, netsuiteUrls } from '@countersign/netsuite';
import { X_API } from '@countersign/twitter';
import { woocommerceSigner, woocommerceUrl } from '@countersign/woocommerce';
import { afterAll, describe, expect, it } from 'vitest';
import { type JudgedRequest, pythonWithOauthlib, startOauthlibJudge } from '../oauthlib/judge.ts';

// NetSuite, WooCommerce, Magento, E*TRADE and X's v2 API publish no signing examples with secrets and expected
// signatures, so each provider's signer is checked against oauthlib, an implementation we did
// not write: oauthlib verifies what the provider's signer sends, and (for header
// transmission) oauthlib's own client, given the same nonce and timestamp, signs the same.
const judge = startOauthlibJudge();
afterAll(() => judge.close());
const SIGN_FIXED = fileURLToPath(new URL('../oauthlib/sign_fixed.py', import.meta.url));
const fixed = { nonce: () => 'fixedNonce0123456789', clock: () => 1_700_000_000_000 };

function oauthlibSignature(spec: object): string | undefined {
  const [signed] = JSON.parse(
    execFileSync(pythonWithOauthlib(), [SIGN_FIXED], { input: JSON.stringify([spec]), encoding: 'utf8' }),
  ) as Array<{ authorization: string | null }>;
  return /oauth_signature="([^"]+)"/.exec(signed?.authorization ?? '')?.[1];
}

async function judged(signed: SignedRequest, secrets: Partial<JudgedRequest>, body?: string, contentType?: string) {
  return judge.judge({
    signatureMethod: signed.oauthParams.oauth_signature_method as string,
    method: signed.method,
    url: signed.url,
    ...(signed.authorization === undefined ? {} : { authorization: signed.authorization }),
    ...(body === undefined ? {} : { body }),
    ...(contentType === undefined ? {} : { contentType }),
    consumerSecret: '',
    tokenSecret: '',
    ...secrets,
  });
}

const headerSignature = (signed: SignedRequest) => /oauth_signature="([^"]+)"/.exec(signed.authorization ?? '')?.[1];

describe('NetSuite TBA against oauthlib', () => {
  const credentials = {
    accountId: '123456_SB1',
    consumerKey: 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4',
    consumerSecret: 'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9a8f5',
    token: '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc',
    tokenSecret: 'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8fea1478a80edb488',
  };
  const secrets = { consumerSecret: credentials.consumerSecret, tokenSecret: credentials.tokenSecret };

  it.each([
    ['a RESTlet GET (script and deploy signed)', 'GET', netsuiteUrls('123456_SB1').restlet(1234, 1), undefined],
    [
      'a REST record POST with a JSON body (not signed)',
      'POST',
      netsuiteUrls('123456_SB1').record('customer'),
      '{"companyName":"Acme & Sons"}',
    ],
  ])('%s', async (_name, method, url, body) => {
    const contentType = body === undefined ? undefined : 'application/json';
    const signed = await netsuiteSigner({ ...credentials, ...fixed }).sign({ method, url, body, contentType });
    expect(await judged(signed, secrets, body, contentType)).toEqual({ ok: true });
    const theirs = oauthlibSignature({
      url,
      method,
      consumerKey: credentials.consumerKey,
      ...secrets,
      token: credentials.token,
      signatureMethod: 'HMAC-SHA256',
      realm: '123456_SB1',
      nonce: 'fixedNonce0123456789',
      timestamp: '1700000000',
    });
    expect(headerSignature(signed)).toBe(theirs);
  });
});

describe('WooCommerce over http against oauthlib', () => {
  it.each(['HMAC-SHA256', 'HMAC-SHA1'] as const)(
    '%s, the parameters in the query, no token',
    async (signatureMethod) => {
      const storeUrl = 'http://shop.example.com';
      const credentials = {
        storeUrl,
        consumerKey: 'ck_4c4f0a1e4b1f4b5a8f0e',
        consumerSecret: 'cs_9b8a7f6e5d4c3b2a1f0e',
        signatureMethod,
      };
      const signed = await woocommerceSigner(credentials).sign({
        method: 'GET',
        url: woocommerceUrl(storeUrl, 'products?per_page=5&search=blue shirt&orderby=date'),
      });
      expect(signed.authorization).toBeUndefined();
      expect(new URL(signed.url).searchParams.get('oauth_version')).toBeNull();
      expect(await judged(signed, { consumerSecret: credentials.consumerSecret })).toEqual({ ok: true });
      // The judge can fail: a changed query parameter is refused.
      const tampered = { ...signed, url: signed.url.replace('per_page=5', 'per_page=6') } as SignedRequest;
      expect((await judged(tampered, { consumerSecret: credentials.consumerSecret })).ok).toBe(false);
    },
  );
});

describe('Magento integrations against oauthlib', () => {
  it('HMAC-SHA256 with the access token; searchCriteria brackets signed as the server decodes them', async () => {
    const integration = {
      consumerKey: 'w1k0a5ptvn2cd3ldj2u9mrgf0v2n6sg6',
      consumerSecret: 'tkbk8mnjaa9dsfxr0thnk6rg2wbbwqm7',
      accessToken: 'pbwqq7w3o9qk0pdabc51nqc0hw5d4t5j',
      accessTokenSecret: 'kq13l8b2q1f8gu3ipzt7jm7m6h0yqhpm',
    };
    const secrets = { consumerSecret: integration.consumerSecret, tokenSecret: integration.accessTokenSecret };
    const encoded = magentoUrl(
      'https://shop.example.com',
      'products?searchCriteria%5BpageSize%5D=10&searchCriteria%5BcurrentPage%5D=1',
    );
    const raw = magentoUrl(
      'https://shop.example.com',
      'products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1',
    );
    const signer = magentoSigner({ ...integration, ...fixed });
    const signed = await signer.sign({ method: 'GET', url: encoded });
    expect(await judged(signed, secrets)).toEqual({ ok: true });
    expect(headerSignature(await signer.sign({ method: 'GET', url: raw }))).toBe(headerSignature(signed));
    const theirs = oauthlibSignature({
      url: encoded,
      method: 'GET',
      consumerKey: integration.consumerKey,
      ...secrets,
      token: integration.accessToken,
      signatureMethod: 'HMAC-SHA256',
      nonce: 'fixedNonce0123456789',
      timestamp: '1700000000',
    });
    expect(headerSignature(signed)).toBe(theirs);
  });
});

describe('Mastercard against oauthlib', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  it.each([
    ['GET, the empty body hashed', 'GET', undefined],
    ['POST with JSON, the bytes hashed', 'POST', '{"amount":"12.30","currency":"EUR","note":"café"}'],
  ])('RSA-SHA256 and oauth_body_hash: %s', async (_name, method, body) => {
    const contentType = body === undefined ? undefined : 'application/json';
    const signed = await mastercardSigner({ consumerKey: 'mc-consumer-key!0123', privateKey }).sign(
      { method, url: 'https://sandbox.api.mastercard.com/atms/v1/atm?Format=JSON', body, contentType },
      MASTERCARD_SIGN_OPTIONS,
    );
    expect(await judged(signed, { publicKey }, body ?? '', contentType)).toEqual({ ok: true });
    // A body changed after signing fails oauthlib's body hash check.
    expect((await judged(signed, { publicKey }, `${body ?? ''} `, contentType)).ok).toBe(false);
  });
});

describe('LTI 1.1 Basic Outcomes against oauthlib', () => {
  it('HMAC-SHA1 with oauth_body_hash over the XML', async () => {
    const xml = outcomeXml('replaceResult', 'course-7:user-42', { score: 0.92 });
    const signed = await ltiOutcomesSigner({ consumerKey: 'moodle-key', consumerSecret: 'moodle shared secret' }).sign(
      { method: 'POST', url: 'https://lms.example.edu/mod/lti/service.php', body: xml, contentType: 'application/xml' },
      { bodyHash: true },
    );
    expect(signed.oauthParams.oauth_body_hash).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(await judged(signed, { consumerSecret: 'moodle shared secret' }, xml, 'application/xml')).toEqual({
      ok: true,
    });
    expect(
      (await judged(signed, { consumerSecret: 'moodle shared secret' }, xml.replace('0.92', '0.99'), 'application/xml'))
        .ok,
    ).toBe(false);
  });
});

describe('E*TRADE and X against oauthlib', () => {
  it("E*TRADE's GET request token with oauth_callback=oob, signed with the consumer alone", async () => {
    const signed = await createSigner({
      consumerKey: 'etrade-consumer',
      consumerSecret: 'etrade secret',
      ...fixed,
    }).sign(
      { method: 'GET', url: etradeEndpoints().requestTokenUrl },
      { token: null, oauthParams: { oauth_callback: 'oob' } },
    );
    expect(await judged(signed, { consumerSecret: 'etrade secret' })).toEqual({ ok: true });
    const theirs = oauthlibSignature({
      url: etradeEndpoints().requestTokenUrl,
      method: 'GET',
      consumerKey: 'etrade-consumer',
      consumerSecret: 'etrade secret',
      signatureMethod: 'HMAC-SHA1',
      nonce: 'fixedNonce0123456789',
      timestamp: '1700000000',
      callback: 'oob',
    });
    expect(headerSignature(signed)).toBe(theirs);
  });

  it("X's v2 JSON post: the body is not signed, and oauthlib agrees", async () => {
    const body = JSON.stringify({ text: 'Hello & welcome', media: { media_ids: ['1880000000000000000'] } });
    const signed = await createSigner({
      consumerKey: 'x-app',
      consumerSecret: 'x app secret',
      token: '1-user',
      tokenSecret: 'user secret',
    }).sign({
      method: 'POST',
      url: `${X_API}/2/tweets`,
      body,
      contentType: 'application/json',
    });
    expect(
      await judged(signed, { consumerSecret: 'x app secret', tokenSecret: 'user secret' }, body, 'application/json'),
    ).toEqual({ ok: true });
  });
});
