/**
 * Part 2 of the demo: a real provider over HTTP (the sandbox on 127.0.0.1). The
 * three-legged flow step by step, a signed call through axios, ky and the fetch wrapper,
 * two deliberately broken requests (a clock an hour behind, a + signed as a plus) with
 * Countersign's explanation of each refusal, and the sandbox's inspector page showing both.
 */
import { generateKeyPairSync } from 'node:crypto';
import { installOAuth } from '@countersign/axios';
import {
  accessToken,
  authorizationUrl,
  createOAuthFetch,
  createSigner,
  explain,
  isOAuthError,
  parseCallback,
  REDACTED,
  requestToken,
  type Signer,
  throwIfRefused,
} from '@countersign/core';
import { jiraEndpoints, jiraSigner } from '@countersign/jira';
import { kyOAuth } from '@countersign/ky';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { reverseAuthAccessToken, twitterReverseAuth, xAuth } from '@countersign/twitter';
import { xeroPrivateAppSigner } from '@countersign/xero';
import axios from 'axios';
import ky from 'ky';

const CONSUMER = { key: 'demoConsumerKey0000000', secret: 'demo consumer secret' };
const DEVICE = { key: 'demoDeviceConsumerKey0', secret: 'demo device secret' };
const XERO_PRIVATE = { key: 'demoXeroPrivateAppKey0' };
const JIRA = { key: 'demoJiraApplicationLnk' };
const DEMO_PASSWORD = 'demo password, never printed';
// A fresh RSA key for the RSA-SHA1 flows; given to the signers as PKCS#1 PEM, as openssl -traditional writes it.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPem = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;

function show(label: string, value: string) {
  console.log(`   ${label.padEnd(14)} ${value}`);
}

/** What the inspector lists for one request (the fields the demo prints). */
interface Listed {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly problem?: string;
  readonly causes: ReadonlyArray<{ readonly cause?: string; readonly foundBy: string }>;
}

export interface SandboxFlowsOptions {
  /** Called after the last step, before the sandbox closes: to look at the inspector meanwhile. */
  readonly beforeClose?: (sandbox: Sandbox) => Promise<void>;
}

/** Returns how many steps failed. */
export async function sandboxFlows(options: SandboxFlowsOptions = {}): Promise<number> {
  const sandbox = await startSandbox({
    consumers: [
      { key: CONSUMER.key, secret: CONSUMER.secret },
      { key: DEVICE.key, secret: DEVICE.secret },
      { key: XERO_PRIVATE.key, publicKey: rsa.publicKey, privateApp: true },
      { key: JIRA.key, publicKey: rsa.publicKey },
    ],
    users: [{ username: 'demo_user', password: DEMO_PASSWORD }],
  });
  let failures = 0;
  const step = async (title: string, run: () => Promise<void>) => {
    console.log(`\n${title}`);
    try {
      await run();
      console.log('   ok');
    } catch (error) {
      failures += 1;
      console.log(`   FAIL ${(error as Error).message}`);
    }
  };
  try {
    console.log(`\nPart 2 — a strict OAuth 1.0a provider at ${sandbox.url} (the sandbox)`);
    console.log(`   Every request it receives is on its inspector page: ${sandbox.inspectorUrl}`);
    const consumer = createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret });
    let user: Signer | undefined;

    await step('1. Three-legged flow, HMAC-SHA1', async () => {
      const requestTokens = await requestToken(consumer, sandbox.endpoints, {
        callback: 'https://app.example.com/callback',
      });
      show(
        'request token',
        `${requestTokens.token} (secret ${REDACTED}, callback confirmed: ${requestTokens.callbackConfirmed})`,
      );
      const authorize = authorizationUrl(sandbox.endpoints, requestTokens);
      show('authorize at', authorize);
      const landing = (await fetch(authorize, { redirect: 'manual' })).headers.get('location') ?? '';
      show('callback', landing);
      const { verifier } = parseCallback(landing, requestTokens);
      const access = await accessToken(consumer, sandbox.endpoints, {
        token: requestTokens.token,
        tokenSecret: requestTokens.tokenSecret,
        verifier,
      });
      show('access token', `${access.token} (secret ${REDACTED}) for ${access.extras.screen_name}`);
      user = createSigner({
        consumerKey: CONSUMER.key,
        consumerSecret: CONSUMER.secret,
        token: access.token,
        tokenSecret: access.tokenSecret,
      });
    });

    await step('2. The same signed call through axios, ky and the fetch wrapper', async () => {
      if (user === undefined) throw new Error('no access token from step 1');
      const url = `${sandbox.url}/1/echo?q=caf%C3%A9+%2B+cr%C3%A8me`;
      const form = new URLSearchParams({ status: "Hello Ladies + Gentlemen, it's 100% signed!" });
      const signed = await user.sign({ method: 'POST', url, body: form });
      show('base string', signed.baseString);
      show('header', signed.authorization ?? '');
      const api = axios.create();
      installOAuth(api, user);
      const viaAxios = (await api.post(url, form)).status;
      const viaKy = (await ky.post(url, { ...kyOAuth(user), body: form })).status;
      const viaFetch = (await createOAuthFetch(user)(url, { method: 'POST', body: form })).status;
      show('answers', `axios ${viaAxios}, ky ${viaKy}, fetch wrapper ${viaFetch}`);
      if (viaAxios !== 200 || viaKy !== 200 || viaFetch !== 200) throw new Error('a client was refused');
    });

    await step('3. xAuth and Twitter reverse auth', async () => {
      const device = await xAuth(createSigner({ consumerKey: DEVICE.key, consumerSecret: DEVICE.secret }), {
        username: 'demo_user',
        password: DEMO_PASSWORD,
        accessTokenUrl: sandbox.endpoints.accessTokenUrl,
      });
      show('xAuth', `device account token ${device.token} for ${device.extras.screen_name} (password ${REDACTED})`);
      const parameters = await twitterReverseAuth(consumer, { base: sandbox.url });
      show('reverse auth 1', `x_auth_mode=reverse_auth in header and body -> ${parameters.slice(0, 60)}…`);
      const deviceSigner = createSigner({
        consumerKey: DEVICE.key,
        consumerSecret: DEVICE.secret,
        token: device.token,
        tokenSecret: device.tokenSecret,
      });
      const user = await reverseAuthAccessToken(deviceSigner, {
        base: sandbox.url,
        reverseAuthParameters: parameters,
        targetConsumerKey: CONSUMER.key,
      });
      show('reverse auth 2', `the device obtained token ${user.token} for the app`);
    });

    await step('4. RSA-SHA1: a Xero private app and a Jira application link', async () => {
      const xero = xeroPrivateAppSigner({ consumerKey: XERO_PRIVATE.key, privateKey: rsaPem });
      const organisation = await createOAuthFetch(xero)(`${sandbox.url}/api.xro/2.0/Organisation`);
      show('Xero private', `GET /api.xro/2.0/Organisation, consumer key as oauth_token -> ${organisation.status}`);
      const jira = jiraSigner({ consumerKey: JIRA.key, privateKey: rsaPem });
      const endpoints = jiraEndpoints(sandbox.url);
      const requestTokens = await requestToken(jira, endpoints);
      const page = await (await fetch(authorizationUrl(endpoints, requestTokens))).text();
      const verifier = /Your verifier: (\w+)/.exec(page)?.[1] ?? '';
      const access = await accessToken(jira, endpoints, {
        token: requestTokens.token,
        tokenSecret: requestTokens.tokenSecret,
        verifier,
      });
      const myself = await createOAuthFetch(
        jiraSigner({ consumerKey: JIRA.key, privateKey: rsaPem, token: access.token, tokenSecret: access.tokenSecret }),
      )(`${sandbox.url}/rest/api/2/myself`);
      show('Jira', `oob flow on /plugins/servlet/oauth/*, then GET /rest/api/2/myself -> ${myself.status}`);
      if (organisation.status !== 200 || myself.status !== 200) throw new Error('an RSA call was refused');
    });

    await step('5. A deliberately broken request: the clock is an hour behind', async () => {
      const late = createSigner({
        consumerKey: CONSUMER.key,
        consumerSecret: CONSUMER.secret,
        clockOffsetSeconds: -3600,
      });
      const error = await requestToken(late, sandbox.endpoints, { retry: false }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!isOAuthError(error)) throw new Error('the sandbox accepted a stale timestamp');
      show('refused', `${error.status} ${error.problem} (acceptable: ${error.acceptableTimestamps})`);
      const [likely] = explain({ error });
      show('explanation', `${likely?.cause}: ${likely?.explanation}`);
      show('we signed', error.baseString ?? '');
      // With retries on (the default), the signer corrects its own clock and tries again.
      const tokens = await requestToken(late, sandbox.endpoints);
      show(
        'then',
        `with retries on: clock corrected by ${late.clockOffsetFor(sandbox.url) - late.clockOffsetSeconds} s, request token ${tokens.token}`,
      );
    });

    await step('6. A deliberately broken request: a + signed as a plus, sent where it means a space', async () => {
      // Signed with q=1%2B1 (a literal +, as the oauth-1.0a package reads a raw +), sent as
      // q=1+1, which every server reads as "1 1" (application/x-www-form-urlencoded).
      const signed = await consumer.sign({ method: 'GET', url: `${sandbox.url}/1/search?q=1%2B1` });
      const sent = `${sandbox.url}/1/search?q=1+1`;
      show('sent', `GET ${sent}`);
      const error = await throwIfRefused(
        await fetch(sent, { headers: { authorization: signed.authorization ?? '' } }),
        signed.baseString,
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!isOAuthError(error)) throw new Error('the sandbox accepted a signature over another query');
      show('refused', `${error.status} ${error.problem}`);
      const [likely] = explain({ error });
      show('explanation', `${likely?.cause}: ${likely?.explanation}`);
    });

    await step('7. The inspector page lists both refusals, with the cause of each', async () => {
      show('open', sandbox.inspectorUrl ?? '');
      const listed = (await (await fetch(`${sandbox.inspectorUrl}requests`)).json()) as Listed[];
      const refused = listed.filter((entry) => entry.problem === 'timestamp_refused' || entry.url.includes('q=1+1'));
      for (const entry of refused.reverse()) {
        const [cause] = entry.causes;
        show(
          'listed',
          `${entry.method} ${new URL(entry.url).pathname}${new URL(entry.url).search} -> ${entry.status} ${entry.problem}, likely cause ${cause?.cause}${cause?.foundBy === 'diagnosis' ? ' (reproduced by the sandbox)' : ''}`,
        );
      }
      // Step 5 is refused twice: without retries, then once more before the retry corrects the clock.
      const causes = [...new Set(refused.map((entry) => entry.causes[0]?.cause))].sort();
      if (causes.join() !== 'clock_skew,plus_for_space')
        throw new Error(`the inspector lists ${causes.join() || 'neither'}`);
    });
    await options.beforeClose?.(sandbox);
  } finally {
    await sandbox.close();
  }
  return failures;
}
