import { type EncodedParameter, insertSorted, parameterString } from './base-string.ts';
import { headerItems } from './header.ts';
import type { PreparedRequest } from './prepare.ts';

const FORM = 'application/x-www-form-urlencoded';

/** Where the OAuth parameters went: the request to send. */
export interface Placement {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string | undefined;
  readonly contentType: string | undefined;
}

/**
 * The OAuth parameters as sent, signature included: header items after `headerPrefix`
 * (`OAuth `, with the realm), or form text for the query or body when it is undefined.
 * From the block's template, or pair by pair when the request has `protocol` pairs.
 */
export function sentParameters(
  prepared: PreparedRequest,
  nonce: string,
  timestamp: string,
  encodedSignature: string,
  protocol: ReadonlyArray<EncodedParameter> | undefined,
  headerPrefix: string | undefined,
): string {
  const template = prepared.template;
  if (protocol === undefined && template !== undefined) {
    return `${template.sentBeforeNonce}${nonce}${template.sentBeforeSignature}${encodedSignature}${template.sentBeforeTimestamp}${timestamp}${template.sentAfterTimestamp}`;
  }
  const withSignature = [...(protocol ?? [])] as Array<[string, string]>;
  insertSorted(withSignature, ['oauth_signature', encodedSignature]);
  return headerPrefix === undefined ? parameterString(withSignature) : `${headerPrefix}${headerItems(withSignature)}`;
}

/**
 * Place the parameters (RFC 5849 §3.5): the signing step that puts the sent OAuth
 * parameters in the Authorization header, at the end of the query, or after the form body.
 */
export function placeParameters(prepared: PreparedRequest, sent: string): Placement {
  const url = prepared.url;
  if (prepared.transmission === 'header') {
    return { url, authorization: sent, body: undefined, contentType: undefined };
  }
  if (prepared.transmission === 'query') {
    const question = url.indexOf('?');
    const joiner = question === -1 ? '?' : question === url.length - 1 ? '' : '&';
    return { url: `${url}${joiner}${sent}`, authorization: undefined, body: undefined, contentType: undefined };
  }
  const body = prepared.body;
  return {
    url,
    authorization: undefined,
    body: body.kind === 'form' ? `${body.text}&${sent}` : sent,
    contentType: FORM,
  };
}
