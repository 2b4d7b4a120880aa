import { parseForm } from './encode.ts';
import { CountersignError } from './errors.ts';
import { inertText } from './inert-text.ts';
import { ANSWER_PREFIX_BYTES, readTextPrefix } from './read-prefix.ts';
import { isSensitiveName, printAs, REDACTED, redactText } from './redact.ts';

/** A token and its secret, as a provider issues them (RFC 5849 §2.1, §2.3). */
export interface TokenResponse {
  /** `oauth_token`. */
  readonly token: string;
  /** `oauth_token_secret`. Not shown by `JSON.stringify` or `util.inspect`. */
  readonly tokenSecret: string;
  /**
   * `oauth_callback_confirmed` read leniently (`true` or `1`); `undefined` when absent.
   * Whether absence is acceptable is the flow's decision.
   */
  readonly callbackConfirmed: boolean | undefined;
  /**
   * Every other parameter the provider sent (`user_id`, `screen_name`, `oauth_session_handle`,
   * `oauth_expires_in`, …). Printing shows `*secret*` and `*password*` values as `[redacted]`.
   */
  readonly extras: Readonly<Record<string, string>>;
}

function tooLarge(): CountersignError {
  return new CountersignError(
    'invalid_token_response',
    `The token response is larger than ${ANSWER_PREFIX_BYTES / 1024} KB, so it is not one: check the endpoint URL (a token endpoint answers a short form body).`,
  );
}

/**
 * Parses a token response body (`oauth_token=…&oauth_token_secret=…`), keeping the
 * provider's extra fields. Missing token fields throw `invalid_token_response`, naming
 * which one; the secret never appears in the message. An empty `oauth_token`, and a body
 * over 64 KB (not a token response, left unparsed), are refused the same way.
 *
 * @example
 * ```ts
 * const tokens = parseTokenResponse('oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true');
 * tokens.token; // 'hh5s93j4hdidpola'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2.1
 */
export function parseTokenResponse(body: string): TokenResponse {
  if (typeof body !== 'string') {
    throw new CountersignError('invalid_token_response', 'Token response: expected the response body as a string.');
  }
  // readTokenResponse never reads more; a body read whole elsewhere (axios) is held to the same.
  if (body.length > ANSWER_PREFIX_BYTES) throw tooLarge();
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of parseForm(body.trim())) if (!Object.hasOwn(fields, name)) fields[name] = value;
  const missing = ['oauth_token', 'oauth_token_secret'].filter((name) => fields[name] === undefined);
  if (missing.length > 0) {
    // Redacted before it is shortened, so a secret cut in half is still found.
    const redacted = redactText(body);
    const shown = redacted.length > 200 ? `${redacted.slice(0, 200)}…` : redacted;
    // JSON quoting writes out C0 controls; inertText the C1 ones, DEL and the bidirectional overrides.
    throw new CountersignError(
      'invalid_token_response',
      `Token response lacks ${missing.join(' and ')}; the provider answered ${inertText(JSON.stringify(shown), 400)}.`,
    );
  }
  // RFC 5849 §2.1: the token identifies the credentials; an empty one would be signed and
  // sent as oauth_token="" and refused later, for a reason far from this answer.
  if (fields.oauth_token === '') {
    throw new CountersignError(
      'invalid_token_response',
      'Token response has an empty oauth_token: the provider issued no usable token. Check the endpoint and the request that obtained it.',
    );
  }
  const {
    oauth_token: token,
    oauth_token_secret: tokenSecret,
    oauth_callback_confirmed: confirmed,
    ...extras
  } = fields;
  const shownExtras = () =>
    Object.fromEntries(Object.entries(extras).map(([name, value]) => [name, isSensitiveName(name) ? REDACTED : value]));
  const response: TokenResponse = {
    token: token as string,
    tokenSecret: tokenSecret as string,
    callbackConfirmed: confirmed === undefined ? undefined : confirmed === 'true' || confirmed === '1',
    extras: printAs({ ...extras }, shownExtras),
  };
  Object.defineProperty(response, 'tokenSecret', { enumerable: false });
  return printAs(response, () => ({ ...response, tokenSecret: REDACTED, extras: shownExtras() }));
}

/**
 * Reads and parses a token response from the provider's answer. Only the first 64 KB are
 * read: a larger body is not a token response, and is refused (`invalid_token_response`)
 * with the rest cancelled unread.
 *
 * @example
 * ```ts
 * const tokens = await readTokenResponse(await fetch(signed.url, { method: 'POST', headers }));
 * ```
 */
export async function readTokenResponse(response: Response): Promise<TokenResponse> {
  const { text, truncated } = await readTextPrefix(response);
  if (truncated) throw tooLarge();
  return parseTokenResponse(text);
}
