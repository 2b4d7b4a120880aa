import { isCountersignError, oauthErrorOf } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import { checkNetSuiteHost, createNetSuiteFetch, netsuiteAccount, netsuiteSigner, netsuiteUrls } from '../src/index.ts';

const CREDENTIALS = {
  accountId: '123456-sb1',
  consumerKey: 'netsuiteConsumerKey',
  consumerSecret: 'netsuite consumer secret',
  token: 'netsuiteToken',
  tokenSecret: 'netsuite token secret',
};

describe('NetSuite account ids, realms and hosts', () => {
  it.each([
    ['123456_SB1', { realm: '123456_SB1', hostLabel: '123456-sb1' }],
    ['123456-sb1', { realm: '123456_SB1', hostLabel: '123456-sb1' }],
    ['123456', { realm: '123456', hostLabel: '123456' }],
    ['tstdrv1234567', { realm: 'TSTDRV1234567', hostLabel: 'tstdrv1234567' }],
    [
      'https://123456-rp.restlets.api.netsuite.com/app/site/hosting/restlet.nl',
      { realm: '123456_RP', hostLabel: '123456-rp' },
    ],
  ])('%s', (input, expected) => {
    expect(netsuiteAccount(input)).toEqual(expected);
  });

  it('refuses what is not an account id', () => {
    expect(() => netsuiteAccount('acme corp')).toThrow(/expected a NetSuite account id such as 123456 or 123456_SB1/);
  });

  it('builds REST record and RESTlet URLs from either spelling', () => {
    expect(netsuiteUrls('123456_SB1').record('/customer/42')).toBe(
      'https://123456-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/42',
    );
    expect(netsuiteUrls('123456-sb1').restlet(1234, 2)).toBe(
      'https://123456-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1234&deploy=2',
    );
  });

  it('signs with HMAC-SHA256 and the realm in upper case with _ (the realm is not signed)', async () => {
    const signed = await netsuiteSigner(CREDENTIALS).sign({
      method: 'GET',
      url: netsuiteUrls('123456_SB1').restlet(1234),
    });
    expect(signed.authorization).toMatch(/^OAuth realm="123456_SB1", /);
    expect(signed.oauthParams.oauth_signature_method).toBe('HMAC-SHA256');
    expect(signed.baseString).toContain('deploy%3D1');
    expect(signed.baseString).toContain('script%3D1234');
    expect(signed.baseString).not.toContain('realm');
  });

  it('refuses a host of another account before sending, and says which account it is', async () => {
    expect(() =>
      checkNetSuiteHost('https://654321.suitetalk.api.netsuite.com/services/rest/record/v1/customer', '123456_SB1'),
    ).toThrow(
      "realm 123456_SB1 is account 123456-sb1 in a host name, but this request goes to 654321.suitetalk.api.netsuite.com: NetSuite would answer INVALID_LOGIN. Use the account id of that host (654321) or that account's URL.",
    );
    let sent = 0;
    const netsuite = createNetSuiteFetch(CREDENTIALS, {
      fetch: async () => {
        sent++;
        return new Response('{}');
      },
    });
    const error = await netsuite('https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/customer').catch(
      (e: unknown) => e,
    );
    expect(isCountersignError(error) && error.code).toBe('invalid_option');
    expect(sent).toBe(0);
    expect((await netsuite(netsuiteUrls('123456_SB1').record('customer'))).status).toBe(200);
    expect(sent).toBe(1);
  });

  it("reads NetSuite's error body (RFC 9457 problem details with o:errorDetails) into the OAuthError", () => {
    // The shape NetSuite's REST web services answer a refused login with (SuiteTalk REST
    // "Error Response Format"); NetSuite says INVALID_LOGIN for any OAuth mistake.
    const body = JSON.stringify({
      type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
      title: 'Unauthorized',
      status: 401,
      'o:errorDetails': [
        {
          detail:
            'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
          'o:errorCode': 'INVALID_LOGIN',
        },
      ],
    });
    const error = oauthErrorOf({ status: 401, body });
    expect(error.message).toMatch(
      /^The provider answered 401: INVALID_LOGIN: Invalid login attempt\. For more details/,
    );
    expect(error.status).toBe(401);
  });
});
