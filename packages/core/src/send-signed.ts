import type { FetchLike } from './fetch.ts';
import { throwIfRefused } from './oauth-error.ts';
import { type RetryOptions, retrying } from './retry.ts';
import type { Signer, SignOptions } from './sign.ts';

/** How {@link sendSigned} sends. */
export interface SendSignedOptions {
  /** The fetch to use; `globalThis.fetch` (looked up at call time) when absent. */
  readonly fetch?: FetchLike;
  /** Retries and clock-skew correction; `false` sends once. @default {} (see {@link RetryOptions}) */
  readonly retry?: RetryOptions | false;
}

/**
 * Signs and sends one request — afresh for every retry — and turns a refusal into an
 * `OAuthError` carrying the base string that was signed. The building block of the flows
 * and provider packages; the body, if any, is a string sent with `contentType`.
 *
 * @example
 * ```ts
 * const response = await sendSigned(signer, { method: 'POST', url, body: 'x_auth_mode=reverse_auth', contentType: 'application/x-www-form-urlencoded' }, { oauthParams: { x_auth_mode: 'reverse_auth' } });
 * ```
 */
export async function sendSigned(
  signer: Signer,
  request: { method: string; url: string; body?: string; contentType?: string },
  sign: SignOptions,
  options: SendSignedOptions = {},
): Promise<Response> {
  const send = options.fetch ?? (globalThis.fetch as FetchLike);
  const signal = options.retry ? options.retry.signal : undefined;
  let baseString = '';
  const attempt = async () => {
    const signed = await signer.sign(request, sign);
    baseString = signed.baseString;
    const headers: Record<string, string> = {};
    if (signed.authorization !== undefined) headers.authorization = signed.authorization;
    if (request.body !== undefined || signed.body !== undefined) {
      headers['content-type'] = signed.contentType ?? request.contentType ?? 'application/x-www-form-urlencoded';
    }
    return send(signed.url, {
      method: request.method,
      headers,
      body: signed.body ?? request.body,
      redirect: 'manual',
      ...(signal === undefined ? {} : { signal }),
    });
  };
  const response =
    options.retry === false ? await attempt() : await retrying(signer, attempt, options.retry || {}, request.url);
  return throwIfRefused(response, baseString);
}
