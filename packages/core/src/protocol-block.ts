import { type EncodedParameter, escapePercent } from './base-string.ts';

/** The protocol parameters a signer writes on every request, each value percent-encoded. */
export interface ProtocolValues {
  readonly consumerKey: string;
  readonly nonce: string;
  readonly signatureMethod: string;
  readonly timestamp: string;
  readonly token: string | undefined;
  readonly version: boolean;
}

// oauth_consumer_key < oauth_nonce < oauth_signature_method < oauth_timestamp < oauth_token
// < oauth_version: in base-string order these always sit together, as one block.
const FIRST = 'oauth_consumer_key';
const LAST = 'oauth_version';

/**
 * Where the block goes among the request's own parameters (sorted, encoded), or -1 when
 * one of them sorts inside it (an `oauth_foo` query parameter, say). Most requests have
 * none, and their base string, header and form text are then written around the block in
 * one piece instead of pair by pair (measured about 15% of a signature).
 */
export function blockPosition(sorted: ReadonlyArray<EncodedParameter>): number {
  let at = 0;
  while (at < sorted.length && (sorted[at] as EncodedParameter)[0] < FIRST) at++;
  return at < sorted.length && (sorted[at] as EncodedParameter)[0] <= LAST ? -1 : at;
}

/** The block as pairs, in order: for the printed parameter list and the pair-by-pair path. */
export function protocolPairs(values: ProtocolValues): Array<[string, string]> {
  const pairs: Array<[string, string]> = [
    ['oauth_consumer_key', values.consumerKey],
    ['oauth_nonce', values.nonce],
    ['oauth_signature_method', values.signatureMethod],
    ['oauth_timestamp', values.timestamp],
  ];
  if (values.token !== undefined) pairs.push(['oauth_token', values.token]);
  if (values.version) pairs.push(['oauth_version', '1.0']);
  return pairs;
}

/** `oauth_consumer_key%3D…%26…`: the block inside a base string (encoded once more). */
export function blockForBaseString(values: ProtocolValues): string {
  let out = `oauth_consumer_key%3D${escapePercent(values.consumerKey)}%26oauth_nonce%3D${escapePercent(values.nonce)}%26oauth_signature_method%3D${values.signatureMethod}%26oauth_timestamp%3D${values.timestamp}`;
  if (values.token !== undefined) out += `%26oauth_token%3D${escapePercent(values.token)}`;
  return values.version ? `${out}%26oauth_version%3D1.0` : out;
}

/**
 * The block with its signature (encoded), as header items (`name="value", …`) or as form
 * text (`name=value&…`). oauth_signature sorts between oauth_nonce and oauth_signature_method.
 */
export function blockWithSignature(values: ProtocolValues, signature: string, form: boolean): string {
  const open = form ? '=' : '="';
  const close = form ? '&' : '", ';
  let out = `oauth_consumer_key${open}${values.consumerKey}${close}oauth_nonce${open}${values.nonce}${close}oauth_signature${open}${signature}${close}oauth_signature_method${open}${values.signatureMethod}${close}oauth_timestamp${open}${values.timestamp}`;
  if (values.token !== undefined) out += `${close}oauth_token${open}${values.token}`;
  if (values.version) out += `${close}oauth_version${open}1.0`;
  return form ? out : `${out}"`;
}
