import { formatForm } from '@countersign/core';
import { isServerError } from './errors.ts';
import type { RejectedRequest } from './verify.ts';

/** An HTTP answer, ready for any server framework to send. */
export interface ProblemResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A refusal to report: a verifier's `RejectedRequest`, or a server's own problem (`token_expired`, …). */
export type Refusal = { readonly problem: string; readonly advice: string } & Partial<
  Omit<RejectedRequest, 'ok' | 'problem' | 'advice'>
>;

// Quotes and backslashes would end the quoted-string early; control characters are not allowed in a header.
function quotable(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, '');
}

/**
 * A refusal in the Problem Reporting format (oauth.pbworks.com ProblemReporting): a form
 * body with `oauth_problem`, `oauth_problem_advice`, the acceptable timestamps or absent
 * parameters when known, and the base string the server computed (passwords redacted) so
 * the client can compare it with its own. Parameter problems are 400, the rest 401.
 *
 * @example
 * ```ts
 * const result = await verifyRequest(request, options);
 * if (!result.ok) {
 *   const { status, headers, body } = problemResponse(result);
 *   return new Response(body, { status, headers });
 * }
 * ```
 */
export function problemResponse(refusal: Refusal, realm = ''): ProblemResponse {
  const status = refusal.problem.startsWith('parameter_') || refusal.problem === 'version_rejected' ? 400 : 401;
  const fields: Array<[string, string]> = [
    ['oauth_problem', refusal.problem],
    ['oauth_problem_advice', refusal.advice],
  ];
  if (refusal.acceptableTimestamps) fields.push(['oauth_acceptable_timestamps', refusal.acceptableTimestamps]);
  if (refusal.parametersAbsent) fields.push(['oauth_parameters_absent', refusal.parametersAbsent.join('&')]);
  if (refusal.baseString) fields.push(['oauth_signature_base_string', refusal.baseString]);
  return {
    status,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'www-authenticate': `OAuth realm="${quotable(realm)}", oauth_problem="${quotable(refusal.problem)}"`,
    },
    body: formatForm(fields),
  };
}

/**
 * The answer when the verifier could not decide (a `ServerError`: nonce store down or
 * full, body too large, a malformed request target): its status, and its message, which
 * quotes nothing from the request. Any other error is a 500 with a generic text.
 *
 * @example
 * ```ts
 * try { … } catch (error) { const { status, headers, body } = errorResponse(error); }
 * ```
 */
export function errorResponse(error: unknown): ProblemResponse {
  const known = isServerError(error);
  return {
    status: known ? error.status : 500,
    headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' },
    body: known ? error.message : 'The request could not be verified.',
  };
}
