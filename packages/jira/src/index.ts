/**
 * Jira Server / Data Center application links: RSA-SHA1 OAuth 1.0a with the out-of-band verifier.
 *
 * @packageDocumentation
 * @module @countersign/jira
 */
import { createSigner, type OAuthEndpoints, type PrivateKeyInput, type Signer } from '@countersign/core';

/**
 * A Jira Server / Data Center application link's endpoints under `baseUrl`.
 *
 * @example
 * ```ts
 * const endpoints = jiraEndpoints('https://jira.example.com');
 * const requestTokens = await requestToken(jiraSigner({ consumerKey, privateKey }), endpoints);
 * ```
 */
export function jiraEndpoints(baseUrl: string): OAuthEndpoints {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    requestTokenUrl: `${base}/plugins/servlet/oauth/request-token`,
    authorizeUrl: `${base}/plugins/servlet/oauth/authorize`,
    accessTokenUrl: `${base}/plugins/servlet/oauth/access-token`,
  };
}

/**
 * The signer for an application link: RSA-SHA1 by default (RSA-SHA256 where the server
 * allows it), with the private key whose public half is registered in Jira. Jira's refusals
 * echo the base string it computed: the `OAuthError` names the first difference from ours.
 * @example
 * ```ts
 * const signer = jiraSigner({ consumerKey: 'countersign-link', privateKey: readFileSync('jira_privatekey.pem', 'utf8') });
 * const temporary = await requestToken(signer, jiraEndpoints('https://jira.example.com'));
 * ```
 */
export function jiraSigner(options: {
  consumerKey: string;
  privateKey: PrivateKeyInput;
  signatureMethod?: 'RSA-SHA1' | 'RSA-SHA256';
  token?: string;
  tokenSecret?: string;
}): Signer {
  return createSigner({ signatureMethod: 'RSA-SHA1', ...options });
}
