import {
  CountersignError,
  isFormContentType,
  type OAuthError,
  oauthErrorOf,
  redactUrl,
  rememberSentBody,
  type SignableBody,
  type SignedEvent,
  type SignedRequest,
  type Signer,
  type SignOptions,
} from '@countersign/core';
import axios, { type AxiosAdapter, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { printSigningRedacted } from './redacted-printing.ts';

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * Signing choices for this request (token, extra OAuth params such as `x_auth_mode`,
     * transmission, body hash), or `false` to send it unsigned.
     */
    oauth?: SignOptions | false;
  }
}

/** Options for {@link installOAuth}. */
export interface AxiosOAuthOptions {
  /** Signing choices for every request; a request's own `oauth` config overrides them. */
  readonly oauth?: SignOptions;
  /** Called with every request signed (each retry too), for logging: method, URL and base string, redacted. */
  readonly onSigned?: (event: SignedEvent) => void;
}

const SIGNING_ADAPTER = Symbol.for('countersign.axios.signing-adapter');
const FORM = 'application/x-www-form-urlencoded';

/** The transformed `config.data` as bytes Countersign can read; multipart and streams are not signed. */
function signableBody(data: unknown, contentType: string | undefined, bodyHash: boolean): SignableBody {
  if (data === undefined || data === null) return undefined;
  if (
    typeof data === 'string' ||
    data instanceof URLSearchParams ||
    data instanceof ArrayBuffer ||
    ArrayBuffer.isView(data)
  ) {
    return data as SignableBody;
  }
  const form = isFormContentType(contentType);
  if (form || bodyHash) {
    throw new CountersignError(
      'unsignable_body',
      `axios is sending a ${Object.prototype.toString.call(data).slice(8, -1)} body, which Countersign cannot read to ${form ? 'sign its form parameters' : 'hash'}: pass a string, URLSearchParams or Buffer.`,
    );
  }
  // Multipart, Blob and stream bodies are not part of an OAuth 1.0a signature.
  return undefined;
}

/** Signs an axios request config as the adapter is about to send it. */
async function signConfig(
  instance: AxiosInstance,
  signer: Signer,
  config: InternalAxiosRequestConfig,
  defaults: SignOptions | undefined,
): Promise<{ config: InternalAxiosRequestConfig; signed: SignedRequest }> {
  if (config.auth) {
    throw new CountersignError(
      'invalid_option',
      'axios config.auth sends HTTP Basic credentials, which replace the OAuth Authorization header: remove auth.',
    );
  }
  const perRequest: SignOptions = { ...defaults, ...(config.oauth || undefined) };
  const rawContentType = config.headers.getContentType();
  const contentType = typeof rawContentType === 'string' && rawContentType !== '' ? rawContentType : undefined;
  const url = new URL(instance.getUri(config), (globalThis as { location?: { href: string } }).location?.href);
  const signed = await signer.sign(
    {
      method: config.method ?? 'get',
      url: url.href,
      body: signableBody(config.data, contentType, perRequest.bodyHash === true),
      contentType,
    },
    perRequest,
  );
  if (signed.authorization !== undefined) {
    config.headers.set('Authorization', signed.authorization);
  } else if (signed.body !== undefined) {
    config.data = signed.body;
    config.headers.setContentType(signed.contentType ?? FORM);
  }
  if (signed.url !== url.href) {
    // The signed URL already carries the serialized params, and the OAuth parameters or the
    // query in the signer's wire form (wireForm: 'rfc3986').
    config.url = signed.url;
    config.baseURL = undefined;
    config.params = undefined;
    config.allowAbsoluteUrls = true;
  }
  // A followed redirect would resend this signature for another URL (and replay its nonce):
  // the 3xx response is returned instead. The fetch adapter of axios 1.7 ignores
  // maxRedirects and lets fetch follow, so fetch is told not to (measured on 1.7.0).
  config.maxRedirects = 0;
  config.fetchOptions = { ...config.fetchOptions, redirect: 'manual' };
  return { config, signed };
}

/**
 * The refusal as an `OAuthError`, from the body axios has already read. The adapter sees the
 * data before `transformResponse` runs: text or bytes, or with `responseType: 'stream'` or
 * `'blob'` a stream or Blob it must not read (it is the caller's), and whose JSON would be
 * its internals, not what the provider said.
 */
function refusalOf(response: { status: number; data: unknown; headers: unknown }, signed: SignedRequest): OAuthError {
  const data = response.data;
  const body =
    typeof data === 'string'
      ? data
      : data instanceof ArrayBuffer || ArrayBuffer.isView(data)
        ? new TextDecoder().decode(data as ArrayBuffer)
        : '';
  const headers = response.headers as { get?: (name: string) => unknown } | undefined;
  const wwwAuthenticate = headers?.get?.('www-authenticate');
  return oauthErrorOf(
    {
      status: response.status,
      body,
      wwwAuthenticate: typeof wwwAuthenticate === 'string' ? wwwAuthenticate : undefined,
    },
    signed,
  );
}

/**
 * Signs every request of an axios instance with OAuth 1.0a. Signing happens inside the
 * adapter, after axios has applied `baseURL`, `params`, `paramsSerializer` and
 * `transformRequest` and set the final Content-Type, so other interceptors in any order
 * cannot make the signature stale, and axios-retry's attempts are each signed afresh.
 * Redirects are not followed (the 3xx comes back as the response). A refused request
 * rejects with axios's own `AxiosError`, whose `cause` is the `OAuthError`: the provider's
 * problem, both base strings, and what `explain({ error: error.cause })` makes of them.
 *
 * @returns a function that removes the signing again.
 * @example
 * ```ts
 * const api = axios.create({ baseURL: 'https://api.x.com/1.1/' });
 * installOAuth(api, createSigner({ consumerKey, consumerSecret, token, tokenSecret }));
 * await api.post('statuses/update.json', new URLSearchParams({ status: 'Hello' }));
 * ```
 */
export function installOAuth(instance: AxiosInstance, signer: Signer, options: AxiosOAuthOptions = {}): () => void {
  if (typeof signer?.sign !== 'function') {
    throw new CountersignError('invalid_option', 'installOAuth(instance, signer): pass a signer from createSigner().');
  }
  const id = instance.interceptors.request.use((config) => {
    if (config.oauth === false) return config;
    const current = config.adapter ?? instance.defaults.adapter;
    // axios-retry sends the same config through the interceptors again: wrap once.
    if (typeof current === 'function' && (current as { [SIGNING_ADAPTER]?: boolean })[SIGNING_ADAPTER]) return config;
    const inner = axios.getAdapter(current, config);
    const signing: AxiosAdapter = async (adapterConfig) => {
      const { config: ready, signed } = await signConfig(instance, signer, adapterConfig, options.oauth);
      options.onSigned?.({
        method: signed.method,
        url: redactUrl(signed.url, signer.signatureMethod === 'PLAINTEXT'),
        baseString: signed.baseString,
      });
      const plaintext = signer.signatureMethod === 'PLAINTEXT';
      try {
        const response = await inner(ready);
        printSigningRedacted(ready, plaintext);
        return response;
      } catch (error) {
        if (axios.isAxiosError(error)) printSigningRedacted(ready, plaintext, error);
        if (axios.isAxiosError(error) && error.response !== undefined) {
          const data = ready.data;
          const sentType = ready.headers.getContentType();
          rememberSentBody(signed, {
            body: typeof data === 'string' ? data : data instanceof URLSearchParams ? data.toString() : undefined,
            contentType: typeof sentType === 'string' ? sentType : undefined,
          });
          Object.defineProperty(error, 'cause', {
            value: refusalOf(error.response, signed),
            configurable: true,
            writable: true,
          });
        }
        throw error;
      }
    };
    Object.defineProperty(signing, SIGNING_ADAPTER, { value: true });
    config.adapter = signing;
    return config;
  });
  return () => instance.interceptors.request.eject(id);
}
