/**
 * Twitter/X OAuth 1.0a: its endpoints, xAuth and reverse auth with the provider's quirks built in.
 *
 * @packageDocumentation
 * @module @countersign/twitter
 */
export { twitterEndpoints } from './endpoints.ts';
export { type ReverseAuthOptions, reverseAuthAccessToken, twitterReverseAuth } from './reverse-auth.ts';
export { type MediaUploadOptions, postTweet, uploadMedia, X_API, type XRequestOptions, xEndpoints } from './x-api.ts';
export { type XAuthOptions, xAuth } from './xauth.ts';
