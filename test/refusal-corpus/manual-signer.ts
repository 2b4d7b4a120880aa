import { createHmac, randomBytes } from 'node:crypto';
import {
  isFormContentType,
  percentEncode,
  type SignedRequest,
  type Signer,
  type SignInput,
  type SignOptions,
} from '@countersign/core';

/**
 * A signer that makes one of the classic mistakes on purpose, the way other libraries do:
 * values encoded with encodeURIComponent, body parameters left out, a parameter string
 * encoded once, an HMAC key without its `&`. Everything else follows RFC 5849, so the
 * mistake is the only difference a server sees.
 */
export interface Mistakes {
  readonly encode?: (text: string) => string;
  readonly skipBody?: boolean;
  readonly paramStringEncodedOnce?: boolean;
  readonly keyWithoutAmpersand?: boolean;
}

export interface Credentials {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly token?: string;
  readonly tokenSecret?: string;
}

export function mistakenSigner(credentials: Credentials, mistakes: Mistakes): Signer {
  const encode = mistakes.encode ?? percentEncode;
  async function sign(request: SignInput, options: SignOptions = {}): Promise<SignedRequest> {
    const url = new URL(request.url as string);
    const pairs: Array<[string, string]> = [...new URLSearchParams(url.search)];
    const body =
      typeof request.body === 'string'
        ? request.body
        : request.body instanceof Uint8Array
          ? new TextDecoder().decode(request.body)
          : undefined;
    if (!mistakes.skipBody && body !== undefined && isFormContentType(request.contentType)) {
      pairs.push(...new URLSearchParams(body));
    }
    const oauth: Record<string, string> = {
      oauth_consumer_key: credentials.consumerKey,
      oauth_nonce: randomBytes(18)
        .toString('base64')
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 24),
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: String(Math.floor(Date.now() / 1000)),
      oauth_version: '1.0',
      ...(credentials.token === undefined ? {} : { oauth_token: credentials.token }),
      ...options.oauthParams,
    };
    pairs.push(...Object.entries(oauth));
    const parameterString = pairs
      .map(([name, value]): [string, string] => [encode(name), encode(value)])
      .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const method = (request.method ?? 'GET').toUpperCase();
    const baseString = [
      method,
      encode(`${url.protocol}//${url.host}${url.pathname}`),
      mistakes.paramStringEncodedOnce ? parameterString : encode(parameterString),
    ].join('&');
    const tokenSecret = credentials.tokenSecret ?? '';
    const key =
      mistakes.keyWithoutAmpersand && tokenSecret === ''
        ? percentEncode(credentials.consumerSecret)
        : `${percentEncode(credentials.consumerSecret)}&${percentEncode(tokenSecret)}`;
    const signature = createHmac('sha1', key).update(baseString).digest('base64');
    const sent = { ...oauth, oauth_signature: signature };
    const authorization = `OAuth ${Object.entries(sent)
      .map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`)
      .join(', ')}`;
    return {
      method,
      url: url.href,
      authorization,
      body: undefined,
      contentType: request.contentType,
      signature,
      baseString,
      parameters: [],
      oauthParams: sent,
    };
  }
  return {
    sign,
    consumerKey: credentials.consumerKey,
    signatureMethod: 'HMAC-SHA1',
  } as unknown as Signer;
}
