import { delay, MAX_DELAY_MILLISECONDS } from './delay.ts';
import { CountersignError, isCountersignError } from './errors.ts';
import { httpDate, retryAfterSeconds } from './http-date.ts';
import { isOAuthError, parseProviderProblem } from './oauth-error.ts';
import { ANSWER_PREFIX_BYTES, readPrefixUntil } from './read-prefix.ts';
import type { Signer } from './sign.ts';
import { signingOf } from './signings.ts';

/** How a signed request is retried. Every attempt is signed afresh (new nonce and timestamp). */
export interface RetryOptions {
  /** Retries after the first attempt for network errors, 5xx and 429: a whole number from 0 up. @default 2 */
  readonly retries?: number;
  /**
   * Stops waiting, reading a refusal and retrying; the pending attempt is aborted too when
   * the caller passes it on.
   */
  readonly signal?: AbortSignal;
  /** First backoff, doubled for each retry, in milliseconds. @default 200 */
  readonly minTimeout?: number;
  /**
   * The longest `Retry-After` honoured, in seconds (finite); longer waits are not retried.
   * A `Retry-After` that is neither seconds nor an HTTP-date (RFC 9110 §10.2.3) is ignored:
   * the backoff applies. @default 30
   */
  readonly maxRetryAfterSeconds?: number;
}

const TRANSIENT = (status: number) => status === 429 || status >= 500;

// Doubling from minTimeout; past the longest wait delay() takes, it stays there.
const backoff = (minTimeout: number, tries: number) => Math.min(minTimeout * 2 ** tries, MAX_DELAY_MILLISECONDS);

/**
 * Lets go of an answer that will not be returned: its body is cancelled, so the connection
 * does not go on streaming it (an endless one stayed open until garbage collection). Not
 * awaited: a clone's other branch settles the cancel only once it is cancelled too.
 */
function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

/**
 * The retry options, checked: a count that is not a whole number, or a wait that is not a
 * finite number of milliseconds or seconds, would retry without end or not wait at all.
 */
function retrySettings(options: RetryOptions): { retries: number; minTimeout: number; maxRetryAfter: number } {
  const retries = options.retries ?? 2;
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new CountersignError(
      'invalid_option',
      `retry.retries: expected a whole number from 0 up; got ${String(retries)}.`,
    );
  }
  const minTimeout = options.minTimeout ?? 200;
  if (typeof minTimeout !== 'number' || !(minTimeout >= 0 && minTimeout <= MAX_DELAY_MILLISECONDS)) {
    throw new CountersignError(
      'invalid_option',
      `retry.minTimeout: expected milliseconds from 0 to ${MAX_DELAY_MILLISECONDS}; got ${String(minTimeout)}.`,
    );
  }
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 30;
  // Finite: a server's Retry-After must never hold the caller for as long as it likes.
  if (typeof maxRetryAfter !== 'number' || !(maxRetryAfter >= 0 && maxRetryAfter <= MAX_DELAY_MILLISECONDS / 1000)) {
    throw new CountersignError(
      'invalid_option',
      `retry.maxRetryAfterSeconds: expected seconds from 0 to ${MAX_DELAY_MILLISECONDS / 1000}; got ${String(maxRetryAfter)}.`,
    );
  }
  return { retries, minTimeout, maxRetryAfter };
}

/**
 * The server's clock in seconds, from the middle of `oauth_acceptable_timestamps` or else
 * from the response's `Date` header. What a server says is only a claim: the signer decides
 * whether to believe it (see `Signer.correctClock`).
 */
function serverSeconds(acceptable: string | undefined, response: Response): number | undefined {
  const range = acceptable === undefined ? undefined : /^(\d{1,12})-(\d{1,12})$/.exec(acceptable);
  if (range) return Math.round((Number(range[1]) + Number(range[2])) / 2);
  const date = httpDate(response.headers.get('date') ?? '');
  return date === undefined ? undefined : Math.floor(date / 1000);
}

/**
 * Sends a signed request, retrying what is worth retrying. `attempt` must sign afresh each
 * time it is called. Network errors, 5xx and 429 (after `Retry-After`) are retried up to
 * `retries` times. A refused timestamp (`timestamp_refused`, Twitter's 135) teaches the
 * signer the server's clock — from `oauth_acceptable_timestamps` or the `Date` header — for
 * that server's origin only, and is retried once; later requests to it then carry its time.
 * A correction further off than the signer's `maxClockCorrectionSeconds` (a day by default)
 * is not believed: the refusal is returned as it is. The origin is the response's `url`
 * (what fetch sets), or the request the fetch wrapper signed for it. `nonce_used` is retried
 * once. A bad signature is never retried: the same request would be refused again. An
 * attempt that throws is retried only for a network failure or a transient refusal (an
 * `OAuthError` of 429 or 5xx, from `onRefusal: throwIfRefused`); any other Countersign error
 * is thrown at once.
 *
 * @example
 * ```ts
 * const response = await sendWithRetries(signer, async () => {
 *   const signed = await signer.sign({ method: 'GET', url });
 *   return fetch(signed.url, { headers: { authorization: signed.authorization! } });
 * });
 * ```
 */
export function sendWithRetries(
  signer: Signer,
  attempt: () => Promise<Response>,
  options: RetryOptions = {},
): Promise<Response> {
  return retrying(signer, attempt, options, undefined);
}

/**
 * Whether an attempt that threw may succeed when sent again: a network failure may; a
 * typed error from Countersign says something sending again cannot change (a URL the
 * signer refuses, a refusal thrown by `onRefusal: throwIfRefused`), unless it is a refusal
 * of the transient kind (429, 5xx).
 */
function thrownTransient(error: unknown): boolean {
  if (!isCountersignError(error)) return true;
  return isOAuthError(error) && TRANSIENT(error.status);
}

/** Where a response came from: the URL the caller knows, else what fetch or the wrapper recorded. */
function answeredUrl(response: Response, url: string | undefined): string | undefined {
  if (url !== undefined) return url;
  if (typeof response.url === 'string' && response.url !== '') return response.url;
  return signingOf(response)?.url;
}

/** Whether the signer took the correction; a URL it cannot read (a response's odd `url`) teaches nothing. */
function learns(signer: Signer, url: string, serverSeconds: number): boolean {
  try {
    return signer.correctClock(url, serverSeconds);
  } catch {
    return false;
  }
}

/** {@link sendWithRetries} for a request to `url` (undefined: read it from each response). */
export async function retrying(
  signer: Signer,
  attempt: () => Promise<Response>,
  options: RetryOptions,
  url: string | undefined,
): Promise<Response> {
  const { retries, minTimeout, maxRetryAfter } = retrySettings(options);
  let transientLeft = retries;
  let skewCorrected = false;
  let nonceRetried = false;
  for (let tries = 0; ; tries++) {
    options.signal?.throwIfAborted();
    let response: Response;
    try {
      response = await attempt();
    } catch (error) {
      if (options.signal?.aborted || transientLeft <= 0 || !thrownTransient(error)) throw error;
      transientLeft--;
      await delay(backoff(minTimeout, tries), options.signal);
      continue;
    }
    if (TRANSIENT(response.status) && transientLeft > 0) {
      const wait = retryAfterSeconds(response.headers.get('retry-after'), Date.now());
      if (wait !== undefined && wait > maxRetryAfter) return response;
      transientLeft--;
      discard(response);
      await delay(wait === undefined ? backoff(minTimeout, tries) : wait * 1000, options.signal);
      continue;
    }
    if (response.status !== 400 && response.status !== 401) return response;
    // A prefix of the refusal tells its problem; the rest of a huge or endless body stays
    // unread, and a caller who gives up stops the reading too.
    let prefix: string;
    try {
      prefix = (await readPrefixUntil(response.clone(), ANSWER_PREFIX_BYTES, options.signal)).text;
    } catch (error) {
      discard(response);
      throw error;
    }
    const problem = parseProviderProblem(prefix, response.headers.get('www-authenticate'));
    if (problem.problem === 'timestamp_refused' && !skewCorrected) {
      const server = serverSeconds(problem.acceptableTimestamps, response);
      const origin = answeredUrl(response, url);
      if (server === undefined || origin === undefined || !learns(signer, origin, server)) return response;
      skewCorrected = true;
      discard(response);
      continue;
    }
    if (problem.problem === 'nonce_used' && !nonceRetried) {
      nonceRetried = true;
      discard(response);
      continue;
    }
    return response;
  }
}
