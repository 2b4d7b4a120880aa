import { CountersignError } from './errors.ts';

// C0, DEL, C1, every Bidi_Control character (Unicode PropList: U+061C, U+200E/F, U+202A-E,
// U+2066-9) and the line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being neutralised.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const NEUTRALISED = new RegExp(CONTROL.source, 'g');
// U+2028/U+2029 end a line in JSON viewers, editors and some log tools, as a line feed does.
const LINE_BREAKS = new Set(['\n', '\r', '\t', '\u2028', '\u2029']);

/**
 * Text that came from a server (an `oauth_problem`, an error body, a token response's
 * extras), made safe to put in a message, a log line or a terminal: control characters
 * (C0, DEL, C1, and the bidirectional controls that reorder what a terminal shows) are
 * written out as `\u001b` and the like, line breaks (U+2028 and U+2029 too) become spaces, and it is cut to
 * `maxLength` characters with an ellipsis. A provider must not be able to draw on the
 * user's terminal, forge log lines or flood them. With `keepLines`, line feeds and tabs stay
 * (for multi-line output a program writes itself, such as a CLI's messages).
 *
 * @example
 * ```ts
 * inertText('signature_invalid\n\u001b[31mFAKE', 80); // 'signature_invalid \\u001b[31mFAKE'
 * ```
 */
export function inertText(text: string, maxLength: number, options: { keepLines?: boolean } = {}): string {
  if (typeof text !== 'string') throw new CountersignError('invalid_option', 'inertText: expected a string.');
  // NaN passed every length check: the text came back uncut.
  if (!(maxLength >= 1)) {
    throw new CountersignError('invalid_option', 'maxLength: expected a number of characters, 1 or more.');
  }
  const cut = text.length > maxLength * 2 ? text.slice(0, maxLength * 2) : text;
  const keepLines = options.keepLines === true;
  const inert = cut.replace(NEUTRALISED, (character) => {
    if (keepLines && (character === '\n' || character === '\t')) return character;
    if (LINE_BREAKS.has(character)) return ' ';
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return inert.length > maxLength ? `${inert.slice(0, maxLength - 1)}…` : inert;
}

/**
 * True when a text holds a character {@link inertText} would neutralise.
 *
 * @example
 * ```ts
 * hasControlCharacters('https://app.example/cb\r\nSet-Cookie: x'); // true
 * ```
 */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}
