import { CountersignError, type FetchLike, type OAuthEndpoints, throwIfRefused } from '@countersign/core';
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
  return ((await response.json()) as { data: { id: string; text: string } }).data;
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
  const post = async (url: string, init: RequestInit) => throwIfRefused(await xFetch(url, { method: 'POST', ...init }));
  const initialized = await post(`${base}/initialize`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      media_type: options.mediaType,
      total_bytes: media.byteLength,
      media_category: options.mediaCategory ?? defaultCategory(options.mediaType),
    }),
  });
  const { id } = ((await initialized.json()) as { data: { id: string } }).data;
  for (let offset = 0, segment = 0; offset < media.byteLength; offset += chunkBytes, segment++) {
    const form = new FormData();
    form.set('segment_index', String(segment));
    form.set('media', new Blob([media.slice(offset, offset + chunkBytes)]), 'chunk');
    await post(`${base}/${encodeURIComponent(id)}/append`, { body: form });
  }
  const finalized = await post(`${base}/${encodeURIComponent(id)}/finalize`, {});
  let processing = ((await finalized.json()) as { data: { processing_info?: ProcessingInfo } }).data.processing_info;
  const wait = options.wait ?? ((milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
  while (processing !== undefined && (processing.state === 'pending' || processing.state === 'in_progress')) {
    await wait((processing.check_after_secs ?? 1) * 1000);
    const status = await throwIfRefused(await xFetch(`${base}?command=STATUS&media_id=${encodeURIComponent(id)}`));
    processing = ((await status.json()) as { data: { processing_info?: ProcessingInfo } }).data.processing_info;
  }
  if (processing?.state === 'failed') {
    throw new CountersignError(
      'provider_error',
      `X could not process media ${id}: ${processing.error?.message ?? 'no reason given'}.`,
    );
  }
  return id;
}
