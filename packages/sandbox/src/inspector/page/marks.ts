/**
 * Where two signature base strings first part ways, located in the strings themselves so
 * the page can mark it. Pure: no DOM, so it is tested in Node and bundled for the page.
 *
 * The parameter part of a base string is encoded twice, so its pairs are separated by
 * `%26`; each is compared as it is written (a `+` and a `%20` are different text), with a
 * redacted value equal to any other. A client that did not encode the parameter string
 * again leaves raw `&` in it: those separate its pairs too.
 */

/** A run of a base string, and whether it is the difference (`changed`) or where the other side has text this one lacks (`missing`). */
export interface Segment {
  readonly text: string;
  readonly mark?: 'changed' | 'missing';
}

/** The first difference between two base strings, in words for a label and in segments to draw. */
export interface FirstDifference {
  /** The server's (or sandbox's) base string, cut into segments. */
  readonly server: readonly Segment[];
  readonly client: readonly Segment[];
  /** `same`: identical; `hidden`: they differ only inside redacted values. */
  readonly part: 'same' | 'hidden' | 'method' | 'uri' | 'parameter';
  /** For a parameter: its name, decoded. */
  readonly name?: string;
  /** For a parameter: the pair on each side as the parameter string holds it (`name=value`, encoded once); undefined where that side lacks it. */
  readonly serverPair?: string;
  readonly clientPair?: string;
}

const REDACTED_PIECE = '[redacted]';
type Range = readonly [number, number];

interface Parts {
  readonly method: Range;
  readonly uri: Range;
  readonly pieces: readonly Range[];
}

function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function partsOf(text: string): Parts {
  const first = text.indexOf('&');
  if (first === -1) return { method: [0, text.length], uri: [text.length, text.length], pieces: [] };
  const second = text.indexOf('&', first + 1);
  if (second === -1) return { method: [0, first], uri: [first + 1, text.length], pieces: [] };
  const pieces: Range[] = [];
  let start = second + 1;
  for (let at = start; at < text.length; at++) {
    const width = text[at] === '&' ? 1 : text.startsWith('%26', at) ? 3 : 0;
    if (width === 0) continue;
    if (at > start) pieces.push([start, at]);
    start = at + width;
    at = start - 1;
  }
  if (text.length > start) pieces.push([start, text.length]);
  return { method: [0, first], uri: [first + 1, second], pieces };
}

/** A pair of the parameter string, encoded once: `name=value`. */
function pairOf(piece: string): string {
  return decodeOnce(piece);
}

function nameOf(pair: string): string {
  const equals = pair.indexOf('=');
  return equals === -1 ? pair : pair.slice(0, equals);
}

function pairValue(pair: string): string {
  const equals = pair.indexOf('=');
  return equals === -1 ? '' : pair.slice(equals + 1);
}

function samePiece(a: string, b: string): boolean {
  if (a === b) return true;
  const pairA = pairOf(a);
  const pairB = pairOf(b);
  return (
    nameOf(pairA) === nameOf(pairB) && (pairValue(pairA) === REDACTED_PIECE || pairValue(pairB) === REDACTED_PIECE)
  );
}

const ESCAPE_TWICE = /^%25[0-9A-Fa-f]{2}/;

function escapeLength(text: string, at: number): number {
  return ESCAPE_TWICE.test(text.slice(at, at + 5)) ? 5 : 3;
}

/** A range widened to whole percent-escapes (`%2B`, `%252B`): a mark never cuts one in half. */
function widen(text: string, start: number, end: number): Range {
  let from = start;
  for (let at = start - 1; at >= Math.max(0, start - 4); at--) {
    if (text[at] === '%' && at + escapeLength(text, at) > from) from = at;
  }
  let to = end;
  for (let at = Math.max(from, end - 4); at < end; at++) {
    if (text[at] === '%' && at + escapeLength(text, at) > to) {
      to = Math.min(text.length, at + escapeLength(text, at));
      break;
    }
  }
  return [from, to];
}

/** The differing middle of two texts (common start and end left out), widened to whole escapes. */
function middles(a: string, b: string): [Range, Range] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  return [widen(a, prefix, a.length - suffix), widen(b, prefix, b.length - suffix)];
}

/** The text cut around one marked range (an empty range is a `missing` mark). */
function segments(text: string, range: Range | undefined): Segment[] {
  if (range === undefined) return [{ text }];
  const [start, end] = range;
  const out: Segment[] = [];
  if (start > 0) out.push({ text: text.slice(0, start) });
  out.push(end > start ? { text: text.slice(start, end), mark: 'changed' } : { text: '', mark: 'missing' });
  if (end < text.length) out.push({ text: text.slice(end) });
  return out;
}

function shift(range: Range, by: number): Range {
  return [range[0] + by, range[1] + by];
}

function inside(server: string, client: string, a: Range, b: Range): [Range, Range] {
  const [ma, mb] = middles(server.slice(a[0], a[1]), client.slice(b[0], b[1]));
  return [shift(ma, a[0]), shift(mb, b[0])];
}

/**
 * Finds the first difference between a server's base string and a client's: the method,
 * the base URI, or the first parameter pair (in the order written) that differs or that only
 * one side has. Within a URI or a pair present on both sides only the differing middle is
 * marked. `differInside`: the two are known to differ as they were before redaction, so
 * equal shown strings differ inside a redacted value.
 */
export function firstDifference(server: string, client: string, differInside = false): FirstDifference {
  if (server === client) {
    return { server: [{ text: server }], client: [{ text: client }], part: differInside ? 'hidden' : 'same' };
  }
  const a = partsOf(server);
  const b = partsOf(client);
  const text = (whole: string, range: Range) => whole.slice(range[0], range[1]);
  // A method is one word: marked whole.
  if (text(server, a.method) !== text(client, b.method)) {
    return { server: segments(server, a.method), client: segments(client, b.method), part: 'method' };
  }
  if (text(server, a.uri) !== text(client, b.uri)) {
    const [ma, mb] = inside(server, client, a.uri, b.uri);
    return { server: segments(server, ma), client: segments(client, mb), part: 'uri' };
  }
  const length = Math.max(a.pieces.length, b.pieces.length);
  for (let i = 0; i < length; i++) {
    const pa = a.pieces[i];
    const pb = b.pieces[i];
    const pieceA = pa === undefined ? undefined : text(server, pa);
    const pieceB = pb === undefined ? undefined : text(client, pb);
    if (pieceA !== undefined && pieceB !== undefined && samePiece(pieceA, pieceB)) continue;
    const pairA = pieceA === undefined ? undefined : pairOf(pieceA);
    const pairB = pieceB === undefined ? undefined : pairOf(pieceB);
    if (pa !== undefined && pb !== undefined && pairA !== undefined && pairB !== undefined) {
      if (nameOf(pairA) === nameOf(pairB)) {
        const [ma, mb] = inside(server, client, pa, pb);
        return {
          server: segments(server, ma),
          client: segments(client, mb),
          part: 'parameter',
          name: decodeOnce(nameOf(pairA)),
          serverPair: pairA,
          clientPair: pairB,
        };
      }
    }
    // A pair on one side only: the one that sorts first is the one the other side lacks.
    const serverOnly = pairA !== undefined && (pairB === undefined || nameOf(pairA) <= nameOf(pairB));
    const gapIn = (whole: string, range: Range | undefined): Range =>
      range === undefined ? [whole.length, whole.length] : [range[0], range[0]];
    return serverOnly
      ? {
          server: segments(server, pa),
          client: segments(client, gapIn(client, pb)),
          part: 'parameter',
          name: decodeOnce(nameOf(pairA as string)),
          serverPair: pairA,
        }
      : {
          server: segments(server, gapIn(server, pa)),
          client: segments(client, pb),
          part: 'parameter',
          name: decodeOnce(nameOf(pairB as string)),
          clientPair: pairB,
        };
  }
  return { server: [{ text: server }], client: [{ text: client }], part: 'hidden' };
}

/** One row of the parameters as each side signed them, paired by name. */
export interface SignedRow {
  readonly name: string;
  readonly server?: string;
  readonly client?: string;
}

/** The pairs of each base string's parameter string (encoded once), matched by name in order. */
export function signedRows(server: string, client: string | undefined): SignedRow[] {
  const pairs = (whole: string) => partsOf(whole).pieces.map((range) => pairOf(whole.slice(range[0], range[1])));
  const left = pairs(server);
  const right = client === undefined ? [] : pairs(client);
  const rows: SignedRow[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i];
    const r = right[j];
    if (l !== undefined && r !== undefined && nameOf(l) === nameOf(r)) {
      rows.push({ name: decodeOnce(nameOf(l)), server: pairValue(l), client: pairValue(r) });
      i++;
      j++;
    } else if (l !== undefined && (r === undefined || nameOf(l) < nameOf(r))) {
      rows.push({ name: decodeOnce(nameOf(l)), server: pairValue(l) });
      i++;
    } else if (r !== undefined) {
      rows.push({ name: decodeOnce(nameOf(r)), client: pairValue(r) });
      j++;
    }
  }
  return rows;
}
