import { backend } from '#crypto';
import { baseStringUri, normalizeParameters, signatureBaseString } from './base-string.ts';
import { readBody, type SignableBody } from './body.ts';
import { parseForm } from './encode.ts';
import { CountersignError, isCountersignError } from './errors.ts';
import { parseAuthorizationHeader } from './header.ts';
import type { PublicKeyInput } from './keys.ts';
import { SIGNATURE_METHODS, type SignatureMethodName, signatureMethod, verifySignature } from './methods/index.ts';
import type { NonceStore } from './nonce-store.ts';
import { redactBaseString } from './redact.ts';
import { normalizeMethod, parseRequestUrl } from './request-target.ts';

/**
 * The Problem Reporting extension's codes (oauth.pbworks.com ProblemReporting) that
 * verification can answer with.
 */
export type OAuthProblem =
  | 'version_rejected'
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'timestamp_refused'
  | 'nonce_used'
  | 'signature_method_rejected'
  | 'signature_invalid'
  | 'consumer_key_unknown'
  | 'token_rejected'
  | 'permission_denied';

/** A received request, as the server saw it. */
export interface ReceivedRequest {
  readonly method: string;
  /** The absolute URL the client used (scheme and host as the client saw them). */
  readonly url: string | URL;
  /** The Authorization header value, if any. */
  readonly authorization?: string | null;
  readonly body?: SignableBody;
  readonly contentType?: string;
}

/** What the server knows about a consumer. */
export interface ConsumerRecord {
  /** For HMAC and PLAINTEXT. */
  readonly secret?: string;
  /** For RSA methods. */
  readonly publicKey?: PublicKeyInput;
}

export interface VerifyOptions {
  /** Finds a consumer by key; `undefined` answers `consumer_key_unknown`. */
  lookupConsumer(consumerKey: string): ConsumerRecord | undefined | Promise<ConsumerRecord | undefined>;
  /**
   * Finds a token's secret; `undefined` answers `token_rejected`. Without this option any
   * `oauth_token` is refused.
   */
  lookupToken?(
    token: string,
    consumerKey: string,
  ): { secret: string } | undefined | Promise<{ secret: string } | undefined>;
  /** Replayed nonces are refused when a store is given. */
  readonly nonceStore?: NonceStore;
  /** How far the request's timestamp may be from the server's clock. @default 300 */
  readonly timestampWindowSeconds?: number;
  /** The server's clock, milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  /** Methods accepted. @default every method */
  readonly signatureMethods?: readonly SignatureMethodName[];
}

/** A verified request's OAuth facts. */
export interface VerifiedRequest {
  readonly ok: true;
  readonly consumerKey: string;
  readonly token: string | undefined;
  readonly signatureMethod: SignatureMethodName;
  /** Every signed parameter, decoded, in the order received (OAuth parameters included). */
  readonly params: ReadonlyArray<readonly [string, string]>;
  /** The OAuth parameters from wherever they were sent, `oauth_signature` left out. */
  readonly oauthParams: Readonly<Record<string, string>>;
  /** The base string the server computed, password values redacted. */
  readonly baseString: string;
}

/** Why a request was refused, in Problem Reporting terms. */
export interface RejectedRequest {
  readonly ok: false;
  readonly problem: OAuthProblem;
  /** A sentence for the client developer. Contains no secret. */
  readonly advice: string;
  /** With `parameter_absent`. */
  readonly parametersAbsent?: readonly string[];
  /** With `timestamp_refused`: the range the server accepts now, `from-to`. */
  readonly acceptableTimestamps?: string;
  /** The base string the server computed (once it got that far), password values redacted. */
  readonly baseString?: string;
}

export type VerifyResult = VerifiedRequest | RejectedRequest;

const REQUIRED = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature'];
const REQUIRED_UNLESS_PLAINTEXT = ['oauth_timestamp', 'oauth_nonce'];

function reject(problem: OAuthProblem, advice: string, extra: Partial<RejectedRequest> = {}): RejectedRequest {
  return { ok: false, problem, advice, ...extra };
}

/**
 * Verifies a signed request the way a strict provider does (RFC 5849 §3.2): parameters
 * present, method allowed, consumer and token known, timestamp within the window,
 * signature equal (compared in constant time), nonce not seen before. Answers with a
 * Problem Reporting code instead of throwing, so a server can reply with it.
 *
 * @example
 * ```ts
 * const result = await verifyRequest(
 *   { method: 'GET', url: 'http://127.0.0.1:8080/photos', authorization: req.headers.authorization },
 *   { lookupConsumer: (key) => consumers.get(key), lookupToken: (token) => tokens.get(token), nonceStore },
 * );
 * if (!result.ok) reply(401, `oauth_problem=${result.problem}`);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.2
 */
export async function verifyRequest(request: ReceivedRequest, options: VerifyOptions): Promise<VerifyResult> {
  if (typeof options?.lookupConsumer !== 'function') {
    throw new CountersignError('invalid_option', 'verifyRequest: options.lookupConsumer must be a function.');
  }
  const method = normalizeMethod(request.method);
  const url = parseRequestUrl(request.url);

  let headerParams: ReadonlyArray<readonly [string, string]> = [];
  if (request.authorization && /^\s*OAuth\b/i.test(request.authorization)) {
    try {
      headerParams = parseAuthorizationHeader(request.authorization).params;
    } catch (error) {
      if (isCountersignError(error)) return reject('parameter_rejected', error.message);
      throw error;
    }
  }
  const queryParams = url.search.length > 1 ? parseForm(url.search.slice(1)) : [];
  let bodyParams: ReadonlyArray<readonly [string, string]> = [];
  let bodyBytes: Uint8Array | undefined;
  const body = readBody(request.body, request.contentType);
  if (body.kind === 'form') bodyParams = parseForm(body.text);
  else if (body.kind === 'bytes') bodyBytes = body.bytes();

  const all = [...headerParams, ...queryParams, ...bodyParams];
  const oauth: Record<string, string> = {};
  for (const [name, value] of all) {
    if (!name.startsWith('oauth_')) continue;
    if (Object.hasOwn(oauth, name)) {
      return reject(
        'parameter_rejected',
        `${name} was sent more than once (RFC 5849 §3.5: use one transmission method).`,
      );
    }
    oauth[name] = value;
  }
  if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') {
    return reject('version_rejected', 'oauth_version must be 1.0 when present.');
  }
  const methodName = oauth.oauth_signature_method;
  const plaintext = methodName === 'PLAINTEXT';
  const absent = [...REQUIRED, ...(plaintext ? [] : REQUIRED_UNLESS_PLAINTEXT)].filter(
    (name) => oauth[name] === undefined,
  );
  if (absent.length > 0) {
    return reject('parameter_absent', `Missing ${absent.join(', ')}.`, {
      parametersAbsent: absent,
    });
  }
  const allowed = options.signatureMethods ?? SIGNATURE_METHODS;
  if (!allowed.includes(methodName as SignatureMethodName)) {
    return reject(
      'signature_method_rejected',
      `This server accepts ${allowed.join(', ')}; got ${JSON.stringify(methodName)}.`,
    );
  }
  const consumerKey = oauth.oauth_consumer_key as string;
  const consumer = await options.lookupConsumer(consumerKey);
  if (!consumer) return reject('consumer_key_unknown', 'The consumer key is not registered here.');

  const token = oauth.oauth_token;
  let tokenSecret = '';
  if (token !== undefined && token !== '') {
    const record = options.lookupToken ? await options.lookupToken(token, consumerKey) : undefined;
    if (!record) return reject('token_rejected', 'The token is unknown, expired or was issued to another consumer.');
    tokenSecret = record.secret;
  }

  const window = options.timestampWindowSeconds ?? 300;
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  if (oauth.oauth_timestamp !== undefined) {
    const timestamp = /^\d+$/.test(oauth.oauth_timestamp) ? Number(oauth.oauth_timestamp) : Number.NaN;
    if (!(Math.abs(timestamp - now) <= window)) {
      return reject(
        'timestamp_refused',
        `oauth_timestamp must be within ${window} seconds of the server's clock (${now}).`,
        { acceptableTimestamps: `${now - window}-${now + window}` },
      );
    }
  }

  const signed = all.filter(([name]) => name !== 'oauth_signature');
  const baseString = signatureBaseString(method, baseStringUri(url), normalizeParameters(signed));
  const family = signatureMethod(methodName).family;
  const valid = await verifySignature(methodName as SignatureMethodName, baseString, oauth.oauth_signature as string, {
    consumerSecret: consumer.secret ?? '',
    tokenSecret,
    ...(family === 'RSA' ? { publicKey: consumer.publicKey } : {}),
  });
  const shownBaseString = redactBaseString(baseString);
  if (!valid) {
    return reject('signature_invalid', 'The signature does not match the base string the server computed.', {
      baseString: shownBaseString,
    });
  }
  if (oauth.oauth_body_hash !== undefined) {
    const hash = signatureMethod(methodName).hash;
    const expected = hash && bodyBytes !== undefined ? await backend.digestBase64(hash, bodyBytes) : undefined;
    if (body.kind === 'form' || expected !== oauth.oauth_body_hash) {
      return reject(
        'signature_invalid',
        body.kind === 'form'
          ? 'oauth_body_hash must not be sent with a form body.'
          : 'oauth_body_hash does not match the body received.',
        { baseString: shownBaseString },
      );
    }
  }
  if (options.nonceStore && !plaintext) {
    const key = `${consumerKey}\n${token ?? ''}\n${oauth.oauth_timestamp}\n${oauth.oauth_nonce}`;
    const fresh = await options.nonceStore.remember(key, Number(oauth.oauth_timestamp));
    if (!fresh)
      return reject('nonce_used', 'This nonce was already used with this timestamp: every request needs a new one.');
  }
  // The received signature stays out: with PLAINTEXT it is the secrets themselves.
  const { oauth_signature: _signature, ...oauthParams } = oauth;
  return {
    ok: true,
    consumerKey,
    token,
    signatureMethod: methodName as SignatureMethodName,
    params: signed,
    oauthParams,
    baseString: shownBaseString,
  };
}
