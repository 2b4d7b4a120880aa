import type { ServerResponse } from 'node:http';
import { formatAuthorizationHeader, formatForm, parseAuthorizationHeader } from '@countersign/core';
import type { VerifiedRequest } from '@countersign/server';
import type { createTokenStore } from './tokens.ts';

/** A user the sandbox lets in with xAuth. */
export interface SandboxUser {
  readonly username: string;
  readonly password: string;
}

type Refuse = (
  response: ServerResponse,
  problem: { problem: string; advice: string; parametersAbsent?: string[] },
) => void;
type Tokens = ReturnType<typeof createTokenStore>;

function sendTokens(response: ServerResponse, fields: Array<[string, string]>) {
  response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end(formatForm(fields));
}

/** Reverse auth wants `x_auth_mode=reverse_auth` in the header AND the body, as Twitter does. */
export function reverseAuthModeProblem(authorization: string | undefined, form: URLSearchParams): string | undefined {
  const inHeader =
    authorization !== undefined &&
    parseAuthorizationHeader(authorization).params.some(
      ([name, value]) => name === 'x_auth_mode' && value === 'reverse_auth',
    );
  const inBody = form.get('x_auth_mode') === 'reverse_auth';
  if (inHeader && inBody) return undefined;
  return `x_auth_mode=reverse_auth must be in both the Authorization header and the form body; it was only in the ${inHeader ? 'header' : 'body'}.`;
}

/** Reverse auth step 1: a request token for the consumer, handed back as an OAuth parameter string. */
export function reverseAuthStep1(verdict: VerifiedRequest, tokens: Tokens, response: ServerResponse) {
  const { token } = tokens.issueRequestToken(verdict.consumerKey, 'reverse_auth');
  const parameters = formatAuthorizationHeader([
    ['oauth_consumer_key', verdict.consumerKey],
    ['oauth_nonce', tokens.newVerifier()],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
    ['oauth_token', token],
    ['oauth_version', '1.0'],
    ['oauth_signature', tokens.newVerifier()],
  ]);
  response.writeHead(200, { 'content-type': 'text/plain' }).end(parameters);
}

/** Reverse auth step 2: the device (its own consumer and token) trades the parameters for the user's token. */
export function reverseAuthStep2(form: URLSearchParams, tokens: Tokens, refuse: Refuse, response: ServerResponse) {
  const target = form.get('x_reverse_auth_target') ?? '';
  let reverseToken: string | undefined;
  try {
    reverseToken = parseAuthorizationHeader(form.get('x_reverse_auth_parameters') ?? '').params.find(
      ([name]) => name === 'oauth_token',
    )?.[1];
  } catch {
    reverseToken = undefined;
  }
  const record = reverseToken === undefined ? undefined : tokens.requestToken(reverseToken);
  if (record === undefined || record.used || record.callback !== 'reverse_auth' || record.consumerKey !== target) {
    return refuse(response, {
      problem: 'token_rejected',
      advice: 'x_reverse_auth_parameters do not come from reverse auth step 1 for x_reverse_auth_target.',
    });
  }
  record.used = true;
  const { token, record: access } = tokens.issueAccessToken(target);
  sendTokens(response, [
    ['oauth_token', token],
    ['oauth_token_secret', access.secret],
    ['user_id', access.userId],
    ['screen_name', 'sandbox_user'],
  ]);
}

/** xAuth: a name and password for an access token, in one request signed by the consumer alone. */
export function xAuthAccessToken(
  verdict: VerifiedRequest,
  form: URLSearchParams,
  users: readonly SandboxUser[],
  tokens: Tokens,
  refuse: Refuse,
  response: ServerResponse,
) {
  const user = users.find((candidate) => candidate.username === form.get('x_auth_username'));
  // Never echo the password, not even in the refusal.
  if (user === undefined || user.password !== form.get('x_auth_password')) {
    return refuse(response, { problem: 'permission_denied', advice: 'Wrong x_auth_username or x_auth_password.' });
  }
  const { token, record } = tokens.issueAccessToken(verdict.consumerKey);
  sendTokens(response, [
    ['oauth_token', token],
    ['oauth_token_secret', record.secret],
    ['user_id', record.userId],
    ['screen_name', user.username],
  ]);
}
