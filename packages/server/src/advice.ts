// What advice may quote from a request: a short name from a token-like alphabet. Anything
// else (CR/LF that forges a log line, an escape sequence for a terminal, a megabyte that
// the answer would echo) is described, never quoted.
const SAFE_NAME = /^[A-Za-z0-9_.~\-[\]]{1,64}$/;
// C0 and C1 controls, DEL, line and paragraph separators, and every Bidi_Control character
// (U+061C, U+200E/F, U+202A-E, U+2066-9): the set core's inertText neutralises.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A parameter name for advice: quoted when it is short and from a token alphabet,
 * otherwise a description.
 */
export function quotedName(name: string): string {
  return SAFE_NAME.test(name) ? name : 'a parameter whose name is not shown (not a plain token)';
}

/** A value such as a signature method name, quoted only when it is plainly a token. */
export function quotedToken(value: string): string {
  return SAFE_NAME.test(value) ? JSON.stringify(value) : 'a value that is not a plain token (not shown)';
}

/** The last guard on advice text: nothing that could start a new line or move a cursor. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '?');
}
