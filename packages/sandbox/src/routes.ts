import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatForm, hasControlCharacters, isFormContentType, parseAuthorizationHeader } from '@countersign/core';
import { nodeRequestUrl, readNodeRequestBody, type VerifiedRequest } from '@countersign/server';
import { refuse, sendText } from './http.ts';
import { note } from './inspector/notes.ts';
import type { SandboxOptions } from './options.ts';
import { type profileRules, refuseAs } from './profiles.ts';
import type { createTokenStore } from './tokens.ts';
import {
  reverseAuthModeProblem,
  reverseAuthStep1,
  reverseAuthStep2,
  type SandboxUser,
  xAuthAccessToken,
} from './twitter-routes.ts';
import type { ArrivedRequest, createSandboxVerifier, TokenKind } from './verification.ts';

/** What the route handlers share. */
export interface SandboxContext {
  readonly origin: string;
  readonly options: SandboxOptions;
  readonly tokens: ReturnType<typeof createTokenStore>;
  readonly verify: ReturnType<typeof createSandboxVerifier>;
  readonly users: readonly SandboxUser[];
  readonly failures: number[];
  /** The provider profile's rules, when the sandbox plays one. */
  readonly rules: ReturnType<typeof profileRules>;
  now(): number;
}

// Xero's and Jira's endpoint paths lead to the same routes.
const ALIASES: Record<string, string> = {
  '/oauth/RequestToken': '/oauth/request_token',
  '/oauth/Authorize': '/oauth/authorize',
  '/oauth/AccessToken': '/oauth/access_token',
  '/plugins/servlet/oauth/request-token': '/oauth/request_token',
  '/plugins/servlet/oauth/authorize': '/oauth/authorize',
  '/plugins/servlet/oauth/access-token': '/oauth/access_token',
  '/e/t/etws/authorize': '/oauth/authorize',
};

/** The OAuth parameters of an Authorization header, or none. */
function oauthHeaderParams(authorization: string | undefined): Map<string, string> {
  try {
    return authorization ? new Map(parseAuthorizationHeader(authorization).params) : new Map();
  } catch {
    return new Map();
  }
}

function header(request: IncomingMessage, name: 'authorization' | 'content-type'): string | undefined {
  return request.headers[name];
}

/** Routes one request: the target and body are checked and read first (bad ones throw a 4xx ServerError). */
export async function route(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = nodeRequestUrl(request, context.origin);
  const body = await readNodeRequestBody(request, {
    maxBodyBytes: context.options.maxBodyBytes ?? context.rules?.maxBodyBytes,
  });
  const arrived: ArrivedRequest = {
    method: request.method ?? 'GET',
    url,
    authorization: header(request, 'authorization'),
    contentType: header(request, 'content-type'),
    body,
  };
  note(response, { arrived });
  const path = ALIASES[url.pathname] ?? url.pathname;
  const route = `${arrived.method} ${path}`;
  if (route === 'GET /oauth/authorize') return authorize(context, url, response);
  const form = isFormContentType(arrived.contentType)
    ? new URLSearchParams(new TextDecoder().decode(body))
    : new URLSearchParams();
  const accessPath = path === '/oauth/access_token';
  const xAuth = accessPath && form.get('x_auth_mode') === 'client_auth';
  const reverseStep2 = accessPath && form.has('x_reverse_auth_target');
  const headerParams = oauthHeaderParams(arrived.authorization);
  const renewal = accessPath && (form.has('oauth_session_handle') || headerParams.has('oauth_session_handle'));
  const tokenKind: TokenKind =
    path === '/oauth/request_token' || xAuth
      ? 'none'
      : renewal
        ? 'renew'
        : accessPath && !reverseStep2
          ? 'request'
          : 'access';
  const tokenRoutes = context.rules?.tokensByGet
    ? [
        'GET /oauth/request_token',
        'GET /oauth/access_token',
        'GET /oauth/renew_access_token',
        'GET /oauth/revoke_access_token',
      ]
    : ['POST /oauth/request_token', 'POST /oauth/access_token'];
  if (path.startsWith('/oauth/') && !tokenRoutes.includes(route)) {
    return sendText(response, 404, 'No such route in the sandbox.');
  }
  const presentedToken = headerParams.get('oauth_token') ?? '';
  const renewing = path === '/oauth/renew_access_token';
  const life =
    tokenKind === 'access' ? context.rules?.tokenLife?.refusal(presentedToken, context.now(), renewing) : undefined;
  if (life !== undefined) return refuseAs(context.rules, response, life);
  // An expired access token is refused as such (not as unknown), so clients know to renew.
  const presented = context.tokens.accessToken(presentedToken);
  if (
    tokenKind === 'access' &&
    presented?.expiresAt !== undefined &&
    presented.expiresAt < context.now() &&
    !presented.revoked
  ) {
    return refuse(response, {
      problem: 'token_expired',
      advice: 'The access token has expired: renew it with its oauth_session_handle.',
    });
  }
  const verdict = await context.verify(arrived, tokenKind);
  note(response, { verdict });
  if (!verdict.ok) return refuseAs(context.rules, response, verdict);
  // A profile's quirks are about its API; the sandbox's token routes stay as they are.
  const quirk = path.startsWith('/oauth/') ? undefined : context.rules?.check(arrived, verdict);
  if (quirk !== undefined) return refuseAs(context.rules, response, quirk);
  const failure = context.failures.shift();
  if (failure !== undefined) return sendText(response, failure, 'Failing on purpose.');
  if (path === '/oauth/request_token') {
    const reverse =
      form.get('x_auth_mode') === 'reverse_auth' || verdict.params.some(([name]) => name === 'x_auth_mode');
    if (!reverse) return issueRequestToken(context, verdict, response);
    const problem = reverseAuthModeProblem(arrived.authorization, form);
    if (problem !== undefined)
      return refuse(response, { problem: 'parameter_absent', advice: problem, parametersAbsent: ['x_auth_mode'] });
    return reverseAuthStep1(verdict, context.tokens, response);
  }
  if (xAuth) return xAuthAccessToken(verdict, form, context.users, context.tokens, refuse, response);
  if (renewal) return renewAccessToken(context, verdict, form, headerParams, response);
  if (reverseStep2) return reverseAuthStep2(form, context.tokens, refuse, response);
  if (accessPath) return issueAccessToken(context, verdict, response);
  if (tokenKind === 'access') context.rules?.tokenLife?.used(presentedToken, context.now());
  if (renewing) return sendText(response, 200, 'Access Token has been renewed');
  if (path === '/oauth/revoke_access_token') {
    if (presented !== undefined) presented.revoked = true;
    return sendText(response, 200, 'Revoked Access Token');
  }
  if (context.rules?.answer !== undefined) return context.rules.answer(arrived, response);
  return echo(arrived, verdict, response);
}

/**
 * RFC 5849 §2.1: the callback is `oob` or an absolute URI. The sandbox redirects a browser to
 * it, so only http(s), and nothing a header cannot carry (a CR/LF would split the redirect).
 */
function acceptableCallback(callback: string): boolean {
  if (callback === 'oob') return true;
  if (hasControlCharacters(callback) || !URL.canParse(callback)) return false;
  const { protocol } = new URL(callback);
  return protocol === 'https:' || protocol === 'http:';
}

function issueRequestToken(context: SandboxContext, verdict: VerifiedRequest, response: ServerResponse) {
  const callback = verdict.oauthParams.oauth_callback;
  if (callback === undefined) {
    return refuse(response, {
      problem: 'parameter_absent',
      advice: 'oauth_callback is required (oob if there is none).',
      parametersAbsent: ['oauth_callback'],
    });
  }
  if (!acceptableCallback(callback)) {
    return refuse(response, {
      problem: 'parameter_rejected',
      advice:
        'oauth_callback must be oob or an absolute http(s) URL (RFC 5849 §2.1), such as https://app.example.com/callback.',
    });
  }
  const { token, record } = context.tokens.issueRequestToken(verdict.consumerKey, callback);
  sendForm(response, [
    ['oauth_token', token],
    ['oauth_token_secret', record.secret],
    ['oauth_callback_confirmed', 'true'],
  ]);
}

function sendForm(response: ServerResponse, fields: Array<[string, string]>) {
  response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end(formatForm(fields));
}

function authorize(context: SandboxContext, url: URL, response: ServerResponse) {
  // E*TRADE's page takes the request token as `token`, with the consumer key as `key`.
  const token = url.searchParams.get('oauth_token') ?? url.searchParams.get('token') ?? '';
  const record = context.tokens.requestToken(token);
  if (record === undefined || record.used) return sendText(response, 400, 'Unknown or used request token.');
  const key = url.searchParams.get('key');
  if (key !== null && key !== record.consumerKey) {
    return sendText(response, 400, 'key is not the consumer key this request token was issued to.');
  }
  if (url.searchParams.get('deny') === '1') {
    if (record.callback === 'oob') return sendText(response, 403, 'Access denied.');
    const denied = new URL(record.callback);
    denied.searchParams.set('denied', token);
    response.writeHead(302, { location: denied.href }).end();
    return;
  }
  record.verifier = context.tokens.newVerifier();
  if (record.callback === 'oob') return sendText(response, 200, `Your verifier: ${record.verifier}`);
  const target = new URL(record.callback);
  target.searchParams.set('oauth_token', token);
  target.searchParams.set('oauth_verifier', record.verifier);
  response.writeHead(302, { location: target.href }).end();
}

function issueAccessToken(context: SandboxContext, verdict: VerifiedRequest, response: ServerResponse) {
  const record = context.tokens.requestToken(verdict.token ?? '');
  if (record === undefined || record.verifier === undefined || verdict.oauthParams.oauth_verifier !== record.verifier) {
    return refuse(response, {
      problem: 'permission_denied',
      advice: 'The verifier does not match an authorized request token.',
    });
  }
  record.used = true;
  const issued = context.tokens.issueAccessToken(verdict.consumerKey, expiry(context));
  context.rules?.tokenLife?.issued(issued.token, context.now());
  sendAccessToken(context, issued, response);
}

/** When a new access token expires, if tokens expire at all. */
function expiry(context: SandboxContext): number | undefined {
  const lifetime = context.options.accessTokenLifetimeSeconds;
  return lifetime === undefined ? undefined : context.now() + lifetime * 1000;
}

function sendAccessToken(
  context: SandboxContext,
  issued: ReturnType<SandboxContext['tokens']['issueAccessToken']>,
  response: ServerResponse,
) {
  const fields: Array<[string, string]> = [
    ['oauth_token', issued.token],
    ['oauth_token_secret', issued.record.secret],
    ['user_id', issued.record.userId],
    ['screen_name', 'sandbox_user'],
  ];
  if (issued.record.sessionHandle !== undefined) {
    fields.push(['oauth_expires_in', String(context.options.accessTokenLifetimeSeconds)]);
    fields.push(['oauth_session_handle', issued.record.sessionHandle]);
  }
  sendForm(response, fields);
}

/** Xero-style renewal: the (possibly expired) access token plus its session handle buy a new one. */
function renewAccessToken(
  context: SandboxContext,
  verdict: VerifiedRequest,
  form: URLSearchParams,
  header: Map<string, string>,
  response: ServerResponse,
) {
  const current = context.tokens.accessToken(verdict.token ?? '');
  const handle = form.get('oauth_session_handle') ?? header.get('oauth_session_handle');
  if (current === undefined || current.sessionHandle === undefined || handle !== current.sessionHandle) {
    return refuse(response, {
      problem: 'token_rejected',
      advice: 'The session handle does not belong to this access token.',
    });
  }
  current.revoked = true;
  const renewed = context.tokens.issueAccessToken(current.consumerKey, expiry(context), current.sessionHandle);
  sendAccessToken(context, renewed, response);
}

function echo(arrived: ArrivedRequest, verdict: VerifiedRequest, response: ServerResponse) {
  response.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      method: arrived.method,
      url: arrived.url.href,
      consumerKey: verdict.consumerKey,
      token: verdict.token,
      signatureMethod: verdict.signatureMethod,
      // Printed through the verdict's own redaction: a password sent for xAuth is not echoed.
      params: (JSON.parse(JSON.stringify(verdict)) as VerifiedRequest).params,
      baseString: verdict.baseString,
    }),
  );
}
