import { isFormContentType } from './body.ts';
import { CountersignError } from './errors.ts';
import { type HeaderList, headerList, headerValue, withoutHeaders } from './header-list.ts';
import { redactUrl } from './redact.ts';
import { requestTarget } from './request-target.ts';
import type { SignedRequest, Signer, SignOptions } from './sign.ts';
import { rememberSigning, type SentBody } from './signings.ts';

/** The `fetch` a wrapper calls: the platform's, or one injected for tests and custom transports. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options for {@link createOAuthFetch}. */
export interface OAuthFetchOptions {
  /**
   * The fetch that sends the signed request, called as `fetch(url, init)`. When absent,
   * `globalThis.fetch` is looked up on every call, so nock or msw installed later still intercept.
   */
  readonly fetch?: FetchLike;
  /** Signing choices for every request (token, extra OAuth params, transmission, body hash). */
  readonly oauth?: SignOptions;
  /**
   * Called with every request signed (each retry and redirect hop), for logging: method,
   * URL and base string, secrets redacted.
   */
  readonly onSigned?: (event: SignedEvent) => void;
  /**
   * Called with a response that is not ok before it is returned; what it throws, the
   * wrapper rejects with. `{ onRefusal: throwIfRefused }` makes every refusal an
   * `OAuthError` (the provider's problem, both base strings, what `explain()` makes of them),
   * for code that wants fetch to throw like axios and ky do.
   */
  readonly onRefusal?: (response: Response) => unknown;
}

/** What `onSigned` is told about one signed request. Nothing in it is secret. */
export interface SignedEvent {
  readonly method: string;
  /** The URL sent, secret values redacted (a PLAINTEXT signature in the query included). */
  readonly url: string;
  /** The base string signed, password values redacted. */
  readonly baseString: string;
}

/** `RequestInit` plus the per-request signing choices. */
export type OAuthRequestInit = RequestInit & { oauth?: SignOptions };

/**
 * A `fetch`-compatible function that signs every request it sends. (`string | URL | Request`
 * is the DOM's `RequestInfo | URL`, spelled out so the types need no DOM lib.)
 */
export type OAuthFetch = (input: string | URL | Request, init?: OAuthRequestInit) => Promise<Response>;

// What `new Request()` understands; everything else in an init (undici's `dispatcher`, …)
// is for the fetch implementation and is forwarded to it untouched.
const REQUEST_INIT_KEYS = new Set([
  'method',
  'headers',
  'body',
  'mode',
  'credentials',
  'cache',
  'redirect',
  'referrer',
  'referrerPolicy',
  'integrity',
  'keepalive',
  'signal',
  'window',
  'duplex',
  'priority',
  'oauth',
]);
const NO_INIT: OAuthRequestInit = {};
const NO_REST: RequestInit = Object.freeze({});
// The init fields a draft holds itself.
const DRAFT_KEYS = new Set(['method', 'headers', 'body', 'redirect', 'oauth']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
// Dropped with the body when a redirect turns the request into a GET (fetch standard, "HTTP-redirect fetch").
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
// Credentials fetch (undici) drops when a redirect crosses origins: they belong to the first one.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
// Fetch standard, "normalize a method": only these are uppercased.
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
type Bytes = Uint8Array<ArrayBuffer>;

/**
 * A request about to be sent, in plain fields. Sending `fetch(url, init)` rather than a
 * `Request` matters: undici's fetch(Request) path measured about 200 µs slower per request.
 */
interface Draft {
  readonly url: string;
  readonly method: string;
  readonly headers: HeaderList;
  /** What goes on the wire: the caller's own body value when known, else a stream. */
  readonly body: BodyInit | null;
  /** The body as text or bytes, when known without reading a stream: it can be signed and sent again. */
  readonly known: string | Bytes | undefined;
  /** Reads the body bytes when they are not known (consumes the source). */
  readonly read: (() => Promise<Bytes>) | undefined;
  /**
   * Read the body into bytes even when it is not signed. A `Request`'s body is a stream:
   * forwarded as one, undici sends it chunked with no Content-Length, which servers that do
   * not read chunked requests see as empty. Bytes go out with their length, as plain fetch
   * sends the string or JSON the Request was made from.
   */
  readonly readAlways: boolean;
  readonly redirect: RequestRedirect;
  /** The rest of the caller's init (signal, credentials, cache, …), passed on as given. */
  readonly rest: RequestInit;
}

/**
 * A body given as a string, URLSearchParams or buffer, as text or bytes; undefined for
 * streams, Blobs and FormData. Text stays text: the signer reads form text directly.
 */
function knownBody(body: BodyInit | null | undefined): string | Bytes | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
  return undefined;
}

/** The Content-Type fetch itself adds for a body of this kind (fetch standard, "extract a body"). */
function impliedContentType(body: BodyInit | null | undefined): string | undefined {
  if (typeof body === 'string') return 'text/plain;charset=UTF-8';
  if (body instanceof URLSearchParams) return 'application/x-www-form-urlencoded;charset=UTF-8';
  return undefined;
}

/** Everything else in the init (signal, credentials, undici's dispatcher, …), passed on as given. */
function restOf(init: OAuthRequestInit): RequestInit {
  // Not an object rest pattern: V8 runs that in its runtime, measured about 1 µs a request.
  let rest: Record<string, unknown> | undefined;
  for (const key of Object.keys(init)) {
    if (!DRAFT_KEYS.has(key)) (rest ??= {})[key] = (init as Record<string, unknown>)[key];
  }
  return rest ?? NO_REST;
}

/**
 * The URL as fetch will send it. Outside browsers a string is parsed by the signer's own
 * cache of request URLs, which API clients hit over and over; in browsers it may be
 * relative to the page.
 */
function resolveUrl(input: string | URL): string {
  const location = (globalThis as { location?: { href: string } }).location;
  if (typeof input === 'string' && location === undefined) return requestTarget(input).url;
  return new URL(input, location?.href).href;
}

/**
 * A draft straight from `(url, init)` when the body's bytes are known: what `new Request()`
 * would compute, without building one (it measured as the largest cost of a signed request).
 */
function draftFromInit(input: string | URL, init: OAuthRequestInit): Draft | undefined {
  const known = knownBody(init.body);
  const blob = known === undefined && typeof Blob !== 'undefined' && init.body instanceof Blob ? init.body : undefined;
  if (init.body !== undefined && init.body !== null && known === undefined && blob === undefined) return undefined;
  const method = init.method ?? 'GET';
  const upper = method.toUpperCase();
  const headers = headerList(init.headers);
  const implied = blob === undefined ? impliedContentType(init.body) : blob.type || undefined;
  if (implied !== undefined && headerValue(headers, 'content-type') === undefined)
    headers.push(['content-type', implied]);
  return {
    url: resolveUrl(input),
    method: NORMALIZED_METHODS.has(upper) ? upper : method,
    headers,
    body: init.body ?? null,
    known,
    // A Blob can be read, and sent, as often as needed: it survives a redirect.
    read: blob === undefined ? undefined : async () => new Uint8Array(await blob.arrayBuffer()),
    readAlways: false,
    redirect: init.redirect ?? 'follow',
    rest: restOf(init),
  };
}

function draftFromRequest(request: Request, signal: AbortSignal | undefined, readAlways: boolean): Draft {
  return {
    url: request.url,
    method: request.method,
    headers: headerList(request.headers),
    body: request.body,
    known: undefined,
    read: request.body === null ? undefined : async () => new Uint8Array(await request.arrayBuffer()),
    readAlways,
    redirect: request.redirect,
    rest: {
      // Only a signal the caller gave: every Request owns one, and handing undici a signal to
      // follow that nobody will abort costs time on every request.
      ...(signal === undefined ? {} : { signal }),
      credentials: request.credentials,
      cache: request.cache,
      referrerPolicy: request.referrerPolicy,
      integrity: request.integrity,
      keepalive: request.keepalive,
      ...(request.mode === 'navigate' ? {} : { mode: request.mode }),
    },
  };
}

/** What to send: the URL and the init for `fetch(url, init)`, and the body if it can be sent again. */
interface Outgoing {
  readonly url: string;
  readonly init: RequestInit;
  readonly replay: string | Bytes | undefined;
  /** The signing, when this hop was signed. */
  readonly signed?: SignedRequest;
  /** The Content-Type sent with a signed hop. */
  readonly contentType?: string | undefined;
}

const utf8 = new TextDecoder();
/**
 * The body as explain() needs it: a form's text (its parameters are compared), and for any
 * other body only that there was one; an upload is not decoded on every response for that.
 */
function sentBodyOf(body: string | Bytes | undefined, contentType: string | undefined): SentBody {
  if (body === undefined) return { body: undefined, contentType };
  if (!isFormContentType(contentType)) return { body: '', contentType };
  return { body: typeof body === 'string' ? body : utf8.decode(body), contentType };
}

/** A draft's body for the next hop: bytes or text read this time, or a Blob, which can be sent again. */
function resendable(draft: Draft, sent: Outgoing): string | Bytes | Blob | undefined {
  if (sent.replay !== undefined) return sent.replay;
  return typeof Blob !== 'undefined' && draft.body instanceof Blob ? draft.body : undefined;
}

/** Whether a draft's body bytes are signed: a form's parameters, or any body's hash. */
function signsBody(draft: Draft, contentType: string | undefined, options: SignOptions | undefined): boolean {
  return draft.body !== null && (isFormContentType(contentType) || options?.bodyHash === true);
}

/**
 * Reads a Request's body into bytes when they are signed, or must go out with a length.
 * Reading consumes it; the request is then sent from the bytes, which costs far less than
 * teeing its stream with clone() (measured about 4× on undici).
 */
function readsBody(draft: Draft, signsBytes: boolean): (() => Promise<Bytes>) | undefined {
  return draft.known === undefined && (signsBytes || draft.readAlways) ? draft.read : undefined;
}

async function signDraft(signer: Signer, draft: Draft, options: SignOptions | undefined): Promise<Outgoing> {
  const contentType = headerValue(draft.headers, 'content-type');
  const signsBytes = signsBody(draft, contentType, options);
  const read = readsBody(draft, signsBytes);
  const known = read === undefined ? draft.known : await read();
  const signed = await signer.sign(
    { method: draft.method, url: draft.url, body: signsBytes ? known : undefined, contentType },
    options,
  );
  return sendable(draft, signed, known, contentType);
}

/** The request to send for a draft and its signing: the OAuth parameters in their place, redirects left to us. */
function sendable(
  draft: Draft,
  signed: SignedRequest,
  known: string | Bytes | undefined,
  contentType: string | undefined,
): Outgoing {
  let headers = draft.headers;
  let sentType = contentType;
  // The URL as signed: with the OAuth parameters in its query, or the query in the signer's
  // wire form (wireForm: 'rfc3986'); never a fragment, which fetch does not send anyway.
  const url = signed.url;
  let body: BodyInit | null = draft.known !== undefined ? draft.body : (known ?? draft.body);
  const replay = known;
  if (signed.authorization !== undefined) {
    if (headerValue(headers, 'authorization') !== undefined) {
      throw new CountersignError(
        'invalid_option',
        'The request already has an Authorization header: remove it, OAuth 1.0a replaces it with its own.',
      );
    }
    headers = [...headers, ['authorization', signed.authorization]];
  } else if (signed.body !== undefined) {
    sentType = signed.contentType ?? 'application/x-www-form-urlencoded';
    headers = [...withoutHeaders(headers, ['content-type']), ['content-type', sentType]];
    // A redirect re-signs the caller's body, not this one with the OAuth parameters in it.
    body = signed.body;
  }
  const init: RequestInit & { duplex?: 'half' } = {
    ...draft.rest,
    method: draft.method,
    headers,
    body,
    redirect: 'manual',
  };
  if (body instanceof ReadableStream) init.duplex = 'half';
  return { url, init, replay, signed, contentType: sentType };
}

/**
 * Signs one `Request` as it will be sent and returns the request to send: the URL after
 * `new Request()` normalized it, the exact body bytes when they are signed (the request's
 * body is read, so send the returned request, not the one passed in), and
 * `redirect: 'manual'` so that every hop can be signed afresh.
 *
 * @example
 * ```ts
 * const signed = await signFetchRequest(signer, new Request(url, { method: 'POST', body: form }));
 * const response = await fetch(signed);
 * ```
 */
export async function signFetchRequest(signer: Signer, request: Request, options?: SignOptions): Promise<Request> {
  const outgoing = await signDraft(signer, draftFromRequest(request, request.signal, true), options);
  return new Request(outgoing.url, outgoing.init);
}

/**
 * The draft for the next hop of a redirect, by the fetch standard's "HTTP-redirect fetch":
 * only http(s) locations; a body that cannot be sent again is an error unless the
 * redirect is a 303; POST becomes GET on 301/302, anything but HEAD on 303; credentials
 * are dropped when the origin changes.
 */
function redirected(previous: Draft, sent: Outgoing, status: number, location: URL): Draft {
  if (location.protocol !== 'https:' && location.protocol !== 'http:') {
    throw new TypeError(`fetch failed: a redirect to a ${location.protocol} URL is not followed`);
  }
  const body = resendable(previous, sent);
  if (status !== 303 && previous.body !== null && body === undefined) {
    throw new CountersignError(
      'unreplayable_body',
      `The server redirected (${status}) and the request body was a stream, already sent: it cannot be sent again. Pass the body as a string, URLSearchParams, bytes or a Blob, or use redirect: 'manual' to handle the redirect yourself.`,
    );
  }
  const switchToGet =
    (status === 303 && previous.method !== 'HEAD') ||
    ((status === 301 || status === 302) && previous.method === 'POST');
  const crossOrigin = location.origin !== new URL(previous.url).origin;
  const dropped = [...(crossOrigin ? CREDENTIAL_HEADERS : ['authorization']), ...(switchToGet ? BODY_HEADERS : [])];
  const blob = typeof Blob !== 'undefined' && body instanceof Blob ? body : undefined;
  return {
    ...previous,
    url: location.href,
    method: switchToGet ? 'GET' : previous.method,
    headers: withoutHeaders(previous.headers, dropped),
    body: switchToGet ? null : (body ?? null),
    known: switchToGet || blob !== undefined ? undefined : (body as string | Bytes | undefined),
    read: switchToGet || blob === undefined ? undefined : async () => new Uint8Array(await blob.arrayBuffer()),
    readAlways: false,
  };
}

/**
 * The URL a `Location` points to. fetch answers one it cannot parse with a network error;
 * the parser's own TypeError would carry the server's text as its input. (A try rather than
 * URL.canParse, which older browsers and edge runtimes lack.) One with user:password@ is
 * refused the same way.
 */
function locationUrl(location: string, base: string, status: number): URL {
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    throw new TypeError(`fetch failed: the server redirected (${status}) to a Location that is not a URL`);
  }
  // fetch cannot send a URL with credentials in it; the signer would blame the caller's URL.
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(`fetch failed: the server redirected (${status}) to a URL with user:password@, not followed`);
  }
  return url;
}

function fetchOnlyOptions(init: OAuthRequestInit): RequestInit | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(init)) {
    if (!REQUEST_INIT_KEYS.has(key)) (extra ??= {})[key] = (init as Record<string, unknown>)[key];
  }
  return extra as RequestInit | undefined;
}

/** Whether the init sets a field of `new Request()` other than the signing options and those named. */
function setsRequestFields(init: RequestInit, ...except: string[]): boolean {
  for (const key of Object.keys(init)) {
    if (REQUEST_INIT_KEYS.has(key) && key !== 'oauth' && !except.includes(key)) return true;
  }
  return false;
}

/**
 * `fetch(request, { body })` when the new body's bytes are known: the request's own body
 * is replaced, as `new Request(request, { body })` would, without building that Request or
 * reading either stream. ky hands its Request over this way when the adapter knows the body.
 */
function draftWithBody(request: Request, init: OAuthRequestInit, signal: AbortSignal | undefined): Draft | undefined {
  const known = knownBody(init.body);
  if (known === undefined || request.body === null || setsRequestFields(init, 'body', 'signal')) return undefined;
  const draft = draftFromRequest(request, signal, false);
  const implied = impliedContentType(init.body);
  if (implied !== undefined && headerValue(draft.headers, 'content-type') === undefined)
    draft.headers.push(['content-type', implied]);
  return { ...draft, body: init.body as BodyInit, known, read: undefined };
}

/** The draft of a Request, or of a URL with a body only `new Request()` can read (a stream). */
function draftOfRequest(input: string | URL | Request, given: OAuthRequestInit): Draft {
  if (input instanceof Request) {
    const signal = given.signal ?? input.signal ?? undefined;
    // ky passes its Request with an init of fetch-only options: use the Request as it is.
    return (
      draftWithBody(input, given, signal) ??
      draftFromRequest(setsRequestFields(given) ? new Request(input, given) : input, signal, true)
    );
  }
  // A stream given as the body is sent as a stream, as the caller chose.
  return draftFromRequest(new Request(input, given), given.signal ?? undefined, false);
}

/** A hop after the request left its first origin: sent as it is, redirects left to us. */
function unsigned(draft: Draft): Outgoing {
  return {
    url: draft.url,
    init: { ...draft.rest, method: draft.method, headers: draft.headers, body: draft.body, redirect: 'manual' },
    replay: draft.known,
  };
}

/**
 * Creates a `fetch` that signs every request with `signer`: each call, retry or redirect
 * hop gets a fresh nonce and timestamp, computed from the request exactly as it will be
 * sent. Form bodies are signed; other bodies only with `oauth: { bodyHash: true }`. Each
 * response remembers the signing it answered, so `throwIfRefused(response)` turns a
 * refusal into an `OAuthError` that compares both base strings and explains the cause.
 *
 * Redirects are followed by default by fetch's rules, and every same-origin hop is signed
 * afresh. A hop to another origin goes without `Authorization`, `Cookie` and
 * `Proxy-Authorization`, and nothing after it is signed; a `Location` that is not http(s),
 * or not a URL at all, is refused with a TypeError, as fetch fails; a streamed body that a
 * redirect would have to send again gives an `unreplayable_body` error. In browsers, manual redirects are opaque and are returned as they are.
 *
 * @example
 * ```ts
 * const signer = createSigner({ consumerKey, consumerSecret, token, tokenSecret });
 * const oauthFetch = createOAuthFetch(signer);
 * const response = await oauthFetch('https://api.x.com/1.1/statuses/update.json', {
 *   method: 'POST',
 *   body: new URLSearchParams({ status: 'Hello' }),
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.5
 */
export function createOAuthFetch(signer: Signer, options: OAuthFetchOptions = {}): OAuthFetch {
  if (typeof signer?.sign !== 'function') {
    throw new CountersignError('invalid_option', 'createOAuthFetch(signer): pass a signer from createSigner().');
  }
  return async function oauthFetch(input, init) {
    const given = init ?? NO_INIT;
    const perRequest = given.oauth === undefined ? options.oauth : { ...options.oauth, ...given.oauth };
    // A draft from (url, init) carries every other init option itself; one from a Request
    // forwards those `new Request()` does not keep.
    let draft = input instanceof Request ? undefined : draftFromInit(input, given);
    const forwarded = draft === undefined ? fetchOnlyOptions(given) : undefined;
    draft ??= draftOfRequest(input, given);
    const firstUrl = draft.url;
    // Once a redirect leaves the first origin nothing more is signed, even on the way back:
    // another origin must not choose what we sign for this one.
    let signing = true;
    const send = options.fetch ?? (globalThis.fetch as FetchLike);
    for (let hop = 0; ; hop++) {
      if (hop > 0 && signing) signing = new URL(draft.url).origin === new URL(firstUrl).origin;
      let outgoing: Outgoing;
      if (signing) {
        // signDraft's steps, unrolled: one async call less on every request.
        const contentType = headerValue(draft.headers, 'content-type');
        const signsBytes = signsBody(draft, contentType, perRequest);
        const read = readsBody(draft, signsBytes);
        const known = read === undefined ? draft.known : await read();
        const input = { method: draft.method, url: draft.url, body: signsBytes ? known : undefined, contentType };
        outgoing = sendable(draft, await signer.sign(input, perRequest), known, contentType);
      } else {
        outgoing = unsigned(draft);
      }
      const signed = outgoing.signed;
      if (signed !== undefined && options.onSigned !== undefined) {
        options.onSigned({
          method: signed.method,
          url: redactUrl(signed.url, signer.signatureMethod === 'PLAINTEXT'),
          baseString: signed.baseString,
        });
      }
      const response = await send(
        outgoing.url,
        forwarded === undefined ? outgoing.init : { ...outgoing.init, ...forwarded },
      );
      if (signed !== undefined) {
        const { replay, contentType } = outgoing;
        // A form's text is worked out only if a refusal is explained: most responses never
        // are. Any other body is told now, so the response does not hold the upload alive.
        rememberSigning(
          response,
          signed,
          isFormContentType(contentType) ? () => sentBodyOf(replay, contentType) : sentBodyOf(replay, contentType),
        );
      }
      // Each getter of a Response checks its brand: read the status once.
      const status = response.status;
      // Most responses are not redirects: read no header for them.
      const location = draft.redirect === 'follow' && REDIRECTS.has(status) ? response.headers.get('location') : null;
      if (location === null) {
        if (draft.redirect === 'error' && REDIRECTS.has(status))
          throw new TypeError('fetch failed: redirect mode is "error"');
        // Response.ok by its definition (fetch standard): a status from 200 to 299.
        if ((status < 200 || status > 299) && options.onRefusal !== undefined) await options.onRefusal(response);
        return response;
      }
      if (hop + 1 > MAX_REDIRECTS) throw new TypeError(`fetch failed: more than ${MAX_REDIRECTS} redirects`);
      await response.body?.cancel();
      draft = redirected(draft, outgoing, status, locationUrl(location, draft.url, status));
    }
  };
}
