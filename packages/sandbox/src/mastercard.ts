import {
  baseStringUri,
  formDecode,
  isFormContentType,
  isSensitiveName,
  normalizeParameters,
  percentEncode,
  REDACTED,
  redactBaseString,
  signatureBaseString,
} from '@countersign/core';
import type { Refusal } from '@countersign/server';
import type { ArrivedRequest } from './verification.ts';

/** One parameter as it arrived, and as RFC 5849 reads it (decoded). */
interface Arrived {
  readonly raw: readonly [string, string];
  readonly decoded: readonly [string, string];
}

function decodeHeaderValue(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `name=value` pairs of a query or form, as sent and decoded by form rules. */
function formPairs(text: string, into: Arrived[]): void {
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const raw: [string, string] = equals === -1 ? [piece, ''] : [piece.slice(0, equals), piece.slice(equals + 1)];
    into.push({ raw, decoded: [formDecode(raw[0]), formDecode(raw[1])] });
  }
}

const SEPARATOR = /[\s,]/;

/**
 * The items of an `OAuth` Authorization header as written: names, and values without their
 * quotes but otherwise untouched. One pass, so a long header costs its length.
 */
function rawHeaderItems(header: string): Array<[string, string]> {
  const scheme = /^\s*OAuth\s+/i.exec(header);
  const items: Array<[string, string]> = [];
  if (scheme === null) return items;
  let at = scheme[0].length;
  while (at < header.length) {
    while (at < header.length && SEPARATOR.test(header[at] as string)) at++;
    const equals = header.indexOf('=', at);
    if (equals === -1) break;
    const name = header.slice(at, equals).trim();
    let end: number;
    let value: string;
    if (header[equals + 1] === '"') {
      end = header.indexOf('"', equals + 2);
      if (end === -1) break;
      value = header.slice(equals + 2, end);
      end++;
    } else {
      end = equals + 1;
      while (end < header.length && !SEPARATOR.test(header[end] as string)) end++;
      value = header.slice(equals + 1, end);
    }
    items.push([name, value]);
    at = end;
  }
  return items;
}

/**
 * Every signed parameter of a request as it arrived: the query, the OAuth header's items
 * (the text between the quotes, realm and signature left out) and a form body.
 */
function arrivedParameters(arrived: ArrivedRequest): Arrived[] {
  const parameters: Arrived[] = [];
  if (arrived.url.search.length > 1) formPairs(arrived.url.search.slice(1), parameters);
  for (const [name, value] of rawHeaderItems(arrived.authorization ?? '')) {
    if (name === 'realm' || name === 'oauth_signature') continue;
    parameters.push({ raw: [name, value], decoded: [decodeHeaderValue(name), decodeHeaderValue(value)] });
  }
  if (isFormContentType(arrived.contentType)) formPairs(new TextDecoder().decode(arrived.body), parameters);
  return parameters;
}

const byteOrder = (a: readonly [string, string], b: readonly [string, string]) =>
  a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1;

/**
 * The base string Mastercard's gateway computes: every parameter as it arrived, sorted,
 * joined, and the whole parameter string percent-encoded once (as Mastercard's own signers
 * in all seven languages build it). RFC 5849 instead decodes each name and value and
 * encodes it again; the two agree exactly when everything arrived in RFC 3986 form.
 */
export function gatewayBaseString(arrived: ArrivedRequest): string {
  const pairs = arrivedParameters(arrived)
    .map((each) => each.raw)
    .sort(byteOrder);
  const parameterString = pairs.map(([name, value]) => `${name}=${value}`).join('&');
  return `${arrived.method.toUpperCase()}&${percentEncode(baseStringUri(arrived.url))}&${percentEncode(parameterString)}`;
}

/** The base string of RFC 5849 §3.4.1, from the same parameters. */
export function rfcBaseString(arrived: ArrivedRequest): string {
  const pairs = arrivedParameters(arrived).map((each) => each.decoded);
  return signatureBaseString(arrived.method.toUpperCase(), baseStringUri(arrived.url), normalizeParameters(pairs));
}

/** A value quoted in advice: bounded, and never a password or secret. */
function quoted(name: string, text: string): string {
  if (isSensitiveName(name)) return REDACTED;
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/**
 * Verifies the other reading: the signature the sandbox checked against the RFC base string
 * holds at Mastercard's gateway only if the gateway's base string is the same text (an RSA
 * signature does not verify for two different messages). Where they differ, the refusal
 * names the first parameter that did not arrive in RFC 3986 form, and carries the gateway's
 * base string, so the client's explain() can compare it with the one it signed.
 */
export function readingsDiffer(arrived: ArrivedRequest): Refusal | undefined {
  const gateway = gatewayBaseString(arrived);
  if (gateway === rfcBaseString(arrived)) return undefined;
  const odd = arrivedParameters(arrived).find(
    ({ raw, decoded }) => percentEncode(decoded[0]) !== raw[0] || percentEncode(decoded[1]) !== raw[1],
  );
  const [name, value] = odd?.raw ?? ['', ''];
  const rfc = odd === undefined ? '' : percentEncode(odd.decoded[1]);
  return {
    problem: 'signature_invalid',
    advice: `Mastercard's gateway reads each parameter as it arrives and encodes it once, RFC 5849 decodes and re-encodes it: ${name} arrived as ${quoted(name, value)}, which RFC 5849 signs as ${quoted(name, rfc)}, so the two base strings differ and the gateway would refuse the signature. Send every query name and value in RFC 3986 form (createSigner's wireForm: 'rfc3986', the default in @countersign/mastercard).`,
    baseString: redactBaseString(gateway),
  };
}
