import {
  CountersignError,
  delay,
  type FetchLike,
  inertText,
  type OAuthEndpoints,
  readTextPrefix,
  throwIfRefused,
} from '@countersign/core';
import { twitterEndpoints } from './endpoints.ts';

/**
 * X's API host today (api.twitter.com still answers, as an alias).
 *
 * @example
 * ```ts
 * const me = await createOAuthFetch(signer)(`${X_API}/2/users/me`);
 * ```
 */
export const X_API = 'https://api.x.com';

/**
 * X's OAuth 1.0a endpoints on api.x.com.
 *
 * @example
 * ```ts
 * const temporary = await requestToken(signer, xEndpoints(), { callback: 'https://app.example.com/callback' });
 * ```
 */
export function xEndpoints(base = X_API): OAuthEndpoints & { authenticateUrl: string } {
  return twitterEndpoints(base);
}

export interface XRequestOptions {
  /** Another host, for a test provider. @default 'https://api.x.com' */
  readonly base?: string;
}

/**
 * Posts with the v2 API (`POST /2/tweets`) in user context: a JSON body, which OAuth 1.0a
 * does not sign (only form bodies are signed), through a fetch that signs, such as
 * `createOAuthFetch(signer)`.
 *
 * @example
 * ```ts
 * const { id } = await postTweet(createOAuthFetch(signer), 'Hello from Countersign', { mediaIds: [mediaId] });
 * ```
 */
export async function postTweet(
  xFetch: FetchLike,
  text: string,
  options: XRequestOptions & { mediaIds?: readonly string[] } = {},
): Promise<{ id: string; text: string }> {
  const body = JSON.stringify({
    text,
    ...(options.mediaIds === undefined || options.mediaIds.length === 0
      ? {}
      : { media: { media_ids: options.mediaIds } }),
  });
  const response = await throwIfRefused(
    await xFetch(`${options.base ?? X_API}/2/tweets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }),
  );
  const { data } = await readJson<{ data?: { id: string; text: string } }>(response, 'the post');
  if (data === undefined) throw new CountersignError('provider_error', 'X answered the post without its data.');
  return data;
}

interface ProcessingInfo {
  readonly state: 'pending' | 'in_progress' | 'succeeded' | 'failed';
  readonly check_after_secs?: number;
  readonly error?: { message?: string };
}

export interface MediaUploadOptions extends XRequestOptions {
  /** The media's type, `video/mp4`, `image/png`, … */
  readonly mediaType: string;
  /** `tweet_image`, `tweet_video`, `tweet_gif`, … @default by the media type */
  readonly mediaCategory?: string;
  /** Bytes per APPEND. @default 4 MiB (X's limit is 5 MB) */
  readonly chunkBytes?: number;
  /** Waits between status checks while X processes a video. @default setTimeout */
  readonly wait?: (milliseconds: number) => Promise<void>;
  /**
   * How long to wait, in all, for X to process the media before giving up with an error
   * (X's `check_after_secs` is followed, between 1 and 60 seconds a check). @default 900
   */
  readonly maxProcessingSeconds?: number;
  /**
   * Stops the upload: the pending request is aborted (the signal goes with every request),
   * no further status check is sent, and the upload rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
}

/**
 * X's JSON answer, read up to 1 MB (its answers here are a few hundred bytes): a larger or
 * unreadable one is a typed error, not a crash or a client holding whatever it was sent.
 */
async function readJson<T>(response: Response, what: string): Promise<T> {
  const { text, truncated } = await readTextPrefix(response, 1024 * 1024);
  try {
    if (truncated) throw new Error('too large');
    return JSON.parse(text) as T;
  } catch {
    throw new CountersignError(
      'provider_error',
      `X answered ${what} with ${truncated ? 'more than 1 MB' : 'something that is not JSON'}: ${inertText(text, 120)}`,
    );
  }
}

// X's check_after_secs is followed within these bounds: a 0 would poll as fast as the network
// allows, a huge one park the upload for hours on one answer.
const MIN_CHECK_SECONDS = 1;
const MAX_CHECK_SECONDS = 60;

function checkAfterSeconds(processing: ProcessingInfo): number {
  const asked = Number(processing.check_after_secs);
  return Number.isFinite(asked) ? Math.min(MAX_CHECK_SECONDS, Math.max(MIN_CHECK_SECONDS, asked)) : MIN_CHECK_SECONDS;
}

const defaultCategory = (mediaType: string) =>
  mediaType === 'image/gif' ? 'tweet_gif' : mediaType.startsWith('video/') ? 'tweet_video' : 'tweet_image';

/**
 * Chunked media upload with the v2 endpoints: `initialize` (JSON), one `append` per chunk
 * (multipart, which OAuth 1.0a never signs: the signature covers the URL and OAuth parameters
 * only), `finalize`, then status checks while X processes the media. Answers the media id for
 * {@link postTweet}.
 *
 * @example
 * ```ts
 * const mediaId = await uploadMedia(createOAuthFetch(signer), await readFile('clip.mp4'), { mediaType: 'video/mp4' });
 * ```
 */
export async function uploadMedia(xFetch: FetchLike, media: Uint8Array, options: MediaUploadOptions): Promise<string> {
  const base = `${options.base ?? X_API}/2/media/upload`;
  const chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0 || chunkBytes > 5 * 1024 * 1024) {
    throw new CountersignError(
      'invalid_option',
      `chunkBytes: a whole number of bytes up to 5 MB (X's limit); got ${chunkBytes}.`,
    );
  }
  const signal = options.signal;
  const withSignal = signal === undefined ? {} : { signal };
  const post = async (url: string, init: RequestInit) =>
    throwIfRefused(await xFetch(url, { method: 'POST', ...init, ...withSignal }));
  const initialized = await post(`${base}/initialize`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      media_type: options.mediaType,
      total_bytes: media.byteLength,
      media_category: options.mediaCategory ?? defaultCategory(options.mediaType),
    }),
  });
  const id = (await readJson<{ data?: { id?: unknown } }>(initialized, 'initialize')).data?.id;
  if (typeof id !== 'string' || id === '') {
    throw new CountersignError('provider_error', 'X answered initialize without a media id.');
  }
  // X's id, as the messages below quote it: inert and short (X's are 19 digits).
  const shownId = inertText(id, 40);
  for (let offset = 0, segment = 0; offset < media.byteLength; offset += chunkBytes, segment++) {
    const form = new FormData();
    form.set('segment_index', String(segment));
    form.set('media', new Blob([media.slice(offset, offset + chunkBytes)]), 'chunk');
    await post(`${base}/${encodeURIComponent(id)}/append`, { body: form });
  }
  const finalized = await post(`${base}/${encodeURIComponent(id)}/finalize`, {});
  let processing = (await readJson<{ data?: { processing_info?: ProcessingInfo } }>(finalized, 'finalize')).data
    ?.processing_info;
  const wait = options.wait ?? ((milliseconds) => delay(milliseconds, signal));
  const maxSeconds = options.maxProcessingSeconds ?? 900;
  let waited = 0;
  while (processing !== undefined && (processing.state === 'pending' || processing.state === 'in_progress')) {
    const seconds = checkAfterSeconds(processing);
    if (waited + seconds > maxSeconds) {
      throw new CountersignError(
        'provider_error',
        `X was still processing media ${shownId} after ${waited} s (maxProcessingSeconds): check its status later with GET /2/media/upload?command=STATUS.`,
      );
    }
    waited += seconds;
    signal?.throwIfAborted();
    await wait(seconds * 1000);
    // A wait of the caller's own may not follow the signal: checked again before X is asked.
    signal?.throwIfAborted();
    const status = await throwIfRefused(
      await xFetch(`${base}?command=STATUS&media_id=${encodeURIComponent(id)}`, withSignal),
    );
    processing = (await readJson<{ data?: { processing_info?: ProcessingInfo } }>(status, 'STATUS')).data
      ?.processing_info;
  }
  if (processing?.state === 'failed') {
    throw new CountersignError(
      'provider_error',
      `X could not process media ${shownId}: ${inertText(String(processing.error?.message ?? 'no reason given'), 300)}.`,
    );
  }
  return id;
}
