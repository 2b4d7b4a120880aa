import type { EncodedParameter } from './base-string.ts';
import { type ReadBody, readBody } from './body.ts';
import type { HashName } from './crypto/types.ts';
import { percentEncode } from './encode.ts';
import { CountersignError } from './errors.ts';
import type { BlockTemplate } from './protocol-block.ts';
import { PROTOCOL_PARAMS } from './protocol-params.ts';
import { isSensitiveName } from './redact.ts';
import { collectParameters } from './request-parameters.ts';
import { normalizeMethod, type RequestTarget, requestTarget } from './request-target.ts';
import type { SignInput, SignOptions, Transmission } from './sign.ts';
import {
  checkTransmission,
  MISSING_TOKEN_SECRET,
  optionalBoolean,
  optionalCredential,
  optionError,
  SECRET_WITHOUT_TOKEN,
  type SignerSettings,
} from './signer-options.ts';
import { rfc3986Url } from './wire-form.ts';

const FORM = 'application/x-www-form-urlencoded';

/**
 * A request checked and worked out for signing, all but the nonce, timestamp and signature.
 * The `given` fields are what it was prepared from, to know the same request again.
 */
export interface PreparedRequest {
  readonly givenMethod: unknown;
  readonly givenUrl: unknown;
  readonly givenBody: unknown;
  readonly givenContentType: unknown;
  readonly method: string;
  readonly target: RequestTarget;
  /** The URL to send, before the OAuth parameters join it (`transmission: 'query'`). */
  readonly url: string;
  readonly body: ReadBody;
  readonly transmission: Transmission;
  readonly token: string | undefined;
  readonly encodedToken: string | undefined;
  readonly tokenSecret: string;
  /** The query and form pairs, encoded and sorted. */
  readonly user: EncodedParameter[];
  readonly sensitive: boolean;
  /** The OAuth block with its gaps, when it is written in one piece; else pair by pair. */
  readonly template: BlockTemplate | undefined;
  /** With a template: the base string up to the nonce, and after the timestamp. */
  readonly baseBeforeNonce: string;
  readonly baseAfterTimestamp: string;
  /** The request's extra OAuth parameters, decoded. */
  readonly extras: ReadonlyArray<[string, string]>;
  /** The hash for `oauth_body_hash`, when the request asked for one. */
  readonly bodyHashWith: HashName | undefined;
}

const NO_EXTRAS: Array<[string, string]> = [];

function extraParams(oauthParams: SignOptions['oauthParams']): Array<[string, string]> {
  if (oauthParams === undefined) return NO_EXTRAS;
  if (typeof oauthParams !== 'object' || oauthParams === null) {
    throw new CountersignError('invalid_param', 'oauthParams: expected an object of string values.');
  }
  const extras: Array<[string, string]> = [];
  for (const name of Object.keys(oauthParams)) {
    const value = oauthParams[name];
    if (PROTOCOL_PARAMS.has(name) || name === 'realm') {
      throw new CountersignError(
        'invalid_param',
        `oauthParams.${name}: Countersign sets this itself; use the ${name === 'realm' ? 'realm' : 'signer'} option instead.`,
      );
    }
    if (typeof value !== 'string') {
      throw new CountersignError(
        'invalid_param',
        `oauthParams.${name}: expected a string; got ${value === null ? 'null' : typeof value}. Convert it yourself so the signed text is the sent text.`,
      );
    }
    extras.push([name, value]);
  }
  return extras;
}

/** The token and its secret for one request: the signer's, or the request's own. */
function tokenFor(settings: SignerSettings, perRequest: SignOptions): { token?: string; secret: string } {
  if (perRequest.token === undefined) {
    if (perRequest.tokenSecret === undefined) return { token: settings.token, secret: settings.tokenSecret };
    return { token: settings.token, secret: optionalCredential(perRequest.tokenSecret, 'tokenSecret') ?? '' };
  }
  const token = perRequest.token === null ? undefined : optionalCredential(perRequest.token, 'token');
  if (settings.family !== 'RSA' && token !== undefined && perRequest.tokenSecret === undefined) {
    throw optionError(MISSING_TOKEN_SECRET);
  }
  return { token, secret: optionalCredential(perRequest.tokenSecret, 'tokenSecret') ?? '' };
}

/** Whether the request asked for `oauth_body_hash`, refused where the extension forbids it. */
function wantsBodyHash(settings: SignerSettings, perRequest: SignOptions, body: ReadBody): boolean {
  if (optionalBoolean(perRequest.bodyHash, 'bodyHash') !== true) return false;
  if (settings.digest === undefined)
    throw optionError('bodyHash: PLAINTEXT has no hash to protect the body; use an HMAC or RSA method.');
  if (body.kind === 'form') {
    throw optionError(
      'bodyHash: a form body is signed parameter by parameter, and the Request Body Hash extension forbids oauth_body_hash with one: leave bodyHash out for form requests.',
    );
  }
  return true;
}

function refuseBodyTransmission(method: string, body: ReadBody): void {
  if (body.kind === 'bytes' || method === 'GET' || method === 'HEAD') {
    throw new CountersignError(
      'unsignable_body',
      `transmission "body" puts the OAuth parameters in a form body, so it needs a ${FORM} body (or none) and a method that sends one; got ${method}${body.kind === 'bytes' ? ' with a non-form body' : ''}.`,
    );
  }
}

/** RFC 5849 §3.4.4: PLAINTEXT sends the secrets themselves, which only TLS keeps from others. */
function refusePlaintextOverHttp(settings: SignerSettings, target: RequestTarget): void {
  if (settings.family !== 'PLAINTEXT' || target.secure || settings.allowPlaintextOverHttp) return;
  throw new CountersignError(
    'plaintext_over_http',
    'PLAINTEXT sends the consumer and token secrets themselves as the signature, so RFC 5849 (§3.4.4) allows it only over TLS: use an https URL, or an HMAC or RSA method. For a server you control on a private network, pass allowPlaintextOverHttp: true to createSigner.',
  );
}

/**
 * Checks a request and works out everything about its signing but the nonce, timestamp and
 * signature: parse the target, read the body, collect the parameters, and choose how the
 * OAuth parameters are written (as one block around which the base string is already
 * written, or pair by pair with extras, a body hash or a request parameter among them).
 */
export function prepareRequest(settings: SignerSettings, request: SignInput, perRequest: SignOptions): PreparedRequest {
  const method = normalizeMethod(request.method);
  const target = requestTarget(request.url);
  refusePlaintextOverHttp(settings, target);
  // null passes as none: Headers.get() gives it, and adapters hand it over as they got it.
  const contentType: unknown = request.contentType;
  if (contentType !== undefined && contentType !== null && typeof contentType !== 'string') {
    throw optionError(`contentType: expected the media type as a string; got ${typeof contentType}.`);
  }
  const body = readBody(request.body, request.contentType);
  const transmission =
    perRequest.transmission === undefined ? settings.transmission : checkTransmission(perRequest.transmission);
  const { token, secret } = tokenFor(settings, perRequest);
  if (token === undefined && secret !== '') throw optionError(SECRET_WITHOUT_TOKEN);
  const extras = extraParams(perRequest.oauthParams);
  const hashBody = wantsBodyHash(settings, perRequest, body);
  if (transmission === 'body') refuseBodyTransmission(method, body);
  // Every name and value is encoded once (RFC 5849 §3.6); the encoded pairs serve the
  // base string, the header or query, and the debugging output alike.
  const parameters = collectParameters(method, target, body.kind === 'form' ? body.text : undefined);
  const encodedToken =
    token === settings.token ? settings.encodedToken : token === undefined ? undefined : percentEncode(token);
  const template =
    extras.length > 0 || hashBody || parameters.beforeBlock === undefined
      ? undefined
      : token === settings.token && transmission === settings.transmission
        ? settings.template
        : settings.templateFor(encodedToken, transmission);
  return {
    givenMethod: request.method,
    givenUrl: request.url,
    givenBody: request.body,
    givenContentType: request.contentType,
    method,
    target,
    url: settings.wireForm === 'rfc3986' ? rfc3986Url(target) : target.url,
    body,
    transmission,
    token,
    encodedToken,
    tokenSecret: secret,
    user: parameters.user,
    sensitive: parameters.sensitive || (extras.length > 0 && extras.some(([name]) => isSensitiveName(name))),
    template,
    baseBeforeNonce: template === undefined ? '' : `${parameters.beforeBlock}${template.baseBeforeNonce}`,
    baseAfterTimestamp: template === undefined ? '' : `${template.baseAfterTimestamp}${parameters.afterBlock}`,
    extras,
    bodyHashWith: hashBody ? settings.digest : undefined,
  };
}

/**
 * Whether a prepared request can be kept to be known again by its fields: a URL object,
 * URLSearchParams or bytes can be changed in place between two signings, a string cannot.
 * Only form bodies are kept, as they are signed: an upload is not held in memory for this.
 */
export function isReusable(request: SignInput, prepared: PreparedRequest): boolean {
  const body = request.body;
  return (
    typeof request.url === 'string' &&
    (body === undefined || body === null || (typeof body === 'string' && prepared.body.kind !== 'bytes'))
  );
}

export function isSameRequest(prepared: PreparedRequest, request: SignInput): boolean {
  return (
    prepared.givenUrl === request.url &&
    prepared.givenBody === request.body &&
    prepared.givenMethod === request.method &&
    prepared.givenContentType === request.contentType
  );
}
