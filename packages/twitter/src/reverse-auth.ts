import {
  CountersignError,
  type FetchLike,
  type RetryOptions,
  readTextPrefix,
  readTokenResponse,
  type Signer,
  sendSigned,
  type TokenResponse,
} from '@countersign/core';
import { twitterEndpoints } from './endpoints.ts';

const FORM = 'application/x-www-form-urlencoded';

export interface ReverseAuthOptions {
  /** The API's base URL. @default 'https://api.twitter.com' */
  readonly base?: string;
  readonly fetch?: FetchLike;
  readonly retry?: RetryOptions | false;
}

/**
 * Reverse auth, step 1 (on your server, with your consumer): a signed POST to
 * request_token with `x_auth_mode=reverse_auth` in BOTH the Authorization header and the
 * form body — Twitter refuses it otherwise, so the base string holds it twice. Returns the
 * `x_reverse_auth_parameters` string to hand to the device.
 *
 * @example
 * ```ts
 * const reverseAuthParameters = await twitterReverseAuth(createSigner({ consumerKey, consumerSecret }));
 * ```
 */
export async function twitterReverseAuth(signer: Signer, options: ReverseAuthOptions = {}): Promise<string> {
  const url = twitterEndpoints(options.base).requestTokenUrl;
  const response = await sendSigned(
    signer,
    { method: 'POST', url, body: 'x_auth_mode=reverse_auth', contentType: FORM },
    { token: null, oauthParams: { x_auth_mode: 'reverse_auth' } },
    options,
  );
  // Step 1 answers one OAuth header string: a prefix holds it, and no more is read.
  const { text, truncated } = await readTextPrefix(response);
  // A longer answer is not one: cut at the limit, it would be handed on as if whole.
  if (truncated || !/^OAuth /.test(text.trim())) {
    throw new CountersignError('invalid_token_response', 'The reverse auth answer is not an OAuth parameter string.');
  }
  return text.trim();
}

/**
 * Reverse auth, step 2 (on the device, with the device account's consumer and token): a
 * signed POST to access_token with `x_reverse_auth_target` (your consumer key) and the
 * `x_reverse_auth_parameters` from step 1. Returns the user's token for your consumer.
 *
 * @example
 * ```ts
 * const userTokens = await reverseAuthAccessToken(deviceSigner, { reverseAuthParameters, targetConsumerKey: consumerKey });
 * ```
 */
export async function reverseAuthAccessToken(
  deviceSigner: Signer,
  options: ReverseAuthOptions & { reverseAuthParameters: string; targetConsumerKey: string },
): Promise<TokenResponse> {
  const form = new URLSearchParams({
    x_reverse_auth_target: options.targetConsumerKey,
    x_reverse_auth_parameters: options.reverseAuthParameters,
  });
  const url = twitterEndpoints(options.base).accessTokenUrl;
  const response = await sendSigned(
    deviceSigner,
    { method: 'POST', url, body: form.toString(), contentType: FORM },
    {},
    options,
  );
  return readTokenResponse(response);
}
