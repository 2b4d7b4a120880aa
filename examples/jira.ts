/**
 * A Jira application link: RSA-SHA1 three-legged on /plugins/servlet/oauth/*.
 *
 *   npx tsx examples/jira.ts                              # against the local sandbox
 *   JIRA_BASE_URL=https://jira.example.com JIRA_CONSUMER_KEY=… JIRA_PRIVATE_KEY_FILE=jira_privatekey.pem npx tsx examples/jira.ts
 */
import { readFileSync } from 'node:fs';
import {
  accessToken,
  authorizationUrl,
  createOAuthFetch,
  REDACTED,
  requestToken,
  throwIfRefused,
} from '@countersign/core';
import { jiraEndpoints, jiraSigner } from '@countersign/jira';
import { approveLocally, askForVerifier, DEMO, demoRsa, startLocalProvider } from './lib/local-provider.ts';

const env = process.env;
const real = env.JIRA_BASE_URL !== undefined;
const local = real ? undefined : await startLocalProvider();
try {
  const base = env.JIRA_BASE_URL ?? (local?.url as string);
  const consumerKey = env.JIRA_CONSUMER_KEY ?? DEMO.rsaConsumerKey;
  const privateKey = env.JIRA_PRIVATE_KEY_FILE
    ? readFileSync(env.JIRA_PRIVATE_KEY_FILE, 'utf8')
    : demoRsa.privateKeyPem;
  const endpoints = jiraEndpoints(base);
  const signer = jiraSigner({ consumerKey, privateKey });
  const requestTokens = await requestToken(signer, endpoints);
  const approveAt = authorizationUrl(endpoints, requestTokens);
  const verifier = real ? await askForVerifier(approveAt) : await approveLocally(approveAt);
  const access = await accessToken(signer, endpoints, {
    token: requestTokens.token,
    tokenSecret: requestTokens.tokenSecret,
    verifier,
  });
  console.log(`access token ${access.token} (secret ${REDACTED})`);
  const user = jiraSigner({ consumerKey, privateKey, token: access.token, tokenSecret: access.tokenSecret });
  const myself = await throwIfRefused(await createOAuthFetch(user)(`${base}/rest/api/2/myself`));
  console.log(`GET /rest/api/2/myself -> ${myself.status}`);
} finally {
  await local?.close();
}
