import {
  baseStringUri,
  bodyHash,
  isSensitiveName,
  REDACTED,
  redactBaseString,
  SIGNATURE_METHODS,
  type SignatureMethodName,
  verifySignature,
} from '@countersign/core';
import { printable, quotedName, quotedToken } from './advice.ts';
import { baseStringText, verifierBaseString, verifierBaseStringBytes } from './base-string.ts';
import { type ConsumerRecord, consumerAllows, consumerMethods } from './consumer.ts';
import {
  diagnoseMismatch,
  type LikelyCause,
  type SignatureDiagnosis,
  shownBaseString,
  tooLargeToDiagnose,
} from './diagnose.ts';
import { ServerError } from './errors.ts';
import { NONCE_MARGIN_SECONDS, type NonceStore, nonceKey } from './nonce-store.ts';
import { DEFAULT_MAX_PARAMETERS, type ReceivedRequest, receivedParameters } from './received-request.ts';

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

export interface VerifyOptions {
  /** Finds a consumer by key; `undefined` answers `consumer_key_unknown`. */
  lookupConsumer(consumerKey: string): ConsumerRecord | undefined | Promise<ConsumerRecord | undefined>;
  /**
   * Finds a token's secret; `undefined` answers `token_rejected`. Without this option any
   * `oauth_token` is refused. Return the consumer the token was issued to as `consumerKey`
   * and a token presented with another consumer is refused, whatever this function checks.
   */
  lookupToken?(token: string, consumerKey: string): TokenRecord | undefined | Promise<TokenRecord | undefined>;
  /**
   * Where used nonces are remembered, so a replayed request is refused: `createMemoryNonceStore()`
   * for one process, `createRedisNonceStore(client)` for several. Required: accepting
   * replays takes an explicit `false`.
   */
  readonly nonceStore: NonceStore | false;
  /**
   * How far a request's timestamp may be from the server's clock, in seconds. The same
   * window decides how long each nonce is remembered, so no replay fits between the two.
   * @default 300
   */
  readonly windowSeconds?: number;
  /** The server's clock, milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  /** Methods this server accepts at all; each consumer is further bound by its record. @default every method */
  readonly signatureMethods?: readonly SignatureMethodName[];
  /**
   * Accept PLAINTEXT over `http:`. PLAINTEXT sends the secrets themselves, so by default it
   * is refused unless the URL is `https:`. Only for loopback test servers. @default false
   */
  readonly allowPlaintextOverHttp?: boolean;
  /**
   * The most parameters a request may carry (Authorization header, query and form body
   * together). More are refused with `parameter_rejected` (400) after one scan for their
   * separators, before anything is decoded or looked up. @default 1000
   */
  readonly maxParameters?: number;
  /**
   * On `signature_invalid` for a known consumer, try the classic client mistakes against the
   * signature received and name the one that reproduces it (`likelyCause`, and in the
   * advice). Bounded: requests up to 64 KB, at most 20 mistakes. @default true
   */
  readonly diagnose?: boolean;
}

/** What `lookupToken` answers for a known token. */
export interface TokenRecord {
  /** The token secret. */
  readonly secret: string;
  /**
   * The consumer the token was issued to. When given, a request that presents the token with
   * another consumer key is refused (`token_rejected`): set it, so a token issued to one
   * consumer never signs for another.
   */
  readonly consumerKey?: string;
}

/** A verified request's OAuth facts. */
export interface VerifiedRequest {
  readonly ok: true;
  readonly consumerKey: string;
  readonly token: string | undefined;
  readonly signatureMethod: SignatureMethodName;
  /**
   * Every signed parameter, decoded, in the order received (OAuth parameters included).
   * `JSON.stringify` and `util.inspect` show `*password*` and `*secret*` values as `[redacted]`.
   */
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
  /**
   * The base string the server computed, password values redacted: only for a known
   * consumer. For a request over 64 KB (query and body), its first 64 K characters and a
   * marker, `…[truncated: N more characters]`; the problem response truncates it further.
   */
  readonly baseString?: string;
  /**
   * With `signature_invalid`: the client mistake that reproduces the signature received,
   * when one does (see `diagnoseSignature`); its words are in `advice`.
   */
  readonly likelyCause?: LikelyCause;
  /** With `signature_invalid` for a known consumer: the whole diagnosis (base strings redacted). */
  readonly diagnosis?: SignatureDiagnosis;
}

export type VerifyResult = VerifiedRequest | RejectedRequest;

const REQUIRED = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature'];
const MAX_NONCE_LENGTH = 255;

function reject(problem: OAuthProblem, advice: string, extra: Partial<RejectedRequest> = {}): RejectedRequest {
  return { ok: false, problem, advice: printable(advice), ...extra };
}

/** Checks the verifier's options and answers the window; throws `invalid_option` for a mistake. */
export function checkOptions(options: VerifyOptions): number {
  if (typeof options?.lookupConsumer !== 'function') {
    throw new ServerError('invalid_option', 'verifyRequest: options.lookupConsumer must be a function.');
  }
  if (options.nonceStore === undefined || options.nonceStore === null) {
    throw new ServerError(
      'invalid_option',
      'verifyRequest: options.nonceStore is required, so replays are refused: pass createMemoryNonceStore() for one process, createRedisNonceStore(client) for several, or false to accept replayed requests knowingly.',
    );
  }
  if (options.nonceStore !== false && typeof options.nonceStore.remember !== 'function') {
    throw new ServerError(
      'invalid_option',
      'verifyRequest: options.nonceStore must have a remember(key, expiresAt) method, or be false.',
    );
  }
  if ('timestampWindowSeconds' in options) {
    throw new ServerError(
      'invalid_option',
      'verifyRequest: timestampWindowSeconds is now windowSeconds, which also sets how long nonces are kept.',
    );
  }
  const window = options.windowSeconds ?? 300;
  if (!Number.isInteger(window) || window < 1) {
    throw new ServerError('invalid_option', 'verifyRequest: windowSeconds must be a positive whole number of seconds.');
  }
  const maxParameters = options.maxParameters ?? DEFAULT_MAX_PARAMETERS;
  if (!(Number.isInteger(maxParameters) || maxParameters === Number.POSITIVE_INFINITY) || maxParameters < 1) {
    throw new ServerError('invalid_option', 'verifyRequest: maxParameters must be a positive whole number.');
  }
  if (options.diagnose !== undefined && typeof options.diagnose !== 'boolean') {
    throw new ServerError('invalid_option', 'verifyRequest: diagnose must be true or false.');
  }
  return window;
}

/**
 * Whether a lookup or a store answered later. Awaited only then: each await of a plain value
 * is a trip through the microtask queue, and a verifying server's budget per request is a
 * few microseconds. Any thenable counts, not only a native Promise: query builders (knex)
 * answer with one, and a store's `false` inside one read as an object let a replay in.
 */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * Verifies a signed request the way a strict provider does (RFC 5849 §3.2): parameters
 * present, method allowed for this consumer, consumer and token known, timestamp within
 * the window, signature equal (compared in constant time), nonce not seen before. A
 * refusal is answered with a Problem Reporting code rather than thrown, so a server can
 * reply with it; a verifier that cannot decide (nonce store down or full) throws a
 * `ServerError`, and the request must then be refused.
 *
 * @example
 * ```ts
 * const nonceStore = createMemoryNonceStore();
 * const result = await verifyRequest(
 *   { method: 'GET', url: 'https://api.example.com/photos', authorization: req.headers.authorization },
 *   { lookupConsumer: (key) => consumers.get(key), lookupToken: (token) => tokens.get(token), nonceStore },
 * );
 * if (!result.ok) reply(401, `oauth_problem=${result.problem}`);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.2
 */
export async function verifyRequest(request: ReceivedRequest, options: VerifyOptions): Promise<VerifyResult> {
  const window = checkOptions(options);
  // One reading of the clock serves the timestamp check and the nonce's retention: read
  // twice, a replay checked at the window's last second and stored in the next got in.
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  const received = receivedParameters(request, { maxParameters: options.maxParameters ?? DEFAULT_MAX_PARAMETERS });
  if (received.problem !== undefined) return reject('parameter_rejected', received.problem);

  const all =
    received.query.length === 0 && received.body.length === 0
      ? received.header
      : [...received.header, ...received.query, ...received.body];
  const oauth: Record<string, string> = {};
  for (const [name, value] of all) {
    if (!name.startsWith('oauth_')) continue;
    if (Object.hasOwn(oauth, name)) {
      return reject(
        'parameter_rejected',
        `${quotedName(name)} was sent more than once (RFC 5849 §3.5: use one transmission method).`,
      );
    }
    oauth[name] = value;
  }
  if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') {
    return reject(
      'version_rejected',
      `oauth_version must be 1.0 when present (RFC 5849 §3.1); got ${quotedToken(oauth.oauth_version)}. node-oauth sends the version its constructor is given: pass '1.0', not '1.0A'.`,
    );
  }
  const methodName = oauth.oauth_signature_method as SignatureMethodName;
  const plaintext = methodName === 'PLAINTEXT';
  // PLAINTEXT may leave out timestamp and nonce (§3.1), but not one without the other:
  // a nonce without a timestamp could never be forgotten.
  const timed = !plaintext || oauth.oauth_timestamp !== undefined || oauth.oauth_nonce !== undefined;
  const missing = (name: string) => oauth[name] === undefined || oauth[name] === '';
  if (REQUIRED.some(missing) || (timed && (missing('oauth_timestamp') || missing('oauth_nonce')))) {
    const absent = [...REQUIRED, ...(timed ? ['oauth_timestamp', 'oauth_nonce'] : [])].filter(missing);
    return reject('parameter_absent', `Missing ${absent.join(', ')}.`, { parametersAbsent: absent });
  }
  const serverMethods = options.signatureMethods ?? SIGNATURE_METHODS;
  if (!serverMethods.includes(methodName)) {
    return reject(
      'signature_method_rejected',
      `This server accepts ${serverMethods.join(', ')}; got ${quotedToken(methodName)}.`,
    );
  }
  if (plaintext && received.url.protocol !== 'https:' && options.allowPlaintextOverHttp !== true) {
    return reject(
      'signature_method_rejected',
      'PLAINTEXT sends the secrets themselves and is accepted only over https (RFC 5849 §3.4.4); use HMAC-SHA1 or HMAC-SHA256 over http.',
    );
  }
  if (timed && oauth.oauth_nonce !== undefined && oauth.oauth_nonce.length > MAX_NONCE_LENGTH) {
    return reject('parameter_rejected', `oauth_nonce is longer than ${MAX_NONCE_LENGTH} characters.`);
  }

  const consumerKey = oauth.oauth_consumer_key as string;
  const found = options.lookupConsumer(consumerKey);
  const consumer = isThenable(found) ? await found : found;
  if (!consumer) return reject('consumer_key_unknown', 'The consumer key is not registered here.');
  if (!consumerAllows(consumer, methodName, serverMethods)) {
    const allowed = consumerMethods(consumer).filter((method) => serverMethods.includes(method));
    return reject(
      'signature_method_rejected',
      allowed.length === 0
        ? 'This consumer has no usable secret or public key registered here.'
        : `This consumer may sign with ${allowed.join(', ')}; got ${methodName}.`,
    );
  }

  const token = oauth.oauth_token;
  let tokenSecret = '';
  if (token !== undefined && token !== '') {
    const looked = options.lookupToken ? options.lookupToken(token, consumerKey) : undefined;
    const record = isThenable(looked) ? await looked : looked;
    if (!record || (record.consumerKey !== undefined && record.consumerKey !== consumerKey)) {
      return reject('token_rejected', 'The token is unknown, expired or was issued to another consumer.');
    }
    tokenSecret = record.secret;
  }

  let timestamp = now;
  if (timed) {
    const raw = oauth.oauth_timestamp as string;
    timestamp = /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(Math.abs(timestamp - now) <= window)) {
      return reject(
        'timestamp_refused',
        `oauth_timestamp must be within ${window} seconds of the server's clock (${now}).`,
        {
          acceptableTimestamps: `${now - window}-${now + window}`,
        },
      );
    }
  }

  const signed = all.filter(([name]) => name !== 'oauth_signature');
  // A request too large to diagnose needs its base string only hashed: as bytes, it costs
  // a fraction of the fresh memory (a megabyte of `+` went from about 60 ms to 20 here).
  const baseString = tooLargeToDiagnose(received)
    ? verifierBaseStringBytes(received.method, baseStringUri(received.url), signed)
    : verifierBaseString(received.method, baseStringUri(received.url), signed);
  const secrets = {
    consumerSecret: consumer.secret ?? '',
    tokenSecret,
    ...(methodName.startsWith('RSA-') ? { publicKey: consumer.publicKey } : {}),
  };
  const valid = await verifySignature(methodName, baseString, oauth.oauth_signature as string, secrets);
  if (!valid) {
    // Redacted once: on a megabyte of base string each redaction is a scan.
    const shown = shownBaseString(baseString);
    const bare = 'The signature does not match the base string the server computed.';
    if (options.diagnose === false) return reject('signature_invalid', bare, { baseString: shown });
    const diagnosis = await diagnoseMismatch(
      received,
      secrets,
      methodName,
      oauth.oauth_signature as string,
      baseString,
      request.host ?? undefined,
      shown,
    );
    return reject('signature_invalid', `${bare} Likely cause: ${diagnosis.explanation}`, {
      baseString: shown,
      ...(diagnosis.likelyCause === undefined ? {} : { likelyCause: diagnosis.likelyCause }),
      diagnosis,
    });
  }
  if (oauth.oauth_body_hash !== undefined) {
    if (received.formBody || plaintext) {
      return reject(
        'parameter_rejected',
        received.formBody
          ? 'oauth_body_hash must not be sent with a form body.'
          : 'oauth_body_hash needs a hashing signature method, not PLAINTEXT.',
        { baseString: shownBaseString(baseString) },
      );
    }
    const expected = await bodyHash(methodName, received.bodyBytes ?? new Uint8Array());
    if (expected !== oauth.oauth_body_hash) {
      return reject(
        'signature_invalid',
        'oauth_body_hash does not match the body received: hash the exact bytes that are sent, after any change to the body.',
        { baseString: shownBaseString(baseString), likelyCause: 'body_hash_mismatch' },
      );
    }
  }
  if (options.nonceStore !== false && timed) {
    const key = nonceKey(consumerKey, token ?? '', oauth.oauth_timestamp as string, oauth.oauth_nonce as string);
    // Kept while the timestamp is acceptable (until timestamp + window, inclusive) and a
    // margin more, for a store whose own clock or round trip runs behind this reading.
    const remembered = options.nonceStore.remember(key, timestamp + window + 1 + NONCE_MARGIN_SECONDS, now);
    const fresh = isThenable(remembered) ? await remembered : remembered;
    if (!fresh)
      return reject('nonce_used', 'This nonce was already used with this timestamp: every request needs a new one.');
  }
  // The received signature stays out: with PLAINTEXT it is the secrets themselves.
  const { oauth_signature: _signature, ...oauthParams } = oauth;
  return new VerifiedRecord(consumerKey, token, methodName, signed, oauthParams, baseString);
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A verified request. The application reads every value (xAuth needs the password);
 * printing (`JSON.stringify`, `util.inspect`) shows `*password*` and `*secret*` values as
 * `[redacted]`. A class, so the printing lives on the prototype and costs nothing per request.
 */
class VerifiedRecord implements VerifiedRequest {
  readonly ok = true;
  // Redacted when first read: most applications never read it, and redaction scans the whole string.
  #baseString: string | Uint8Array;
  #shown: string | undefined;

  constructor(
    readonly consumerKey: string,
    readonly token: string | undefined,
    readonly signatureMethod: SignatureMethodName,
    readonly params: ReadonlyArray<readonly [string, string]>,
    readonly oauthParams: Readonly<Record<string, string>>,
    baseString: string | Uint8Array,
  ) {
    this.#baseString = baseString;
  }

  get baseString(): string {
    const text = this.#baseString;
    this.#shown ??= redactBaseString(typeof text === 'string' ? text : baseStringText(text));
    return this.#shown;
  }

  toJSON(): object {
    return {
      ok: true,
      consumerKey: this.consumerKey,
      token: this.token,
      signatureMethod: this.signatureMethod,
      params: this.params.map(([name, value]) => [name, isSensitiveName(name) ? REDACTED : value]),
      oauthParams: this.oauthParams,
      baseString: this.baseString,
    };
  }

  [INSPECT](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    return inspect(this.toJSON(), options);
  }
}
