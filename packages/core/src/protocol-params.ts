import type { EncodedParameter } from './base-string.ts';
import { CountersignError } from './errors.ts';
import { isSensitiveName } from './redact.ts';

/** Names this signer writes itself; a request that already carries one was signed before. */
export const PROTOCOL_PARAMS = new Set([
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_body_hash',
]);

function refuseResigning(name: string, where: string): never {
  throw new CountersignError(
    'invalid_param',
    `The ${where} already contains ${name}: sign the request without OAuth parameters (was it signed before?).`,
  );
}

/**
 * Checks already-encoded query or body pairs: none may be an OAuth protocol parameter.
 * Returns whether any is a password or secret. Protocol names are unreserved, so an
 * encoded name equals the name; they all start with `o`, which spares most names the lookup.
 */
export function checkUserPairs(pairs: ReadonlyArray<EncodedParameter>, where: string): boolean {
  let sensitive = false;
  for (let i = 0; i < pairs.length; i++) {
    const name = (pairs[i] as EncodedParameter)[0];
    if (name.charCodeAt(0) === 111 && PROTOCOL_PARAMS.has(name)) refuseResigning(name, where);
    // `secret`, the shorter of the two words, has six letters: shorter names skip the expression.
    if (name.length >= 6 && isSensitiveName(name)) sensitive = true;
  }
  return sensitive;
}
