import type { InspectorEntry } from '../entry.ts';
import { el } from './dom.ts';

const WORDS: Record<InspectorEntry['verdict'], { symbol: string; text: string }> = {
  verified: { symbol: '✓', text: 'Verified' },
  refused: { symbol: '✗', text: 'Refused' },
  'not verified': { symbol: '–', text: 'Not verified' },
};

/** The verdict as a badge: a symbol and a word, so it never rests on colour alone. */
export function verdictBadge(entry: InspectorEntry): HTMLElement {
  const words = WORDS[entry.verdict] ?? WORDS['not verified'];
  return el(
    'span',
    { class: `verdict verdict-${entry.verdict.replace(' ', '-')}` },
    el('span', { 'aria-hidden': 'true' }, `${words.symbol} `),
    words.text,
  );
}

/** The path and query of an entry's URL (the origin is always the sandbox's). */
export function pathOf(url: string): string {
  const match = /^https?:\/\/[^/?#]*/.exec(url);
  return match === null ? url : url.slice(match[0].length) || '/';
}
