import type { InspectorEntry } from '../entry.ts';
import { baseStringsView, type Sides, signedTable } from './base-strings.ts';
import { code, el, fill } from './dom.ts';
import { pathOf, verdictBadge } from './verdict.ts';

const SIDES: Sides = {
  server: 'the sandbox',
  client: 'the client',
  serverHeading: 'The base string the sandbox computed',
  clientHeading: 'The base string the client signed',
};

function section(title: string, ...children: Array<Node | string | undefined>): HTMLElement {
  return el('section', { class: 'part' }, el('h3', {}, title), ...children);
}

function facts(entry: InspectorEntry): HTMLElement {
  const list = el('dl', { class: 'facts' });
  const add = (term: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    list.append(el('dt', {}, term), el('dd', {}, code(value)));
  };
  add('Answer', entry.status === 0 ? 'none (the client went away)' : String(entry.status));
  add('oauth_problem', entry.problem);
  add('Consumer', entry.consumer);
  add('Token', entry.token);
  add('Signature method', entry.signatureMethod);
  add('Acceptable timestamps', entry.acceptableTimestamps);
  const offset = entry.timestampOffsetSeconds;
  if (offset !== undefined) {
    add('Timestamp', `${Math.abs(offset)} s ${offset < 0 ? 'behind' : 'ahead of'} the sandbox's clock`);
  }
  add('Received', entry.time);
  return list;
}

function causes(entry: InspectorEntry): HTMLElement | undefined {
  const [first, ...others] = entry.causes;
  if (first === undefined) {
    if (entry.verdict === 'verified') return undefined;
    return entry.advice === undefined ? undefined : section('Likely cause', el('p', {}, entry.advice));
  }
  const foundBy =
    first.foundBy === 'diagnosis'
      ? first.cause === undefined
        ? 'The sandbox tried the classic mistakes against the signature; none reproduced it.'
        : 'Proven: the signature verifies against this mistake.'
      : 'Reasoned from what the sandbox answered.';
  return section(
    'Likely cause',
    el(
      'p',
      { class: 'cause' },
      first.cause === undefined ? undefined : el('strong', { class: 'cause-name' }, first.cause),
      first.cause === undefined ? undefined : ' — ',
      first.explanation,
    ),
    el('p', { class: 'help' }, foundBy),
    others.length === 0
      ? undefined
      : el(
          'div',
          {},
          el('p', {}, 'Also possible:'),
          el(
            'ol',
            {},
            ...others.map((other) => el('li', {}, el('strong', {}, other.cause ?? ''), ' — ', other.explanation)),
          ),
        ),
  );
}

function baseStrings(entry: InspectorEntry): HTMLElement | undefined {
  if (entry.baseString === undefined) return undefined;
  const notes: Array<string | undefined> = [];
  if (entry.verdict === 'verified')
    notes.push('The signature verified against this base string: the client signed the same.');
  if (entry.baseStringRebuilt) {
    notes.push(
      'The sandbox refused the request before checking its signature; this is the base string it computes for it.',
    );
  }
  if (entry.clientBaseStringFrom === 'reproduced') {
    notes.push(
      "The client's base string is rebuilt: the signature verifies against it, so this is what the client signed.",
    );
  } else if (entry.clientBaseStringFrom === 'sent') {
    notes.push(
      "The client's base string is the one it sent in X-Countersign-Base-String (not checked against the signature).",
    );
  } else if (entry.verdict === 'refused' && entry.problem === 'signature_invalid') {
    notes.push(
      "The client's base string could not be rebuilt: no classic mistake reproduces the signature. Send it in an X-Countersign-Base-String header to see it here, or paste it in the comparison below.",
    );
  }
  return section(
    'Base strings',
    ...notes.map((note) => (note === undefined ? undefined : el('p', { class: 'help' }, note))),
    // A reproduced mistake's base string always differs from the sandbox's: equal once redacted, they differ inside a password.
    baseStringsView(entry.baseString, entry.clientBaseString, SIDES, entry.clientBaseStringFrom === 'reproduced'),
    el('h4', {}, 'Parameters as signed'),
    signedTable(entry.baseString, entry.clientBaseString, SIDES),
  );
}

function received(entry: InspectorEntry): HTMLElement {
  const rows = entry.parameters.map((parameter) =>
    el(
      'tr',
      {},
      el('td', {}, parameter.source),
      el('th', { scope: 'row' }, code(parameter.name)),
      el('td', {}, code(parameter.value)),
    ),
  );
  const table =
    rows.length === 0
      ? el('p', {}, 'No parameters.')
      : el(
          'table',
          { class: 'parameters' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', { scope: 'col' }, 'From'),
              el('th', { scope: 'col' }, 'Name'),
              el('th', { scope: 'col' }, 'Value (decoded)'),
            ),
          ),
          el('tbody', {}, ...rows),
        );
  const wire = el('dl', { class: 'facts' });
  const add = (term: string, value: string | undefined) => {
    if (value !== undefined) wire.append(el('dt', {}, term), el('dd', {}, el('pre', { class: 'wire' }, value)));
  };
  add('URL', entry.url);
  add('Authorization', entry.authorization);
  add('Content-Type', entry.contentType);
  add('Body', entry.body);
  return section(
    'The request as received',
    table,
    entry.parametersNote === undefined ? undefined : el('p', { class: 'help' }, entry.parametersNote),
    wire,
  );
}

/** The sandbox's own words, when the likely cause does not already say them. */
function said(entry: InspectorEntry): HTMLElement | undefined {
  const first = entry.causes[0];
  if (entry.advice === undefined || first === undefined || entry.advice.includes(first.explanation)) return undefined;
  return section('What the sandbox said', el('p', {}, entry.advice));
}

/** Shows one request in the details panel. */
export function showDetail(container: HTMLElement, heading: HTMLElement, entry: InspectorEntry): void {
  heading.textContent = `${entry.method} ${pathOf(entry.url)}`;
  fill(
    container,
    el('p', { class: 'summary' }, verdictBadge(entry), ' ', entry.problem === undefined ? '' : code(entry.problem)),
    facts(entry),
    causes(entry),
    said(entry),
    baseStrings(entry),
    received(entry),
  );
}
