import { REDACTED } from './redact.ts';

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
  /** One sentence for a person. */
  readonly summary: string;
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
 * Compares our base string with the one a server reports (Atlassian's
 * `oauth_signature_base_string`, Flickr's `debug_sbs`) and names the first difference:
 * the method, the URI, or the first parameter (in sorted order) whose value differs or that
 * only one side has. Redacted values count as equal.
 *
 * @example
 * ```ts
 * compareBaseStrings(ours, theirs)?.summary;
 * // 'Parameter status differs: we signed "a b", the server used "a+b".'
 * ```
 */
export function compareBaseStrings(ours: string, theirs: string): BaseStringDifference | undefined {
  if (ours === theirs) return undefined;
  const a = split(ours);
  const b = split(theirs);
  if (a.method !== b.method) {
    return {
      part: 'method',
      ours: a.method,
      theirs: b.method,
      summary: `The method differs: we signed ${a.method}, the server used ${b.method}.`,
    };
  }
  if (a.uri !== b.uri) {
    return {
      part: 'uri',
      ours: a.uri,
      theirs: b.uri,
      summary: `The base URI differs: we signed ${a.uri}, the server used ${b.uri}.`,
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
    const sameText = oursValue === theirsValue;
    const summary =
      oursValue === undefined
        ? `The server signed parameter ${name} (${JSON.stringify(theirsValue)}), which we did not send or did not sign.`
        : theirsValue === undefined
          ? `We signed parameter ${name} (${JSON.stringify(oursValue)}), which the server did not receive or did not sign.`
          : sameText
            ? `Parameter ${name} is encoded differently: we signed ${oursEncoded}, the server ${theirsEncoded}.`
            : `Parameter ${name} differs: we signed ${JSON.stringify(oursValue)}, the server used ${JSON.stringify(theirsValue)}.`;
    return {
      part: 'parameter',
      name,
      ours: oursValue,
      theirs: theirsValue,
      encoded: { ours: oursEncoded, theirs: theirsEncoded },
      summary,
    };
  }
  return undefined;
}
