import { ServerError } from './errors.ts';

// RFC 9110 §7.2 Host: a registered name, IPv4 or bracketed IPv6 literal, optional port.
const HOST = /^(?:[A-Za-z0-9\-._~]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
// RFC 9112 §3.2: a request target is printable ASCII. Anything else (space, controls,
// raw UTF-8 read as Latin-1) would be escaped by a URL parser into other text.
const PRINTABLE = /^[\x21-\x7e]*$/;
const ORIGIN = /^(https?):\/\/([^/?#\\]*)$/i;
// WHATWG's path percent-encode set is C0 controls, space, " # < > ? ` { } and non-ASCII;
// a path of other printable characters is kept as written, dot segments aside.
const PLAIN_PATH = /^[!$-;=@-[\]-_a-z|~]*$/;
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

// The Host grammar above passes some hosts WHATWG's host parser refuses (a port over 65535,
// a last label of digits read as IPv4, an IPv4 address out of range): node:http hands them
// on as sent, and the parser's TypeError became a 500. Each URL built from a host is parsed
// here, so such a host is a 400 (or an option mistake) instead.
function parsedUrl(text: string, mistake: () => ServerError): URL {
  try {
    return new URL(text);
  } catch {
    throw mistake();
  }
}

const badHost = () => new ServerError('invalid_request', 'The Host header is missing or malformed.');

function refuse(reason: string): ServerError {
  return new ServerError('invalid_request', `The request target ${reason}; send the path as the server routes it.`);
}

/**
 * Checks that a request target (`/path?query`, as the client sent it) means the same text to
 * a router and to a URL parser. WHATWG parsing reads `\` as `/` (so `/\other.host/x` names
 * another host), removes dot segments in any encoding (`/a/%2e%2e/b` is `/b`), treats `//x`
 * as a host and drops a fragment, while Express and node:http route on the raw text: the
 * URL verified would not be the path served. Such targets are refused (400), never
 * repaired, since any repair verifies one path and serves another.
 */
export function checkRequestTarget(target: string): void {
  if (target === '' || target.charCodeAt(0) !== 0x2f) {
    throw refuse('must be a path (origin-form, RFC 9112 §3.2.1): absolute-form and * are not served here');
  }
  if (!PRINTABLE.test(target)) throw refuse('holds a space, a control character or non-ASCII text');
  if (target.includes('#')) throw refuse('holds a fragment (#), which clients never send');
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  if (path.startsWith('//')) throw refuse('starts with //, which a URL parser reads as a host');
  if (path.includes('\\')) throw refuse('holds a backslash, which a URL parser reads as /');
  // The common path (no character a parser escapes, no dot segment in any spelling) cannot
  // change: no need to parse it. Measured: a URL parse per request is a visible share of a
  // verifying server's time.
  if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path)) return;
  // Whatever else a parser would rewrite in the path (dot segments, %2e%2e, characters it
  // escapes) shows as a difference: the path must come out as it went in.
  let parsed: string;
  try {
    parsed = new URL(path, 'http://h').pathname;
  } catch {
    throw refuse('is not a valid path');
  }
  if (parsed !== path) throw refuse('has dot segments or characters a URL parser rewrites');
}

/**
 * The origin (`https://host[:port]`) an app configures, checked once: scheme and host only.
 */
export function checkOrigin(origin: string, option = 'origin'): string {
  // An app passes one origin for every request: checked (and parsed) once.
  if (origin === lastOrigin?.[0] && option === lastOrigin[1]) return lastOrigin[2];
  const match = typeof origin === 'string' ? ORIGIN.exec(origin.endsWith('/') ? origin.slice(0, -1) : origin) : null;
  const mistake = () =>
    new ServerError(
      'invalid_option',
      `${option}: expected the scheme and host clients sign for, such as https://api.example.com (no path).`,
    );
  if (match === null || !HOST.test(match[2] as string)) throw mistake();
  const checked = `${(match[1] as string).toLowerCase()}://${match[2]}`;
  parsedUrl(checked, mistake);
  lastOrigin = [origin, option, checked];
  return checked;
}

let lastOrigin: [string, string, string] | undefined;

/** True for a well-formed Host header value. */
export function isHost(value: string): boolean {
  return value.length <= 255 + 6 && HOST.test(value);
}

/** A Host header value, checked: the host the client addressed. */
export function checkHost(host: string | undefined): string {
  if (host === undefined || !HOST.test(host)) throw badHost();
  return host;
}

/** A checked Host header's host as a URL parser reads it (lowercased, default port dropped). */
export function hostOf(protocol: string, host: string): string {
  return parsedUrl(`${protocol}//${host}`, badHost).host;
}

/**
 * The absolute URL of a target on an origin, both checked first: the parser then only
 * splits the text, since the checks made sure it changes nothing.
 */
export function urlOnOrigin(origin: string, target: string): URL {
  return parsedUrl(origin + target, badHost);
}

/**
 * An absolute URL given as text (`request.url` of `verifyRequest`), checked like a request
 * target: its path must be the one a router sees.
 */
export function checkedAbsoluteUrl(text: string): URL | undefined {
  // A server verifies the same URL over and over (an LTI launch URL): the last one that
  // passed is not checked again.
  if (text === lastChecked) return new URL(text);
  const match = /^(https?:\/\/[^/?#\\]*)(.*)$/i.exec(text);
  if (match === null) return undefined;
  const origin = match[1] as string;
  const rest = match[2] as string;
  const host = origin.slice(origin.indexOf('//') + 2);
  if (!HOST.test(host)) throw new ServerError('invalid_request', 'request.url: the host is malformed.');
  checkRequestTarget(rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest);
  const url = parsedUrl(text, () => new ServerError('invalid_request', 'request.url: the host is malformed.'));
  lastChecked = text;
  return url;
}

let lastChecked: string | undefined;
