import { parseTokenResponse, throwIfRefused } from '../src/index.ts';

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
