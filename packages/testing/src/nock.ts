import type { VerifiedRequest } from '@countersign/server';
import { createSigningChecker } from './check.ts';
import type { ExpectedSigning } from './expected-signing.ts';
import { OAuthMismatchError } from './mismatch-error.ts';
import { nockBody } from './nock-body.ts';

/**
 * The part of a nock request a reply function sees: nock 14's `this.req` (headers as an
 * object), or the Fetch `Request` nock 15 passes as the reply function's argument.
 */
export interface NockRequestLike {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>> | Headers;
  /** nock 15: the whole URL. */
  readonly url?: string;
}

/** The part of a nock scope used: its `request` event, which carries the origin and the body as sent. */
export interface NockScopeLike {
  on(
    event: 'request',
    listener: (request: NockRequestLike, interceptor: { readonly basePath: string }, body: string) => void,
  ): unknown;
}

/**
 * A nock reply function: `[status, body, headers]` once the request verifies. nock 14 calls
 * it with the path (and `this.req`), nock 15 with the request itself.
 */
export type NockSignedReply = (
  this: { readonly req?: NockRequestLike },
  uriOrRequest: string | NockRequestLike,
) => Promise<readonly [number, unknown, Record<string, string>]>;

export interface NockSigned {
  /**
   * A reply function for `.reply()`: answers `status` and `body` (or what `body` returns for
   * the verified request) when the request verifies; otherwise the request fails with an
   * `OAuthMismatchError` that says why.
   */
  reply(
    status: number,
    body?: string | number | boolean | null | object | ((verified: VerifiedRequest) => unknown),
    headers?: Record<string, string>,
  ): NockSignedReply;
}

function header(request: NockRequestLike, name: string): string | undefined {
  if (request.headers instanceof Headers) return request.headers.get(name) ?? undefined;
  const value = request.headers[name];
  return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Makes a nock scope answer only requests signed with the expected credentials. nock matches
 * requests by fixed values, and an OAuth header changes on every call (nonce, timestamp):
 * this verifies the signature instead, over the exact bytes sent.
 *
 * @example
 * ```ts
 * const api = nock('https://api.example.com');
 * const signed = nockSignedBy(api, { consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts' });
 * api.post('/1.1/statuses/update.json').reply(signed.reply(200, { id: 1 }));
 * ```
 */
export function nockSignedBy(scope: NockScopeLike, expected: ExpectedSigning): NockSigned {
  const check = createSigningChecker(expected);
  // nock hands reply functions a parsed JSON body; its request event has the text as sent,
  // and the interceptor's origin (scheme, host, port).
  const seen = new WeakMap<object, { readonly origin: string; readonly body: string }>();
  scope.on('request', (request, interceptor, body) => seen.set(request, { origin: interceptor.basePath, body }));
  return {
    reply(status, body, headers = {}) {
      return async function signedReply(uriOrRequest) {
        // nock 14: the path, and the request as this.req; nock 15: the request, its URL whole.
        const request = typeof uriOrRequest === 'string' ? this.req : uriOrRequest;
        const sent = request === undefined ? undefined : seen.get(request);
        if (request === undefined || sent === undefined)
          throw new Error('nockSignedBy: this reply belongs to another nock scope than the one given.');
        const url = typeof uriOrRequest === 'string' ? `${sent.origin}${uriOrRequest}` : (request.url ?? '');
        const authorization = header(request, 'authorization');
        const result = await check({
          method: request.method,
          url,
          authorization,
          body: await nockBody(sent.body, authorization, url),
          contentType: header(request, 'content-type'),
        });
        if (!result.ok) throw new OAuthMismatchError(result);
        return [status, typeof body === 'function' ? body(result.verified) : body, headers] as const;
      };
    },
  };
}
