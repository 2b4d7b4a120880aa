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

/**
 * Replaces the values of sensitive parameters in a query string or form body, keeping
 * everything else byte for byte so the result still lines up with what was sent.
 * @example
 * ```ts
 * redactForm('x_auth_username=bob&x_auth_password=hunter2'); // 'x_auth_username=bob&x_auth_password=[redacted]'
 * ```
 */
export function redactForm(text: string, signatureIsSecret = false): string {
  const signature = signatureIsSecret && text.includes('oauth_signature');
  if (!signature && !SENSITIVE_NAME.test(text) && !SENSITIVE_NAME.test(safeDecode(text))) return text;
  return text
    .split('&')
    .map((piece) => {
      const equals = piece.indexOf('=');
      if (equals === -1) return piece;
      const name = formDecode(piece.slice(0, equals));
      return isSensitiveName(name) || (signatureIsSecret && name === 'oauth_signature')
        ? `${piece.slice(0, equals)}=${REDACTED}`
        : piece;
    })
    .join('&');
}

// A sensitive name (or any oauth_signature) followed by `=`, `%3D`, `:` or `":"`, then its
// value up to the next separator: the shapes a secret takes in a provider's free text.
const SECRET_IN_TEXT =
  /((?:[\w.%-]*(?:password|secret)[\w.%-]*|oauth_signature)(?:"?\s*[:=]\s*"?|%3D|%253D))([^&\s",;}<]+)/gi;

/**
 * Redacts secrets anywhere in free text: a provider's error body (form, JSON, lines,
 * HTML), a message quoting it. Every value after a `*password*` or `*secret*` name, and
 * every `oauth_signature` (PLAINTEXT's is the secrets), becomes `[redacted]`.
 * @example
 * ```ts
 * redactText('{"oauth_token":"t","oauth_token_secret":"s3cr3t"}'); // '{"oauth_token":"t","oauth_token_secret":"[redacted]"}'
 * ```
 */
export function redactText(text: string): string {
  return text.replace(SECRET_IN_TEXT, (_whole, name: string) => `${name}${REDACTED}`);
}

/**
 * Redacts sensitive parameters inside a URL's query.
 * @example
 * ```ts
 * redactUrl('https://api.example.com/login?user=bob&password=hunter2');
 * // 'https://api.example.com/login?user=bob&password=[redacted]'
 * ```
 */
export function redactUrl(url: string, signatureIsSecret = false): string {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const hash = url.indexOf('#', question);
  const end = hash === -1 ? url.length : hash;
  return url.slice(0, question + 1) + redactForm(url.slice(question + 1, end), signatureIsSecret) + url.slice(end);
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
  return header.replace(/([A-Za-z0-9\-._~%]+)="([^"]*)"/g, (whole, name: string) =>
    isSensitiveName(safeDecode(name)) || (signatureIsSecret && name === 'oauth_signature')
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
 * own fields, so a returned object that has to carry a secret never prints it.
 */
export function printAs<T extends object>(target: T, view: () => object): T {
  Object.defineProperty(target, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(target, INSPECT, {
    value: (_depth: number, options: object, inspect: (value: unknown, options: object) => string) =>
      inspect(view(), options),
    enumerable: false,
  });
  return target;
}
