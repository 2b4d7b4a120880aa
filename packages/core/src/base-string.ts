import { percentEncode } from './encode.ts';

/** One parameter after RFC 5849 §3.4.1.3.2 encoding: `[encodedName, encodedValue]`. */
export type EncodedParameter = readonly [string, string];

/** Byte order on encoded names, then values (the strings are ASCII after encoding). */
export function byNameThenValue(a: EncodedParameter, b: EncodedParameter): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] === b[1]) return 0;
  return a[1] < b[1] ? -1 : 1;
}

/**
 * Sorts pairs in place in base-string order. A request has a handful: an insertion sort
 * over them, which leaves sorted input as it is after one comparison a pair, measured
 * several times cheaper than `Array.prototype.sort` with a comparator.
 */
export function sortParameters<T extends EncodedParameter>(pairs: T[]): T[] {
  if (pairs.length > 16) return pairs.sort(byNameThenValue);
  for (let i = 1; i < pairs.length; i++) {
    const pair = pairs[i] as T;
    let at = i;
    while (at > 0 && byNameThenValue(pairs[at - 1] as T, pair) > 0) {
      pairs[at] = pairs[at - 1] as T;
      at--;
    }
    pairs[at] = pair;
  }
  return pairs;
}

/**
 * RFC 5849 §3.4.1.3.2: encode every name and value, sort by encoded name then value
 * (byte order), keep duplicates and empty values.
 * @example
 * ```ts
 * normalizeParameters([['b5', '=%3D'], ['a3', 'a'], ['c@', ''], ['a2', 'r b']]);
 * // [['a2', 'r%20b'], ['a3', 'a'], ['b5', '%3D%253D'], ['c%40', '']]
 * ```
 */
export function normalizeParameters(pairs: ReadonlyArray<readonly [string, string]>): EncodedParameter[] {
  const encoded: EncodedParameter[] = new Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as readonly [string, string];
    encoded[i] = [percentEncode(pair[0]), percentEncode(pair[1])];
  }
  return sortParameters(encoded);
}

/** Joins normalized parameters as `name=value&…`. */
export function parameterString(parameters: ReadonlyArray<EncodedParameter>): string {
  let out = '';
  for (let i = 0; i < parameters.length; i++) {
    const parameter = parameters[i] as EncodedParameter;
    out += i === 0 ? `${parameter[0]}=${parameter[1]}` : `&${parameter[0]}=${parameter[1]}`;
  }
  return out;
}

/**
 * RFC 5849 §3.4.1.2: scheme and host lowercased, default port dropped, path as sent, no
 * query or fragment. A WHATWG `URL` has already lowercased and dropped the default port,
 * and `host` keeps IPv6 brackets.
 * @example
 * ```ts
 * baseStringUri(new URL('HTTP://Example.COM:80/r%20v/X?id=123')); // 'http://example.com/r%20v/X'
 * ```
 */
export function baseStringUri(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * RFC 5849 §3.4.1.1: `METHOD&encoded-base-uri&encoded-parameter-string`.
 *
 * @example
 * ```ts
 * signatureBaseString('GET', 'https://example.com/r', normalizeParameters([['b', '2'], ['a', '1']]));
 * // 'GET&https%3A%2F%2Fexample.com%2Fr&a%3D1%26b%3D2'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1
 */
export function signatureBaseString(
  method: string,
  baseUri: string,
  parameters: ReadonlyArray<EncodedParameter>,
): string {
  return composeBaseString(method, percentEncode(baseUri), parameters);
}

/** The same, from a base URI already percent-encoded (the signer caches it per URL). */
export function composeBaseString(
  method: string,
  encodedBaseUri: string,
  parameters: ReadonlyArray<EncodedParameter>,
): string {
  return `${method}&${encodedBaseUri}&${encodedParameterRange(parameters, 0, parameters.length)}`;
}

// Encoded names and values hold only unreserved characters and `%`, so encoding
// `name=value&…` once more only turns `%` into `%25` and the separators into `%3D`, `%26`.
// For such text encodeURIComponent escapes exactly the `%`: in one native pass it measured
// two to three times faster than slicing between the escapes for a value with several.
export function escapePercent(text: string): string {
  return text.indexOf('%') === -1 ? text : encodeURIComponent(text);
}

/** Parameters `from` to `to` in base-string form, joined by `%26`. */
export function encodedParameterRange(parameters: ReadonlyArray<EncodedParameter>, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const parameter = parameters[i] as EncodedParameter;
    out += `${i === from ? '' : '%26'}${escapePercent(parameter[0])}%3D${escapePercent(parameter[1])}`;
  }
  return out;
}

/** Merges two lists already in base-string order (cheaper than sorting them together). */
export function mergeSorted(
  a: ReadonlyArray<EncodedParameter>,
  b: ReadonlyArray<EncodedParameter>,
): EncodedParameter[] {
  const out: EncodedParameter[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    out[k++] =
      byNameThenValue(a[i] as EncodedParameter, b[j] as EncodedParameter) <= 0
        ? (a[i++] as EncodedParameter)
        : (b[j++] as EncodedParameter);
  }
  while (i < a.length) out[k++] = a[i++] as EncodedParameter;
  while (j < b.length) out[k++] = b[j++] as EncodedParameter;
  return out;
}

/** Inserts one pair into a list in base-string order. */
export function insertSorted(list: Array<[string, string]>, item: [string, string]): void {
  let at = list.length;
  while (at > 0 && byNameThenValue(list[at - 1] as EncodedParameter, item) > 0) at--;
  list.splice(at, 0, item);
}
