import { type EncodedParameter, encodedParameterRange, mergeSorted, sortParameters } from './base-string.ts';
import { parseFormEncoded } from './encode.ts';
import { blockPosition } from './protocol-block.ts';
import { checkUserPairs } from './protocol-params.ts';
import type { RequestTarget } from './request-target.ts';

/** A request's own parameters (query and form body) and the base string around the OAuth block. */
export interface RequestParameters {
  /** The query and form pairs, encoded and sorted. Shared: never mutate. */
  readonly user: EncodedParameter[];
  /** Whether one of them is a password or secret. */
  readonly sensitive: boolean;
  /**
   * The base string up to the block of OAuth parameters (`METHOD&uri&` and the parameters
   * that sort before it), or undefined when a parameter sorts inside the block.
   */
  readonly beforeBlock: string | undefined;
  /** The base string after the block. */
  readonly afterBlock: string;
}

/**
 * Collect the parameters: the signing step that gathers a request's own pairs (RFC 5849
 * §3.4.1.3.1), the target's query and this form body (undefined for none), encoded and
 * sorted, and writes the base string around where the OAuth block goes. Throws if the form
 * carries an OAuth protocol parameter.
 */
export function collectParameters(method: string, target: RequestTarget, form: string | undefined): RequestParameters {
  let sensitive = target.sensitive;
  let user = target.query;
  if (form !== undefined) {
    const formPairs = parseFormEncoded(form);
    if (checkUserPairs(formPairs, 'form body')) sensitive = true;
    sortParameters(formPairs);
    user = user.length === 0 ? formPairs : mergeSorted(user, formPairs);
  }
  const at = blockPosition(user);
  return {
    user,
    sensitive,
    beforeBlock:
      at < 0
        ? undefined
        : `${method}&${target.encodedBaseUri}&${at === 0 ? '' : `${encodedParameterRange(user, 0, at)}%26`}`,
    afterBlock: at < 0 || at === user.length ? '' : `%26${encodedParameterRange(user, at, user.length)}`,
  };
}
