import { percentEncode } from '@countersign/core';
import { printable } from './advice.ts';
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
  return text.replace(/[^\x20-\x7e]|["\\]/g, '').slice(0, 256);
}

/**
 * The largest refusal body, in bytes: a refusal never answers a large request with a larger
 * one; a long base string is cut with a marker.
 * @example
 * ```ts
 * Buffer.byteLength(problemResponse(result).body) <= MAX_PROBLEM_BODY_BYTES; // true
 * ```
 */
export const MAX_PROBLEM_BODY_BYTES = 8 * 1024;
const MAX_ADVICE_BYTES = 2 * 1024;

function encodedLength(code: number): number {
  if (code < 0x80) return UNRESERVED.test(String.fromCharCode(code)) ? 1 : 3;
  return code < 0x800 ? 6 : code < 0x10000 ? 9 : 12;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * The form field `name=value`, the value cut so the field fits `budget` bytes, with a
 * marker saying how much was left out. Only the kept part is walked: cutting a megabyte
 * costs what cutting eight kilobytes does.
 */
// The marker a cut leaves. A base string never holds its text otherwise: a space, `…` and
// `[` are always percent-encoded there.
const CUT_OPENS = ' …[truncated: ';
const CUT_CLOSES = ' more characters]';

/** A value the verifier already cut (a request over 64 KB), split into the kept text and the count it left out. */
function earlierCut(value: string): { text: string; leftOut: number } {
  const at = value.lastIndexOf(CUT_OPENS);
  if (at === -1 || !value.endsWith(CUT_CLOSES)) return { text: value, leftOut: 0 };
  const leftOut = Number(value.slice(at + CUT_OPENS.length, value.length - CUT_CLOSES.length));
  return Number.isSafeInteger(leftOut) ? { text: value.slice(0, at), leftOut } : { text: value, leftOut: 0 };
}

function boundedField(name: string, whole: string, budget: number): string {
  const encodedName = percentEncode(name);
  const { text: value, leftOut } = earlierCut(whole);
  const markerRoom = leftOut > 0 ? 64 : 0;
  if (value.length * 12 + encodedName.length + 1 + markerRoom <= budget)
    return `${encodedName}=${percentEncode(whole)}`;
  let room = budget - encodedName.length - 1 - 64;
  let kept = 0;
  while (kept < value.length) {
    const code = value.codePointAt(kept) as number;
    const cost = encodedLength(code);
    if (room < cost) break;
    room -= cost;
    kept += code > 0xffff ? 2 : 1;
  }
  if (kept === value.length && leftOut === 0) return `${encodedName}=${percentEncode(value)}`;
  const marker = `${CUT_OPENS}${value.length - kept + leftOut}${CUT_CLOSES}`;
  return `${encodedName}=${percentEncode(value.slice(0, kept) + marker)}`;
}

/**
 * A refusal in the Problem Reporting format (oauth.pbworks.com ProblemReporting): a form
 * body with `oauth_problem`, `oauth_problem_advice`, the acceptable timestamps or absent
 * parameters when known, and, for a known consumer, the base string the server computed
 * (passwords redacted) so the client can compare it with its own. The body is at most
 * 8 KB: a long base string is cut with a marker (`…[truncated: N more characters]`).
 * Parameter problems are 400, the rest 401.
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
  const fields = [
    boundedField('oauth_problem', refusal.problem, 256),
    boundedField('oauth_problem_advice', printable(refusal.advice), MAX_ADVICE_BYTES),
  ];
  if (refusal.acceptableTimestamps)
    fields.push(boundedField('oauth_acceptable_timestamps', refusal.acceptableTimestamps, 256));
  if (refusal.parametersAbsent) {
    fields.push(boundedField('oauth_parameters_absent', refusal.parametersAbsent.join('&'), 512));
  }
  if (refusal.baseString) {
    const used = fields.reduce((total, field) => total + field.length + 1, 0);
    fields.push(boundedField('oauth_signature_base_string', refusal.baseString, MAX_PROBLEM_BODY_BYTES - used));
  }
  return {
    status,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'www-authenticate': `OAuth realm="${quotable(realm)}", oauth_problem="${quotable(refusal.problem)}"`,
    },
    body: fields.join('&'),
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
