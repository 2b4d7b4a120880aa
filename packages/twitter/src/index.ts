export { twitterEndpoints } from './endpoints.ts';
export { type ReverseAuthOptions, reverseAuthAccessToken, twitterReverseAuth } from './reverse-auth.ts';
export { type XAuthOptions, xAuth } from './xauth.ts';
