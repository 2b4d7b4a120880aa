import { type BaseStringDifference, compareBaseStrings } from './compare.ts';
import { parseForm } from './encode.ts';
import { CountersignError } from './errors.ts';
import { parseAuthorizationHeader } from './header.ts';
import { inertText } from './inert-text.ts';
import { ANSWER_PREFIX_BYTES, readTextPrefix, textPrefix } from './read-prefix.ts';
import { redactBaseString, redactText, redactUrl } from './redact.ts';
import type { SignedRequest } from './sign.ts';
import { rawBaseStringOf } from './signed-request.ts';
import { signingOf } from './signings.ts';

/** What a provider said when it refused a request, as far as its answer tells. */
export interface ProviderProblem {
  /** The Problem Reporting code (`oauth_problem`), e.g. `timestamp_refused`, `signature_invalid`. */
  readonly problem: string | undefined;
  readonly advice: string | undefined;
  /** `oauth_acceptable_timestamps`, `from-to` in seconds. */
  readonly acceptableTimestamps: string | undefined;
  /** `oauth_parameters_absent`, split on `&`. */
  readonly parametersAbsent: readonly string[] | undefined;
  /** A provider's numeric error code (Twitter's 32, 89, 135, 215, 415, …). */
  readonly providerCode: number | undefined;
  /** The provider's own message. */
  readonly providerMessage: string | undefined;
  /** The base string the server computed, when it says (Atlassian, Flickr's `debug_sbs`), redacted and inert. */
  readonly serverBaseString: string | undefined;
}

const TWITTER_PROBLEMS: Record<number, string> = {
  32: 'signature_invalid',
  89: 'token_rejected',
  135: 'timestamp_refused',
  215: 'parameter_absent',
  415: 'callback_rejected',
};

const HINTS: Record<string, string> = {
  signature_invalid:
    'The server computed a different signature: compare the base string we signed (error.baseString) with what it received — parameters sent but not signed, + for a space, a body parameter left out, or the wrong secret.',
  timestamp_refused:
    "The request's timestamp is outside the server's window: the clocks differ, so correct the signer with setClockOffset().",
  nonce_used: 'This nonce was used before: a retry resent an already-signed request. Sign every attempt afresh.',
  consumer_key_unknown: 'The provider does not know this consumer key: check it, and which environment it belongs to.',
  consumer_key_rejected: 'The provider refused this consumer key: it may be suspended or not allowed this call.',
  consumer_key_refused: 'The provider refused this consumer key: it may be suspended or not allowed this call.',
  token_rejected: 'The token is unknown, revoked or expired: obtain a new one.',
  token_expired: 'The token has expired: renew it (oauth_session_handle) or obtain a new one.',
  token_revoked: 'The user revoked this token: obtain a new one.',
  token_used: 'This request token was already exchanged: start the flow again.',
  parameter_absent: 'A required OAuth parameter is missing or the Authorization header is malformed.',
  parameter_rejected: 'The provider refused an OAuth parameter (sent twice, or with a value it does not accept).',
  signature_method_rejected: 'The provider does not accept this signature method.',
  version_rejected: 'The provider refused oauth_version: send 1.0 or leave it out.',
  permission_denied: 'The token does not grant this call.',
  permission_unknown: 'The token does not grant this call.',
  user_refused: 'The user denied access.',
  callback_rejected: 'The provider refused the callback URL: register it with the app, or use oob.',
};

/** The first line of a provider's text, secrets redacted, inert and shortened. */
function firstLine(text: string): string {
  const trimmed = textPrefix(text).trim();
  const end = trimmed.search(/\r?\n/);
  // Redacted before it is shortened, so a secret cut in half is still found.
  return inertText(redactText(end === -1 ? trimmed : trimmed.slice(0, end)), 200);
}

// How long each field read from a provider's answer may be once it is made inert: a problem
// code is a word, advice a few sentences (with both base strings, from a test double).
const PROBLEM_LENGTH = 80;
const ADVICE_LENGTH = 4000;
const MESSAGE_LENGTH = 1500;

function field(value: string | undefined, maxLength: number): string | undefined {
  return value === undefined ? undefined : inertText(value, maxLength);
}

/**
 * What a redirect that reached a refusal means: the flows and `redirect: 'manual'` never
 * follow one (a signed request sent on goes to another URL, its nonce spent), and "answered
 * 301: no details" named nothing to change. The Location is the server's text: resolved,
 * redacted (a PLAINTEXT signature sent in the query comes back in it too: the secrets
 * themselves), inert and shortened.
 */
function redirectHint(status: number, response: Response | undefined): string | undefined {
  if (status < 300 || status > 399 || response === undefined) return undefined;
  const location = response.headers.get('location');
  if (location === null) return 'The answer is a redirect with no Location: check the endpoint URL.';
  let shown = location;
  try {
    shown = new URL(location, response.url || undefined).href;
  } catch {
    // Shown as the server wrote it.
  }
  return `The answer is a redirect to ${inertText(redactUrl(shown, true), 300)}, which a signed request does not follow (it would be resent elsewhere): if the endpoint moved, use that URL (check https against http, and a trailing slash).`;
}

/** A hint for a problem code, looked up by own keys only (`constructor` is not a problem). */
function hintFor(problem: string | undefined): string | undefined {
  return problem !== undefined && Object.hasOwn(HINTS, problem) ? HINTS[problem] : undefined;
}

// A base string quoted in free text (a plain-text or JSON error, a log line): a method, the
// encoded base URI and the encoded parameter string, every character unreserved or %XX.
const BASE_STRING_IN_TEXT = /\b[A-Z]{3,7}&https?%3A%2F%2F[A-Za-z0-9%._~-]+&[A-Za-z0-9%._~-]*/;

function baseStringIn(text: string): string | undefined {
  return BASE_STRING_IN_TEXT.exec(text)?.[0];
}

/**
 * Reads a refusal (its first 64 KB: {@link ANSWER_PREFIX_BYTES}): a Problem Reporting body (`oauth_problem=…&oauth_problem_advice=…`,
 * Atlassian's echoed `oauth_signature_base_string`, Flickr's `debug_sbs`), Twitter's JSON
 * `{"errors":[{"code":32,…}]}`, its plain-text "Failed to validate oauth signature and
 * token", or an `oauth_problem` in `WWW-Authenticate`.
 *
 * @example
 * ```ts
 * parseProviderProblem('oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600');
 * // { problem: 'timestamp_refused', acceptableTimestamps: '1700000000-1700000600', … }
 * ```
 * @see https://web.archive.org/web/2017/https://wiki.oauth.net/w/page/12238543/ProblemReporting
 */
export function parseProviderProblem(body: string, wwwAuthenticate?: string | null): ProviderProblem {
  const fields: Record<string, string> = Object.create(null);
  let providerCode: number | undefined;
  let providerMessage: string | undefined;
  // A prefix holds any real refusal; parsing all of a multi-megabyte one cost a minute.
  const text = textPrefix(body).trim();
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as {
        errors?: Array<{ code?: number; message?: string }>;
        error?: string;
        detail?: string;
        title?: string;
        'o:errorDetails'?: Array<{ detail?: string; 'o:errorCode'?: string }>;
      };
      const first = json.errors?.[0];
      providerCode = typeof first?.code === 'number' ? first.code : undefined;
      // NetSuite (RFC 9457 problem details with Oracle's o:errorDetails): its code and detail.
      const oracle = json['o:errorDetails']?.[0];
      const message =
        first?.message ??
        json.error ??
        (oracle?.detail && `${oracle['o:errorCode'] ?? 'error'}: ${oracle.detail}`) ??
        json.detail ??
        json.title;
      providerMessage = typeof message === 'string' ? firstLine(message) : undefined;
    } catch {
      providerMessage = firstLine(text);
    }
  } else if (/(^|&)oauth_problem=/.test(text)) {
    for (const [name, value] of parseForm(text)) fields[name] ??= value;
  } else if (text !== '') {
    providerMessage = firstLine(text);
  }
  if (fields.oauth_problem === undefined && wwwAuthenticate && /^\s*OAuth\b/i.test(wwwAuthenticate)) {
    try {
      for (const [name, value] of parseAuthorizationHeader(wwwAuthenticate).params) fields[name] ??= value;
    } catch {
      // A header we cannot read adds nothing.
    }
  }
  let problem = fields.oauth_problem ?? (providerCode === undefined ? undefined : TWITTER_PROBLEMS[providerCode]);
  if (
    problem === undefined &&
    providerMessage !== undefined &&
    /failed to validate oauth signature/i.test(providerMessage)
  ) {
    problem = 'signature_invalid';
  }
  // Flickr sends debug_sbs last and unencoded (its own `&`s intact): take the rest verbatim.
  const flickr = /(?:^|&)debug_sbs=([\s\S]*)$/.exec(text)?.[1];
  const serverBase = fields.oauth_signature_base_string ?? flickr ?? baseStringIn(text);
  const problemDetails: ProviderProblem = {
    problem: field(problem, PROBLEM_LENGTH),
    advice:
      fields.oauth_problem_advice === undefined
        ? undefined
        : inertText(redactText(fields.oauth_problem_advice), ADVICE_LENGTH),
    acceptableTimestamps: field(fields.oauth_acceptable_timestamps, PROBLEM_LENGTH),
    parametersAbsent: fields.oauth_parameters_absent
      ?.split('&')
      .filter(Boolean)
      .slice(0, 20)
      .map((name) => inertText(name, PROBLEM_LENGTH)),
    providerCode,
    providerMessage,
    // Printed by people comparing it with ours: inert (a real one is percent-encoded and holds
    // no control character, so this changes only a hostile one); the raw one is kept to compare.
    serverBaseString:
      serverBase === undefined ? undefined : inertText(redactBaseString(serverBase), ANSWER_PREFIX_BYTES),
  };
  if (serverBase !== undefined) rawServerBaseStrings.set(problemDetails, serverBase);
  return problemDetails;
}

// Unredacted base strings, out of sight of printing: explain() compares these, so a
// difference inside a password still shows as a difference (its value never does).
const rawServerBaseStrings = new WeakMap<object, string>();
const rawErrorBaseStrings = new WeakMap<object, { ours: string | undefined; theirs: string | undefined }>();

/** Both base strings of a refusal as they were, for comparing (never for printing). */
export function rawBaseStringsOf(error: OAuthError): { ours: string | undefined; theirs: string | undefined } {
  return rawErrorBaseStrings.get(error) ?? { ours: error.baseString, theirs: error.serverBaseString };
}

/** The base string a provider's answer reported, as it was (for comparing). */
export function rawServerBaseStringOf(problem: ProviderProblem): string | undefined {
  return rawServerBaseStrings.get(problem) ?? problem.serverBaseString;
}

/**
 * A provider refused a request (any non-2xx answer). Carries the HTTP status, the parsed
 * problem, a one-line hint at the likely cause, and — not enumerable, so it stays out of
 * logs unless asked for — the `Response` and the base string we signed (redacted).
 *
 * @example
 * ```ts
 * try {
 *   await accessToken(signer, endpoints, { token, tokenSecret, verifier });
 * } catch (error) {
 *   if (isOAuthError(error) && error.problem === 'timestamp_refused') signer.setClockOffset(…);
 * }
 * ```
 */
export class OAuthError extends CountersignError {
  override name = 'OAuthError';
  readonly status: number;
  readonly problem: string | undefined;
  readonly advice: string | undefined;
  readonly acceptableTimestamps: string | undefined;
  readonly parametersAbsent: readonly string[] | undefined;
  readonly providerCode: number | undefined;
  readonly hint: string | undefined;
  /** Where the server's base string first differs from ours, when it reported one. */
  readonly difference: BaseStringDifference | undefined;
  /** The base string we signed, redacted. */
  declare readonly baseString: string | undefined;
  /** The base string the server computed, if it said, redacted. */
  declare readonly serverBaseString: string | undefined;
  /** The provider's answer. */
  declare readonly response: Response | undefined;
  /**
   * The signed request that was refused, when Countersign sent it (the fetch wrapper,
   * `throwIfRefused` after it): `explain({ error })` reads the request from it. Prints redacted.
   */
  declare readonly signed: SignedRequest | undefined;

  constructor(
    status: number,
    details: ProviderProblem,
    context: { baseString?: string; response?: Response; body?: string; signed?: SignedRequest } = {},
  ) {
    const ours =
      context.signed !== undefined && context.baseString === context.signed.baseString
        ? rawBaseStringOf(context.signed)
        : context.baseString;
    const theirs = rawServerBaseStringOf(details);
    const difference = ours !== undefined && theirs !== undefined ? compareBaseStrings(ours, theirs) : undefined;
    // With the server's own base string at hand, the first difference says more than any hint.
    // The summary quotes values from the server's base string: made inert like any provider text.
    const hint =
      difference?.summary === undefined
        ? (hintFor(details.problem) ?? redirectHint(status, context.response))
        : inertText(difference.summary, MESSAGE_LENGTH);
    const said = details.problem ?? details.providerMessage ?? (context.body ? firstLine(context.body) : 'no details');
    super(
      'provider_error',
      inertText(`The provider answered ${status}: ${said}.${hint ? ` ${hint}` : ''}`, MESSAGE_LENGTH),
    );
    this.status = status;
    this.problem = details.problem;
    this.advice = details.advice;
    this.acceptableTimestamps = details.acceptableTimestamps;
    this.parametersAbsent = details.parametersAbsent;
    this.providerCode = details.providerCode;
    this.hint = hint;
    this.difference = difference;
    Object.defineProperties(this, {
      baseString: { value: context.baseString === undefined ? undefined : redactBaseString(context.baseString) },
      serverBaseString: { value: details.serverBaseString },
      response: { value: context.response },
      signed: { value: context.signed },
    });
    rawErrorBaseStrings.set(this, { ours, theirs });
  }
}

/**
 * True for an {@link OAuthError}, also from another copy of the library.
 * @example
 * ```ts
 * try {
 *   await requestToken(signer, endpoints);
 * } catch (error) {
 *   if (isOAuthError(error) && error.problem === 'timestamp_refused') signer.setClockOffset(60);
 * }
 * ```
 */
export function isOAuthError(value: unknown): value is OAuthError {
  return value instanceof OAuthError || (value instanceof Error && value.name === 'OAuthError' && 'status' in value);
}

/**
 * Turns a refused `Response` into an {@link OAuthError} (reading its body); returns the
 * response untouched when it succeeded. A response from `createOAuthFetch` already knows
 * the base string it answered, so the error can compare it with the server's and
 * `explain({ error })` can name the cause.
 * @example
 * ```ts
 * const response = await throwIfRefused(await createOAuthFetch(signer)(url));
 * // or, signing by hand:
 * const signed = await signer.sign({ method: 'GET', url });
 * await throwIfRefused(await fetch(signed.url, { headers: { Authorization: signed.authorization! } }), signed.baseString);
 * ```
 */
export async function throwIfRefused(response: Response, signedBaseString?: string): Promise<Response> {
  if (response.ok) return response;
  throw await refusalError(response, signedBaseString);
}

/** A refused answer as an adapter holds it: the body already read, the header if any. */
export interface RefusedAnswer {
  readonly status: number;
  readonly body: string;
  readonly wwwAuthenticate?: string | null;
  /** The `Response`, when there is one (fetch, ky). */
  readonly response?: Response;
}

/**
 * The one place a refusal becomes an {@link OAuthError}: the provider's problem and advice,
 * the base string we signed (from the signing that was sent), the server's from wherever it
 * said it, and the comparison of the two. The fetch wrapper, axios, ky and the CLI all use it.
 * @example
 * ```ts
 * const error = oauthErrorOf({ status: 401, body: 'oauth_problem=signature_invalid' }, signed);
 * explain({ error })[0]?.explanation;
 * ```
 */
export function oauthErrorOf(answer: RefusedAnswer, signed?: SignedRequest): OAuthError {
  // Adapters hand over what their library read, which may be megabytes: a prefix is looked at.
  const body = textPrefix(answer.body);
  return new OAuthError(answer.status, parseProviderProblem(body, answer.wwwAuthenticate), {
    baseString: signed?.baseString,
    response: answer.response,
    body,
    signed,
  });
}

async function refusalError(response: Response, signedBaseString?: string): Promise<OAuthError> {
  // A prefix holds any real refusal; the rest of a huge or endless body is cancelled unread.
  const { text: body } = await readTextPrefix(response);
  const signed = signingOf(response);
  if (signedBaseString !== undefined && signedBaseString !== signed?.baseString) {
    return new OAuthError(response.status, parseProviderProblem(body, response.headers.get('www-authenticate')), {
      baseString: signedBaseString,
      response,
      body,
    });
  }
  return oauthErrorOf(
    { status: response.status, body, wwwAuthenticate: response.headers.get('www-authenticate'), response },
    signed,
  );
}
