import {
  baseStringUri,
  explain,
  formatForm,
  normalizeParameters,
  parseForm,
  percentEncode,
  type RejectionCause,
  redactBaseString,
  type SignatureMethodName,
  signatureBaseString,
  type VerifySecrets,
  verifySignature,
} from '@countersign/core';
import type { ReceivedParameters } from '@countersign/server';

type Pair = readonly [string, string];

/** Why a signature did not verify, found by reproducing it. */
export interface Diagnosis {
  /** The base string a correct signer signs for this request, password values redacted. */
  readonly expectedBaseString: string;
  /** The base string the client signed, when a common mistake reproduces its signature (redacted). */
  readonly clientBaseString?: string;
  /** The likely cause, in words. Contains no secret. */
  readonly explanation: string;
  /** The likely cause as `explain()` names it, when a mistake reproduces the signature. */
  readonly likelyCause?: RejectionCause;
}

interface Candidate {
  readonly baseString: string;
  readonly secrets?: VerifySecrets;
  /** Said when the mistake is in the key rather than the base string. */
  readonly explanation?: string;
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const FORM = 'application/x-www-form-urlencoded';

function otherOrigins(url: URL): string[] {
  const other = url.protocol === 'https:' ? 'http:' : 'https:';
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const path = url.pathname;
  return [
    `${other}//${url.host}${path}`,
    url.port === ''
      ? `${url.protocol}//${url.hostname}:${defaultPort}${path}`
      : `${url.protocol}//${url.hostname}${path}`,
  ];
}

// The parameter string as encodeURIComponent builds it: !*'() left as they are.
function componentEncoded(pairs: readonly Pair[]): string {
  return pairs
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .sort()
    .join('&');
}

/**
 * The base strings a signer makes when it gets one of the classic things wrong, each built
 * from the request as received. The one the client's signature verifies against is the one
 * it signed.
 */
const signed = (pairs: readonly Pair[]) => pairs.filter(([name]) => name !== 'oauth_signature');
const base = (httpMethod: string, baseUri: string, pairs: readonly Pair[]) =>
  signatureBaseString(httpMethod, baseUri, normalizeParameters(pairs));

function candidates(
  received: ReceivedParameters,
  all: readonly Pair[],
  expected: string,
  secrets: VerifySecrets,
  method: SignatureMethodName,
): Candidate[] {
  const uri = baseStringUri(received.url);
  const parameterString = decodeURIComponent(expected.slice(expected.lastIndexOf('&') + 1));
  const list: Candidate[] = [
    // + for a space, and a literal + read as a space, in the parameter string.
    { baseString: expected.replaceAll('%2520', '%252B') },
    { baseString: expected.replaceAll('%252B', '%2520') },
    // The parameter string left unencoded the second time.
    { baseString: `${received.method}&${percentEncode(uri)}&${parameterString}` },
    // Values encoded twice.
    {
      baseString: base(
        received.method,
        uri,
        all.map(([name, value]) => [name, percentEncode(value)]),
      ),
    },
    // encodeURIComponent instead of RFC 3986 encoding, throughout.
    {
      baseString: `${received.method}&${encodeURIComponent(uri)}&${encodeURIComponent(componentEncoded(all))}`,
    },
    ...otherOrigins(received.url).map((baseUri) => ({ baseString: base(received.method, baseUri, all) })),
    ...[received.method.toLowerCase(), ...OTHER_METHODS]
      .filter((other) => other !== received.method)
      .map((other) => ({ baseString: base(other, uri, all) })),
  ];
  if (received.body.length > 0) {
    list.push({ baseString: base(received.method, uri, signed([...received.header, ...received.query])) });
  }
  if (received.query.length > 0) {
    list.push({ baseString: base(received.method, uri, signed([...received.header, ...received.body])) });
  }
  if (!received.formBody && received.bodyBytes !== undefined && received.bodyBytes.length > 0) {
    const text = new TextDecoder().decode(received.bodyBytes);
    if (text.includes('=')) list.push({ baseString: base(received.method, uri, [...all, ...parseForm(text)]) });
  }
  if (!method.startsWith('RSA') && secrets.tokenSecret) {
    list.push({
      baseString: expected,
      secrets: { ...secrets, tokenSecret: '' },
      explanation:
        'The request was signed without the token secret: the key must be consumerSecret&tokenSecret, both percent-encoded.',
    });
  }
  return list;
}

/**
 * Finds which common mistake, if any, produces the signature the request carries, and
 * says it in `explain()`'s words.
 */
export async function diagnose(
  received: ReceivedParameters,
  secrets: VerifySecrets,
  method: SignatureMethodName,
  signature: string,
): Promise<Diagnosis> {
  const all = signed([...received.header, ...received.query, ...received.body]);
  const expected = base(received.method, baseStringUri(received.url), all);
  // The signature is right, so the body is what changed: its oauth_body_hash no longer matches.
  if (await verifySignature(method, expected, signature, secrets)) {
    return {
      expectedBaseString: redactBaseString(expected),
      explanation:
        'The signature matches, but oauth_body_hash does not match the body received: hash the exact bytes that are sent, after any change to the body.',
    };
  }
  for (const candidate of candidates(received, all, expected, secrets, method)) {
    if (!(await verifySignature(method, candidate.baseString, signature, candidate.secrets ?? secrets))) continue;
    const [first] =
      candidate.explanation === undefined
        ? explain({
            ourBaseString: candidate.baseString,
            serverBaseString: expected,
            // The form body as received tells body parameters from query ones.
            ...(received.formBody ? { request: { body: formatForm(received.body), contentType: FORM } } : {}),
          })
        : [{ cause: 'signing_key' as const, explanation: candidate.explanation }];
    return {
      expectedBaseString: redactBaseString(expected),
      clientBaseString: redactBaseString(candidate.baseString),
      explanation: first?.explanation ?? 'The client signed another base string.',
      ...(first === undefined ? {} : { likelyCause: first.cause }),
    };
  }
  return {
    expectedBaseString: redactBaseString(expected),
    explanation:
      'No common mistake reproduces the signature: check the consumer and token secrets the client signs with, and that it signs the request exactly as it is sent.',
  };
}
