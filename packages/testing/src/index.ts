/**
 * Test helpers for code that sends OAuth 1.0a requests: a nock reply and an msw resolver
 * that answer only when the request's signature verifies for the expected credentials, and
 * that say why when it does not (the likely mistake, with the base strings).
 *
 * @packageDocumentation
 * @module @countersign/testing
 */
export { createSigningChecker, type SigningCheck, type SigningChecker } from './check.ts';
export type { ExpectedSigning } from './expected-signing.ts';
export { OAuthMismatchError } from './mismatch-error.ts';
export { type MswResolverInfo, mswSignedBy } from './msw.ts';
export {
  type NockRequestLike,
  type NockScopeLike,
  type NockSigned,
  type NockSignedReply,
  nockSignedBy,
} from './nock.ts';
