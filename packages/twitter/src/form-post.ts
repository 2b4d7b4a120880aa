import {
  type FetchLike,
  type RetryOptions,
  type Signer,
  type SignOptions,
  sendWithRetries,
  throwIfRefused,
} from '@countersign/core';

const FORM = 'application/x-www-form-urlencoded';

/** A signed form POST, retried by the core's rules, refused answers thrown as OAuthError. */
export async function signedFormPost(
  signer: Signer,
  url: string,
  form: URLSearchParams,
  sign: SignOptions,
  options: { fetch?: FetchLike; retry?: RetryOptions | false },
): Promise<string> {
  const send = options.fetch ?? (globalThis.fetch as FetchLike);
  const body = form.toString();
  let baseString = '';
  const attempt = async () => {
    const signed = await signer.sign({ method: 'POST', url, body, contentType: FORM }, sign);
    baseString = signed.baseString;
    return send(signed.url, {
      method: 'POST',
      headers: { authorization: signed.authorization as string, 'content-type': FORM },
      body,
      redirect: 'manual',
    });
  };
  const response = options.retry === false ? await attempt() : await sendWithRetries(signer, attempt, options.retry);
  await throwIfRefused(response, baseString);
  return response.text();
}
