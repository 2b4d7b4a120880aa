import type { SignatureMethodName } from '@countersign/core';
import { type ConsumerRecord, createMemoryNonceStore, type VerifyResult, verifyRequest } from '@countersign/server';
import type { SandboxConsumer } from './options.ts';
import type { createTokenStore } from './tokens.ts';

/** Which token a route expects: none (request token, xAuth), a request token, an access token, or one to renew. */
export type TokenKind = 'none' | 'request' | 'access' | 'renew';

export interface ArrivedRequest {
  readonly method: string;
  readonly url: URL;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Uint8Array;
}

/**
 * The sandbox's verifier: `@countersign/server`'s `verifyRequest` with the sandbox's
 * consumers and tokens, its own clock, and one nonce store kept for the window. PLAINTEXT
 * is allowed over http because the sandbox only listens on loopback.
 */
export function createSandboxVerifier(context: {
  consumers: Map<string, SandboxConsumer>;
  tokens: ReturnType<typeof createTokenStore>;
  now: () => number;
  windowSeconds: number;
  /** The methods a provider profile accepts. @default every method */
  signatureMethods: readonly SignatureMethodName[] | undefined;
}) {
  const { consumers, tokens, now, windowSeconds, signatureMethods } = context;
  const nonceStore = createMemoryNonceStore({ now });
  const lookupConsumer = (key: string): ConsumerRecord | undefined => consumers.get(key);

  return function verify(request: ArrivedRequest, tokenKind: TokenKind): Promise<VerifyResult> {
    return verifyRequest(request, {
      lookupConsumer,
      lookupToken: (token, consumerKey) => {
        if (tokenKind === 'none') return undefined;
        // A private app signs with its consumer key as the token and no token secret (RSA only,
        // since the consumer is bound to the methods its key allows).
        if (tokenKind === 'access' && token === consumerKey && consumers.get(consumerKey)?.privateApp)
          return { secret: '', consumerKey };
        const record = tokenKind === 'request' ? tokens.requestToken(token) : tokens.accessToken(token);
        if (record === undefined) return undefined;
        if ('used' in record && record.used) return undefined;
        if ('revoked' in record && record.revoked) return undefined;
        // The record names the consumer it was issued to: the verifier refuses any other.
        return { secret: record.secret, consumerKey: record.consumerKey };
      },
      nonceStore,
      now,
      windowSeconds,
      ...(signatureMethods === undefined ? {} : { signatureMethods }),
      allowPlaintextOverHttp: true,
    });
  };
}
