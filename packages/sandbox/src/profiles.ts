import type { ServerResponse } from 'node:http';
import { parseAuthorizationHeader, type SignatureMethodName } from '@countersign/core';
import { ETRADE_IDLE_MS, etradeTokenExpiry } from '@countersign/etrade';
import type { Refusal, VerifiedRequest } from '@countersign/server';
import { refuse } from './http.ts';
import { note } from './inspector/notes.ts';
import { readingsDiffer } from './mastercard.ts';
import type { ArrivedRequest } from './verification.ts';

/**
 * A provider the sandbox can play, with the quirk that provider enforces: examples and tests
 * for that provider then run offline against the same rule.
 */
export type SandboxProfile =
  /**
   * RSA-SHA256 only, `oauth_body_hash` on every request (a GET's included), and the base string
   * the same whether the parameters are read as they arrived (Mastercard's gateway) or decoded
   * and encoded again (RFC 5849): a query not in RFC 3986 form is refused, saying which parameter.
   */
  | { readonly provider: 'mastercard' }
  /** HMAC-SHA256 with a token, `realm` equal to the account's (`123456_SB1`), refusals as NetSuite's JSON. */
  | { readonly provider: 'netsuite'; readonly realm: string }
  /** Consumer only (no token), the OAuth parameters in the query string, HMAC-SHA1 or HMAC-SHA256. */
  | { readonly provider: 'woocommerce' }
  /** HMAC-SHA256 with a pre-issued access token, the OAuth parameters in the Authorization header. */
  | { readonly provider: 'magento' }
  /**
   * An LMS's LTI 1.1 Basic Outcomes service: HMAC-SHA1, consumer only, `oauth_body_hash`
   * required; any path takes replaceResult, readResult and deleteResult POX messages.
   */
  | { readonly provider: 'lti-outcomes' }
  /**
   * E*TRADE: token requests by GET, the authorize page at `/e/t/etws/authorize?key=…&token=…`,
   * access tokens inactive after two idle hours until renewed (`GET /oauth/renew_access_token`),
   * expired at midnight US Eastern, revocable (`GET /oauth/revoke_access_token`).
   */
  | { readonly provider: 'etrade' }
  /**
   * X API v2 in user context (HMAC-SHA1 with a token): `POST /2/tweets` (JSON) and the chunked
   * media upload (`/2/media/upload/initialize`, `/{id}/append` multipart, `/{id}/finalize`,
   * `?command=STATUS`), each answered in X's JSON.
   */
  | { readonly provider: 'x' };

interface ProfileRules {
  readonly signatureMethods: readonly SignatureMethodName[];
  /** What the provider refuses beyond a valid signature; undefined when the request passes. */
  check(arrived: ArrivedRequest, verdict: VerifiedRequest): Refusal | undefined;
  /** How the provider words a refusal, when not in the Problem Reporting format. */
  refuse?(response: ServerResponse, refusal: Refusal): void;
  /** The provider's own answer to a verified resource request, instead of the echo. */
  answer?(arrived: ArrivedRequest, response: ServerResponse): void;
  /** Token requests by GET, and the renew and revoke routes (E*TRADE). */
  readonly tokensByGet?: boolean;
  /** An access token's life beyond the sandbox's own expiry: when it stops working, and why. */
  readonly tokenLife?: TokenLife;
  /** The largest body the provider takes, when more than the sandbox's 1 MiB default. */
  readonly maxBodyBytes?: number;
}

interface TokenLife {
  issued(token: string, now: number): void;
  /** Why the token cannot be used now (`renewing`: the request renews it), or undefined. */
  refusal(token: string, now: number, renewing: boolean): Refusal | undefined;
  used(token: string, now: number): void;
}

/** E*TRADE's access tokens: inactive after two idle hours (renewable), dead at midnight US Eastern. */
function etradeTokenLife(): TokenLife {
  const life = new Map<string, { expiresAt: number; lastUsed: number }>();
  return {
    issued: (token, now) => life.set(token, { expiresAt: etradeTokenExpiry(now), lastUsed: now }),
    refusal(token, now, renewing) {
      const record = life.get(token);
      if (record === undefined) return undefined;
      if (now >= record.expiresAt) {
        return {
          problem: 'token_expired',
          advice: 'E*TRADE access tokens expire at midnight US Eastern time: authorize again.',
        };
      }
      if (!renewing && now - record.lastUsed >= ETRADE_IDLE_MS) {
        return {
          problem: 'token_expired',
          advice:
            'The access token is inactive after two hours without a request: renew it with GET /oauth/renew_access_token.',
        };
      }
      return undefined;
    },
    used(token, now) {
      const record = life.get(token);
      if (record !== undefined) record.lastUsed = now;
    },
  };
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

const POX_NAMESPACE = 'http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0';
const poxElement = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
// Values read from the request go back into XML: escaped, so a sourcedId cannot add elements.
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** An LMS's outcomes service: grades by sourcedId, answered in POX. */
function outcomesService(): (arrived: ArrivedRequest, response: ServerResponse) => void {
  const grades = new Map<string, string>();
  return (arrived, response) => {
    const xml = new TextDecoder().decode(arrived.body);
    const operation = /<(replaceResult|readResult|deleteResult)Request>/.exec(xml)?.[1];
    const sourcedId = poxElement(xml, 'sourcedId');
    let codeMajor = 'success';
    let description: string;
    let body = '';
    const score = poxElement(xml, 'textString');
    if (operation === undefined || sourcedId === undefined) {
      codeMajor = 'unsupported';
      description = 'Not a Basic Outcomes request.';
    } else if (operation === 'replaceResult') {
      const value = Number(score);
      if (score === undefined || score.trim() === '' || !(value >= 0 && value <= 1)) {
        codeMajor = 'failure';
        description = `Score ${escapeXml(score ?? '(none)')} is not a decimal from 0 to 1.`;
      } else {
        grades.set(sourcedId, score);
        description = `Score for ${escapeXml(sourcedId)} is now ${escapeXml(score)}.`;
      }
    } else if (operation === 'readResult') {
      description = `Score for ${escapeXml(sourcedId)} read.`;
      body = `<result><resultScore><language>en</language><textString>${escapeXml(grades.get(sourcedId) ?? '')}</textString></resultScore></result>`;
    } else {
      grades.delete(sourcedId);
      description = `Score for ${escapeXml(sourcedId)} deleted.`;
    }
    const messageRef = escapeXml(poxElement(xml, 'imsx_messageIdentifier') ?? '');
    response
      .writeHead(200, { 'content-type': 'application/xml' })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?><imsx_POXEnvelopeResponse xmlns="${POX_NAMESPACE}"><imsx_POXHeader><imsx_POXResponseHeaderInfo><imsx_version>V1.0</imsx_version><imsx_messageIdentifier>${Date.now()}</imsx_messageIdentifier><imsx_statusInfo><imsx_codeMajor>${codeMajor}</imsx_codeMajor><imsx_severity>status</imsx_severity><imsx_description>${description}</imsx_description><imsx_messageRefIdentifier>${messageRef}</imsx_messageRefIdentifier><imsx_operationRefIdentifier>${operation ?? ''}</imsx_operationRefIdentifier></imsx_statusInfo></imsx_POXResponseHeaderInfo></imsx_POXHeader><imsx_POXBody>${operation === undefined ? '' : `<${operation}Response>${body}</${operation}Response>`}</imsx_POXBody></imsx_POXEnvelopeResponse>`,
      );
  };
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

// The bytes of the multipart part named `media`, without parsing anything else.
function mediaPartLength(arrived: ArrivedRequest): number {
  const boundary = /boundary="?([^";]+)"?/i.exec(arrived.contentType ?? '')?.[1];
  if (boundary === undefined) return -1;
  const body = Buffer.from(arrived.body).toString('latin1');
  for (const part of body.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0 || !/name="media"/.test(part.slice(0, split))) continue;
    return part.length - split - 4 - 2; // less the CRLF before the next boundary
  }
  return -1;
}

// A body that is not a JSON object reads as an empty one: X then answers 400 for what is missing.
function jsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** X's v2 tweet and media upload endpoints, in memory. */
function xApi(): (arrived: ArrivedRequest, response: ServerResponse) => void {
  let next = 1_880_000_000_000_000_000n;
  const uploads = new Map<string, { total: number; received: number; segments: number }>();
  const id = () => String(next++);
  const error = (response: ServerResponse, status: number, message: string) =>
    sendJson(response, status, { errors: [{ message }], title: 'Invalid Request', status });
  return (arrived, response) => {
    const path = arrived.url.pathname;
    const text = new TextDecoder().decode(arrived.body);
    if (arrived.method === 'POST' && path === '/2/tweets') {
      const tweet = jsonObject(text) as { text?: string };
      if (typeof tweet.text !== 'string') return error(response, 400, 'text is required.');
      return sendJson(response, 201, { data: { id: id(), text: tweet.text, edit_history_tweet_ids: [] } });
    }
    if (arrived.method === 'POST' && path === '/2/media/upload/initialize') {
      const init = jsonObject(text) as { total_bytes?: number; media_type?: string };
      if (typeof init.total_bytes !== 'number' || typeof init.media_type !== 'string') {
        return error(response, 400, 'media_type and total_bytes are required.');
      }
      const mediaId = id();
      uploads.set(mediaId, { total: init.total_bytes, received: 0, segments: 0 });
      return sendJson(response, 200, { data: { id: mediaId, media_key: `7_${mediaId}`, expires_after_secs: 86400 } });
    }
    const step = /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(path);
    const upload = step === null ? undefined : uploads.get(step[1] as string);
    if (arrived.method === 'POST' && step !== null) {
      if (upload === undefined) return error(response, 400, 'Unknown media id.');
      if (step[2] === 'append') {
        const bytes = mediaPartLength(arrived);
        if (bytes < 0) return error(response, 400, 'APPEND needs a multipart body with a media part.');
        upload.received += bytes;
        upload.segments++;
        return sendJson(response, 200, { data: { expires_at: 86400 } });
      }
      if (upload.received !== upload.total) {
        return error(response, 400, `Received ${upload.received} bytes of the ${upload.total} announced.`);
      }
      return sendJson(response, 200, {
        data: {
          id: step[1],
          media_key: `7_${step[1]}`,
          size: upload.total,
          processing_info: { state: 'pending', check_after_secs: 1 },
        },
      });
    }
    if (
      arrived.method === 'GET' &&
      path === '/2/media/upload' &&
      arrived.url.searchParams.get('command') === 'STATUS'
    ) {
      const mediaId = arrived.url.searchParams.get('media_id') ?? '';
      if (!uploads.has(mediaId)) return error(response, 400, 'Unknown media id.');
      return sendJson(response, 200, {
        data: { id: mediaId, processing_info: { state: 'succeeded', progress_percent: 100 } },
      });
    }
    return error(response, 404, 'No such endpoint in the sandbox playing X.');
  };
}

/** The rules of a profile; without one the sandbox accepts every method and transmission. */
export function profileRules(profile: SandboxProfile | undefined): ProfileRules | undefined {
  switch (profile?.provider) {
    case undefined:
      return undefined;
    case 'mastercard':
      return {
        signatureMethods: ['RSA-SHA256'],
        check: (arrived, verdict) =>
          verdict.oauthParams.oauth_body_hash === undefined
            ? {
                problem: 'parameter_absent',
                advice:
                  'Mastercard requires oauth_body_hash on every request, a GET included (the hash of the empty string).',
                parametersAbsent: ['oauth_body_hash'],
              }
            : readingsDiffer(arrived),
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
    case 'lti-outcomes':
      return {
        signatureMethods: ['HMAC-SHA1'],
        check: (_arrived, verdict) =>
          verdict.oauthParams.oauth_body_hash === undefined
            ? {
                problem: 'parameter_absent',
                advice:
                  'LTI 1.1 outcomes are signed with oauth_body_hash over the XML (the Request Body Hash extension).',
                parametersAbsent: ['oauth_body_hash'],
              }
            : undefined,
        answer: outcomesService(),
      };
    case 'etrade':
      return {
        signatureMethods: ['HMAC-SHA1'],
        check: () => undefined,
        tokensByGet: true,
        tokenLife: etradeTokenLife(),
      };
    case 'x':
      return {
        signatureMethods: ['HMAC-SHA1'],
        check: (_arrived, verdict) => needsToken(verdict, 'X API v2 in user context'),
        answer: xApi(),
        // A media APPEND carries up to 5 MB, plus its multipart framing.
        maxBodyBytes: 6 * 1024 * 1024,
      };
  }
}

/** Refuses in the profile's words, or in the Problem Reporting format. */
export function refuseAs(rules: ProfileRules | undefined, response: ServerResponse, refusal: Refusal): void {
  note(response, { refusal });
  if (rules?.refuse !== undefined) rules.refuse(response, refusal);
  else refuse(response, refusal);
}
