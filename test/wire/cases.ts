/**
 * The wire cases: requests whose signatures go wrong in the wild when a signer and an
 * HTTP client disagree about the final URL or body. Each client sends each case its own
 * idiomatic way; the server checks what arrived.
 */
export type ParamValue = string | number | boolean | null | undefined | Array<string | number>;

export interface WireCase {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path (and query) under the base. */
  readonly path: string;
  /** A base path, as axios `baseURL` / ky `prefixUrl` would carry it. */
  readonly base?: string;
  /** Query parameters as an object (axios `params`, ky `searchParams`). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Query parameters as pairs, for repeated keys. */
  readonly pairs?: ReadonlyArray<readonly [string, string]>;
  /** A form body, given the way a user would. */
  readonly form?: {
    readonly as: 'object' | 'urlsearchparams' | 'string';
    readonly value: Readonly<Record<string, string>> | string;
  };
  readonly contentType?: string;
  readonly json?: unknown;
  /** Sent to a mixed-case host name with the scheme's default port spelled out. */
  readonly mixedCaseHostDefaultPort?: boolean;
}

export const WIRE_CASES: readonly WireCase[] = [
  { name: 'spaces in a query value', method: 'GET', path: '/search', params: { q: 'two words  and more' } },
  { name: 'a literal plus', method: 'GET', path: '/search', params: { q: 'C++ & c#' } },
  { name: "!*'()~ in names and values", method: 'GET', path: '/search', params: { "w!*'()~": "!*'()~" } },
  { name: 'unicode', method: 'GET', path: '/search', params: { q: 'café ☕ 日本 😀' } },
  {
    name: 'an already-encoded key (Magento searchCriteria)',
    method: 'GET',
    path: '/rest/V1/products?searchCriteria%5BpageSize%5D=10&searchCriteria%5BcurrentPage%5D=1',
  },
  { name: 'arrays', method: 'GET', path: '/statuses/lookup', params: { id: [20, 432656548536401920] } },
  {
    name: 'duplicate keys',
    method: 'GET',
    path: '/r',
    pairs: [
      ['tag', 'b'],
      ['tag', 'a'],
      ['tag', 'a'],
    ],
  },
  {
    name: 'null and undefined params',
    method: 'GET',
    path: '/r',
    params: { present: 'yes', gone: undefined, nothing: null },
  },
  {
    name: 'a base URL with a path',
    method: 'GET',
    base: '/api/v2/',
    path: 'users/show.json',
    params: { screen_name: 'jack' },
  },
  {
    name: 'a query in the URL and in params',
    method: 'GET',
    path: '/r?from=url&both=1',
    params: { from_params: 'x', both: '2' },
  },
  {
    name: 'a form body as an object',
    method: 'POST',
    path: '/statuses/update.json',
    form: { as: 'object', value: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!', lat: '37.7' } },
  },
  {
    name: 'a form body as URLSearchParams',
    method: 'POST',
    path: '/statuses/update.json',
    form: { as: 'urlsearchparams', value: { status: "it's 100% ☕", empty: '' } },
  },
  {
    name: 'a form body as a string',
    method: 'POST',
    path: '/statuses/update.json?include_entities=true',
    form: { as: 'string', value: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21' },
  },
  {
    name: 'a form Content-Type with ;charset=',
    method: 'PUT',
    path: '/r',
    form: { as: 'string', value: 'a=1&b=%E2%98%95' },
    contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
  },
  {
    name: 'a mixed-case host with its default port',
    method: 'GET',
    path: '/Case/Path',
    params: { a: '1' },
    mixedCaseHostDefaultPort: true,
  },
  {
    name: 'a JSON body (not signed as parameters)',
    method: 'POST',
    path: '/json?x=1',
    json: { text: 'a=1&b=2', n: 3 },
  },
];

/** Flattens object params the way a user building a URL by hand would (undefined dropped). */
export function queryPairs(wireCase: WireCase): Array<[string, string]> {
  const pairs: Array<[string, string]> = [...(wireCase.pairs ?? [])].map(([name, value]) => [name, value]);
  for (const [name, value] of Object.entries(wireCase.params ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) pairs.push([name, String(item)]);
    else pairs.push([name, String(value)]);
  }
  return pairs;
}

export function formBody(wireCase: WireCase): string | URLSearchParams | Record<string, string> | undefined {
  const form = wireCase.form;
  if (form === undefined) return undefined;
  if (form.as === 'string') return form.value as string;
  if (form.as === 'urlsearchparams') return new URLSearchParams(form.value as Record<string, string>);
  return { ...(form.value as Record<string, string>) };
}

export const FORM = 'application/x-www-form-urlencoded';
