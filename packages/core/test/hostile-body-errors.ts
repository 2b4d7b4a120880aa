import { oauthErrorOf, parseTokenResponse, throwIfRefused } from '../src/index.ts';

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
