/**
 * OAuth 1.0a for ky 1 and 2: every attempt signed afresh, after all hooks.
 *
 * @packageDocumentation
 * @module @countersign/ky
 */
import {
  createOAuthFetch,
  type OAuthFetch,
  type OAuthFetchOptions,
  oauthErrorOf,
  readTextPrefix,
  type Signer,
  signingOf,
} from '@countersign/core';
import { printHttpErrorRedacted } from './redacted-printing.ts';

/** ky's HTTPError as both majors shape it: ky 2 has read the body into `data`. */
interface HttpErrorLike extends Error {
  readonly response?: unknown;
  readonly data?: unknown;
}

/** A `beforeError` hook for ky 1 (`(error, state)`) and ky 2 (`(state)`) alike. */
type BeforeErrorHook = <E extends Error>(first: E | { readonly error: E }, state?: unknown) => Promise<E>;

/**
 * A `beforeRequest` hook for ky 1 (`(request, options)`) and ky 2 (`({ request, options })`)
 * alike; the adapter's reads only ky 1's, whose body it can trust (see kyOAuth).
 */
type BeforeRequestHook = (
  first: Request | object,
  options?: { readonly body?: unknown; readonly onUploadProgress?: unknown },
) => void;

/** What to spread into ky's options. */
export interface KyOAuthOptions {
  /** Signs and sends each attempt; ky calls it after every hook, once per attempt. */
  readonly fetch: OAuthFetch;
  /**
   * `beforeRequest` notes the body ky built the Request from, so it is signed without
   * reading the Request's stream; `beforeError` puts the `OAuthError` of a refused request on
   * the `HTTPError` as its `cause`.
   */
  readonly hooks: { readonly beforeRequest: BeforeRequestHook[]; readonly beforeError: BeforeErrorHook[] };
}

/** A body whose bytes the wrapper can sign without reading a stream. */
function isKnownBody(body: unknown): body is BodyInit {
  return (
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body)
  );
}

/**
 * ky 2's parsed refusal as JSON text again. A `parseJson` may give what JSON cannot hold (a
 * BigInt, for ids past 2^53; something circular): thrown from the hook, that error replaced
 * ky's own HTTPError. BigInts are written as their digits; anything else unwritable is no text.
 */
function jsonText(data: unknown): string {
  try {
    return JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)) ?? '';
  } catch {
    return '';
  }
}

async function bodyText(error: HttpErrorLike, response: Response): Promise<string> {
  if (typeof error.data === 'string') return error.data;
  if (error.data !== undefined && error.data !== null) return jsonText(error.data);
  // A prefix holds any real refusal; the rest of a huge body is cancelled unread.
  return response.bodyUsed ? '' : (await readTextPrefix(response.clone())).text;
}

/**
 * The refusal as an `OAuthError` with the signing that was sent, on `error.cause`; the
 * HTTPError made to print without the secrets its request, response and options carry.
 */
const explainRefusal =
  (plaintext: boolean): BeforeErrorHook =>
  async <E extends Error>(first: E | { readonly error: E }) => {
    const error = first instanceof Error ? first : first.error;
    printHttpErrorRedacted(error, plaintext);
    const response = (error as HttpErrorLike).response;
    if (!(response instanceof Response) || response.ok) return error;
    const body = await bodyText(error as HttpErrorLike, response);
    const refusal = oauthErrorOf(
      { status: response.status, body, wwwAuthenticate: response.headers.get('www-authenticate'), response },
      signingOf(response),
    );
    Object.defineProperty(error, 'cause', { value: refusal, configurable: true, writable: true });
    return error;
  };

/**
 * ky options that sign every request with OAuth 1.0a, for ky 1 and ky 2 alike. The
 * signing sits in ky's `fetch` option, which both majors call for every attempt after all
 * hooks have run, so each retry gets a fresh nonce and what is signed is the final
 * `Request`. A refused request throws ky's `HTTPError` as usual, with the `OAuthError`
 * (the provider's problem, both base strings, what `explain({ error: error.cause })` makes
 * of them) as its `cause`. A `fetch` of your own goes in `options.fetch`; with hooks of
 * your own, use `ky.create(yours).extend(kyOAuth(signer))`, which merges them.
 *
 * @example
 * ```ts
 * const api = ky.create({ prefixUrl: 'https://api.x.com/1.1/', ...kyOAuth(createSigner({ consumerKey, consumerSecret, token, tokenSecret })) });
 * await api.post('statuses/update.json', { body: new URLSearchParams({ status: 'Hello' }) });
 * ```
 */
export function kyOAuth(signer: Signer, options: OAuthFetchOptions = {}): KyOAuthOptions {
  const oauthFetch = createOAuthFetch(signer, options);
  // ky builds its Request from options.body and hands that same Request to fetch unless a
  // hook, a retry or an upload-progress wrapper replaced it. ky 1 stops running hooks at
  // the first that returns a Request, so when this hook (placed after the caller's) sees one
  // it is still the Request built from options.body; ky 2 runs the rest of the hooks after a
  // replacement, so a ky 2 Request is always read from its stream. For a Request noted here
  // the body is passed along as fetch(request, { body }) allows and signed as given: reading
  // it back out of the stream measured as the largest cost ky's row added. With
  // onUploadProgress the stream is what reports progress, so it is read as before.
  const bodies = new WeakMap<Request, BodyInit>();
  const noteBody: BeforeRequestHook = (first, kyOptions) => {
    const body = kyOptions?.body;
    if (first instanceof Request && first.body !== null && isKnownBody(body) && !kyOptions?.onUploadProgress) {
      bodies.set(first, body);
    }
  };
  const signAndSend: OAuthFetch = (input, init) => {
    const body = input instanceof Request ? bodies.get(input) : undefined;
    return body === undefined ? oauthFetch(input, init) : oauthFetch(input, { ...init, body });
  };
  return {
    fetch: signAndSend,
    hooks: { beforeRequest: [noteBody], beforeError: [explainRefusal(signer.signatureMethod === 'PLAINTEXT')] },
  };
}
