import { CountersignError } from './errors.ts';

/** What {@link readTextPrefix} read. */
export interface TextPrefix {
  /** The body as text, up to the limit (a character cut at the limit is dropped). */
  readonly text: string;
  /** True when the body went on past the limit; the rest was cancelled unread. */
  readonly truncated: boolean;
}

/**
 * How much of a refusal or token response is read: tens of KB hold any real one (a
 * Problem Reporting body with a base string, Twitter's JSON errors, a token response),
 * and a provider must not be able to fill the client's memory with its answer.
 *
 * @example
 * ```ts
 * const { text } = await readTextPrefix(response, ANSWER_PREFIX_BYTES); // the default limit
 * ```
 */
export const ANSWER_PREFIX_BYTES = 64 * 1024;

/**
 * The part of an answer already read whole (an adapter's: axios reads any answer to its
 * end, ky 2 up to 10 MiB) that is looked at: as much as {@link readTextPrefix} would have
 * read, so parsing a refusal costs the same whoever read it.
 */
export function textPrefix(text: string): string {
  return text.length > ANSWER_PREFIX_BYTES ? text.slice(0, ANSWER_PREFIX_BYTES) : text;
}

/**
 * Reads a response body up to `maxBytes` and cancels the rest, so an endless or huge body
 * costs no more than the limit. A body already read yields `''`.
 *
 * @example
 * ```ts
 * const { text, truncated } = await readTextPrefix(response);
 * ```
 */
export async function readTextPrefix(response: Response, maxBytes = ANSWER_PREFIX_BYTES): Promise<TextPrefix> {
  // NaN never compares greater: the whole body, however long, was read.
  if (!(maxBytes >= 0) || !(Number.isInteger(maxBytes) || maxBytes === Number.POSITIVE_INFINITY)) {
    throw new CountersignError(
      'invalid_option',
      'maxBytes: expected a whole number of bytes, 0 or more (or Infinity).',
    );
  }
  return readPrefixUntil(response, maxBytes, undefined);
}

/**
 * {@link readTextPrefix}, given up when `signal` aborts: the body is cancelled and the
 * signal's reason thrown. The answer's own fetch may not follow the signal (the attempt of
 * `sendWithRetries` is the caller's code), and a body sent a byte at a time takes as long
 * as its sender likes.
 */
export async function readPrefixUntil(
  response: Response,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<TextPrefix> {
  if (response.body === null || response.bodyUsed) return { text: '', truncated: false };
  signal?.throwIfAborted();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  // Cancelling settles the pending read as done; the reason is thrown below.
  const stop = () => reader.cancel().catch(() => {});
  signal?.addEventListener('abort', stop, { once: true });
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > maxBytes) {
        truncated = true;
        // Not awaited: cancelling one branch of a cloned (tee'd) body settles only once the
        // other branch is cancelled too, which may be later, by another reader.
        reader.cancel().catch(() => {});
        break;
      }
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    reader.releaseLock();
  }
  signal?.throwIfAborted();
  const bytes = new Uint8Array(Math.min(size, maxBytes));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
    if (at === bytes.length) break;
  }
  // stream: true keeps a character cut at the limit out of the text instead of a U+FFFD.
  return { text: new TextDecoder().decode(bytes, { stream: truncated }), truncated };
}
