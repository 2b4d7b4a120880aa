import type { ServerResponse } from 'node:http';
import { parseAuthorizationHeader, type SignatureMethodName } from '@countersign/core';
import type { Refusal, VerifiedRequest } from '@countersign/server';
import { refuse } from './http.ts';
import type { ArrivedRequest } from './verification.ts';

/**
 * A provider the sandbox can play, with the quirk that provider enforces: examples and tests
 * for that provider then run offline against the same rule.
 */
export type SandboxProfile =
  /** RSA-SHA256 only, and `oauth_body_hash` on every request, a GET's included. */
  | { readonly provider: 'mastercard' }
  /** HMAC-SHA256 with a token, `realm` equal to the account's (`123456_SB1`), refusals as NetSuite's JSON. */
  | { readonly provider: 'netsuite'; readonly realm: string }
  /** Consumer only (no token), the OAuth parameters in the query string, HMAC-SHA1 or HMAC-SHA256. */
  | { readonly provider: 'woocommerce' }
  /** HMAC-SHA256 with a pre-issued access token, the OAuth parameters in the Authorization header. */
  | { readonly provider: 'magento' };

interface ProfileRules {
  readonly signatureMethods: readonly SignatureMethodName[];
  /** What the provider refuses beyond a valid signature; undefined when the request passes. */
  check(arrived: ArrivedRequest, verdict: VerifiedRequest): Refusal | undefined;
  /** How the provider words a refusal, when not in the Problem Reporting format. */
  refuse?(response: ServerResponse, refusal: Refusal): void;
}

function headerOf(arrived: ArrivedRequest) {
  try {
    return arrived.authorization ? parseAuthorizationHeader(arrived.authorization) : undefined;
  } catch {
    return undefined;
  }
}

const inHeader = (arrived: ArrivedRequest) =>
  headerOf(arrived)?.params.some(([name]) => name.startsWith('oauth_')) === true;

const needsToken = (verdict: VerifiedRequest, who: string): Refusal | undefined =>
  verdict.token === undefined
    ? {
        problem: 'parameter_absent',
        advice: `${who} signs every request with an access token.`,
        parametersAbsent: ['oauth_token'],
      }
    : undefined;

// NetSuite answers every OAuth refusal alike: RFC 9457 problem details, INVALID_LOGIN.
function netsuiteRefusal(response: ServerResponse, refusal: Refusal): void {
  response.writeHead(401, { 'content-type': 'application/vnd.oracle.resource+json; type=error' }).end(
    JSON.stringify({
      type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
      title: 'Unauthorized',
      status: 401,
      'o:errorDetails': [
        {
          detail: `Invalid login attempt. (sandbox: ${refusal.problem}: ${refusal.advice})`,
          'o:errorCode': 'INVALID_LOGIN',
        },
      ],
    }),
  );
}

/** The rules of a profile; without one the sandbox accepts every method and transmission. */
export function profileRules(profile: SandboxProfile | undefined): ProfileRules | undefined {
  switch (profile?.provider) {
    case undefined:
      return undefined;
    case 'mastercard':
      return {
        signatureMethods: ['RSA-SHA256'],
        check: (_arrived, verdict) =>
          verdict.oauthParams.oauth_body_hash === undefined
            ? {
                problem: 'parameter_absent',
                advice:
                  'Mastercard requires oauth_body_hash on every request, a GET included (the hash of the empty string).',
                parametersAbsent: ['oauth_body_hash'],
              }
            : undefined,
      };
    case 'netsuite': {
      const realm = profile.realm;
      return {
        signatureMethods: ['HMAC-SHA256'],
        check(arrived, verdict) {
          const sent = headerOf(arrived)?.realm;
          if (sent !== realm) {
            return {
              problem: 'parameter_rejected',
              advice: `realm must be the account id ${realm}; got ${sent === undefined ? 'none' : JSON.stringify(sent)}.`,
            };
          }
          return needsToken(verdict, 'NetSuite token-based authentication');
        },
        refuse: netsuiteRefusal,
      };
    }
    case 'woocommerce':
      return {
        signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256'],
        check(arrived, verdict) {
          if (inHeader(arrived) || !arrived.url.searchParams.has('oauth_signature')) {
            return {
              problem: 'parameter_absent',
              advice: 'WooCommerce reads the OAuth parameters from the query string only (transmission: query).',
              parametersAbsent: ['oauth_signature'],
            };
          }
          if (verdict.token !== undefined) {
            return {
              problem: 'parameter_rejected',
              advice: 'WooCommerce signs with the consumer key and secret alone: no token.',
            };
          }
          return undefined;
        },
      };
    case 'magento':
      return {
        signatureMethods: ['HMAC-SHA256'],
        check(arrived, verdict) {
          if (!inHeader(arrived)) {
            return {
              problem: 'parameter_absent',
              advice: 'Magento reads the OAuth parameters from the Authorization header only.',
              parametersAbsent: ['oauth_signature'],
            };
          }
          return needsToken(verdict, 'A Magento integration');
        },
      };
  }
}

/** Refuses in the profile's words, or in the Problem Reporting format. */
export function refuseAs(rules: ProfileRules | undefined, response: ServerResponse, refusal: Refusal): void {
  if (rules?.refuse !== undefined) rules.refuse(response, refusal);
  else refuse(response, refusal);
}
