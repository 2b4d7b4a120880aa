import { mkdirSync, writeFileSync } from 'node:fs';
import { installOAuth } from '@countersign/axios';
import { run } from '@countersign/cli';
import {
  createOAuthFetch,
  createSigner,
  explain,
  type FetchLike,
  isOAuthError,
  percentEncode,
  type RejectionCause,
  type Signer,
  throwIfRefused,
} from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import axios, { type AxiosAdapter, AxiosError } from 'axios';
import ky, { HTTPError } from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOauthlibProvider } from '../oauthlib/provider.ts';
import { type Mistakes, mistakenSigner } from './manual-signer.ts';

// The classic mistakes, each sent to a strict provider built on oauthlib (which reports the
// base string it computed, as Atlassian does) and explained through every path a user meets
// a refusal on. The top cause must be the mistake made; no output may hold a secret.
const CONSUMER = { key: 'corpusConsumerKey00000000', secret: 'corpus consumer secret' };
const TOKEN = { key: 'corpusToken0000000000000', secret: 'corpus token secret' };
const NO_TOKEN_CONSUMER = { key: 'corpusConsumerNoToken000', secret: 'second consumer secret' };
const PASSWORD = 'pa!ss*word';
const SECRETS = [CONSUMER.secret, TOKEN.secret, NO_TOKEN_CONSUMER.secret, PASSWORD].flatMap((secret) => [
  secret,
  percentEncode(secret),
  encodeURIComponent(secret),
]);

let provider: Awaited<ReturnType<typeof startOauthlibProvider>>;
let origin = '';
beforeAll(async () => {
  provider = await startOauthlibProvider({
    consumers: {
      [CONSUMER.key]: { secret: CONSUMER.secret, methods: ['HMAC-SHA1'] },
      [NO_TOKEN_CONSUMER.key]: { secret: NO_TOKEN_CONSUMER.secret, methods: ['HMAC-SHA1'] },
    },
    tokens: { [TOKEN.key]: TOKEN.secret },
  });
  origin = provider.url;
});
afterAll(() => provider.close());

/** A request on the wire, in the plain shape every path's transport can be rewritten in. */
interface Wire {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

interface Mistake {
  readonly name: string;
  readonly expected: RejectionCause;
  readonly request: (origin: string) => { method: string; url: string; body?: string; contentType?: string };
  /** The signer that makes it (default: Countersign's, with the right credentials). */
  readonly signer?: () => Signer;
  /** What happens to the request after it was signed, on its way to the server. */
  readonly wire?: (wire: Wire, attempt: number) => Wire;
  /** Send twice; the second is the one explained. */
  readonly twice?: boolean;
  /** The same mistake made from the shell, when the CLI can make it. */
  readonly cli?: (origin: string) => string[];
}

const FORM = 'application/x-www-form-urlencoded';
const signerWith = (extra: Parameters<typeof createSigner>[0] extends infer O ? Partial<O> : never = {}) =>
  createSigner({
    consumerKey: CONSUMER.key,
    consumerSecret: CONSUMER.secret,
    token: TOKEN.key,
    tokenSecret: TOKEN.secret,
    ...extra,
  });
const mistaken = (mistakes: Mistakes, withToken = true) =>
  mistakenSigner(
    withToken
      ? { consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, token: TOKEN.key, tokenSecret: TOKEN.secret }
      : { consumerKey: NO_TOKEN_CONSUMER.key, consumerSecret: NO_TOKEN_CONSUMER.secret },
    mistakes,
  );
const replaceInUrl = (from: string, to: string) => (wire: Wire) => ({ ...wire, url: wire.url.replace(from, to) });
const now = () => Math.floor(Date.now() / 1000);
const cliBase = (extra: string[] = []) => ['--consumer-key', CONSUMER.key, '--token', TOKEN.key, ...extra];

let firstAuthorization: string | undefined;
const MISTAKES: Mistake[] = [
  {
    name: 'a literal + signed, sent raw (the server reads a space)',
    expected: 'plus_for_space',
    request: (o) => ({ method: 'GET', url: `${o}/r?q=a%2Bb` }),
    wire: replaceInUrl('a%2Bb', 'a+b'),
  },
  {
    name: 'a space signed, sent as %2B (the server reads a plus)',
    expected: 'plus_for_space',
    request: (o) => ({ method: 'GET', url: `${o}/r?q=a%20b` }),
    wire: replaceInUrl('a%20b', 'a%2Bb'),
  },
  {
    name: "unencoded !*'() (encodeURIComponent)",
    expected: 'unencoded_reserved_characters',
    request: (o) => ({ method: 'GET', url: `${o}/r?q=hi!(x)*` }),
    signer: () => mistaken({ encode: encodeURIComponent }),
  },
  {
    name: "unencoded !*'() inside a password",
    expected: 'unencoded_reserved_characters',
    request: (o) => ({
      method: 'POST',
      url: `${o}/login`,
      body: `x_auth_username=corpus&x_auth_password=${percentEncode(PASSWORD)}`,
      contentType: FORM,
    }),
    signer: () => mistaken({ encode: encodeURIComponent }),
  },
  {
    name: 'body parameters not signed',
    expected: 'body_params_not_signed',
    request: (o) => ({ method: 'POST', url: `${o}/r`, body: 'status=hello', contentType: FORM }),
    signer: () => mistaken({ skipBody: true }),
  },
  {
    name: 'a form body sent as JSON after signing',
    expected: 'body_params_wrongly_signed',
    request: (o) => ({ method: 'POST', url: `${o}/r`, body: 'a=1', contentType: FORM }),
    wire: (wire) => ({ ...wire, headers: { ...wire.headers, 'content-type': 'application/json' } }),
  },
  {
    name: 'clock an hour fast',
    expected: 'clock_skew',
    request: (o) => ({ method: 'GET', url: `${o}/r` }),
    signer: () => signerWith({ clockOffsetSeconds: 3600 }),
    cli: (o) => ['request', '--url', `${o}/r`, ...cliBase(['--timestamp', String(now() + 3600)])],
  },
  {
    name: 'clock an hour slow',
    expected: 'clock_skew',
    request: (o) => ({ method: 'GET', url: `${o}/r` }),
    signer: () => signerWith({ clockOffsetSeconds: -3600 }),
    cli: (o) => ['request', '--url', `${o}/r`, ...cliBase(['--timestamp', String(now() - 3600)])],
  },
  {
    name: 'a nonce replayed (a retry below the signer resends the header)',
    expected: 'nonce_reused',
    request: (o) => ({ method: 'GET', url: `${o}/r` }),
    twice: true,
    wire: (wire, attempt) => {
      if (attempt === 0) firstAuthorization = wire.headers.authorization;
      return attempt === 0
        ? wire
        : { ...wire, headers: { ...wire.headers, authorization: firstAuthorization as string } };
    },
  },
  {
    name: 'a query parameter sent but not signed',
    expected: 'params_sent_not_signed',
    request: (o) => ({ method: 'GET', url: `${o}/r?a=1` }),
    wire: replaceInUrl('?a=1', '?a=1&page=2'),
  },
  {
    name: 'the wrong method',
    expected: 'wrong_method_or_url',
    request: (o) => ({ method: 'POST', url: `${o}/r` }),
    wire: (wire) => ({ ...wire, method: 'PUT' }),
  },
  {
    name: 'the wrong scheme',
    expected: 'wrong_method_or_url',
    request: (o) => ({ method: 'GET', url: `${o.replace('http:', 'https:')}/r` }),
    wire: (wire) => ({ ...wire, url: wire.url.replace('https:', 'http:') }),
  },
  {
    name: 'the wrong host',
    expected: 'wrong_method_or_url',
    request: (o) => ({ method: 'GET', url: `${o.replace('127.0.0.1', 'localhost')}/r` }),
    wire: (wire) => ({ ...wire, url: wire.url.replace('localhost', '127.0.0.1') }),
  },
  {
    name: 'the wrong port',
    expected: 'wrong_method_or_url',
    request: (o) => ({ method: 'GET', url: `${o.replace(/:\d+$/, ':1')}/r` }),
    wire: (wire) => ({ ...wire, url: wire.url.replace('127.0.0.1:1/', `${new URL(origin).host}/`) }),
  },
  {
    name: 'the wrong consumer secret',
    expected: 'signing_key',
    request: (o) => ({ method: 'GET', url: `${o}/r` }),
    signer: () => signerWith({ consumerSecret: 'not the consumer secret' }),
    cli: (o) => ['request', '--url', `${o}/r`, ...cliBase(['--consumer-secret', 'not the consumer secret'])],
  },
  {
    name: 'the wrong token secret',
    expected: 'signing_key',
    request: (o) => ({ method: 'GET', url: `${o}/r` }),
    signer: () => signerWith({ tokenSecret: 'not the token secret' }),
    cli: (o) => ['request', '--url', `${o}/r`, ...cliBase(['--token-secret', 'not the token secret'])],
  },
  {
    name: 'an HMAC key without its &',
    expected: 'signing_key',
    request: (o) => ({ method: 'GET', url: `${o}/r` }),
    signer: () => mistaken({ keyWithoutAmpersand: true }, false),
  },
  {
    name: 'the parameter string encoded once',
    expected: 'not_double_encoded',
    request: (o) => ({ method: 'GET', url: `${o}/r?a=1` }),
    signer: () => mistaken({ paramStringEncodedOnce: true }),
  },
  {
    name: 'a value encoded twice on the way',
    expected: 'encoded_twice',
    request: (o) => ({ method: 'GET', url: `${o}/r?q=a%20b` }),
    wire: replaceInUrl('a%20b', 'a%2520b'),
  },
  {
    name: "reverse auth's x_auth_mode in the body only",
    expected: 'reverse_auth_mode_placement',
    request: (o) => ({
      method: 'POST',
      url: `${o}/oauth/request_token`,
      body: 'x_auth_mode=reverse_auth',
      contentType: FORM,
    }),
    signer: () => createSigner({ consumerKey: NO_TOKEN_CONSUMER.key, consumerSecret: NO_TOKEN_CONSUMER.secret }),
    cli: (o) => [
      'request',
      '--method',
      'POST',
      '--url',
      `${o}/oauth/request_token`,
      '--body',
      'x_auth_mode=reverse_auth',
      '--consumer-key',
      NO_TOKEN_CONSUMER.key,
      '--consumer-secret',
      NO_TOKEN_CONSUMER.secret,
    ],
  },
  {
    name: 'a method the consumer may not use',
    expected: 'wrong_signature_method',
    request: (o) => ({ method: 'GET', url: `${o}/r` }),
    signer: () => signerWith({ signatureMethod: 'HMAC-SHA256' }),
    cli: (o) => ['request', '--url', `${o}/r`, ...cliBase(['--signature-method', 'HMAC-SHA256'])],
  },
];

/** A fetch that lets the mistake rewrite each request after signing. */
function tamperingFetch(mistake: Mistake): FetchLike {
  let attempt = 0;
  return async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers));
    let wire: Wire = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers,
      body:
        typeof init?.body === 'string'
          ? init.body
          : init?.body == null
            ? undefined
            : new TextDecoder().decode(init.body as Uint8Array),
    };
    wire = mistake.wire ? mistake.wire(wire, attempt++) : wire;
    return fetch(wire.url, { method: wire.method, headers: wire.headers, body: wire.body, redirect: 'manual' });
  };
}

type Path = 'raw response' | 'fetch wrapper' | 'axios' | 'ky' | 'CLI';
type Outcome = { top: RejectionCause | undefined; printed: string } | 'n/a';

async function viaRaw(mistake: Mistake): Promise<Outcome> {
  const request = mistake.request(origin);
  const signer = (mistake.signer ?? signerWith)();
  let response: Response | undefined;
  let sent: Wire | undefined;
  let ourBaseString: string | undefined;
  for (let attempt = 0; attempt < (mistake.twice ? 2 : 1); attempt++) {
    const signed = await signer.sign(request);
    ourBaseString = signed.baseString;
    const headers: Record<string, string> = { authorization: signed.authorization as string };
    if (request.contentType) headers['content-type'] = request.contentType;
    const unsent: Wire = { method: request.method, url: signed.url, headers, body: request.body };
    sent = mistake.wire ? mistake.wire(unsent, attempt) : unsent;
    response = await fetch(sent.url, { method: sent.method, headers: sent.headers, body: sent.body });
  }
  const answer = response as Response;
  const body = await answer.text();
  const causes = explain({
    ourBaseString,
    request: {
      method: sent?.method,
      url: sent?.url,
      authorization: sent?.headers.authorization,
      body: sent?.body,
      contentType: sent?.headers['content-type'],
    },
    response: {
      status: answer.status,
      body,
      wwwAuthenticate: answer.headers.get('www-authenticate') ?? undefined,
      date: answer.headers.get('date') ?? undefined,
    },
  });
  return { top: causes[0]?.cause, printed: JSON.stringify(causes) };
}

async function viaWrapper(mistake: Mistake): Promise<Outcome> {
  const request = mistake.request(origin);
  const oauthFetch = createOAuthFetch((mistake.signer ?? signerWith)(), { fetch: tamperingFetch(mistake) });
  let response: Response | undefined;
  for (let attempt = 0; attempt < (mistake.twice ? 2 : 1); attempt++) {
    response = await oauthFetch(request.url, {
      method: request.method,
      body: request.body,
      headers: request.contentType ? { 'content-type': request.contentType } : {},
    });
  }
  const error = await throwIfRefused(response as Response).catch((caught: unknown) => caught);
  if (!isOAuthError(error)) return { top: undefined, printed: String(error) };
  const causes = explain({ error });
  return { top: causes[0]?.cause, printed: `${JSON.stringify(causes)}\n${error.message}\n${JSON.stringify(error)}` };
}

async function viaKy(mistake: Mistake): Promise<Outcome> {
  const request = mistake.request(origin);
  const api = ky.create({ retry: 0, ...kyOAuth((mistake.signer ?? signerWith)(), { fetch: tamperingFetch(mistake) }) });
  let error: unknown;
  for (let attempt = 0; attempt < (mistake.twice ? 2 : 1); attempt++) {
    error = await api(request.url, {
      method: request.method,
      body: request.body,
      headers: request.contentType ? { 'content-type': request.contentType } : {},
    }).catch((caught: unknown) => caught);
  }
  if (!(error instanceof HTTPError)) return { top: undefined, printed: String(error) };
  const refusal = error.cause;
  if (!isOAuthError(refusal)) return { top: undefined, printed: String(refusal) };
  const causes = explain({ error: refusal });
  return { top: causes[0]?.cause, printed: `${JSON.stringify(causes)}\n${refusal.message}` };
}

async function viaAxios(mistake: Mistake): Promise<Outcome> {
  const request = mistake.request(origin);
  const send = tamperingFetch(mistake);
  // The transport below the signing: the mistake rewrites what axios would send.
  const adapter: AxiosAdapter = async (config) => {
    const url = new URL(axios.getUri(config)).href;
    const response = await send(url, {
      method: (config.method ?? 'get').toUpperCase(),
      headers: Object.fromEntries(Object.entries(config.headers.toJSON()).map(([k, v]) => [k, String(v)])),
      body: typeof config.data === 'string' ? config.data : undefined,
    });
    const data = await response.text();
    const result = {
      data,
      status: response.status,
      statusText: response.statusText,
      headers: Object.fromEntries(response.headers),
      config,
      request: {},
    };
    if (response.status >= 400) throw new AxiosError('refused', 'ERR_BAD_REQUEST', config, {}, result as never);
    return result as never;
  };
  const api = axios.create({ adapter, validateStatus: (status) => status < 400 });
  installOAuth(api, (mistake.signer ?? signerWith)());
  let error: unknown;
  for (let attempt = 0; attempt < (mistake.twice ? 2 : 1); attempt++) {
    error = await api
      .request({
        method: request.method,
        url: request.url,
        data: request.body,
        headers: request.contentType ? { 'content-type': request.contentType } : {},
      })
      .catch((caught: unknown) => caught);
  }
  const cause = (error as AxiosError | undefined)?.cause;
  if (!isOAuthError(cause)) return { top: undefined, printed: String(error) };
  const causes = explain({ error: cause });
  return { top: causes[0]?.cause, printed: `${JSON.stringify(causes)}\n${cause.message}` };
}

async function viaCli(mistake: Mistake): Promise<Outcome> {
  if (mistake.cli === undefined) return 'n/a';
  let stderr = '';
  let stdout = '';
  await run(mistake.cli(origin), {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: {
      OAUTH_CONSUMER_SECRET: CONSUMER.secret,
      ...(mistake.cli(origin).includes('--token') ? { OAUTH_TOKEN_SECRET: TOKEN.secret } : {}),
    },
  });
  // The CLI prints the causes as "  - explanation" lines, the top one first; match it back.
  const first = /\n {2}- (.*)\n/.exec(stderr)?.[1] ?? '';
  const top = CAUSE_PHRASES.find(([, phrase]) => phrase.test(first))?.[0];
  return { top, printed: `${stdout}\n${stderr}` };
}

// How each cause's explanation begins, to read the CLI's top line back into a cause.
const CAUSE_PHRASES: Array<[RejectionCause, RegExp]> = [
  ['clock_skew', /refused the timestamp|away from the server's Date/],
  ['signing_key', /same base string/],
  ['reverse_auth_mode_placement', /x_auth_mode=reverse_auth was only/],
  ['wrong_signature_method', /does not accept this signature method/],
];

const PATHS: Record<Path, (mistake: Mistake) => Promise<Outcome>> = {
  'raw response': viaRaw,
  'fetch wrapper': viaWrapper,
  axios: viaAxios,
  ky: viaKy,
  CLI: viaCli,
};

const table: string[] = [];
describe('the classic mistakes, explained through every path', () => {
  for (const mistake of MISTAKES) {
    it(`${mistake.name} → ${mistake.expected}`, async () => {
      const row: string[] = [];
      for (const [path, via] of Object.entries(PATHS) as Array<[Path, (mistake: Mistake) => Promise<Outcome>]>) {
        const outcome = await via(mistake);
        if (outcome === 'n/a') {
          row.push('n/a');
          continue;
        }
        row.push(outcome.top ?? 'none');
        expect(outcome.top, `${path}: ${outcome.printed}`).toBe(mistake.expected);
        expect(
          SECRETS.filter((secret) => outcome.printed.includes(secret)),
          path,
        ).toEqual([]);
      }
      table.push(`| ${mistake.name} | ${row.join(' | ')} |`);
    });
  }
  afterAll(() => {
    mkdirSync('.countersign-tmp', { recursive: true });
    writeFileSync(
      '.countersign-tmp/refusal-corpus.md',
      [
        `| mistake | ${Object.keys(PATHS).join(' | ')} |`,
        `|---|${Object.keys(PATHS)
          .map(() => '---')
          .join('|')}|`,
        ...table,
      ].join('\n'),
    );
  });
});
