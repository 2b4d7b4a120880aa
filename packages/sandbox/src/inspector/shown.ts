import {
  inertText,
  isFormContentType,
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

/**
 * The start of a body for the page: a form with its sensitive values redacted, JSON or text
 * through free-text redaction; a multipart body (its parts name fields in a way free-text
 * redaction does not read) or bytes that are not UTF-8 only by their size.
 */
export function shownBody(
  body: Uint8Array,
  contentType: string | undefined,
  signatureIsSecret: boolean,
  max: number,
): string {
  if (body.byteLength === 0) return '';
  const size = `${body.byteLength} bytes`;
  if (/^\s*multipart\//i.test(contentType ?? '')) return `(a multipart body of ${size}, not shown)`;
  let text: string;
  try {
    // Streaming and never flushed, so a character cut at the 64 KB mark is not taken for bad UTF-8.
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, READ_AT_MOST), { stream: true });
  } catch {
    return `(${size}, not UTF-8 text)`;
  }
  const redacted = isFormContentType(contentType) ? redactForm(text, signatureIsSecret) : redactText(text);
  return inert(redacted, max);
}
