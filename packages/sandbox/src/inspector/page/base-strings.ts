import { el } from './dom.ts';
import { type FirstDifference, firstDifference, type Segment, signedRows } from './marks.ts';

/** What each side is called in the labels: the sandbox and the client, or the server and you. */
export interface Sides {
  readonly server: string;
  readonly client: string;
  /** Headings of the two columns. */
  readonly serverHeading: string;
  readonly clientHeading: string;
}

const LABEL_VALUE_LENGTH = 160;

function short(text: string): string {
  return text.length > LABEL_VALUE_LENGTH ? `${text.slice(0, LABEL_VALUE_LENGTH - 1)}…` : text;
}

function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The sentence above the two base strings: what differs first, in words. */
export function differenceLabel(difference: FirstDifference, sides: Sides, server: string, client: string): string {
  const part = (whole: string, index: number) => whole.split('&')[index] ?? '';
  switch (difference.part) {
    case 'same':
      return 'The two base strings are identical.';
    case 'hidden':
      return 'The two base strings differ only inside redacted values (a password or secret, not shown).';
    case 'method':
      return `The method differs: ${sides.server} has ${short(part(server, 0))}, ${sides.client} ${short(part(client, 0))}.`;
    case 'uri':
      return `The base URI differs: ${sides.server} has ${short(decodeOnce(part(server, 1)))}, ${sides.client} ${short(decodeOnce(part(client, 1)))}.`;
    default: {
      const name = short(difference.name ?? '');
      if (difference.clientPair === undefined) {
        return `Parameter ${name} is only in ${sides.server}'s base string (${short(difference.serverPair ?? '')}): ${sides.client} did not sign it.`;
      }
      if (difference.serverPair === undefined) {
        return `Parameter ${name} is only in ${sides.client}'s base string (${short(difference.clientPair)}): ${sides.server} did not receive it.`;
      }
      return `Parameter ${name} is signed differently: ${sides.server} has ${short(difference.serverPair)}, ${sides.client} ${short(difference.clientPair)}.`;
    }
  }
}

function drawn(segments: readonly Segment[], side: string): HTMLElement {
  const pre = el('pre', { class: 'base-string' });
  for (const segment of segments) {
    if (segment.mark === 'changed') {
      pre.append(
        el('mark', { class: 'changed' }, el('span', { class: 'visually-hidden' }, 'first difference: '), segment.text),
      );
    } else if (segment.mark === 'missing') {
      pre.append(el('mark', { class: 'missing' }, `◂ missing in ${side}`));
    } else pre.append(segment.text);
  }
  return pre;
}

/**
 * Two base strings side by side with their first difference marked: a `<mark>` (underlined,
 * not only coloured) around it, a "missing here" tag where one side lacks what the other
 * has, and the difference in words above them. With one base string, it alone.
 */
export function baseStringsView(
  server: string,
  client: string | undefined,
  sides: Sides,
  differInside = false,
): HTMLElement {
  if (client === undefined) {
    return el(
      'div',
      { class: 'pair single' },
      el('figure', {}, el('figcaption', {}, sides.serverHeading), drawn([{ text: server }], sides.server)),
    );
  }
  const difference = firstDifference(server, client, differInside);
  return el(
    'div',
    { class: 'pair' },
    el(
      'p',
      { class: 'difference' },
      el('strong', {}, 'First difference: '),
      differenceLabel(difference, sides, server, client),
    ),
    el(
      'div',
      { class: 'columns-2' },
      el('figure', {}, el('figcaption', {}, sides.serverHeading), drawn(difference.server, sides.server)),
      el('figure', {}, el('figcaption', {}, sides.clientHeading), drawn(difference.client, sides.client)),
    ),
  );
}

/** The parameters as each side signed them (encoded once), the rows that differ said so in words. */
export function signedTable(server: string, client: string | undefined, sides: Sides): HTMLElement {
  const first = client === undefined ? undefined : firstDifference(server, client);
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, 'Parameter'),
    el('th', { scope: 'col' }, `As ${sides.server} signed it`),
    client === undefined ? undefined : el('th', { scope: 'col' }, `As ${sides.client} signed it`),
    client === undefined ? undefined : el('th', { scope: 'col' }, 'Same?'),
  );
  const body = el('tbody');
  let marked = false;
  for (const row of signedRows(server, client)) {
    const same = row.server === row.client;
    const isFirst = !marked && first?.part === 'parameter' && first.name === row.name && !same;
    if (isFirst) marked = true;
    const cell = (value: string | undefined) =>
      el(
        'td',
        {},
        value === undefined
          ? el('em', {}, '(not signed)')
          : isFirst
            ? el('mark', { class: 'changed' }, value)
            : el('code', {}, value),
      );
    body.append(
      el(
        'tr',
        isFirst ? { class: 'first-difference' } : {},
        el('th', { scope: 'row' }, el('code', {}, row.name)),
        cell(row.server),
        client === undefined ? undefined : cell(row.client),
        client === undefined
          ? undefined
          : el('td', {}, same ? 'same' : isFirst ? 'differs (first difference)' : 'differs'),
      ),
    );
  }
  return el('table', { class: 'parameters' }, el('thead', {}, head), body);
}
