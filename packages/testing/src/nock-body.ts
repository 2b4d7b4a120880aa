import { bodyHash, parseAuthorizationHeader, SIGNATURE_METHODS } from '@countersign/core';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Whether nock passes these bytes on as text: they are valid UTF-8 (its isUtf8Representable). */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hexBytes(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** The `oauth_body_hash` a request claims, from its Authorization header or its query. */
function claimedBodyHash(authorization: string | undefined, url: string): string | undefined {
  if (authorization !== undefined) {
    try {
      const found = parseAuthorizationHeader(authorization).params.find(([name]) => name === 'oauth_body_hash');
      if (found !== undefined) return found[1];
    } catch {
      // Not an OAuth header: the verifier says so itself.
    }
  }
  try {
    return new URL(url).searchParams.get('oauth_body_hash') ?? undefined;
  } catch {
    return undefined;
  }
}

// One method of each hash the body hash extension can use.
const HASHING_METHODS = SIGNATURE_METHODS.filter((name) => name.startsWith('HMAC-'));

/**
 * The body as sent, from nock's text of it. nock writes a body that is not valid UTF-8 as
 * hex, so a binary upload's `oauth_body_hash` was checked against its hex and a correct
 * client refused. Hex text whose bytes are not UTF-8 may be either a binary body or a text
 * body that happens to be hex: the body hash the request claims decides, so the bytes are
 * taken only when the client hashed exactly those (never a success the text would not earn).
 */
export async function nockBody(text: string, authorization: string | undefined, url: string) {
  if (text === '') return undefined;
  const bytes = hexBytes(text);
  if (bytes === undefined || isUtf8(bytes)) return text;
  const claimed = claimedBodyHash(authorization, url);
  if (claimed === undefined) return text;
  for (const method of HASHING_METHODS) {
    if ((await bodyHash(method, bytes)) === claimed) return bytes;
  }
  return text;
}
