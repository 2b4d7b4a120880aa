import { createNonceGenerator } from '@countersign/core';

// 24 alphanumerics: inside the 20–30 that oauthlib-based providers expect of tokens.
const issue = createNonceGenerator(24);

export interface RequestTokenRecord {
  readonly consumerKey: string;
  readonly secret: string;
  readonly callback: string;
  verifier: string | undefined;
  used: boolean;
}

export interface AccessTokenRecord {
  readonly consumerKey: string;
  readonly secret: string;
  readonly userId: string;
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
    issueAccessToken(consumerKey: string) {
      const token = issue();
      const record: AccessTokenRecord = { consumerKey, secret: issue(), userId: String(accessTokens.size + 1000) };
      accessTokens.set(token, record);
      return { token, record };
    },
    accessToken: (token: string) => accessTokens.get(token),
    newVerifier: () => issue(),
  };
}
