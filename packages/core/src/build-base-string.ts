import { backend } from '#crypto';
import { composeBaseString, mergeSorted, sortParameters } from './base-string.ts';
import { percentEncode } from './encode.ts';
import type { PreparedRequest } from './prepare.ts';
import { type ProtocolValues, protocolPairs } from './protocol-block.ts';

const EMPTY_BODY = new Uint8Array(0);

/**
 * The OAuth parameters pair by pair, encoded and in base-string order, for a request that
 * does not take the one-piece block (extras, a body hash, or one of its own parameters
 * sorting among the block's). Each extra is also added, decoded, to `decoded`.
 */
export async function protocolPairsFor(
  prepared: PreparedRequest,
  own: ProtocolValues,
  decoded: Record<string, string>,
): Promise<Array<[string, string]>> {
  const pairs = protocolPairs(own);
  const bodyHashWith = prepared.bodyHashWith;
  if (bodyHashWith !== undefined) {
    // No body is the empty string's hash, GET included, as the extension's own GET example has it.
    const body = prepared.body;
    const bodyHash = await backend.digestBase64(bodyHashWith, body.kind === 'bytes' ? body.bytes() : EMPTY_BODY);
    decoded.oauth_body_hash = bodyHash;
    pairs.push(['oauth_body_hash', percentEncode(bodyHash)]);
  }
  for (const [name, value] of prepared.extras) {
    decoded[name] = value;
    pairs.push([percentEncode(name), percentEncode(value)]);
  }
  return sortParameters(pairs);
}

/**
 * Build the base string (RFC 5849 §3.4.1): the signing step that joins the method, the base
 * URI and every parameter. With the one-piece block it is five strings written around the
 * nonce and timestamp (`nonce` already in base-string form); otherwise the request's pairs
 * and `protocol` are merged in order.
 */
export function buildBaseString(
  prepared: PreparedRequest,
  nonce: string,
  timestamp: string,
  protocol: ReadonlyArray<readonly [string, string]> | undefined,
): string {
  const template = prepared.template;
  if (protocol === undefined && template !== undefined) {
    return `${prepared.baseBeforeNonce}${nonce}${template.baseBeforeTimestamp}${timestamp}${prepared.baseAfterTimestamp}`;
  }
  return composeBaseString(prepared.method, prepared.target.encodedBaseUri, mergeSorted(prepared.user, protocol ?? []));
}
