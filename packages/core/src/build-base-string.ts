import { backend } from '#crypto';
import { composeBaseString, mergeSorted, sortParameters } from './base-string.ts';
import { percentEncode } from './encode.ts';
import type { PreparedRequest } from './prepare.ts';
import { type ProtocolValues, protocolPairs } from './protocol-block.ts';

const EMPTY_BODY = new Uint8Array(0);

/**
 * The body's `oauth_body_hash` for a request signed with one (no body is the empty string's
 * hash, GET included, as the extension's own GET example has it): a value on Node, a promise
 * with WebCrypto.
 */
export function bodyHashOf(prepared: PreparedRequest): string | Promise<string> | undefined {
  const bodyHashWith = prepared.bodyHashWith;
  if (bodyHashWith === undefined) return undefined;
  const body = prepared.body;
  return backend.digestBase64(bodyHashWith, body.kind === 'bytes' ? body.bytes() : EMPTY_BODY);
}

/**
 * The OAuth parameters pair by pair, encoded and in base-string order, for a request that
 * does not take the one-piece block (extras, a body hash, or one of its own parameters
 * sorting among the block's). Each extra is also added, decoded, to `decoded`. Synchronous:
 * signing awaits only when a body hash is a promise.
 */
export function protocolPairsFor(
  prepared: PreparedRequest,
  own: ProtocolValues,
  decoded: Record<string, string>,
  bodyHash: string | undefined,
): Array<[string, string]> {
  const pairs = protocolPairs(own);
  if (bodyHash !== undefined) {
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
