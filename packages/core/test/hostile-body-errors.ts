import {
  explain,
  oauthErrorOf,
  parseTokenResponse,
  redactBaseString,
  redactForm,
  redactUrl,
  throwIfRefused,
} from '../src/index.ts';

/** The messages a refusal and a token response lacking its token make of `body` (for the deadline tests). */
export async function messagesFor(body: string): Promise<string> {
  const messages: string[] = [];
  await throwIfRefused(new Response(body, { status: 401 })).catch((error: Error) => messages.push(error.message));
  try {
    parseTokenResponse(body);
  } catch (error) {
    messages.push((error as Error).message);
  }
  if (messages.length !== 2) throw new Error('expected both to refuse');
  return messages.join('\n');
}

/**
 * What oauthErrorOf and parseTokenResponse make of a body of `size` characters such as an
 * adapter hands over whole (axios reads any answer to its end, ky 2 up to 10 MiB): pairs
 * without `=`, which made form parsing quadratic.
 */
export function wholeAnswerMessages(size: number): string {
  const pairs = 'a&'.repeat(size / 2);
  const refusal = oauthErrorOf({ status: 401, body: `oauth_problem=signature_invalid&${pairs}` });
  let token = '';
  try {
    parseTokenResponse(`oauth_token=t&oauth_token_secret=s&${pairs}`);
  } catch (error) {
    token = (error as Error).message;
  }
  return `${refusal.problem}\n${token}`;
}

/**
 * explain() on a refused request whose form body is `size` characters of pairs without `=`
 * (a bulk upload, the CLI's --body @file): the causes it names.
 */
export function causesForLargeBody(size: number): string {
  const body = 'a&'.repeat(size / 2);
  const causes = explain({
    request: {
      method: 'POST',
      url: 'https://api.example.com/bulk',
      authorization:
        'OAuth oauth_consumer_key="ck", oauth_nonce="n", oauth_signature="s", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1"',
      body,
      contentType: 'application/x-www-form-urlencoded',
    },
    response: {
      status: 401,
      body: 'oauth_problem=signature_invalid&oauth_signature_base_string=POST%26https%253A%252F%252Fapi.example.com%252Fbulk%26z%253D1',
    },
  });
  return causes.map(({ cause }) => cause).join(',');
}

/** The lengths redaction gives `pairs` pairs without `=` as a form body, a URL query and a base string. */
export function redactedPairs(pairs: number): number[] {
  return [
    redactForm(`password=1&${'a&'.repeat(pairs)}`).length,
    redactUrl(`https://api.example.com/r?password=1&${'a&'.repeat(pairs)}`).length,
    redactBaseString(`POST&https%3A%2F%2Fapi.example.com%2Fr&password%3D1%26${'%26a'.repeat(pairs)}`).length,
  ];
}
