import { formDecode, percentEncode } from './encode.ts';

/**
 * What we print instead of a secret value.
 * @example
 * ```ts
 * redactForm('x_auth_password=hunter2'); // `x_auth_password=${REDACTED}`
 * ```
 */
export const REDACTED = '[redacted]';

// x_auth_password, any *password*, oauth_token_secret, client_secret: values never to print.
const SENSITIVE_NAME = /password|secret/i;

/**
 * True when a parameter's value must never be printed.
 * @example
 * ```ts
 * isSensitiveName('x_auth_password'); // true
 * isSensitiveName('oauth_token'); // false
 * ```
 */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** A name, decoded as a form decodes it (a malformed escape stays as written). */
function decodedName(raw: string): string {
  return raw.includes('%') || raw.includes('+') ? formDecode(raw) : raw;
}

/**
 * Replaces the values of sensitive parameters in a query string or form body, keeping
 * everything else byte for byte so the result still lines up with what was sent. Each name
 * is decoded on its own, so a malformed escape elsewhere cannot hide `pass%77ord`.
 * @example
 * ```ts
 * redactForm('x_auth_username=bob&x_auth_password=hunter2'); // 'x_auth_username=bob&x_auth_password=[redacted]'
 * ```
 */
export function redactForm(text: string, signatureIsSecret = false): string {
  const signature = signatureIsSecret && /oauth(?:_|%5F)signature/i.test(text);
  if (!signature && !SENSITIVE_NAME.test(text) && !text.includes('%')) return text;
  let out = '';
  let start = 0;
  // The next '=' is found once and kept until the pairs reach it: searching from every pair
  // made `a&a&a…` quadratic (1 MB took 2 s).
  let equals = text.indexOf('=');
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (equals !== -1 && equals < start) equals = text.indexOf('=', start);
    let piece = text.slice(start, end);
    if (equals !== -1 && equals < end) {
      const name = decodedName(text.slice(start, equals));
      if (isSensitiveName(name) || (signatureIsSecret && name === 'oauth_signature')) {
        piece = `${text.slice(start, equals)}=${REDACTED}`;
      }
    }
    out += start === 0 ? piece : `&${piece}`;
    start = end + 1;
  }
  return out;
}

/** A lookup table of the ASCII characters `pattern` matches. */
function asciiTable(pattern: RegExp): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) table[code] = pattern.test(String.fromCharCode(code)) ? 1 : 0;
  return table;
}

// Characters of a name in free text ([\w.%-]), and those that end an unquoted value: not a
// space, since a password may hold one and free text has no other way to say where it ends
// (more is redacted rather than less). Pure, so a bundle that never redacts free text (the
// signer alone) leaves them out.
const NAME_CHAR = /* @__PURE__ */ asciiTable(/[\w.%-]/);
const VALUE_STOP = /* @__PURE__ */ asciiTable(/[&\r\n",;}<]/);
const isNameChar = (code: number) => code < 128 && NAME_CHAR[code] === 1;
const endsValue = (code: number) => code < 128 && VALUE_STOP[code] === 1;
// A quoted value ends at its closing quote (a backslash escapes one) or the line's end.
const endsQuoted = (code: number) => code === 34 || code === 10 || code === 13;
const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13);

/** The length of `%3D` or `%253D` (an `=` encoded once or twice) at `at`, else 0. */
function encodedEqualsAt(text: string, at: number): number {
  if (text.charCodeAt(at) !== 37) return 0;
  const next = text.slice(at + 1, at + 5).toUpperCase();
  if (next.startsWith('3D')) return 3;
  if (next === '253D') return 5;
  return 0;
}

function secretInText(name: string): boolean {
  const decoded = decodedName(name);
  return isSensitiveName(decoded) || /oauth_signature$/i.test(decoded);
}

/** Where the value after a name starts (past `"? : "?` or `=`, else -1), and whether it is quoted. */
function valueAfterSeparator(text: string, at: number): { start: number; quoted: boolean } {
  let i = at;
  if (text.charCodeAt(i) === 34) i++;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const separator = text.charCodeAt(i);
  if (separator !== 58 && separator !== 61) return { start: -1, quoted: false };
  i++;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const quoted = text.charCodeAt(i) === 34;
  return { start: quoted ? i + 1 : i, quoted };
}

/** Where a quoted value ends: its closing quote, a backslash escaping one, or the line's end. */
function quotedValueEnd(text: string, from: number): number {
  let at = from;
  while (at < text.length && !endsQuoted(text.charCodeAt(at))) at += text.charCodeAt(at) === 92 ? 2 : 1;
  return Math.min(at, text.length);
}

/**
 * Redacts secrets anywhere in free text: a provider's error body (form, JSON, lines,
 * HTML), a message quoting it. Every value after a `*password*` or `*secret*` name (also
 * written with percent-escapes), and every `oauth_signature` (PLAINTEXT's is the secrets),
 * becomes `[redacted]`: a quoted value to its closing quote, spaces included; an unquoted
 * one to the next `&`, `,`, `;`, `}`, `<`, quote or line end. One pass over the text: a provider's answer must not be able to
 * make redaction slow (a backtracking pattern took a minute on 12 KB).
 * @example
 * ```ts
 * redactText('{"oauth_token":"t","oauth_token_secret":"s3cr3t"}'); // '{"oauth_token":"t","oauth_token_secret":"[redacted]"}'
 * ```
 */
export function redactText(text: string): string {
  if (!text.includes('%') && !/password|secret|oauth_signature/i.test(text)) return text;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (!isNameChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const tokenEnd = scanWhile(text, i, isNameChar);
    // A name ends at an encoded `=` inside the run, or at the run's end before `=` or `:`.
    let nameStart = i;
    let valueStart = -1;
    let quoted = false;
    for (let at = i; at < tokenEnd; at++) {
      const width = encodedEqualsAt(text, at);
      if (width === 0) continue;
      if (secretInText(text.slice(nameStart, at))) {
        valueStart = at + width;
        break;
      }
      nameStart = at + width;
      at += width - 1;
    }
    if (valueStart === -1 && secretInText(text.slice(nameStart, tokenEnd))) {
      ({ start: valueStart, quoted } = valueAfterSeparator(text, tokenEnd));
    }
    const valueEnd =
      valueStart === -1
        ? -1
        : quoted
          ? quotedValueEnd(text, valueStart)
          : scanWhile(text, valueStart, (code) => !endsValue(code));
    if (valueEnd > valueStart) {
      out += text.slice(copied, valueStart) + REDACTED;
      copied = valueEnd;
      i = valueEnd;
    } else i = tokenEnd;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function scanWhile(text: string, from: number, test: (code: number) => boolean): number {
  let at = from;
  while (at < text.length && test(text.charCodeAt(at))) at++;
  return at;
}

/**
 * Redacts sensitive parameters inside a URL's query, and the password of a
 * `user:password@` in its authority.
 * @example
 * ```ts
 * redactUrl('https://api.example.com/login?user=bob&password=hunter2');
 * // 'https://api.example.com/login?user=bob&password=[redacted]'
 * ```
 */
export function redactUrl(url: string, signatureIsSecret = false): string {
  const withoutPassword = redactUserinfo(url);
  const question = withoutPassword.indexOf('?');
  if (question === -1) return withoutPassword;
  const hash = withoutPassword.indexOf('#', question);
  const end = hash === -1 ? withoutPassword.length : hash;
  return (
    withoutPassword.slice(0, question + 1) +
    redactForm(withoutPassword.slice(question + 1, end), signatureIsSecret) +
    withoutPassword.slice(end)
  );
}

/** `scheme://user:password@host…` with the password redacted (the whole authority up to its last `@`). */
function redactUserinfo(url: string): string {
  const slashes = url.indexOf('//');
  if (slashes === -1) return url;
  const authorityStart = slashes + 2;
  let authorityEnd = url.length;
  for (const stop of ['/', '?', '#']) {
    const at = url.indexOf(stop, authorityStart);
    if (at !== -1 && at < authorityEnd) authorityEnd = at;
  }
  const at = url.lastIndexOf('@', authorityEnd - 1);
  if (at < authorityStart) return url;
  const colon = url.indexOf(':', authorityStart);
  if (colon === -1 || colon > at) return url;
  return `${url.slice(0, colon + 1)}${REDACTED}${url.slice(at)}`;
}

/**
 * Redacts a signature base string (RFC 5849 §3.4.1.1): its third part is the encoded
 * parameter string, so sensitive values are found after one level of decoding.
 * @example
 * ```ts
 * redactBaseString('POST&https%3A%2F%2Fapi.x.com%2Foauth%2Faccess_token&x_auth_password%3Dhunter2');
 * // 'POST&https%3A%2F%2Fapi.x.com%2Foauth%2Faccess_token&x_auth_password%3D%5Bredacted%5D'
 * ```
 */
export function redactBaseString(baseString: string): string {
  // Letters are never percent-encoded in a base string, so a sensitive name shows as it is.
  if (!SENSITIVE_NAME.test(baseString)) return baseString;
  const parts = baseString.split('&');
  if (parts.length !== 3) return baseString;
  const parameterString = safeDecode(parts[2] as string);
  const redacted = redactForm(parameterString);
  if (redacted === parameterString) return baseString;
  return `${parts[0]}&${parts[1]}&${percentEncode(redacted)}`;
}

/**
 * Redacts sensitive values in an `Authorization: OAuth …` header. With PLAINTEXT the
 * signature is the secrets themselves, so `oauth_signature` is redacted too.
 * @example
 * ```ts
 * redactAuthorizationHeader('OAuth oauth_signature_method="PLAINTEXT", oauth_signature="secret%26"', true);
 * // 'OAuth oauth_signature_method="PLAINTEXT", oauth_signature="[redacted]"'
 * ```
 */
export function redactAuthorizationHeader(header: string, signatureIsSecret = false): string {
  // The lookbehind lets a name start only where a run of name characters starts, so a long
  // run without `="` is tried once, not once per character.
  return header.replace(/(?<![A-Za-z0-9\-._~%])([A-Za-z0-9\-._~%]+)="([^"]*)"/g, (whole, name: string) =>
    isSensitiveName(safeDecode(name)) || (signatureIsSecret && safeDecode(name) === 'oauth_signature')
      ? `${name}="${REDACTED}"`
      : whole,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Makes `JSON.stringify` and `util.inspect` of an object show `view()` instead of its
 * own fields, so an object that has to carry a secret never prints it. The object keeps
 * working as before: the two printing hooks are added as non-enumerable properties, which
 * object spread and `Object.keys` leave out. Adapters use it on their host library's
 * errors and configs.
 * @example
 * ```ts
 * const config = printAs({ url, password }, () => ({ url, password: REDACTED }));
 * JSON.stringify(config); // '{"url":"…","password":"[redacted]"}'
 * ```
 */
export function printAs<T extends object>(target: T, view: () => object): T {
  Object.defineProperty(target, 'toJSON', { value: view, enumerable: false, configurable: true });
  Object.defineProperty(target, INSPECT, {
    configurable: true,
    value: (_depth: number, options: object, inspect: (value: unknown, options: object) => string) =>
      inspect(view(), options),
    enumerable: false,
  });
  return target;
}
