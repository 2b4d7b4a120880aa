import { formatForm } from '@countersign/core';
import type { VerifiedRequest } from '@countersign/server';
import { createSigningChecker } from './check.ts';
import type { ExpectedSigning } from './expected-signing.ts';

/** What msw hands a resolver: the request (other fields are passed through untouched). */
export interface MswResolverInfo {
  readonly request: Request;
}

/**
 * Wraps an msw resolver so it runs only for requests signed with the expected credentials.
 * Any other request is answered `401` like a strict provider: `WWW-Authenticate: OAuth` and
 * a Problem Reporting body whose `oauth_problem_advice` says why, with the base strings, so
 * the client's own error (and Countersign's `explain()`) shows the cause.
 *
 * @example
 * ```ts
 * http.post('https://api.example.com/1.1/statuses/update.json', mswSignedBy(
 *   { consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts' },
 *   () => HttpResponse.json({ id: 1 }),
 * ));
 * ```
 */
export function mswSignedBy<Info extends MswResolverInfo, Result>(
  expected: ExpectedSigning,
  resolver: (info: Info, verified: VerifiedRequest) => Result | Promise<Result>,
): (info: Info) => Promise<Result> {
  const check = createSigningChecker(expected);
  return async (info) => {
    const request = info.request;
    const result = await check({
      method: request.method,
      url: request.url,
      authorization: request.headers.get('authorization'),
      body: request.body === null ? undefined : new Uint8Array(await request.clone().arrayBuffer()),
      contentType: request.headers.get('content-type'),
    });
    if (result.ok) return await resolver(info, result.verified);
    const body = formatForm([
      ['oauth_problem', result.problem],
      ['oauth_problem_advice', result.message],
      ...(result.expectedBaseString === undefined
        ? []
        : ([['oauth_signature_base_string', result.expectedBaseString]] as const)),
    ]);
    // msw answers with any Fetch Response; its types only know the resolver's own kind.
    return new Response(body, {
      status: 401,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'www-authenticate': `OAuth realm="countersign-testing", oauth_problem="${result.problem}"`,
      },
    }) as Result;
  };
}
