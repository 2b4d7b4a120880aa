import {
  inertText,
  isFormContentType,
  isSensitiveName,
  REDACTED,
  redactAuthorizationHeader,
  redactBaseString,
  redactForm,
  redactText,
  redactUrl,
} from '@countersign/core';

// A private key has no parameter name to find it by: its PEM armour is the name.
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/** Text for the page: a private key's PEM block redacted, control characters made inert, at most `max` characters. */
export function inert(text: string, max: number): string {
  const unkeyed = text.includes('PRIVATE KEY-----') ? text.replace(PEM_PRIVATE_KEY, REDACTED) : text;
  return inertText(unkeyed, max);
}

/** Free text from a request or a refusal (advice, a JSON body): secrets redacted first, then made inert. */
export function shownText(text: string, max: number): string {
  return inert(redactText(text), max);
}

/**
 * A base string for the page: redacted (passwords and secrets, RFC 5849 base strings hold no
 * other secret), and cut with a marker saying how much was left out. Redacted whole before
 * it is cut, so a value cut in half is still found by its name.
 */
export function shownBaseString(baseString: string, max: number): string {
  const redacted = redactBaseString(baseString);
  if (redacted.length <= max) return inert(redacted, max);
  return `${inert(redacted.slice(0, max), max)} …[cut: ${redacted.length - max} more characters]`;
}

/** A URL: sensitive query values redacted, and `oauth_signature` too when it is the secrets (PLAINTEXT). */
export function shownUrl(url: string, signatureIsSecret: boolean, max: number): string {
  return inert(redactUrl(url, signatureIsSecret), max);
}

/**
 * An Authorization header: an OAuth header with its sensitive values (and a PLAINTEXT
 * signature) redacted; any other scheme (Basic carries a password) shows its name only.
 */
export function shownAuthorization(header: string, signatureIsSecret: boolean, max: number): string {
  const scheme = /^\s*([A-Za-z][\w.~+/-]*)/.exec(header)?.[1];
  if (scheme === undefined) return REDACTED;
  if (scheme.toLowerCase() !== 'oauth') return `${inert(scheme, 40)} ${REDACTED}`;
  return inert(redactAuthorizationHeader(header, signatureIsSecret), max);
}

const READ_AT_MOST = 64 * 1024;

const MENTIONS_SECRET = /password|secret|oauth_signature|private key/i;

/** Whether a text names a secret, also behind percent-escapes (`pass%77ord`). */
function mentionsSecret(text: string): boolean {
  if (MENTIONS_SECRET.test(text)) return true;
  if (!text.includes('%')) return false;
  try {
    return MENTIONS_SECRET.test(decodeURIComponent(text));
  } catch {
    return false;
  }
}

/**
 * A JSON value with every `*password*` / `*secret*` member's value (and a PLAINTEXT
 * signature) redacted, whatever it holds; a string that merely mentions one (`"password=…"`
 * inside another member) is redacted whole, since free text has no reliable end for its value.
 */
function redactedJson(value: unknown, signatureIsSecret: boolean): unknown {
  if (typeof value === 'string') return mentionsSecret(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redactedJson(item, signatureIsSecret));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    const secret = isSensitiveName(name) || (signatureIsSecret && name === 'oauth_signature');
    out[name] = secret ? REDACTED : redactedJson(member, signatureIsSecret);
  }
  return out;
}

// name=value pairs with no space anywhere: form-shaped text under another Content-Type, which
// form redaction reads exactly (a value cannot run past its &).
const FORM_SHAPED = /^[^\s=&]+=[^\s&]*(?:&[^\s=&]+=[^\s&]*)*$/;

/**
 * The start of a body for the page. A form (or form-shaped text) with its sensitive values
 * redacted, JSON with its sensitive members redacted as a structure; anything else only by
 * its size and type: free text has no reliable edges for a secret (a quoted password with a
 * space in it runs past where free-text redaction stops), and the signature does not depend
 * on it beyond its bytes.
 */
export function shownBody(
  body: Uint8Array,
  contentType: string | undefined,
  signatureIsSecret: boolean,
  max: number,
): string {
  if (body.byteLength === 0) return '';
  const described = `(${body.byteLength} bytes${contentType === undefined ? '' : ` of ${inert(contentType, 80)}`}, not shown: the inspector shows form and JSON bodies)`;
  if (body.byteLength > READ_AT_MOST && !isFormContentType(contentType)) return described;
  let text: string;
  try {
    // Streaming and never flushed, so a character cut at the 64 KB mark is not taken for bad UTF-8.
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, READ_AT_MOST), { stream: true });
  } catch {
    return described;
  }
  if (isFormContentType(contentType) || FORM_SHAPED.test(text)) return inert(redactForm(text, signatureIsSecret), max);
  if (/json/i.test(contentType ?? '') || /^\s*[{[]/.test(text)) {
    try {
      return inert(JSON.stringify(redactedJson(JSON.parse(text), signatureIsSecret)), max);
    } catch {
      return described;
    }
  }
  return described;
}
