import {
  checkClockOffset,
  createSignerClock,
  DEFAULT_MAX_CLOCK_CORRECTION_SECONDS,
  type SignerClock,
} from './clock.ts';
import { checkCredential } from './credential-text.ts';
import type { HashName } from './crypto/types.ts';
import { percentEncode } from './encode.ts';
import { CountersignError } from './errors.ts';
import { headerPrefix } from './header.ts';
import {
  type BaseStringSigner,
  createMethodSigner,
  type SignatureMethodName,
  signatureMethod,
} from './methods/index.ts';
import { createNonceGenerator } from './nonce.ts';
import { type BlockTemplate, blockTemplate } from './protocol-block.ts';
import type { SignerOptions, Transmission, WireForm } from './sign.ts';

/** A signer's options, checked once, and what follows from them for every request. */
export interface SignerSettings {
  readonly consumerKey: string;
  readonly encodedConsumerKey: string;
  readonly methodName: SignatureMethodName;
  readonly family: 'HMAC' | 'RSA' | 'PLAINTEXT';
  /** The method's hash, for `oauth_body_hash`; PLAINTEXT has none. */
  readonly digest: HashName | undefined;
  readonly token: string | undefined;
  readonly encodedToken: string | undefined;
  readonly tokenSecret: string;
  readonly realmPrefix: string;
  readonly transmission: Transmission;
  readonly includeVersion: boolean;
  readonly nonce: () => string;
  /** Our own nonces are alphanumeric, already encoded; a caller's may not be. */
  readonly nonceNeedsEncoding: boolean;
  readonly signBaseString: BaseStringSigner;
  readonly allowPlaintextOverHttp: boolean;
  readonly wireForm: WireForm;
  readonly clock: SignerClock;
  /** The OAuth block of the signer's own token and transmission. */
  readonly template: BlockTemplate;
  templateFor(encodedToken: string | undefined, transmission: Transmission): BlockTemplate;
}

export function optionError(message: string): CountersignError {
  return new CountersignError('invalid_option', message);
}

export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw optionError(`${name}: expected a string; got ${typeof value}.`);
  return value;
}

/** A token or secret, if given: a string without copy-paste leftovers (see checkCredential). */
export function optionalCredential(value: unknown, name: string): string | undefined {
  const text = optionalString(value, name);
  return text === undefined ? undefined : checkCredential(text, name);
}

/** A switch: true, false or left out. Configuration read as text ('false') must not flip it. */
export function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw optionError(
    `${name}: expected true or false; got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}.`,
  );
}

export function checkTransmission(value: unknown): Transmission {
  if (value === 'header' || value === 'query' || value === 'body') return value;
  throw optionError(`transmission: expected "header", "query" or "body"; got ${JSON.stringify(String(value))}.`);
}

export const MISSING_TOKEN_SECRET =
  "token is set but tokenSecret is not: pass the secret the provider issued with the token, or tokenSecret: '' if it really issued none.";
export const SECRET_WITHOUT_TOKEN =
  'tokenSecret is set but token is not: pass both, or neither for consumer-only requests.';

function checkConsumerKey(consumerKey: unknown): string {
  if (typeof consumerKey !== 'string' || consumerKey === '') {
    throw new CountersignError(
      'missing_consumer_key',
      'consumerKey: expected the non-empty consumer key your provider issued.',
    );
  }
  return checkCredential(consumerKey, 'consumerKey');
}

function checkSecrets(options: SignerOptions, methodName: SignatureMethodName, family: string) {
  // A key given with an HMAC or PLAINTEXT method would be silently unused, and the request
  // signed with a secret the provider of an RSA application does not have.
  if (family !== 'RSA' && options.privateKey !== undefined && options.privateKey !== null) {
    throw optionError(
      `privateKey is set but signatureMethod is ${methodName}, which does not use it: set signatureMethod: 'RSA-SHA1' (or 'RSA-SHA256') to sign with the key, or leave privateKey out.`,
    );
  }
  const consumerSecret = optionalCredential(options.consumerSecret, 'consumerSecret');
  if (family !== 'RSA' && consumerSecret === undefined) {
    throw optionError(
      `consumerSecret: ${methodName} needs the consumer secret (pass '' if the provider really issued none).`,
    );
  }
  const token = optionalCredential(options.token, 'token');
  const tokenSecret = optionalCredential(options.tokenSecret, 'tokenSecret') ?? '';
  if (token === undefined && tokenSecret !== '') throw optionError(SECRET_WITHOUT_TOKEN);
  // HMAC and PLAINTEXT sign with the token's secret: leaving it out signs with an empty one,
  // which the provider refuses as signature_invalid. RSA never uses it.
  if (family !== 'RSA' && token !== undefined && options.tokenSecret === undefined) {
    throw optionError(MISSING_TOKEN_SECRET);
  }
  return { consumerSecret: consumerSecret ?? '', token, tokenSecret };
}

function checkFunction<T>(value: T, name: string, expected: string): T {
  if (typeof value !== 'function') throw optionError(`${name}: expected a function that returns ${expected}.`);
  return value;
}

function checkWireForm(value: unknown): WireForm {
  if (value === undefined || value === 'as-given' || value === 'rfc3986') return value ?? 'as-given';
  throw optionError(`wireForm: expected "as-given" or "rfc3986"; got ${JSON.stringify(String(value))}.`);
}

function checkMaxCorrection(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_CLOCK_CORRECTION_SECONDS;
  if (typeof value === 'number' && value >= 0 && Number.isFinite(value)) return value;
  throw optionError(`maxClockCorrectionSeconds: expected a finite number of seconds from 0 up; got ${String(value)}.`);
}

/** Checks a signer's options (RFC 5849 §3): everything that can be wrong throws here, once. */
export function signerSettings(options: SignerOptions): SignerSettings {
  if (typeof options !== 'object' || options === null) throw optionError('createSigner: expected an options object.');
  const consumerKey = checkConsumerKey(options.consumerKey);
  const chosen = signatureMethod(options.signatureMethod ?? 'HMAC-SHA1');
  const { consumerSecret, token, tokenSecret } = checkSecrets(options, chosen.name, chosen.family);
  const realm = optionalString(options.realm, 'realm');
  const transmission = checkTransmission(options.transmission ?? 'header');
  const includeVersion = optionalBoolean(options.includeVersion, 'includeVersion') ?? true;
  const nonce = checkFunction(options.nonce ?? createNonceGenerator(), 'nonce', 'a new nonce');
  const clock = createSignerClock(
    checkFunction(options.clock ?? Date.now, 'clock', 'milliseconds since the epoch'),
    checkClockOffset(options.clockOffsetSeconds ?? 0),
    checkMaxCorrection(options.maxClockCorrectionSeconds),
  );
  const wireForm = checkWireForm(options.wireForm);
  const signBaseString = createMethodSigner(chosen.name, { consumerSecret, privateKey: options.privateKey });
  const encodedConsumerKey = percentEncode(consumerKey);
  const realmPrefix = headerPrefix(realm);
  const encodedToken = token === undefined ? undefined : percentEncode(token);
  const templateFor = (encodedToken: string | undefined, how: Transmission) =>
    blockTemplate(
      { consumerKey: encodedConsumerKey, signatureMethod: chosen.name, token: encodedToken, version: includeVersion },
      how === 'header' ? realmPrefix : undefined,
    );
  return {
    consumerKey,
    encodedConsumerKey,
    methodName: chosen.name,
    family: chosen.family,
    digest: chosen.hash,
    token,
    encodedToken,
    tokenSecret,
    realmPrefix,
    transmission,
    includeVersion,
    nonce,
    nonceNeedsEncoding: options.nonce !== undefined,
    signBaseString,
    allowPlaintextOverHttp: optionalBoolean(options.allowPlaintextOverHttp, 'allowPlaintextOverHttp') === true,
    wireForm,
    clock,
    template: templateFor(encodedToken, transmission),
    templateFor,
  };
}
