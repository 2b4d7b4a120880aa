/**
 * A request's headers as a list of name/value pairs, which `fetch(url, init)` accepts as
 * it is. The fetch wrapper keeps headers this way rather than in a `Headers` object:
 * building one, and fetch copying it again, measured about 4% of a loopback round trip.
 * Lookups follow `Headers`: names match case-insensitively, repeated values join with ", ".
 */
export type HeaderList = Array<[string, string]>;

/** The pairs of any `HeadersInit`, in order; a `Headers` gives its own (lowercased, joined) pairs. */
export function headerList(init: HeadersInit | undefined | null): HeaderList {
  const list: HeaderList = [];
  if (init === undefined || init === null) return list;
  if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of init as Iterable<ArrayLike<string>>) {
      if (pair.length !== 2) throw new TypeError('Headers: each header must be a [name, value] pair.');
      list.push([String(pair[0]), String(pair[1])]);
    }
    return list;
  }
  for (const name of Object.keys(init)) list.push([name, String((init as Record<string, string>)[name])]);
  return list;
}

/** The value `Headers.get(name)` would give: matching values trimmed and joined, or undefined. */
export function headerValue(list: HeaderList, name: string): string | undefined {
  let value: string | undefined;
  for (const [key, each] of list) {
    if (key.length === name.length && key.toLowerCase() === name) {
      const trimmed = each.trim();
      value = value === undefined ? trimmed : `${value}, ${trimmed}`;
    }
  }
  return value;
}

/** A copy without the headers named (lowercase names). */
export function withoutHeaders(list: HeaderList, names: ReadonlyArray<string>): HeaderList {
  return list.filter(([key]) => !names.includes(key.toLowerCase()));
}
