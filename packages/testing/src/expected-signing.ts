import type { PublicKeyInput, SignatureMethodName } from '@countersign/core';

/** What a fake provider expects: the credentials a request must be signed with, and more it may check. */
export interface ExpectedSigning {
  readonly consumerKey: string;
  /** For HMAC and PLAINTEXT. Never printed. */
  readonly consumerSecret?: string;
  /** For RSA-SHA1 and RSA-SHA256. */
  readonly publicKey?: PublicKeyInput;
  readonly token?: string;
  /** Never printed. @default '' */
  readonly tokenSecret?: string;
  /** Accept only this signature method. @default any the credentials allow */
  readonly signatureMethod?: SignatureMethodName;
  /** The HTTP method the request must use. */
  readonly method?: string;
  /** The URL the request must go to: scheme, host, port and path are compared, not the query. */
  readonly url?: string | URL;
  /** Parameters that must be among the signed ones, with these (decoded) values. */
  readonly params?: Readonly<Record<string, string>>;
  /**
   * Refuse a nonce used before by requests this helper saw, as a provider does: a retry that
   * reuses its nonce fails the test. @default true
   */
  readonly refuseReplays?: boolean;
  /** How far the timestamp may be from `now`, in seconds. @default 300 */
  readonly windowSeconds?: number;
  /** The provider's clock, milliseconds since the epoch (for tests with a fixed clock). @default Date.now */
  readonly now?: () => number;
}
