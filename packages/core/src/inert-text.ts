/**
 * Text that came from a server (an `oauth_problem`, an error body, a token response's
 * extras), made safe to put in a message, a log line or a terminal: control characters
 * (C0, DEL, C1, and the bidirectional overrides that reorder what a terminal shows) are
 * written out as `\u001b` and the like, line breaks become spaces, and it is cut to
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
  const cut = text.length > maxLength * 2 ? text.slice(0, maxLength * 2) : text;
  const keepLines = options.keepLines === true;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being neutralised.
  const inert = cut.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (character) => {
    if (keepLines && (character === '\n' || character === '\t')) return character;
    if (character === '\n' || character === '\r' || character === '\t') return ' ';
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
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters looked for.
  return /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(text);
}
