/**
 * A strict, in-process OAuth 1.0a provider for examples, demos and tests.
 *
 * @packageDocumentation
 * @module @countersign/sandbox
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConsumerRecord,
  createMemoryNonceStore,
  formatForm,
  isFormContentType,
  parseAuthorizationHeader,
  type RejectedRequest,
  type VerifiedRequest,
  verifyRequest,
} from '@countersign/core';
import { createTokenStore } from './tokens.ts';
import {
  reverseAuthModeProblem,
  reverseAuthStep1,
  reverseAuthStep2,
  type SandboxUser,
  xAuthAccessToken,
} from './twitter-routes.ts';

export type { SandboxUser } from './twitter-routes.ts';

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
  /** How far a timestamp may be from the sandbox's clock. @default 300 */
  readonly timestampWindowSeconds?: number;
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
}

export interface Sandbox {
  /** The base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
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
  close(): Promise<void>;
}

// Xero's and Jira's endpoint paths lead to the same routes.
const ALIASES: Record<string, string> = {
  '/oauth/RequestToken': '/oauth/request_token',
  '/oauth/Authorize': '/oauth/authorize',
  '/oauth/AccessToken': '/oauth/access_token',
  '/plugins/servlet/oauth/request-token': '/oauth/request_token',
  '/plugins/servlet/oauth/authorize': '/oauth/authorize',
  '/plugins/servlet/oauth/access-token': '/oauth/access_token',
};

/** The OAuth parameters of an Authorization header, or none. */
function oauthHeaderParams(authorization: string | undefined): Map<string, string> {
  try {
    return authorization ? new Map(parseAuthorizationHeader(authorization).params) : new Map();
  } catch {
    return new Map();
  }
}

/**
 * CORS headers for a browser page on another origin; answers the preflight itself.
 * Returns true when the request was a preflight and has been answered.
 */
function allowBrowsers(request: IncomingMessage, response: ServerResponse): boolean {
  response.setHeader('access-control-allow-origin', request.headers.origin ?? '*');
  response.setHeader('vary', 'Origin');
  response.setHeader('access-control-expose-headers', 'WWW-Authenticate, Location, Date');
  if (request.method !== 'OPTIONS') return false;
  response
    .writeHead(204, {
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-max-age': '600',
    })
    .end();
  return true;
}

/** Problem Reporting: parameter problems are 400, the rest 401. */
function refuse(
  response: ServerResponse,
  rejected: { problem: string; advice: string } & Partial<Omit<RejectedRequest, 'problem' | 'advice'>>,
) {
  const status = rejected.problem.startsWith('parameter_') || rejected.problem === 'version_rejected' ? 400 : 401;
  const fields: Array<[string, string]> = [
    ['oauth_problem', rejected.problem],
    ['oauth_problem_advice', rejected.advice],
  ];
  if (rejected.acceptableTimestamps) fields.push(['oauth_acceptable_timestamps', rejected.acceptableTimestamps]);
  if (rejected.parametersAbsent) fields.push(['oauth_parameters_absent', rejected.parametersAbsent.join('&')]);
  // The base string the sandbox computed (passwords redacted), so a client can diff it with its own.
  if (rejected.baseString) fields.push(['oauth_signature_base_string', rejected.baseString]);
  response
    .writeHead(status, {
      'content-type': 'application/x-www-form-urlencoded',
      'www-authenticate': `OAuth realm="countersign-sandbox", oauth_problem="${rejected.problem}"`,
    })
    .end(formatForm(fields));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Starts a strict OAuth 1.0a provider on 127.0.0.1 (a random port), built on Countersign's
 * verifier: a 300-second timestamp window, replayed nonces refused, refusals in the Problem
 * Reporting format with the base string it computed. Routes: `POST /oauth/request_token`,
 * `GET /oauth/authorize?oauth_token=…` (the sandbox's user approves at once; add `deny=1`
 * to refuse), `POST /oauth/access_token`, and `/1/echo`, which answers with what arrived.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ consumers: [{ key: 'demoConsumerKey000000', secret: 'demo-secret' }] });
 * const tokens = await requestToken(signer, sandbox.endpoints);
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const consumers = new Map<string, SandboxConsumer>();
  for (const consumer of options.consumers ?? []) consumers.set(consumer.key, consumer);
  const tokens = createTokenStore();
  const offsetMs = (options.clockOffsetSeconds ?? 0) * 1000;
  const now = () => Date.now() + offsetMs;
  const window = options.timestampWindowSeconds ?? 300;
  const nonceStore = createMemoryNonceStore({ windowSeconds: window, now });
  const failures: number[] = [];
  const users = options.users ?? [{ username: 'sandbox_user', password: 'sandbox-password' }];
  let origin = '';

  async function verify(request: IncomingMessage, body: Buffer, tokenKind: 'none' | 'request' | 'access' | 'renew') {
    return verifyRequest(
      {
        method: request.method ?? 'GET',
        url: `${origin}${request.url}`,
        authorization: request.headers.authorization,
        body,
        contentType: request.headers['content-type'],
      },
      {
        lookupConsumer: (key) => consumers.get(key),
        lookupToken: (token, consumerKey) => {
          if (tokenKind === 'none') return undefined;
          if (tokenKind === 'access' && token === consumerKey && consumers.get(consumerKey)?.privateApp)
            return { secret: '' };
          const record = tokenKind === 'request' ? tokens.requestToken(token) : tokens.accessToken(token);
          if (record === undefined || record.consumerKey !== consumerKey) return undefined;
          if ('used' in record && record.used) return undefined;
          if ('revoked' in record && record.revoked) return undefined;
          return { secret: record.secret };
        },
        nonceStore,
        now,
        timestampWindowSeconds: window,
      },
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    const body = await readBody(request);
    const path = ALIASES[url.pathname] ?? url.pathname;
    const route = `${request.method} ${path}`;
    if (route === 'GET /oauth/authorize') return authorize(url, response);
    const form = isFormContentType(request.headers['content-type'])
      ? new URLSearchParams(body.toString('utf8'))
      : new URLSearchParams();
    const xAuth = path === '/oauth/access_token' && form.get('x_auth_mode') === 'client_auth';
    const reverseStep2 = path === '/oauth/access_token' && form.has('x_reverse_auth_target');
    const headerParams = oauthHeaderParams(request.headers.authorization);
    const renewal =
      path === '/oauth/access_token' && (form.has('oauth_session_handle') || headerParams.has('oauth_session_handle'));
    const tokenKind =
      path === '/oauth/request_token' || xAuth
        ? 'none'
        : renewal
          ? 'renew'
          : path === '/oauth/access_token' && !reverseStep2
            ? 'request'
            : 'access';
    if (path.startsWith('/oauth/') && !['POST /oauth/request_token', 'POST /oauth/access_token'].includes(route)) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('No such route in the sandbox.');
      return;
    }
    // An expired access token is refused as such (not as unknown), so clients know to renew.
    const presented = tokens.accessToken(headerParams.get('oauth_token') ?? '');
    if (
      tokenKind === 'access' &&
      presented?.expiresAt !== undefined &&
      presented.expiresAt < now() &&
      !presented.revoked
    ) {
      return refuse(response, {
        problem: 'token_expired',
        advice: 'The access token has expired: renew it with its oauth_session_handle.',
      });
    }
    const verdict = await verify(request, body, tokenKind);
    if (!verdict.ok) return refuse(response, verdict);
    const failure = failures.shift();
    if (failure !== undefined) {
      response.writeHead(failure, { 'content-type': 'text/plain' }).end('Failing on purpose.');
      return;
    }
    if (path === '/oauth/request_token') {
      const reverse =
        form.get('x_auth_mode') === 'reverse_auth' || verdict.params.some(([name]) => name === 'x_auth_mode');
      if (!reverse) return issueRequestToken(verdict, response);
      const problem = reverseAuthModeProblem(request.headers.authorization, form);
      if (problem !== undefined)
        return refuse(response, { problem: 'parameter_absent', advice: problem, parametersAbsent: ['x_auth_mode'] });
      return reverseAuthStep1(verdict, tokens, response);
    }
    if (xAuth) return xAuthAccessToken(verdict, form, users, tokens, refuse, response);
    if (renewal) return renewAccessToken(verdict, form, headerParams, response);
    if (reverseStep2) return reverseAuthStep2(form, tokens, refuse, response);
    if (path === '/oauth/access_token') return issueAccessToken(verdict, response);
    return echo(request, verdict, response);
  }

  function issueRequestToken(verdict: VerifiedRequest, response: ServerResponse) {
    const callback = verdict.oauthParams.oauth_callback;
    if (callback === undefined) {
      return refuse(response, {
        problem: 'parameter_absent',
        advice: 'oauth_callback is required (oob if there is none).',
        parametersAbsent: ['oauth_callback'],
      });
    }
    const { token, record } = tokens.issueRequestToken(verdict.consumerKey, callback);
    response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end(
      formatForm([
        ['oauth_token', token],
        ['oauth_token_secret', record.secret],
        ['oauth_callback_confirmed', 'true'],
      ]),
    );
  }

  function authorize(url: URL, response: ServerResponse) {
    const token = url.searchParams.get('oauth_token') ?? '';
    const record = tokens.requestToken(token);
    if (record === undefined || record.used) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('Unknown or used request token.');
      return;
    }
    if (url.searchParams.get('deny') === '1') {
      if (record.callback === 'oob') response.writeHead(403, { 'content-type': 'text/plain' }).end('Access denied.');
      else
        response
          .writeHead(302, {
            location: `${record.callback}${record.callback.includes('?') ? '&' : '?'}denied=${encodeURIComponent(token)}`,
          })
          .end();
      return;
    }
    record.verifier = tokens.newVerifier();
    if (record.callback === 'oob') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end(`Your verifier: ${record.verifier}`);
      return;
    }
    const target = new URL(record.callback);
    target.searchParams.set('oauth_token', token);
    target.searchParams.set('oauth_verifier', record.verifier);
    response.writeHead(302, { location: target.href }).end();
  }

  function issueAccessToken(verdict: VerifiedRequest, response: ServerResponse) {
    const record = tokens.requestToken(verdict.token ?? '');
    if (
      record === undefined ||
      record.verifier === undefined ||
      verdict.oauthParams.oauth_verifier !== record.verifier
    ) {
      return refuse(response, {
        problem: 'permission_denied',
        advice: 'The verifier does not match an authorized request token.',
      });
    }
    record.used = true;
    sendAccessToken(tokens.issueAccessToken(verdict.consumerKey, expiry()), response);
  }

  /** When a new access token expires, if tokens expire at all. */
  function expiry(): number | undefined {
    return options.accessTokenLifetimeSeconds === undefined
      ? undefined
      : now() + options.accessTokenLifetimeSeconds * 1000;
  }

  function sendAccessToken(issued: ReturnType<typeof tokens.issueAccessToken>, response: ServerResponse) {
    const fields: Array<[string, string]> = [
      ['oauth_token', issued.token],
      ['oauth_token_secret', issued.record.secret],
      ['user_id', issued.record.userId],
      ['screen_name', 'sandbox_user'],
    ];
    if (issued.record.sessionHandle !== undefined) {
      fields.push(['oauth_expires_in', String(options.accessTokenLifetimeSeconds)]);
      fields.push(['oauth_session_handle', issued.record.sessionHandle]);
    }
    response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end(formatForm(fields));
  }

  /** Xero-style renewal: the (possibly expired) access token plus its session handle buy a new one. */
  function renewAccessToken(
    verdict: VerifiedRequest,
    form: URLSearchParams,
    header: Map<string, string>,
    response: ServerResponse,
  ) {
    const current = tokens.accessToken(verdict.token ?? '');
    const handle = form.get('oauth_session_handle') ?? header.get('oauth_session_handle');
    if (current === undefined || current.sessionHandle === undefined || handle !== current.sessionHandle) {
      return refuse(response, {
        problem: 'token_rejected',
        advice: 'The session handle does not belong to this access token.',
      });
    }
    current.revoked = true;
    sendAccessToken(tokens.issueAccessToken(current.consumerKey, expiry(), current.sessionHandle), response);
  }

  function echo(request: IncomingMessage, verdict: VerifiedRequest, response: ServerResponse) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        method: request.method,
        url: `${origin}${request.url}`,
        consumerKey: verdict.consumerKey,
        token: verdict.token,
        signatureMethod: verdict.signatureMethod,
        params: verdict.params,
        baseString: verdict.baseString,
      }),
    );
  }

  const server = createServer((request, response) => {
    if (options.cors === true && allowBrowsers(request, response)) return;
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`Sandbox error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    endpoints: {
      requestTokenUrl: `${origin}/oauth/request_token`,
      authorizeUrl: `${origin}/oauth/authorize`,
      accessTokenUrl: `${origin}/oauth/access_token`,
    },
    addConsumer: (consumer) => consumers.set(consumer.key, consumer),
    failNext: (...statuses) => failures.push(...statuses),
    expireAccessTokens: () => tokens.expireAll(now()),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
