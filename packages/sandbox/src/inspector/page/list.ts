import type { InspectorEntry } from '../entry.ts';
import { code, el } from './dom.ts';
import { pathOf, verdictBadge } from './verdict.ts';

function clock(time: string): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString();
}

function item(entry: InspectorEntry): HTMLLIElement {
  const button = el(
    'button',
    { type: 'button', id: `request-${entry.id}`, 'data-id': String(entry.id), tabindex: '-1' },
    el(
      'span',
      { class: 'line' },
      verdictBadge(entry),
      ' ',
      el('span', { class: 'status' }, entry.status === 0 ? 'no answer' : String(entry.status)),
      entry.problem === undefined ? undefined : ' ',
      entry.problem === undefined ? undefined : code(entry.problem),
    ),
    el(
      'span',
      { class: 'line request' },
      el('span', { class: 'method' }, entry.method),
      ' ',
      el('span', { class: 'path' }, pathOf(entry.url)),
    ),
    el(
      'span',
      { class: 'line meta' },
      entry.consumer === undefined ? 'no consumer key' : 'consumer ',
      entry.consumer === undefined ? undefined : code(entry.consumer),
      ' · ',
      el('time', { datetime: entry.time }, clock(entry.time)),
    ),
  );
  return el('li', {}, button);
}

/**
 * The list of requests, newest first, as a list of buttons with one tab stop: arrow keys,
 * Home and End move between them, Enter (or a click) opens one. Keeps at most `maxRequests`.
 */
export function createRequestList(
  list: HTMLOListElement,
  empty: HTMLElement,
  open: (entry: InspectorEntry, button: HTMLButtonElement) => void,
) {
  const entries = new Map<number, InspectorEntry>();
  let maxRequests = 300;

  const buttons = () => [...list.querySelectorAll<HTMLButtonElement>('button[data-id]')];

  function focusable(target: HTMLButtonElement): void {
    for (const button of buttons()) button.tabIndex = button === target ? 0 : -1;
  }

  list.addEventListener('keydown', (event) => {
    const all = buttons();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (at === -1) return;
    const next =
      event.key === 'ArrowDown'
        ? Math.min(at + 1, all.length - 1)
        : event.key === 'ArrowUp'
          ? Math.max(at - 1, 0)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? all.length - 1
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    const target = all[next] as HTMLButtonElement;
    focusable(target);
    target.focus();
  });

  list.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-id]');
    const entry = button === null ? undefined : entries.get(Number(button.dataset.id));
    if (button === null || entry === undefined) return;
    for (const other of buttons()) other.removeAttribute('aria-current');
    button.setAttribute('aria-current', 'true');
    focusable(button);
    open(entry, button);
  });

  return {
    setMaxRequests(value: number): void {
      maxRequests = value;
    },
    add(entry: InspectorEntry): void {
      if (entries.has(entry.id)) return;
      entries.set(entry.id, entry);
      list.prepend(item(entry));
      while (list.children.length > maxRequests) {
        const last = list.lastElementChild as HTMLLIElement;
        entries.delete(Number(last.querySelector('button')?.dataset.id));
        last.remove();
      }
      if (!buttons().some((button) => button.tabIndex === 0)) focusable(buttons()[0] as HTMLButtonElement);
      empty.hidden = list.children.length > 0;
    },
    clear(): void {
      entries.clear();
      list.replaceChildren();
      empty.hidden = false;
    },
    get size(): number {
      return entries.size;
    },
  };
}
