import type { ConsumerRecord } from '@countersign/server';
import type { SandboxInspectorOptions } from './inspector/options.ts';
import type { SandboxProfile } from './profiles.ts';
import type { SandboxUser } from './twitter-routes.ts';

/** A consumer the sandbox knows: a secret for HMAC and PLAINTEXT, a public key for RSA. */
export interface SandboxConsumer extends ConsumerRecord {
  readonly key: string;
  /** A Xero-style private app: two-legged, the consumer key doubling as `oauth_token`, no token secret. */
  readonly privateApp?: boolean;
}

export interface SandboxOptions {
  /** The registered consumers. More can be added with `addConsumer`. */
  readonly consumers?: readonly SandboxConsumer[];
  /** Seconds the sandbox's clock runs ahead (negative: behind) of this machine's. @default 0 */
  readonly clockOffsetSeconds?: number;
  /** The sandbox's clock, milliseconds since the epoch: tests of token expiry move it. @default Date.now */
  readonly now?: () => number;
  /** How far a timestamp may be from the sandbox's clock; nonces are kept as long. @default 300 */
  readonly windowSeconds?: number;
  /** Users xAuth accepts. @default [{ username: 'sandbox_user', password: 'sandbox-password' }] */
  readonly users?: readonly SandboxUser[];
  /**
   * Access tokens expire after this many seconds and come with an `oauth_session_handle`
   * that renews them, as Xero's partner apps do (1800 there). @default never
   */
  readonly accessTokenLifetimeSeconds?: number;
  /**
   * Answer cross-origin requests from browser pages (CORS): any origin, the `Authorization`
   * and `Content-Type` headers allowed, `WWW-Authenticate` readable. Off by default, as a
   * provider's token endpoints usually are. @default false
   */
  readonly cors?: boolean;
  /** The largest request body read; a larger one gets 413 before any verification. @default 1048576 */
  readonly maxBodyBytes?: number;
  /** The port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /**
   * Play one provider with its quirk enforced (Mastercard's body hash, NetSuite's realm,
   * WooCommerce's query-only consumer signing, Magento's header and token). @default none
   */
  readonly profile?: SandboxProfile;
  /**
   * The inspector page at `/_countersign/` on the sandbox's origin: every request received,
   * newest first, with the base string the sandbox computed, the client's when it can be
   * rebuilt, the first difference marked and the likely cause; live, loopback only,
   * secrets redacted. `false` turns it off. @default { maxRequests: 300, hosts: [], maxViewers: 8 }
   */
  readonly inspector?: SandboxInspectorOptions | false;
}

export interface Sandbox {
  /** The base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The inspector page, `http://127.0.0.1:<port>/_countersign/`; undefined with `inspector: false`. */
  readonly inspectorUrl: string | undefined;
  /** The endpoints of its three-legged flow. */
  readonly endpoints: { requestTokenUrl: string; authorizeUrl: string; accessTokenUrl: string };
  addConsumer(consumer: SandboxConsumer): void;
  /**
   * Answers the next verified requests with these statuses instead (503, 429, …), after
   * recording their nonces: a client that retries with the same nonce is then refused.
   */
  failNext(...statuses: number[]): void;
  /** Expires every expiring access token now, to test renewal. */
  expireAccessTokens(): void;
  /**
   * Issues an access token to a consumer directly, as providers with pre-issued tokens do
   * (a Magento integration, a NetSuite access token record).
   */
  issueAccessToken(consumerKey: string): { readonly token: string; readonly tokenSecret: string };
  close(): Promise<void>;
}
