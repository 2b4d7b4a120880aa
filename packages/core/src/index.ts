/**
 * RFC 5849 OAuth 1.0a signing and verification that matches the wire: the signer, the fetch wrapper, the three-legged flow, typed provider errors and diagnostics.
 *
 * @packageDocumentation
 * @module @countersign/core
 */
export {
  baseStringUri,
  type EncodedParameter,
  normalizeParameters,
  signatureBaseString,
} from './base-string.ts';
export { isFormContentType, type SignableBody } from './body.ts';
export type { Clock } from './clock.ts';
export { type BaseStringDifference, compareBaseStrings } from './compare.ts';
export { delay } from './delay.ts';
export { formatForm, formDecode, parseForm, percentEncode } from './encode.ts';
export {
  CountersignError,
  type CountersignErrorCode,
  isCountersignError,
} from './errors.ts';
export { type Cause, type ExplainInput, explain, type RejectionCause } from './explain.ts';
export {
  createOAuthFetch,
  type FetchLike,
  type OAuthFetch,
  type OAuthFetchOptions,
  type OAuthRequestInit,
  type SignedEvent,
  signFetchRequest,
} from './fetch.ts';
export {
  accessToken,
  authorizationUrl,
  type CallbackResult,
  type FlowOptions,
  type OAuthEndpoints,
  parseCallback,
  requestToken,
} from './flow.ts';
export {
  formatAuthorizationHeader,
  type ParsedAuthorizationHeader,
  parseAuthorizationHeader,
} from './header.ts';
export { hasControlCharacters, inertText } from './inert-text.ts';
export {
  type CryptoKeyLike,
  type KeyObjectLike,
  type PrivateKeyInput,
  type PublicKeyInput,
  pkcs1ToPkcs8,
} from './keys.ts';
export {
  bodyHash,
  SIGNATURE_METHODS,
  type SignatureMethodName,
  type VerifySecrets,
  verifySignature,
} from './methods/index.ts';
export { createNonceGenerator, DEFAULT_NONCE_LENGTH } from './nonce.ts';
export {
  isOAuthError,
  OAuthError,
  oauthErrorOf,
  type ProviderProblem,
  parseProviderProblem,
  type RefusedAnswer,
  throwIfRefused,
} from './oauth-error.ts';
export { ANSWER_PREFIX_BYTES, readTextPrefix, type TextPrefix } from './read-prefix.ts';
export {
  isSensitiveName,
  printAs,
  REDACTED,
  redactAuthorizationHeader,
  redactBaseString,
  redactForm,
  redactText,
  redactUrl,
} from './redact.ts';
export { type RetryOptions, sendWithRetries } from './retry.ts';
export { type SendSignedOptions, sendSigned } from './send-signed.ts';
export {
  createSigner,
  type SignedRequest,
  type Signer,
  type SignerOptions,
  type SignInput,
  type SignOptions,
  signRequest,
  type Transmission,
  type WireForm,
} from './sign.ts';
export { rememberSentBody, type SentBody, signingOf } from './signings.ts';
export { parseTokenResponse, readTokenResponse, type TokenResponse } from './token-response.ts';
