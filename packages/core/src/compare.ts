import { inertText } from './inert-text.ts';
import { isSensitiveName, REDACTED } from './redact.ts';

/** Where two signature base strings first part ways. */
export interface BaseStringDifference {
  /** Which part: the method, the base URI, or a parameter. */
  readonly part: 'method' | 'uri' | 'parameter';
  /** For a parameter, its name, decoded. */
  readonly name?: string;
  /** Our value, decoded (undefined where we did not have it). */
  readonly ours: string | undefined;
  /** Theirs, decoded (undefined where they did not have it). */
  readonly theirs: string | undefined;
  /** For a parameter, both values as they were encoded in the base strings. */
  readonly encoded?: { readonly ours: string | undefined; readonly theirs: string | undefined };
  /**
   * One sentence for a person. What it quotes from the base strings is made inert
   * (control characters written out) and shortened: a server's base string may carry
   * anything a terminal would act on.
   */
  readonly summary: string;
}

// How much of a method, URI, name or value a sentence quotes: enough to see the difference.
const QUOTED_LENGTH = 200;

/** A part of a base string as a sentence quotes it: inert and bounded. */
export function quoted(text: string): string {
  return inertText(text, QUOTED_LENGTH);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The parts of a base string. Parameters stay in their encoded form: comparing encodings
 * is what catches `+` for `%20` or an unencoded `!`, which decoding would hide.
 */
function split(baseString: string): { method: string; uri: string; parameters: Array<[string, string]> } {
  const [method = '', uri = '', parameters = ''] = baseString.split('&');
  // The parameter part is encoded once more than its names and values.
  const pairs = decode(parameters)
    .split('&')
    .filter(Boolean)
    .map((pair): [string, string] => {
      const equals = pair.indexOf('=');
      return equals === -1 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    });
  return { method, uri: decode(uri), parameters: pairs };
}

/**
 * Where two base strings first differ, values as they are (secrets included): for
 * deciding, never for printing. Redacted values on either side count as equal.
 */
export function diffBaseStrings(ours: string, theirs: string): BaseStringDifference | undefined {
  if (ours === theirs) return undefined;
  const a = split(ours);
  const b = split(theirs);
  if (a.method !== b.method) {
    return {
      part: 'method',
      ours: a.method,
      theirs: b.method,
      summary: `The method differs: we signed ${quoted(a.method)}, the server used ${quoted(b.method)}.`,
    };
  }
  if (a.uri !== b.uri) {
    return {
      part: 'uri',
      ours: a.uri,
      theirs: b.uri,
      summary: `The base URI differs: we signed ${quoted(a.uri)}, the server used ${quoted(b.uri)}.`,
    };
  }
  const length = Math.max(a.parameters.length, b.parameters.length);
  for (let i = 0; i < length; i++) {
    const mine = a.parameters[i];
    const their = b.parameters[i];
    if (
      mine &&
      their &&
      mine[0] === their[0] &&
      (mine[1] === their[1] || mine[1] === REDACTED || their[1] === REDACTED)
    )
      continue;
    // The first name present on one side only, or the first value that differs.
    const encodedName = mine && (!their || mine[0] <= their[0]) ? mine[0] : (their?.[0] as string);
    const oursEncoded = a.parameters.find(([n]) => n === encodedName)?.[1];
    const theirsEncoded = b.parameters.find(([n]) => n === encodedName)?.[1];
    const name = decode(encodedName);
    const oursValue = oursEncoded === undefined ? undefined : decode(oursEncoded);
    const theirsValue = theirsEncoded === undefined ? undefined : decode(theirsEncoded);
    return {
      part: 'parameter',
      name,
      ours: oursValue,
      theirs: theirsValue,
      encoded: { ours: oursEncoded, theirs: theirsEncoded },
      summary: parameterSummary(name, oursValue, theirsValue, oursEncoded, theirsEncoded),
    };
  }
  return undefined;
}

function parameterSummary(
  name: string,
  oursValue: string | undefined,
  theirsValue: string | undefined,
  oursEncoded: string | undefined,
  theirsEncoded: string | undefined,
): string {
  const secret = isSensitiveName(name);
  // JSON quoting writes out C0 controls; quoted() the C1 ones and the bidirectional overrides it leaves.
  const shown = (value: string | undefined) => (secret ? REDACTED : quoted(JSON.stringify(value)));
  const named = quoted(name);
  if (oursValue === undefined)
    return `The server signed parameter ${named} (${shown(theirsValue)}), which we did not send or did not sign.`;
  if (theirsValue === undefined)
    return `We signed parameter ${named} (${shown(oursValue)}), which the server did not receive or did not sign.`;
  if (oursValue === theirsValue) {
    return secret
      ? `Parameter ${named} is encoded differently by the two sides (values not shown): compare how +, space and !*'() are encoded.`
      : `Parameter ${named} is encoded differently: we signed ${quoted(oursEncoded as string)}, the server ${quoted(theirsEncoded as string)}.`;
  }
  return secret
    ? `Parameter ${named} differs between the two base strings (values not shown).`
    : `Parameter ${named} differs: we signed ${shown(oursValue)}, the server used ${shown(theirsValue)}.`;
}

/**
 * Compares our base string with the one a server reports (Atlassian's
 * `oauth_signature_base_string`, Flickr's `debug_sbs`) and names the first difference:
 * the method, the URI, or the first parameter (in sorted order) whose value differs or that
 * only one side has. Values are compared as given; a `*password*` or `*secret*` value is
 * never shown in the result. Redacted values count as equal.
 *
 * @example
 * ```ts
 * compareBaseStrings(ours, theirs)?.summary;
 * // 'Parameter status differs: we signed "a b", the server used "a+b".'
 * ```
 */
export function compareBaseStrings(ours: string, theirs: string): BaseStringDifference | undefined {
  const difference = diffBaseStrings(ours, theirs);
  if (difference?.part !== 'parameter' || !isSensitiveName(difference.name as string)) return difference;
  const hide = (value: string | undefined) => (value === undefined ? undefined : REDACTED);
  return {
    ...difference,
    ours: hide(difference.ours),
    theirs: hide(difference.theirs),
    encoded: { ours: hide(difference.encoded?.ours), theirs: hide(difference.encoded?.theirs) },
  };
}
