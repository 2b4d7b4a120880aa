import { byNameThenValue, type EncodedParameter, encodedParameterRange, mergeSorted } from './base-string.ts';
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

interface Remembered {
  readonly method: string;
  readonly target: RequestTarget;
  readonly form: string | undefined;
  readonly parameters: RequestParameters;
}

// A client sends the same request again and again: each retry, each poll of a timeline,
// each page of a listing with the same body. Parsing the form and writing the base string
// around the nonce and timestamp gives the same text each time, so the last one is kept
// (the wall-clock cost of a signature measured mostly in this work, run cold between
// requests).
let last: Remembered | undefined;

/**
 * The parameters of a request to `target` with this form body (undefined for none), and
 * the base string around where the OAuth block goes. Throws if the form carries an OAuth
 * protocol parameter.
 */
export function requestParameters(method: string, target: RequestTarget, form: string | undefined): RequestParameters {
  if (last !== undefined && last.target === target && last.form === form && last.method === method) {
    return last.parameters;
  }
  let sensitive = target.sensitive;
  let user = target.query;
  if (form !== undefined) {
    const formPairs = parseFormEncoded(form);
    if (checkUserPairs(formPairs, 'form body')) sensitive = true;
    if (formPairs.length > 1) formPairs.sort(byNameThenValue);
    user = user.length === 0 ? formPairs : mergeSorted(user, formPairs);
  }
  const at = blockPosition(user);
  const parameters: RequestParameters = {
    user,
    sensitive,
    beforeBlock:
      at < 0
        ? undefined
        : `${method}&${target.encodedBaseUri}&${at === 0 ? '' : `${encodedParameterRange(user, 0, at)}%26`}`,
    afterBlock: at < 0 || at === user.length ? '' : `%26${encodedParameterRange(user, at, user.length)}`,
  };
  last = { method, target, form, parameters };
  return parameters;
}
