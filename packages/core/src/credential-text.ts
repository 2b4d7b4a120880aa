import { CountersignError } from './errors.ts';

// Characters no provider puts in a key, token or secret, and copying one brings along:
// C0 (CR from a CRLF .env file, a line feed, a tab), DEL, C1, the zero-width and
// bidirectional format characters (U+061C, U+200B-U+200F, U+202A-U+202E, U+2060-U+2064,
// U+2066-U+2069) and the byte-order mark a Windows editor writes first.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters looked for.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * Checks a credential given to the signer: one with a control or invisible character in it is
 * a copy-paste leftover. Signed as it is, the provider refused it as `signature_invalid` or an
 * unknown key, far from the cause. The value is never quoted. Spaces stay allowed, at the ends
 * too: RFC 5849 keys and secrets are opaque strings, and §3.6 encodes a space like any other.
 */
export function checkCredential(value: string, name: string): string {
  const invisible = INVISIBLE.exec(value);
  if (invisible !== null) {
    const code = `U+${invisible[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new CountersignError(
      'invalid_option',
      `${name}: contains ${code}, a control or invisible character no provider issues (a line ending from a .env file, a zero-width space or a byte-order mark copied with it): remove it.`,
    );
  }
  return value;
}
