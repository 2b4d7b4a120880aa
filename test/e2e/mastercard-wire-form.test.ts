import { generateKeyPairSync } from 'node:crypto';
import { installOAuth } from '@countersign/axios';
import { explain, throwIfRefused } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import { createMastercardFetch, MASTERCARD_SIGN_OPTIONS, mastercardSigner } from '@countersign/mastercard';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import axios from 'axios';
import ky from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayBaseString, readingsDiffer, rfcBaseString } from '../../packages/sandbox/src/mastercard.ts';

// Mastercard's published cases: Mastercard/oauth1-signer-nodejs (MIT),
// test/OAuth-getSignatureBaseString.test.js and test/OAuth-extractQueryParams.test.js: a
// consumer key with a `!` in it (aaa!aaa) and a MerchantId with `(…)` and `@`; the request,
// nonce, timestamp and the base string below are theirs.
const MERCHANT_QUERY =
  'MerchantId=GOOGLE%20LTD%20ADWORDS%20%28CC%40GOOGLE.COM%29&Format=XML&Type=ExactMatch&Format=JSON';
const PUBLISHED_BASE_STRING =
  'GET&https%3A%2F%2Fsandbox.api.mastercard.com%2Fmerchantid%2Fv1%2Fmerchantid&Format%3DJSON%26Format%3DXML%26MerchantId%3DGOOGLE%2520LTD%2520ADWORDS%2520%2528CC%2540GOOGLE.COM%2529%26Type%3DExactMatch%26oauth_consumer_key%3Daaa%21aaa%26oauth_nonce%3DuTeLPs6K%26oauth_signature_method%3DRSA-SHA256%26oauth_timestamp%3D1524771555%26oauth_version%3D1.0';
const arrivedAs = (url: string, authorization: string) => ({
  method: 'GET',
  url: new URL(url),
  authorization,
  contentType: undefined,
  body: new Uint8Array(0),
});

describe("Mastercard's gateway reads parameters as they arrive", () => {
  it("the sandbox's reading of the gateway gives Mastercard's published base string for what Mastercard's signer sends", () => {
    // Their Node signer writes header values unencoded (getAuthorizationString): `aaa!aaa`.
    const sent = arrivedAs(
      `https://sandbox.api.mastercard.com/merchantid/v1/merchantid?${MERCHANT_QUERY}`,
      'OAuth oauth_consumer_key="aaa!aaa",oauth_nonce="uTeLPs6K",oauth_signature_method="RSA-SHA256",oauth_timestamp="1524771555",oauth_version="1.0",oauth_signature="x"',
    );
    expect(gatewayBaseString(sent)).toBe(PUBLISHED_BASE_STRING);
    // RFC 5849 reads the same request otherwise: the `!` sent bare is encoded twice there.
    expect(rfcBaseString(sent)).toContain('oauth_consumer_key%3Daaa%2521aaa');
    expect(readingsDiffer(sent)?.advice).toMatch(
      /oauth_consumer_key arrived as "aaa!aaa", which RFC 5849 signs as "aaa%21aaa"/,
    );
  });

  it("what Countersign signs and sends for that request is read alike by both: the base string signed is the gateway's", async () => {
    let sent: { url: string; authorization: string } | undefined;
    const mastercard = createMastercardFetch(
      { consumerKey: 'aaa!aaa', privateKey, nonce: () => 'uTeLPs6K', clock: () => 1_524_771_555_000 },
      {
        fetch: async (url, init) => {
          sent = { url: String(url), authorization: new Headers(init?.headers).get('authorization') as string };
          return new Response('{}');
        },
      },
    );
    const raw = 'MerchantId=GOOGLE LTD ADWORDS (CC@GOOGLE.COM)&Format=XML&Type=ExactMatch&Format=JSON';
    await mastercard(`https://sandbox.api.mastercard.com/merchantid/v1/merchantid?${raw}`);
    expect(sent?.url).toBe(`https://sandbox.api.mastercard.com/merchantid/v1/merchantid?${MERCHANT_QUERY}`);
    expect(sent?.authorization).toContain('oauth_consumer_key="aaa%21aaa"');
    const arrived = arrivedAs(sent?.url as string, sent?.authorization as string);
    expect(readingsDiffer(arrived)).toBeUndefined();
    // The published string, with the body hash every Mastercard request carries, read as RFC 5849 reads
    // a `!` that arrived encoded (%21 in the header: %2521 in the base string).
    expect(gatewayBaseString(arrived)).toBe(rfcBaseString(arrived));
    expect(gatewayBaseString(arrived)).toContain(
      'MerchantId%3DGOOGLE%2520LTD%2520ADWORDS%2520%2528CC%2540GOOGLE.COM%2529',
    );
  });
});

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
// A consumer key shaped like Mastercard's: 48 characters, a `!`, then the key's own id.
const CONSUMER_KEY =
  'UTfbhDCSeNYvJpLL5l028sWL9it739PYh6LU5lZja15xcRpY!fd209e6c579dc9d7be52da93d35ae6b6c167c174690b72fa';
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    consumers: [{ key: CONSUMER_KEY, publicKey: keys.publicKey }],
    profile: { provider: 'mastercard' },
  });
});
afterAll(() => sandbox.close());

// The published MerchantId as a user writes it, and a query with every character the two
// readings disagree on (`+` is a space in a query, `$` a sub-delimiter both keep).
const QUERIES = {
  'MerchantId with (…) and @': 'MerchantId=GOOGLE LTD ADWORDS (CC@GOOGLE.COM)&Format=JSON',
  "a query with !*'()+$": "q=a!b*c'd(e)f+g$h&Format=JSON",
};

describe("the sandbox playing Mastercard verifies both readings (a consumer key with '!')", () => {
  for (const [what, query] of Object.entries(QUERIES)) {
    it(`${what}: accepted from createMastercardFetch, axios and ky`, async () => {
      const url = `${sandbox.url}/merchantid/v1/merchantid?${query}`;
      expect((await createMastercardFetch({ consumerKey: CONSUMER_KEY, privateKey })(url)).status).toBe(200);
      const api = axios.create({ adapter: 'http' });
      installOAuth(api, mastercardSigner({ consumerKey: CONSUMER_KEY, privateKey }), {
        oauth: MASTERCARD_SIGN_OPTIONS,
      });
      expect((await api.get(url)).status).toBe(200);
      const fromKy = ky(url, {
        retry: 0,
        ...kyOAuth(mastercardSigner({ consumerKey: CONSUMER_KEY, privateKey }), { oauth: MASTERCARD_SIGN_OPTIONS }),
      });
      expect((await fromKy).status).toBe(200);
    });

    it(`${what}: sent as given, refused saying which parameter, and explained`, async () => {
      const asGiven = createMastercardFetch({ consumerKey: CONSUMER_KEY, privateKey, wireForm: 'as-given' });
      const response = await asGiven(`${sandbox.url}/merchantid/v1/merchantid?${query}`);
      expect(response.status).toBe(401);
      const error = await throwIfRefused(response).catch((caught: unknown) => caught);
      const { advice, message } = error as { advice: string; message: string };
      expect(advice).toMatch(/reads each parameter as it arrives/);
      expect(advice).toMatch(/(MerchantId|q) arrived as/);
      // The refusal carries the gateway's base string: the message names the first difference.
      expect(message).toMatch(/Parameter (MerchantId|q) (is encoded differently|differs)/);
      const [likely] = explain({ error: error as never });
      expect(likely?.cause).toMatch(/unencoded_reserved_characters|plus_for_space/);
    });
  }
});
