import { backend } from '#crypto';
import {
  type EncodedParameter,
  baseStringUri,
  normalizeParameters,
  signatureBaseString,
} from './base-string.ts';
import { readBody, type SignableBody } from './body.ts';
import { type Clock, unixSeconds } from './clock.ts';
import { formatForm, parseForm } from './encode.ts';
import { CountersignError } from './errors.ts';
import { formatAuthorizationHeader } from './header.ts';
import type { PrivateKeyInput } from './keys.ts';
import { createMethodSigner, type SignatureMethodName, signatureMethod } from './methods/index.ts';
import { createNonceGenerator } from './nonce.ts';
import {
  isSensitiveName,
  REDACTED,
  redactAuthorizationHeader,
  redactBaseString,
  redactForm,
  redactUrl,
} from './redact.ts';
import { normalizeMethod, parseRequestUrl } from './request-target.ts';

/** Where the OAuth protocol parameters travel (RFC 5849 §3.5). */
export type Transmission = 'header' | 'query' | 'body';

/** A consumer's credentials and the defaults for every request it signs. */
export interface SignerOptions {
  /** The consumer key (client identifier) the provider issued. Required. */
  readonly consumerKey: string;
  /**
   * The consumer secret, for HMAC and PLAINTEXT. Pass `''` if the provider really issued none.
   * Never printed.
   */
  readonly consumerSecret?: string;
  /** The RSA private key for RSA-SHA1 and RSA-SHA256: PKCS#1 or PKCS#8 PEM, a `CryptoKey` or a `KeyObject`. Never printed. */
  readonly privateKey?: PrivateKeyInput;
  /** @default 'HMAC-SHA1' */
  readonly signatureMethod?: SignatureMethodName;
  /** A token to sign every request with unless a request overrides it. */
  readonly token?: string;
  /** The token's secret. Never printed. @default '' */
  readonly tokenSecret?: string;
  /** Sent first in the Authorization header; never part of the signature. */
  readonly realm?: string;
  /** @default 'header' */
  readonly transmission?: Transmission;
  /** Send `oauth_version="1.0"` (optional in RFC 5849, expected by some providers). @default true */
  readonly includeVersion?: boolean;
  /** Makes nonces. @default createNonceGenerator() (24 alphanumeric characters from the CSPRNG) */
  readonly nonce?: () => string;
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: Clock;
  /** Seconds added to the clock, to match a server whose clock differs. @default 0 */
  readonly clockOffsetSeconds?: number;
}

/** The request to sign: the method, the final URL and the exact body that will be sent. */
export interface SignInput {
  /** HTTP method; uppercased for the signature. */
  readonly method: string;
  /** The absolute URL, query included, exactly as it will be sent. */
  readonly url: string | URL;
  /** The exact body: form parameters are signed, other bodies only through `bodyHash`. */
  readonly body?: SignableBody;
  /** The body's Content-Type; form parameters count only for `application/x-www-form-urlencoded`. */
  readonly contentType?: string;
}

/** Per-request choices that override the signer's defaults. */
export interface SignOptions {
  /** The token for this request; `null` signs with the consumer alone. */
  readonly token?: string | null;
  /** The token's secret. Never printed. */
  readonly tokenSecret?: string;
  /**
   * Extra parameters sent with the OAuth parameters (in the header by default) and
   * signed: `oauth_callback`, `oauth_verifier`, or others such as `x_auth_mode`.
   */
  readonly oauthParams?: Readonly<Record<string, string>>;
  /** Overrides the signer's transmission for this request. */
  readonly transmission?: Transmission;
  /**
   * Add `oauth_body_hash` (the OAuth Request Body Hash extension) for non-form bodies:
   * an unkeyed hash of the exact bytes. Ignored for form bodies and bodiless requests. @default false
   */
  readonly bodyHash?: boolean;
}

/** What to send, and what was signed. Printing it (`JSON.stringify`, `util.inspect`) redacts secrets and passwords. */
export interface SignedRequest {
  /** The method as signed (uppercase). */
  readonly method: string;
  /** The URL to send; with `transmission: 'query'` it carries the OAuth parameters. */
  readonly url: string;
  /** The `Authorization` header value, with `transmission: 'header'`. */
  readonly authorization: string | undefined;
  /** The form body to send, with `transmission: 'body'`. */
  readonly body: string | undefined;
  /** The Content-Type that goes with `body`. */
  readonly contentType: string | undefined;
  /** The `oauth_signature` value. */
  readonly signature: string;
  /** The signature base string (RFC 5849 §3.4.1), with password values redacted. */
  readonly baseString: string;
  /** The normalized parameters, encoded and sorted as signed, with password values redacted. */
  readonly parameters: ReadonlyArray<EncodedParameter>;
  /** The OAuth parameters sent (`oauth_*` and the extras), signature included. */
  readonly oauthParams: Readonly<Record<string, string>>;
}

/** Signs requests for one consumer. Holds its secrets out of sight and a clock offset that can be corrected. */
export interface Signer {
  /**
   * Signs one request with a fresh nonce and timestamp.
   *
   * @example
   * ```ts
   * const signed = await signer.sign({ method: 'GET', url: 'https://api.x.com/1.1/statuses/home_timeline.json' });
   * await fetch(signed.url, { headers: { Authorization: signed.authorization! } });
   * ```
   */
  sign(request: SignInput, options?: SignOptions): Promise<SignedRequest>;
  /** The consumer key. */
  readonly consumerKey: string;
  /** The signature method. */
  readonly signatureMethod: SignatureMethodName;
  /** Seconds currently added to the clock. */
  readonly clockOffsetSeconds: number;
  /** Sets the seconds added to the clock; skew correction calls this. */
  setClockOffset(seconds: number): void;
  /** The timestamp the next request will carry, in seconds. */
  timestamp(): number;
}

/** Names this signer writes itself; a request that already carries one was signed before. */
const PROTOCOL_PARAMS = new Set([
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_body_hash',
]);

const FORM = 'application/x-www-form-urlencoded';
const EMPTY: SignOptions = {};

function optionError(message: string): CountersignError {
  return new CountersignError('invalid_option', message);
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw optionError(`${name}: expected a string; got ${typeof value}.`);
  return value;
}

function checkTransmission(value: unknown): Transmission {
  if (value === 'header' || value === 'query' || value === 'body') return value;
  throw optionError(`transmission: expected "header", "query" or "body"; got ${JSON.stringify(String(value))}.`);
}

function extraParams(oauthParams: SignOptions['oauthParams']): Array<[string, string]> {
  if (oauthParams === undefined) return [];
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

function refuseResigning(pairs: ReadonlyArray<readonly [string, string]>, where: string): void {
  for (const [name] of pairs) {
    if (PROTOCOL_PARAMS.has(name)) {
      throw new CountersignError(
        'invalid_param',
        `The ${where} already contains ${name}: sign the request without OAuth parameters (was it signed before?).`,
      );
    }
  }
}

const SIGNED_REQUEST_PRINTING = {
  toJSON(this: SignedRequest & { plaintext: boolean }) {
    const secretSignature = this.plaintext;
    return {
      method: this.method,
      url: redactUrl(this.url),
      authorization:
        this.authorization === undefined
          ? undefined
          : redactAuthorizationHeader(this.authorization, secretSignature),
      body: this.body === undefined ? undefined : redactForm(this.body),
      contentType: this.contentType,
      signature: secretSignature ? REDACTED : this.signature,
      baseString: this.baseString,
      parameters: this.parameters,
      oauthParams: Object.fromEntries(
        Object.entries(this.oauthParams).map(([name, value]) => [
          name,
          isSensitiveName(name) || (secretSignature && name === 'oauth_signature') ? REDACTED : value,
        ]),
      ),
    };
  },
  [Symbol.for('nodejs.util.inspect.custom')](
    this: { toJSON(): object },
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ) {
    return inspect(this.toJSON(), options);
  },
};
Object.defineProperty(SIGNED_REQUEST_PRINTING, 'toJSON', { enumerable: false });

/**
 * Creates a signer for one consumer (RFC 5849 §3). Options are checked here, once: a
 * missing key, an unknown method or an encrypted RSA key throw before anything is signed.
 *
 * @example
 * ```ts
 * const signer = createSigner({ consumerKey: 'key', consumerSecret: 'secret', token: 't', tokenSecret: 'ts' });
 * const { authorization } = await signer.sign({ method: 'POST', url: 'https://api.example.com/1/statuses', body: 'status=hi', contentType: 'application/x-www-form-urlencoded' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3
 */
export function createSigner(options: SignerOptions): Signer {
  if (typeof options !== 'object' || options === null) throw optionError('createSigner: expected an options object.');
  const consumerKey = options.consumerKey;
  if (typeof consumerKey !== 'string' || consumerKey === '') {
    throw new CountersignError('missing_consumer_key', 'consumerKey: expected the non-empty consumer key your provider issued.');
  }
  const methodName = signatureMethod(options.signatureMethod ?? 'HMAC-SHA1').name;
  const family = signatureMethod(methodName).family;
  const consumerSecret = optionalString(options.consumerSecret, 'consumerSecret');
  if (family !== 'RSA' && consumerSecret === undefined) {
    throw optionError(`consumerSecret: ${methodName} needs the consumer secret (pass '' if the provider really issued none).`);
  }
  const defaultToken = optionalString(options.token, 'token');
  const defaultTokenSecret = optionalString(options.tokenSecret, 'tokenSecret') ?? '';
  if (defaultToken === undefined && defaultTokenSecret !== '') {
    throw optionError('tokenSecret is set but token is not: pass both, or neither for consumer-only requests.');
  }
  const realm = optionalString(options.realm, 'realm');
  const defaultTransmission = checkTransmission(options.transmission ?? 'header');
  const includeVersion = options.includeVersion ?? true;
  const nonce = options.nonce ?? createNonceGenerator();
  const clock = options.clock ?? Date.now;
  if (typeof nonce !== 'function') throw optionError('nonce: expected a function that returns a new nonce.');
  if (typeof clock !== 'function') throw optionError('clock: expected a function that returns milliseconds since the epoch.');
  let offset = checkOffset(options.clockOffsetSeconds ?? 0);
  const signBaseString = createMethodSigner(methodName, {
    consumerSecret: consumerSecret ?? '',
    privateKey: options.privateKey,
  });
  const digest = signatureMethod(methodName).hash;

  async function sign(request: SignInput, perRequest: SignOptions = EMPTY): Promise<SignedRequest> {
    if (typeof request !== 'object' || request === null) throw optionError('sign: expected a request { method, url, body?, contentType? }.');
    const method = normalizeMethod(request.method);
    const url = parseRequestUrl(request.url);
    const body = readBody(request.body, request.contentType);
    const transmission = perRequest.transmission === undefined ? defaultTransmission : checkTransmission(perRequest.transmission);

    let token: string | undefined = defaultToken;
    let tokenSecret = defaultTokenSecret;
    if (perRequest.token !== undefined) {
      token = perRequest.token === null ? undefined : optionalString(perRequest.token, 'token');
      tokenSecret = optionalString(perRequest.tokenSecret, 'tokenSecret') ?? '';
    } else if (perRequest.tokenSecret !== undefined) {
      tokenSecret = optionalString(perRequest.tokenSecret, 'tokenSecret') ?? '';
    }
    if (token === undefined && tokenSecret !== '') {
      throw optionError('tokenSecret is set but token is not: pass both, or neither for consumer-only requests.');
    }

    const generatedNonce = nonce();
    if (typeof generatedNonce !== 'string' || generatedNonce === '') throw optionError('nonce: the generator must return a non-empty string.');
    const protocol: Array<[string, string]> = [
      ['oauth_consumer_key', consumerKey],
      ['oauth_nonce', generatedNonce],
      ['oauth_signature_method', methodName],
      ['oauth_timestamp', String(unixSeconds(clock, offset))],
    ];
    if (token !== undefined) protocol.push(['oauth_token', token]);
    if (includeVersion) protocol.push(['oauth_version', '1.0']);
    if (perRequest.bodyHash === true && body.kind === 'bytes') {
      if (digest === undefined) throw optionError('bodyHash: PLAINTEXT has no hash to protect the body; use an HMAC or RSA method.');
      protocol.push(['oauth_body_hash', await backend.digestBase64(digest, body.bytes())]);
    }
    const extras = extraParams(perRequest.oauthParams);

    const queryPairs = url.search.length > 1 ? parseForm(url.search.slice(1)) : [];
    const all: Array<readonly [string, string]> = [...queryPairs];
    if (queryPairs.length > 0) refuseResigning(queryPairs, 'URL query');
    if (body.kind === 'form') {
      refuseResigning(body.pairs, 'form body');
      for (const pair of body.pairs) all.push(pair);
    }
    for (const pair of protocol) all.push(pair);
    for (const pair of extras) all.push(pair);

    const parameters = normalizeParameters(all);
    const baseUri = baseStringUri(url);
    const baseString = signatureBaseString(method, baseUri, parameters);
    const signature = await signBaseString(baseString, tokenSecret);

    const sent = [...protocol, ...extras, ['oauth_signature', signature] as [string, string]].sort((a, b) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
    );
    let sentUrl = url.hash === '' ? url.href : url.href.slice(0, url.href.length - url.hash.length);
    let authorization: string | undefined;
    let sentBody: string | undefined;
    let contentType: string | undefined;
    if (transmission === 'header') {
      authorization = formatAuthorizationHeader(sent, realm);
    } else if (transmission === 'query') {
      sentUrl += (url.search.length > 1 ? '&' : sentUrl.endsWith('?') ? '' : '?') + formatForm(sent);
    } else {
      if (body.kind === 'bytes' || method === 'GET' || method === 'HEAD') {
        throw new CountersignError(
          'unsignable_body',
          `transmission "body" puts the OAuth parameters in a form body, so it needs a ${FORM} body (or none) and a method that sends one; got ${method}${body.kind === 'bytes' ? ' with a non-form body' : ''}.`,
        );
      }
      sentBody = body.kind === 'form' ? `${body.text}&${formatForm(sent)}` : formatForm(sent);
      contentType = FORM;
    }

    const sensitive = parameters.some((parameter) => isSensitiveName(parameter[0]));
    const result = Object.create(SIGNED_REQUEST_PRINTING) as SignedRequest & { plaintext: boolean };
    Object.defineProperty(result, 'plaintext', { value: family === 'PLAINTEXT' });
    return Object.assign(result, {
      method,
      url: sentUrl,
      authorization,
      body: sentBody,
      contentType,
      signature,
      baseString: sensitive ? redactBaseString(baseString) : baseString,
      parameters: sensitive
        ? parameters.map((parameter) => (isSensitiveName(parameter[0]) ? ([parameter[0], REDACTED] as const) : parameter))
        : parameters,
      oauthParams: Object.fromEntries(sent),
    });
  }

  return {
    sign,
    consumerKey,
    signatureMethod: methodName,
    get clockOffsetSeconds() {
      return offset;
    },
    setClockOffset(seconds: number) {
      offset = checkOffset(seconds);
    },
    timestamp: () => unixSeconds(clock, offset),
  };
}

function checkOffset(seconds: unknown): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw optionError(`clockOffsetSeconds: expected a finite number of seconds; got ${String(seconds)}.`);
  }
  return Math.round(seconds);
}

/**
 * Signs one request with one-off credentials. For repeated requests, keep a
 * {@link createSigner} signer: it imports RSA keys once and remembers clock corrections.
 *
 * @example
 * ```ts
 * const signed = await signRequest(
 *   { method: 'GET', url: 'https://photos.example.net/photos?file=vacation.jpg&size=original' },
 *   { consumerKey: 'dpf43f3p2l4k3l03', consumerSecret: 'kd94hf93k423kf44', token: 'nnch734d00sl2jdk', tokenSecret: 'pfkkdhi9sl3r4s00' },
 * );
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4
 */
export function signRequest(
  request: SignInput,
  options: SignerOptions & SignOptions,
): Promise<SignedRequest> {
  return createSigner(options).sign(request, options);
}
