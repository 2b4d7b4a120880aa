import { baseStringUri, normalizeParameters, signatureBaseString } from './base-string.ts';
import { isFormContentType } from './body.ts';
import { type BaseStringDifference, diffBaseStrings } from './compare.ts';
import { formDecode, parseForm } from './encode.ts';
import type { ExplainInput } from './explain.ts';
import { parseAuthorizationHeader } from './header.ts';
import { httpDate } from './http-date.ts';
import { parseProviderProblem, rawBaseStringsOf, rawServerBaseStringOf } from './oauth-error.ts';
import { sentBodyOf } from './signings.ts';

/**
 * How two base strings differ: `signings` when only the nonce or timestamp does (two
 * signings, not one request seen twice), `uri` for the method or base URI, `encoding` when
 * one parameter's two encodings hold the same text, `unsigned` and `unsent` for a parameter
 * on one side only, `values` for a parameter with two values.
 */
export type DifferenceKind = 'absent' | 'none' | 'signings' | 'uri' | 'encoding' | 'unsigned' | 'unsent' | 'values';

/** Both sides hold the same text once `+` is read as a space: only the encoding differs. */
function sameUnderFormDecoding(difference: BaseStringDifference): boolean {
  const { ours, theirs } = difference.encoded ?? {};
  return ours !== undefined && theirs !== undefined && formDecode(ours) === formDecode(theirs);
}

function kindOf(ours: string | undefined, theirs: string | undefined, difference: BaseStringDifference | undefined) {
  if (ours === undefined || theirs === undefined) return 'absent';
  if (difference === undefined) return 'none';
  const bothValues = difference.ours !== undefined && difference.theirs !== undefined;
  if (bothValues && (difference.name === 'oauth_nonce' || difference.name === 'oauth_timestamp')) return 'signings';
  if (difference.part !== 'parameter') return 'uri';
  if (sameUnderFormDecoding(difference)) return 'encoding';
  if (difference.ours === undefined) return 'unsigned';
  return difference.theirs === undefined ? 'unsent' : 'values';
}

/** What {@link explain}'s detectors look at, read once from what the caller gave. */
export interface Facts {
  /** The provider's `oauth_problem` (or what its answer maps to). */
  readonly problem: string | undefined;
  readonly acceptableTimestamps: string | undefined;
  /** Our base string and the server's, secrets included (for comparing, never printing). */
  readonly ours: string | undefined;
  readonly theirs: string | undefined;
  /** Where they first differ, when there are both and they do. */
  readonly difference: BaseStringDifference | undefined;
  /** What kind of difference that is (`absent` without both base strings, `none` when they are equal). */
  readonly differs: DifferenceKind;
  readonly request: ExplainInput['request'];
  /** The request's body, when it is a form. */
  readonly formBody: string | undefined;
  /** The names of the form body's parameters (empty without a form body). */
  readonly formNames: ReadonlySet<string>;
  /** Whether the request's body, read as a form, holds `x_auth_mode=reverse_auth`. */
  readonly reverseAuthInBody: boolean;
  /** The OAuth parameters of its Authorization header; none when it is not an OAuth header. */
  readonly oauth: ReadonlyMap<string, string>;
  /** The server's `Date`, in milliseconds (NaN when not given). */
  readonly serverDate: number;
  readonly cli: boolean;
}

/**
 * The base string of a request as it was sent, rebuilt from its public parts (RFC 5849
 * §3.4.1): when the signing itself is not at hand, this is what was signed if the signer
 * followed the RFC. `bodyPairs` is the body, already read as a form.
 */
function rebuiltBaseString(
  request: ExplainInput['request'],
  bodyPairs: ReadonlyArray<readonly [string, string]>,
): string | undefined {
  if (request?.method === undefined || request.url === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return undefined;
  }
  // Joined with concat, not spread into push(): a spread passes every pair as an argument,
  // and a form body of 130,000 pairs overflowed the stack.
  let header: ReadonlyArray<readonly [string, string]> = [];
  if (request.authorization !== undefined && /^\s*OAuth\b/i.test(request.authorization)) {
    try {
      header = parseAuthorizationHeader(request.authorization).params;
    } catch {
      return undefined;
    }
  }
  const pairs = header.concat(
    url.search.length > 1 ? parseForm(url.search.slice(1)) : [],
    isFormContentType(request.contentType) ? bodyPairs : [],
  );
  if (!pairs.some(([name]) => name === 'oauth_signature_method')) return undefined;
  const signed = pairs.filter(([name]) => name !== 'oauth_signature');
  return signatureBaseString(request.method.toUpperCase(), baseStringUri(url), normalizeParameters(signed));
}

/**
 * The OAuth parameters of an Authorization header. A request sent with another scheme
 * (`Basic …`) or a header that does not parse carries none: that is a fact to reason from,
 * not a reason to throw.
 */
function oauthParamsOf(authorization: string | undefined): ReadonlyMap<string, string> {
  if (authorization === undefined || !/^\s*OAuth(?:\s|$)/i.test(authorization)) return new Map();
  try {
    return new Map(parseAuthorizationHeader(authorization).params);
  } catch {
    return new Map();
  }
}

/** Without the request at hand, the error of a request Countersign sent carries its signing. */
function requestOf(input: ExplainInput): ExplainInput['request'] {
  const sent = input.error?.signed;
  if (input.request !== undefined || sent === undefined) return input.request;
  const sentBody = sentBodyOf(sent);
  return {
    method: sent.method,
    url: sent.url,
    authorization: sent.authorization,
    body: sentBody?.body ?? sent.body,
    contentType: sentBody?.contentType ?? sent.contentType,
  };
}

export function factsOf(input: ExplainInput): Facts {
  const error = input.error;
  const answered =
    input.response?.body === undefined
      ? undefined
      : parseProviderProblem(input.response.body, input.response.wwwAuthenticate);
  // Base strings as they were, secrets included, for comparing; explanations never print
  // a password or secret value.
  const raw = error === undefined ? undefined : rawBaseStringsOf(error);
  const theirs =
    input.serverBaseString ?? (answered === undefined ? undefined : rawServerBaseStringOf(answered)) ?? raw?.theirs;
  const request = requestOf(input);
  const body = request?.body;
  const formBody = body !== undefined && isFormContentType(request?.contentType) ? body : undefined;
  // Read once here: each detector reading the body again multiplied the cost of a large one.
  const bodyPairs = body === undefined ? [] : parseForm(body);
  const ours = input.ourBaseString ?? raw?.ours ?? rebuiltBaseString(request, bodyPairs);
  const difference = ours !== undefined && theirs !== undefined ? diffBaseStrings(ours, theirs) : undefined;
  return {
    problem: error?.problem ?? answered?.problem,
    acceptableTimestamps: error?.acceptableTimestamps ?? answered?.acceptableTimestamps,
    ours,
    theirs,
    difference,
    differs: kindOf(ours, theirs, difference),
    request,
    formBody,
    formNames: new Set(formBody === undefined ? [] : bodyPairs.map(([name]) => name)),
    reverseAuthInBody: bodyPairs.some(([name, value]) => name === 'x_auth_mode' && value === 'reverse_auth'),
    oauth: oauthParamsOf(request?.authorization),
    // Only an HTTP-date: Date.parse reads '-1' as 2001, a skew of decades to blame.
    serverDate: httpDate(input.response?.date ?? '') ?? Number.NaN,
    cli: input.audience === 'cli',
  };
}
