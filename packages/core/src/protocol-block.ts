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

/**
 * The block's text with gaps for what changes on every signing: the nonce, the timestamp
 * and, as sent, the signature. It is written once per signer (and per token or transmission
 * a request chooses), so a signature costs a few concatenations around an HMAC.
 */
export interface BlockTemplate {
  /** In the base string (encoded once more): up to the nonce, between nonce and timestamp, after the timestamp. */
  readonly baseBeforeNonce: string;
  readonly baseBeforeTimestamp: string;
  readonly baseAfterTimestamp: string;
  /** As sent, header items or form text: up to the nonce, up to the signature, up to the timestamp, after it. */
  readonly sentBeforeNonce: string;
  readonly sentBeforeSignature: string;
  readonly sentBeforeTimestamp: string;
  readonly sentAfterTimestamp: string;
}

/**
 * The template for a signer's parameters, sent as header items after `headerPrefix`
 * (`OAuth `, with the realm) or, when that is undefined, as form text for the query or
 * body. oauth_signature sorts between oauth_nonce and oauth_signature_method.
 */
export function blockTemplate(
  values: Omit<ProtocolValues, 'nonce' | 'timestamp'>,
  headerPrefix: string | undefined,
): BlockTemplate {
  const form = headerPrefix === undefined;
  const open = form ? '=' : '="';
  const close = form ? '&' : '", ';
  const token = values.token;
  let baseAfterTimestamp = token === undefined ? '' : `%26oauth_token%3D${escapePercent(token)}`;
  let sentAfterTimestamp = token === undefined ? '' : `${close}oauth_token${open}${token}`;
  if (values.version) {
    baseAfterTimestamp += '%26oauth_version%3D1.0';
    sentAfterTimestamp += `${close}oauth_version${open}1.0`;
  }
  return {
    baseBeforeNonce: `oauth_consumer_key%3D${escapePercent(values.consumerKey)}%26oauth_nonce%3D`,
    baseBeforeTimestamp: `%26oauth_signature_method%3D${values.signatureMethod}%26oauth_timestamp%3D`,
    baseAfterTimestamp,
    sentBeforeNonce: `${headerPrefix ?? ''}oauth_consumer_key${open}${values.consumerKey}${close}oauth_nonce${open}`,
    sentBeforeSignature: `${close}oauth_signature${open}`,
    sentBeforeTimestamp: `${close}oauth_signature_method${open}${values.signatureMethod}${close}oauth_timestamp${open}`,
    sentAfterTimestamp: form ? sentAfterTimestamp : `${sentAfterTimestamp}"`,
  };
}
