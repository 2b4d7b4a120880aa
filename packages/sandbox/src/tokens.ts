import { createNonceGenerator } from '@countersign/core';

// 24 alphanumerics: inside the 20–30 that oauthlib-based providers expect of tokens.
const issue = createNonceGenerator(24);

export interface RequestTokenRecord {
  /** The consumer it was issued to: the verifier refuses it with any other. */
  readonly consumerKey: string;
  readonly secret: string;
  readonly callback: string;
  verifier: string | undefined;
  used: boolean;
}

export interface AccessTokenRecord {
  /** The consumer it was issued to: the verifier refuses it with any other. */
  readonly consumerKey: string;
  readonly secret: string;
  readonly userId: string;
  /** Milliseconds since the epoch (sandbox clock) after which the token is expired. */
  expiresAt: number | undefined;
  /** Renews the token (Xero's partner apps), when tokens expire. */
  readonly sessionHandle: string | undefined;
  revoked: boolean;
}

/** The sandbox's memory: request tokens until they are exchanged, access tokens until it stops. */
export function createTokenStore() {
  const requestTokens = new Map<string, RequestTokenRecord>();
  const accessTokens = new Map<string, AccessTokenRecord>();
  return {
    issueRequestToken(consumerKey: string, callback: string) {
      const token = issue();
      const record: RequestTokenRecord = { consumerKey, secret: issue(), callback, verifier: undefined, used: false };
      requestTokens.set(token, record);
      return { token, record };
    },
    requestToken: (token: string) => requestTokens.get(token),
    issueAccessToken(consumerKey: string, expiresAt?: number, sessionHandle?: string) {
      const token = issue();
      const record: AccessTokenRecord = {
        consumerKey,
        secret: issue(),
        userId: String(accessTokens.size + 1000),
        expiresAt,
        sessionHandle: expiresAt === undefined ? undefined : (sessionHandle ?? issue()),
        revoked: false,
      };
      accessTokens.set(token, record);
      return { token, record };
    },
    expireAll(now: number) {
      for (const record of accessTokens.values()) if (record.expiresAt !== undefined) record.expiresAt = now - 1;
    },
    accessToken: (token: string) => accessTokens.get(token),
    newVerifier: () => issue(),
  };
}
