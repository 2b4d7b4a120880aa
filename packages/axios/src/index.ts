export { type AxiosOAuthOptions, installOAuth } from './install.ts';
