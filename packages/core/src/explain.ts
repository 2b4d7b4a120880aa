import { baseStringUri, normalizeParameters, signatureBaseString } from './base-string.ts';
import { isFormContentType } from './body.ts';
import { type BaseStringDifference, diffBaseStrings } from './compare.ts';
import { formDecode, parseForm } from './encode.ts';
import { parseAuthorizationHeader } from './header.ts';
import { type OAuthError, parseProviderProblem, rawBaseStringsOf, rawServerBaseStringOf } from './oauth-error.ts';
import { isSensitiveName, REDACTED } from './redact.ts';
import { sentBodyOf } from './signings.ts';

/** The causes {@link explain} can name, most specific first. */
export type RejectionCause =
  | 'clock_skew'
  | 'nonce_reused'
  | 'plus_for_space'
  | 'unencoded_reserved_characters'
  | 'not_double_encoded'
  | 'encoded_twice'
  | 'different_signings'
  | 'body_params_not_signed'
  | 'body_params_wrongly_signed'
  | 'params_sent_not_signed'
  | 'params_signed_not_sent'
  | 'reverse_auth_mode_placement'
  | 'wrong_signature_method'
  | 'wrong_method_or_url'
  | 'signing_key';

export interface Cause {
  readonly cause: RejectionCause;
  /** What happened and what to change, in one or two sentences. */
  readonly explanation: string;
}

/** What is known about a refused request; give what you have. */
export interface ExplainInput {
  /** The base string the client signed (Countersign's `signed.baseString`, or another library's). */
  readonly ourBaseString?: string;
  /** The base string the server computed, when it reports one (Jira, Flickr, the sandbox). */
  readonly serverBaseString?: string;
  /** The request as it was sent. */
  readonly request?: {
    readonly method?: string;
    readonly url?: string;
    readonly authorization?: string;
    readonly body?: string;
    readonly contentType?: string;
  };
  /** The server's answer. */
  readonly response?: {
    readonly status: number;
    readonly body?: string;
    readonly date?: string;
    readonly wwwAuthenticate?: string;
  };
  /** The error Countersign threw for the answer: carries both base strings and the problem. */
  readonly error?: OAuthError;
  /**
   * Who reads the advice: `'code'` (the default) is told of `signer.setClockOffset()`,
   * `'cli'` of the `countersign` options.
   */
  readonly audience?: 'code' | 'cli';
}

const SUB_DELIMS = /[!*'()]/;

/** Both sides hold the same text once `+` is read as a space: only the encoding differs. */
function sameUnderFormDecoding(difference: BaseStringDifference): boolean {
  const { ours, theirs } = difference.encoded ?? {};
  return ours !== undefined && theirs !== undefined && formDecode(ours) === formDecode(theirs);
}

function formNames(text: string): Set<string> {
  return new Set(parseForm(text).map(([name]) => name));
}

/** A value for an explanation: never a password or secret. */
function shown(difference: BaseStringDifference, value: string): string {
  return isSensitiveName(difference.name ?? '') ? REDACTED : value;
}

/** Why a parameter's two encodings differ, when the text is the same. */
function encodingCause(difference: BaseStringDifference): Cause | undefined {
  const ours = difference.encoded?.ours ?? '';
  const theirs = difference.encoded?.theirs ?? '';
  if (ours.includes('+') || theirs.includes('+')) {
    return {
      cause: 'plus_for_space',
      explanation: `Parameter ${difference.name} was encoded with + for a space (${shown(difference, ours.includes('+') ? ours : theirs)}); RFC 5849 wants %20. Encode with RFC 3986 rules, or let Countersign sign the URL as sent.`,
    };
  }
  if (SUB_DELIMS.test(ours) || SUB_DELIMS.test(theirs)) {
    return {
      cause: 'unencoded_reserved_characters',
      explanation: `Parameter ${difference.name} has !*'() left unencoded (${shown(difference, SUB_DELIMS.test(ours) ? ours : theirs)}): encodeURIComponent leaves them, RFC 5849 encodes them (%21 %2A %27 %28 %29).`,
    };
  }
  return undefined;
}

function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Why two different values are the same text after all: a + read as a space, or one more round of encoding. */
function valueCause(difference: BaseStringDifference): Cause | undefined {
  const ours = difference.ours;
  const theirs = difference.theirs;
  if (ours === undefined || theirs === undefined) return undefined;
  if (ours.replace(/\+/g, ' ') === theirs || theirs.replace(/\+/g, ' ') === ours) {
    const plusOurs = ours.includes('+');
    return {
      cause: 'plus_for_space',
      explanation: plusOurs
        ? `Parameter ${difference.name}: we signed a literal + where the server read a space. In a query or form body a raw + means a space (application/x-www-form-urlencoded): send %2B for a plus, and sign the URL exactly as sent.`
        : `Parameter ${difference.name}: we signed a space where the server read a literal +. The client sent %2B (or the server does not read + as a space): sign the URL exactly as sent.`,
    };
  }
  if (decodeOnce(ours) === theirs || decodeOnce(theirs) === ours) {
    const twiceOurs = decodeOnce(ours) === theirs;
    return {
      cause: 'encoded_twice',
      explanation: `Parameter ${difference.name} was percent-encoded twice ${twiceOurs ? 'before we signed it' : 'on its way to the server'} (${shown(difference, twiceOurs ? ours : theirs)}): encode each value once, and let the signer do the base string's own encoding.`,
    };
  }
  return undefined;
}

/**
 * The base string of a request as it was sent, rebuilt from its public parts (RFC 5849
 * §3.4.1): when the signing itself is not at hand, this is what was signed if the signer
 * followed the RFC.
 */
function rebuiltBaseString(request: ExplainInput['request']): string | undefined {
  if (request?.method === undefined || request.url === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return undefined;
  }
  const pairs: Array<readonly [string, string]> = [];
  if (request.authorization !== undefined && /^\s*OAuth\b/i.test(request.authorization)) {
    try {
      pairs.push(...parseAuthorizationHeader(request.authorization).params);
    } catch {
      return undefined;
    }
  }
  if (url.search.length > 1) pairs.push(...parseForm(url.search.slice(1)));
  if (request.body !== undefined && isFormContentType(request.contentType)) pairs.push(...parseForm(request.body));
  if (!pairs.some(([name]) => name === 'oauth_signature_method')) return undefined;
  const signed = pairs.filter(([name]) => name !== 'oauth_signature');
  return signatureBaseString(request.method.toUpperCase(), baseStringUri(url), normalizeParameters(signed));
}

/**
 * Ranks the likely causes of a refused OAuth 1.0a request, most likely first: what the
 * provider said (a refused timestamp, a used nonce, a refused method), then where its base
 * string differs from ours (`+` for a space, unencoded `!*'()`, a parameter string encoded
 * only once, body parameters left out or wrongly included, parameters sent but not signed),
 * then what the request itself shows (reverse auth's `x_auth_mode` in one place only, a
 * clock off by the response's `Date`). With identical base strings the signing key is left.
 *
 * @example
 * ```ts
 * try { await requestToken(signer, endpoints); } catch (error) {
 *   if (isOAuthError(error)) console.log(explain({ error })[0]?.explanation);
 * }
 * ```
 */
export function explain(input: ExplainInput): Cause[] {
  const causes: Cause[] = [];
  const add = (cause: Cause | undefined) => {
    if (cause && !causes.some((known) => known.cause === cause.cause)) causes.push(cause);
  };
  const error = input.error;
  const problem =
    error?.problem ??
    (input.response?.body !== undefined
      ? parseProviderProblem(input.response.body, input.response.wwwAuthenticate).problem
      : undefined);
  // Base strings as they were, secrets included, for comparing; explanations never print
  // a password or secret value.
  const raw = error === undefined ? undefined : rawBaseStringsOf(error);
  const responseProblem =
    input.response?.body !== undefined
      ? parseProviderProblem(input.response.body, input.response.wwwAuthenticate)
      : undefined;
  const theirs =
    input.serverBaseString ??
    (responseProblem === undefined ? undefined : rawServerBaseStringOf(responseProblem)) ??
    raw?.theirs;
  const cli = input.audience === 'cli';
  // Without the request at hand, the error of a request Countersign sent carries its signing.
  const sent = error?.signed;
  if (input.request === undefined && sent !== undefined) {
    const sentBody = sentBodyOf(sent);
    input = {
      ...input,
      request: {
        method: sent.method,
        url: sent.url,
        authorization: sent.authorization,
        body: sentBody?.body ?? sent.body,
        contentType: sentBody?.contentType ?? sent.contentType,
      },
    };
  }
  const ours = input.ourBaseString ?? raw?.ours ?? rebuiltBaseString(input.request);
  const authorization = input.request?.authorization;
  const oauth = new Map(authorization ? parseAuthorizationHeader(authorization).params : []);

  const acceptable = error?.acceptableTimestamps ?? responseProblem?.acceptableTimestamps;
  if (problem === 'timestamp_refused') {
    add({
      cause: 'clock_skew',
      explanation: `The server refused the timestamp: its clock and yours differ${acceptable ? ` (it accepts ${acceptable})` : ''}. ${cli ? "Set this machine's clock right, or pass --timestamp with a time the server accepts." : "Correct it with signer.setClockOffset(), or let the flows' retries do it."}`,
    });
  }
  if (problem === 'nonce_used') {
    add({
      cause: 'nonce_reused',
      explanation:
        'The nonce was used before: something resent an already-signed request (a retry or a redirect). Sign every attempt afresh.',
    });
  }
  if (problem === 'signature_method_rejected') {
    add({
      cause: 'wrong_signature_method',
      explanation:
        'The provider does not accept this signature method: use the one its documentation names (HMAC-SHA1 for most, RSA-SHA1 for Jira and Xero private apps).',
    });
  }

  // The parameter string of a base string is encoded once more; a client that skipped that
  // leaves & and = of its own in it.
  if (ours !== undefined && ours.split('&').length > 3) {
    add({
      cause: 'not_double_encoded',
      explanation:
        'The parameter string in our base string was not percent-encoded again (it still holds its own & and =): encode the whole parameter string once more, RFC 5849 §3.4.1.1.',
    });
  }
  if (ours !== undefined && theirs !== undefined) {
    const difference = diffBaseStrings(ours, theirs);
    if (difference === undefined) {
      add({
        cause: 'signing_key',
        explanation:
          'Both sides computed the same base string, so the signature differs in its key: check the consumer and token secrets, and that the HMAC key keeps its & even without a token secret.',
      });
    } else if (
      (difference.name === 'oauth_nonce' || difference.name === 'oauth_timestamp') &&
      difference.ours !== undefined &&
      difference.theirs !== undefined
    ) {
      // Two signings' base strings, not one request seen from both sides: nothing follows from them.
      add({
        cause: 'different_signings',
        explanation: `The two base strings come from different signings (${difference.name} differs): compare the server's with the base string of the request that was actually sent.`,
      });
    } else if (difference.part !== 'parameter') {
      add({ cause: 'wrong_method_or_url', explanation: difference.summary });
    } else if (sameUnderFormDecoding(difference)) {
      add(encodingCause(difference));
    } else {
      const body = input.request?.body;
      const formBody = body !== undefined && isFormContentType(input.request?.contentType);
      const name = difference.name as string;
      if (difference.ours === undefined) {
        add(
          formBody && formNames(body).has(name)
            ? {
                cause: 'body_params_not_signed',
                explanation: `The form body parameter ${name} was sent but not signed: for application/x-www-form-urlencoded bodies every body parameter belongs in the base string.`,
              }
            : {
                cause: 'params_sent_not_signed',
                explanation: `${difference.summary} Sign the final URL, after the HTTP client added its parameters (${name} is a typical extra).`,
              },
        );
      } else if (difference.theirs === undefined) {
        add(
          body !== undefined && !formBody
            ? {
                cause: 'body_params_wrongly_signed',
                explanation: `We signed ${name} from a body that is not a form (${input.request?.contentType ?? 'no Content-Type'}): only form bodies count.`,
              }
            : formBody && formNames(body).has(name)
              ? {
                  cause: 'body_params_wrongly_signed',
                  explanation: `We signed the body parameter ${name}, which the server did not count: it did not read the body as a form. Check the Content-Type that reached it: only application/x-www-form-urlencoded bodies are signed, and a proxy or client that changes it breaks the signature.`,
                }
              : {
                  cause: 'params_signed_not_sent',
                  explanation: `${difference.summary} Send exactly the URL and body you signed.`,
                },
        );
      } else {
        add(
          encodingCause(difference) ??
            valueCause(difference) ?? { cause: 'params_signed_not_sent', explanation: difference.summary },
        );
      }
    }
  }

  // Twitter's reverse auth wants x_auth_mode=reverse_auth in the header and the body.
  const body = input.request?.body ?? '';
  const modeInBody = parseForm(body).some(([name, value]) => name === 'x_auth_mode' && value === 'reverse_auth');
  const modeInHeader = oauth.get('x_auth_mode') === 'reverse_auth';
  if (modeInBody !== modeInHeader) {
    add({
      cause: 'reverse_auth_mode_placement',
      explanation: `x_auth_mode=reverse_auth was only in the ${modeInBody ? 'body' : 'header'}: Twitter wants it in both the Authorization header and the form body (oauthParams plus the body).`,
    });
  }

  const timestamp = Number(oauth.get('oauth_timestamp'));
  const serverDate = Date.parse(input.response?.date ?? '');
  if (!Number.isNaN(serverDate) && Number.isFinite(timestamp) && Math.abs(serverDate / 1000 - timestamp) > 300) {
    add({
      cause: 'clock_skew',
      explanation: `Our timestamp is ${Math.round(serverDate / 1000 - timestamp)} s away from the server's Date header: ${cli ? "set this machine's clock right, or pass --timestamp with the server's time." : 'correct the clock with signer.setClockOffset().'}`,
    });
  }
  if (problem === 'signature_invalid' && causes.length === 0) {
    add({
      cause: 'params_signed_not_sent',
      explanation:
        'The server computed a different base string; without its copy, compare what was sent with what was signed (query serialization, body parameters, + for a space).',
    });
  }
  return causes;
}
