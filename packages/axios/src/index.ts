/**
 * Signs every request of an axios instance with OAuth 1.0a, inside the adapter, so the signature covers exactly what axios sends.
 *
 * @packageDocumentation
 * @module @countersign/axios
 */
export { type AxiosOAuthOptions, installOAuth } from './install.ts';
