/**
 * The server half of OAuth 1.0a: verify signed requests with each consumer bound to its
 * signature methods and replays refused by default; nonce stores in memory and Redis;
 * adapters for Fetch `Request`s, Node requests and Express-style middleware.
 *
 * @packageDocumentation
 * @module @countersign/server
 */
// Types Express's req.oauth and req.rawBody for every importer (a declaration only).
import './express-request.ts';

export type { ConsumerRecord } from './consumer.ts';
export {
  diagnoseSignature,
  type LikelyCause,
  MAX_DIAGNOSIS_BYTES,
  MAX_DIAGNOSIS_VARIANTS,
  type SignatureDiagnosis,
} from './diagnose.ts';
export { isServerError, ServerError, type ServerErrorCode } from './errors.ts';
export {
  type AdapterOptions,
  type AdapterResult,
  type FetchRequestOptions,
  verifyFetchRequest,
} from './fetch-request.ts';
export { createMemoryNonceStore, type MemoryNonceStoreOptions } from './memory-nonce-store.ts';
export { type MiddlewareOptions, type NodeResponse, type OAuthVerifiedRequest, oauthMiddleware } from './middleware.ts';
export {
  type NodeRequest,
  type NodeRequestOptions,
  nodeRequestUrl,
  readNodeRequestBody,
  verifyNodeRequest,
} from './node-request.ts';
export { NONCE_MARGIN_SECONDS, type NonceStore } from './nonce-store.ts';
export {
  errorResponse,
  MAX_PROBLEM_BODY_BYTES,
  type ProblemResponse,
  problemResponse,
  type Refusal,
} from './problem-response.ts';
export { DEFAULT_MAX_BODY_BYTES } from './read-body.ts';
export {
  DEFAULT_MAX_PARAMETERS,
  type ReceivedLimits,
  type ReceivedParameters,
  type ReceivedRequest,
  receivedParameters,
} from './received-request.ts';
export { createRedisNonceStore, type RedisCommandClient, type RedisNonceStoreOptions } from './redis-nonce-store.ts';
export {
  type OAuthProblem,
  type RejectedRequest,
  type TokenRecord,
  type VerifiedRequest,
  type VerifyOptions,
  type VerifyResult,
  verifyRequest,
} from './verify.ts';
