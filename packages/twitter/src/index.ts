/**
 * Twitter/X OAuth 1.0a: its endpoints, xAuth and reverse auth with the provider's quirks built in.
 *
 * @packageDocumentation
 * @module @countersign/twitter
 */
export { twitterEndpoints } from './endpoints.ts';
export { type ReverseAuthOptions, reverseAuthAccessToken, twitterReverseAuth } from './reverse-auth.ts';
export { type XAuthOptions, xAuth } from './xauth.ts';
