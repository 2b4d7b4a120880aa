import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { run } from '@countersign/cli';
import {
  createOAuthFetch,
  createSigner,
  explain,
  isOAuthError,
  parseTokenResponse,
  percentEncode,
  SIGNATURE_METHODS,
  type SignatureMethodName,
  type Transmission,
  throwIfRefused,
} from '@countersign/core';
import { ltiOutcomesSigner, replaceResult } from '@countersign/lti';
import { mastercardSigner } from '@countersign/mastercard';
import { createNetSuiteFetch } from '@countersign/netsuite';
import { startSandbox } from '@countersign/sandbox';
import {
  createMemoryNonceStore,
  diagnoseSignature,
  problemResponse,
  receivedParameters,
  verifyRequest,
} from '@countersign/server';
import { createSigningChecker, OAuthMismatchError } from '@countersign/testing';
import { xeroSession } from '@countersign/xero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Secrets seeded into every path that prints something; none may come out, in any
// encoding. A PLAINTEXT signature is made of the two secrets, so it is covered by them.
const CONSUMER_SECRET = 'Seeded-Consumer-Secret-7Hq2';
const TOKEN_SECRET = 'Seeded-Token-Secret-Kd91';
// With a space: a redaction that stops at the first space printed the rest (the inspector's test found it).
const PASSWORD = 'Seeded-Password-Zx48! second-half-Qw7';
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const PRIVATE_KEY = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
// A line from the middle of the key's base64: any of it printed is a leak.
const KEY_FRAGMENT = PRIVATE_KEY.split('\n')[4] as string;
const CONSUMER_KEY = 'seededConsumerKey000000';
const TOKEN = 'seededToken0000000000000';

const forms = (secret: string) => [
  secret,
  percentEncode(secret),
  percentEncode(percentEncode(secret)),
  encodeURIComponent(secret),
  new URLSearchParams({ v: secret }).toString().slice(2),
];
// Each half of the password alone too: half a password printed is a leak.
const NEEDLES = [
  ...forms(CONSUMER_SECRET),
  ...forms(TOKEN_SECRET),
  ...forms(PASSWORD),
  ...PASSWORD.split(' ').flatMap(forms),
  KEY_FRAGMENT,
];

function leaks(output: string): string[] {
  return NEEDLES.filter((needle) => output.includes(needle));
}

const printed = (value: unknown) => `${JSON.stringify(value)}\n${inspect(value, { depth: 10, showHidden: false })}`;
const errorText = (error: unknown) =>
  error instanceof Error ? `${error.message}\n${printed(error)}\n${String(error.stack)}` : String(error);
async function caught(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (error) {
    return errorText(error);
  }
  throw new Error('expected an error');
}

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({
    consumers: [{ key: CONSUMER_KEY, secret: CONSUMER_SECRET }],
    users: [{ username: 'seeded_user', password: PASSWORD }],
  });
});
afterAll(() => sandbox.close());

const signerFor = (signatureMethod: SignatureMethodName, transmission: Transmission = 'header') =>
  createSigner({
    consumerKey: CONSUMER_KEY,
    consumerSecret: CONSUMER_SECRET,
    token: TOKEN,
    tokenSecret: TOKEN_SECRET,
    signatureMethod,
    transmission,
    ...(signatureMethod.startsWith('RSA') ? { privateKey: PRIVATE_KEY } : {}),
    // The sandbox listens on loopback http.
    allowPlaintextOverHttp: true,
  });
const FORM = 'application/x-www-form-urlencoded';
const xAuthBody = `x_auth_username=seeded_user&x_auth_password=${percentEncode(PASSWORD)}&x_auth_mode=client_auth`;

async function cli(args: string[]): Promise<string> {
  let out = '';
  await run(args, {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      out += text;
    },
    env: { OAUTH_CONSUMER_SECRET: CONSUMER_SECRET, OAUTH_TOKEN_SECRET: TOKEN_SECRET },
  });
  return out;
}

const signJson = [
  'sign',
  '--json',
  '--method',
  'POST',
  '--url',
  'https://api.example.com/r',
  '--body',
  xAuthBody,
  '--consumer-key',
  CONSUMER_KEY,
  '--token',
  TOKEN,
];

// Every output path: a name and what it prints.
const paths: Array<[string, () => Promise<string>]> = [];
for (const method of SIGNATURE_METHODS) {
  for (const transmission of ['header', 'query', 'body'] as const) {
    paths.push([
      `signed request, ${method} by ${transmission}: JSON.stringify and util.inspect`,
      async () =>
        printed(
          await signerFor(method, transmission).sign({
            method: 'POST',
            url: `https://api.example.com/r?password=${percentEncode(PASSWORD)}`,
            body: xAuthBody,
            contentType: FORM,
          }),
        ),
    ]);
  }
}
paths.push(
  ['the signer object itself', async () => printed(signerFor('PLAINTEXT'))],
  ['RSA signer object', async () => printed(signerFor('RSA-SHA1'))],
  [
    'a realm holding CR/LF: the typed error',
    () =>
      caught(() =>
        createSigner({
          consumerKey: CONSUMER_KEY,
          consumerSecret: CONSUMER_SECRET,
          signatureMethod: 'PLAINTEXT',
          realm: 'a\r\nX: y',
        }).sign({
          method: 'GET',
          url: 'https://api.example.com/',
        }),
      ),
  ],
  [
    'a realm holding NUL, through the fetch wrapper',
    () =>
      caught(() =>
        createOAuthFetch(
          createSigner({
            consumerKey: CONSUMER_KEY,
            consumerSecret: CONSUMER_SECRET,
            signatureMethod: 'PLAINTEXT',
            realm: 'a\0b',
          }),
        )(`${sandbox.url}/1/echo`),
      ),
  ],
  [
    'a header value fetch refuses, PLAINTEXT signer',
    () =>
      caught(() =>
        createOAuthFetch(signerFor('PLAINTEXT'))(`${sandbox.url}/1/echo`, { headers: { 'x-bad': 'a\r\nb' } }),
      ),
  ],
  [
    'PLAINTEXT over http, refused by the signer (#24): no secret in the error',
    () =>
      caught(() =>
        createSigner({
          consumerKey: CONSUMER_KEY,
          consumerSecret: CONSUMER_SECRET,
          token: TOKEN,
          tokenSecret: TOKEN_SECRET,
          signatureMethod: 'PLAINTEXT',
        }).sign({ method: 'POST', url: `${sandbox.url}/1/echo`, body: xAuthBody, contentType: FORM }),
      ),
  ],
  [
    'a pasted secret with a CR (a CRLF .env file): the typed error',
    () => caught(() => createSigner({ consumerKey: CONSUMER_KEY, consumerSecret: `${CONSUMER_SECRET}\r` })),
  ],
  [
    'a per-request token secret with a zero-width space: the typed error',
    () =>
      caught(() =>
        createSigner({ consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET }).sign(
          { method: 'GET', url: 'https://api.example.com/' },
          { token: TOKEN, tokenSecret: `${TOKEN_SECRET}\u200b` },
        ),
      ),
  ],
  [
    'a Xero partner session (xeroSession), printed by an app that logs it',
    async () =>
      printed(
        xeroSession(
          parseTokenResponse(`oauth_token=${TOKEN}&oauth_token_secret=${TOKEN_SECRET}&oauth_session_handle=handle`),
        ),
      ),
  ],
  [
    'parseTokenResponse: JSON body without oauth_token',
    () => caught(() => parseTokenResponse(`{"oauth_token_secret":"${TOKEN_SECRET}"}`)),
  ],
  [
    'parseTokenResponse: newline-separated body',
    () => caught(() => parseTokenResponse(`token=x\noauth_token_secret=${TOKEN_SECRET}\nx_auth_password=${PASSWORD}`)),
  ],
  [
    'a parsed token response',
    async () => printed(parseTokenResponse(`oauth_token=t&oauth_token_secret=${TOKEN_SECRET}`)),
  ],
  [
    'OAuthError from a provider that echoes the request (plain text)',
    () =>
      caught(() =>
        throwIfRefused(
          new Response(`Bad request: ${xAuthBody}&oauth_signature=${percentEncode(`${CONSUMER_SECRET}&`)}`, {
            status: 400,
          }),
        ),
      ),
  ],
  [
    'OAuthError from a JSON error echoing the password',
    () =>
      caught(() =>
        throwIfRefused(
          new Response(JSON.stringify({ errors: [{ code: 99, message: `x_auth_password=${PASSWORD} rejected` }] }), {
            status: 401,
          }),
        ),
      ),
  ],
  [
    'OAuthError with advice echoing a secret',
    () =>
      caught(() =>
        throwIfRefused(
          new Response(
            `oauth_problem=signature_invalid&oauth_problem_advice=${percentEncode(`oauth_token_secret=${TOKEN_SECRET}`)}`,
            {
              status: 401,
            },
          ),
        ),
      ),
  ],
  [
    'verifyRequest results and the problem response, PLAINTEXT with a password',
    async () => {
      const signed = await signerFor('PLAINTEXT').sign({
        method: 'POST',
        url: 'https://api.example.com/r',
        body: xAuthBody,
        contentType: FORM,
      });
      const options = {
        lookupConsumer: () => ({ secret: CONSUMER_SECRET }),
        lookupToken: () => ({ secret: TOKEN_SECRET }),
        nonceStore: createMemoryNonceStore(),
      };
      const request = {
        method: 'POST',
        url: signed.url,
        authorization: signed.authorization,
        body: xAuthBody,
        contentType: FORM,
      };
      const accepted = await verifyRequest(request, options);
      const refused = await verifyRequest({ ...request, url: 'https://api.example.com/other' }, options);
      const wrong = await verifyRequest(request, { ...options, lookupToken: () => ({ secret: 'other' }) });
      return printed([accepted, refused, wrong, !wrong.ok && problemResponse(wrong)]);
    },
  ],
  [
    'refused requests over 64 KB with a password: the shown head cut at each place in an escape',
    async () => {
      const options = {
        lookupConsumer: () => ({ secret: CONSUMER_SECRET }),
        lookupToken: () => ({ secret: 'other' }),
        nonceStore: createMemoryNonceStore(),
      };
      const outputs: unknown[] = [];
      // The password sorts before `zz`; the spaces make the 64 K cut fall in each place of a `%2520`.
      for (let shift = 0; shift < 5; shift++) {
        const body = `${xAuthBody}&zz=${'z'.repeat(shift)}${'%20'.repeat(23_000)}`;
        const signed = await signerFor('HMAC-SHA1').sign({
          method: 'POST',
          url: 'https://api.example.com/r',
          body,
          contentType: FORM,
        });
        const refused = await verifyRequest(
          { method: 'POST', url: signed.url, authorization: signed.authorization, body, contentType: FORM },
          options,
        );
        outputs.push(refused, !refused.ok && problemResponse(refused));
      }
      return printed(outputs);
    },
  ],
  [
    "the server's diagnosis of refused HMAC requests with a password (token secret left out, + read literally, the key not encoded)",
    async () => {
      const options = {
        lookupConsumer: () => ({ secret: CONSUMER_SECRET }),
        lookupToken: () => ({ secret: TOKEN_SECRET }),
        nonceStore: createMemoryNonceStore(),
      };
      const noTokenSecret = await createSigner({
        consumerKey: CONSUMER_KEY,
        consumerSecret: CONSUMER_SECRET,
        token: TOKEN,
        tokenSecret: '',
      }).sign({ method: 'POST', url: 'https://api.example.com/r?q=a+b', body: xAuthBody, contentType: FORM });
      const request = {
        method: 'POST',
        url: noTokenSecret.url,
        authorization: noTokenSecret.authorization,
        body: xAuthBody,
        contentType: FORM,
      };
      const refused = await verifyRequest(request, options);
      const literalPlus = await verifyRequest(
        {
          ...request,
          authorization: (await signerFor('HMAC-SHA1').sign({ ...request, url: 'https://api.example.com/r?q=a%2Bb' }))
            .authorization,
        },
        options,
      );
      const diagnosis = await diagnoseSignature(receivedParameters(request), {
        consumerSecret: CONSUMER_SECRET,
        tokenSecret: TOKEN_SECRET,
      });
      const checker = await createSigningChecker({
        consumerKey: CONSUMER_KEY,
        consumerSecret: CONSUMER_SECRET,
        token: TOKEN,
        tokenSecret: TOKEN_SECRET,
      })(request);
      return printed([
        refused,
        literalPlus,
        !refused.ok && problemResponse(refused),
        !literalPlus.ok && problemResponse(literalPlus),
        diagnosis,
        checker,
      ]);
    },
  ],
  [
    'sandbox: echo and refusal of a PLAINTEXT request with a password',
    async () => {
      const oauthFetch = createOAuthFetch(
        createSigner({
          consumerKey: CONSUMER_KEY,
          consumerSecret: CONSUMER_SECRET,
          signatureMethod: 'PLAINTEXT',
          allowPlaintextOverHttp: true,
        }),
      );
      const echo = await (
        await oauthFetch(`${sandbox.url}/1/echo`, { method: 'POST', body: new URLSearchParams(xAuthBody) })
      ).text();
      const xAuth = await (
        await createOAuthFetch(createSigner({ consumerKey: CONSUMER_KEY, consumerSecret: 'wrong' }))(
          `${sandbox.url}/oauth/access_token`,
          {
            method: 'POST',
            body: new URLSearchParams(xAuthBody),
          },
        )
      ).text();
      return `${echo}\n${xAuth}`;
    },
  ],
  [
    'explain() of a refusal with both base strings',
    async () => {
      const signed = await signerFor('HMAC-SHA1').sign({
        method: 'POST',
        url: 'https://api.example.com/r',
        body: xAuthBody,
        contentType: FORM,
      });
      return printed(
        explain({
          ourBaseString: signed.baseString,
          serverBaseString: signed.baseString.replace('POST', 'GET'),
          request: { authorization: signed.authorization, body: xAuthBody, contentType: FORM },
          response: { status: 401, body: 'oauth_problem=signature_invalid' },
        }),
      );
    },
  ],
  [
    'an OAuthError from the fetch wrapper, refused by the sandbox (wrong token)',
    async () => {
      const response = await createOAuthFetch(signerFor('PLAINTEXT'))(`${sandbox.url}/1/echo`, {
        method: 'POST',
        body: new URLSearchParams(xAuthBody),
      });
      return caught(() => throwIfRefused(response)).then((text) => `${text}\n${isOAuthError}`);
    },
  ],
);
/** A PLAINTEXT POST of `body` to the sandbox's echo through the CLI, with `flags` after it. */
const plaintextRequest = (body: string, transmission: string, ...flags: string[]) =>
  cli([
    'request',
    ...flags,
    '--method',
    'POST',
    '--url',
    `${sandbox.url}/1/echo`,
    '--body',
    body,
    '--consumer-key',
    CONSUMER_KEY,
    '--token',
    TOKEN,
    '--signature-method',
    'PLAINTEXT',
    // The sandbox is on loopback over http; without the flag nothing would be signed or sent.
    '--allow-plaintext-over-http',
    '--transmission',
    transmission,
  ]);
for (const transmission of ['header', 'query', 'body'] as const) {
  paths.push([
    `CLI: request --verbose, PLAINTEXT by ${transmission}, refused`,
    () => plaintextRequest(xAuthBody, transmission, '--verbose'),
  ]);
  // --curl prints the secrets as $OAUTH_… references, and refuses a password it cannot reference.
  for (const body of ['status=hi', xAuthBody]) {
    paths.push([
      `CLI: request --curl, PLAINTEXT by ${transmission}, ${body === xAuthBody ? 'a password in the body' : 'a form body'}`,
      () => plaintextRequest(body, transmission, '--curl'),
    ]);
  }
}
paths.push(
  ['CLI: sign --json, PLAINTEXT', () => cli([...signJson, '--signature-method', 'PLAINTEXT'])],
  ['CLI: sign --json, HMAC-SHA1 with a password in the body', () => cli(signJson)],
  [
    'CLI: a bad realm',
    () =>
      cli([
        'sign',
        '--method',
        'GET',
        '--url',
        'https://api.example.com/r',
        '--consumer-key',
        CONSUMER_KEY,
        '--realm',
        'a\nb',
      ]),
  ],
);

// The test helpers' refusals: a PLAINTEXT request by query (its signature is the secrets) and
// an xAuth body, checked against other secrets so they are refused.
for (const transmission of ['query', 'header'] as const) {
  paths.push([
    `testing: a refused PLAINTEXT request by ${transmission}, message and error`,
    async () => {
      const signed = await signerFor('PLAINTEXT', transmission).sign({
        method: 'POST',
        url: `https://api.example.com/r`,
        body: xAuthBody,
        contentType: FORM,
      });
      const check = createSigningChecker({
        consumerKey: CONSUMER_KEY,
        consumerSecret: 'other',
        token: TOKEN,
        tokenSecret: 'other',
      });
      const result = await check({
        method: 'POST',
        url: signed.url,
        authorization: signed.authorization,
        body: signed.body ?? xAuthBody,
        contentType: FORM,
      });
      if (result.ok) throw new Error('expected a refusal');
      return `${result.message}\n${errorText(new OAuthMismatchError(result))}`;
    },
  ]);
}

// Provider packages: a NetSuite refusal in NetSuite's words, an LTI outcome refused, and a
// Mastercard key given as bare base64 (no PEM lines).
paths.push(
  [
    'netsuite: a refused request (wrong token secret), error and response',
    async () => {
      const netsuite = await startSandbox({
        consumers: [{ key: CONSUMER_KEY, secret: CONSUMER_SECRET }],
        profile: { provider: 'netsuite', realm: '123456_SB1' },
      });
      try {
        const { token } = netsuite.issueAccessToken(CONSUMER_KEY);
        const send = createNetSuiteFetch({
          accountId: '123456_SB1',
          consumerKey: CONSUMER_KEY,
          consumerSecret: CONSUMER_SECRET,
          token,
          tokenSecret: TOKEN_SECRET,
        });
        const response = await send(`${netsuite.url}/app/site/hosting/restlet.nl?script=1&deploy=1`);
        return `${await response.clone().text()}\n${await caught(() => throwIfRefused(response))}`;
      } finally {
        await netsuite.close();
      }
    },
  ],
  [
    'lti: an outcome refused (wrong secret), the OAuthError',
    async () => {
      const lms = await startSandbox({
        consumers: [{ key: CONSUMER_KEY, secret: 'the lms secret' }],
        profile: { provider: 'lti-outcomes' },
      });
      try {
        const signer = ltiOutcomesSigner({ consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET });
        return await caught(() =>
          replaceResult(signer, { serviceUrl: `${lms.url}/outcomes`, sourcedId: PASSWORD }, 0.5),
        );
      } finally {
        await lms.close();
      }
    },
  ],
  [
    'mastercard: a key given as bare base64',
    () =>
      caught(() =>
        mastercardSigner({
          consumerKey: CONSUMER_KEY,
          privateKey: PRIVATE_KEY.replace(/-----[^-]+-----|\s/g, ''),
        }).sign({
          method: 'GET',
          url: 'https://api.mastercard.com/r',
        }),
      ),
  ],
);

/** Everything the CLI prints for `args`, run with `env` and an injected fetch. */
async function cliWith(args: string[], env: NodeJS.ProcessEnv, fetch?: typeof globalThis.fetch): Promise<string> {
  let out = '';
  await run(args, {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      out += text;
    },
    env,
    readLine: async () => 'verifier',
    ...(fetch === undefined ? {} : { fetch }),
  });
  return out;
}

// The CLI's newer paths: --curl choosing other variables than the ones this shell holds, and
// a flow given up at --timeout.
paths.push(
  [
    'CLI: request --curl, PLAINTEXT secrets by flag while the environment holds other ones',
    () =>
      cliWith(
        [
          'request',
          '--curl',
          '--url',
          `${sandbox.url}/1/echo`,
          '--consumer-key',
          CONSUMER_KEY,
          '--consumer-secret',
          CONSUMER_SECRET,
          '--token',
          TOKEN,
          '--token-secret',
          TOKEN_SECRET,
          '--signature-method',
          'PLAINTEXT',
          '--allow-plaintext-over-http',
        ],
        { OAUTH_CONSUMER_SECRET: 'another-consumer-secret', OAUTH_TOKEN_SECRET: 'another-token-secret' },
      ),
  ],
  [
    'CLI: flow given up at --timeout, PLAINTEXT',
    () =>
      cliWith(
        [
          'flow',
          'twitter',
          '--base',
          'https://api.example.com',
          '--consumer-key',
          CONSUMER_KEY,
          '--signature-method',
          'PLAINTEXT',
          '--timeout',
          '0.05',
        ],
        { OAUTH_CONSUMER_SECRET: CONSUMER_SECRET },
        ((_url: unknown, init?: RequestInit) =>
          new Promise((_resolve, reject) =>
            init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
          )) as typeof globalThis.fetch,
      ),
  ],
);

describe('no secret on any output path', () => {
  it.each(paths)('%s', async (_name, output) => {
    const text = await output();
    expect(text.length).toBeGreaterThan(0);
    expect(leaks(text)).toEqual([]);
  });

  it('the scan finds a seeded secret when one is printed (the check can fail)', () => {
    expect(leaks(`oauth_signature="${percentEncode(CONSUMER_SECRET)}%26"`)).not.toEqual([]);
    expect(leaks(`x_auth_password=${encodeURIComponent(PASSWORD)}`)).not.toEqual([]);
    expect(leaks(PRIVATE_KEY)).not.toEqual([]);
  });
});
