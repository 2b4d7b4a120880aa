import {
  baseStringUri,
  percentEncode,
  type RejectionCause,
  redactBaseString,
  redactForm,
  SIGNATURE_METHODS,
  type SignatureMethodName,
  type VerifySecrets,
  verifySignature,
} from '@countersign/core';
import { quotedToken } from './advice.ts';
import { baseStringHead, verifierBaseString } from './base-string.ts';
import type { ReceivedParameters } from './received-request.ts';
import { hostOf, isHost } from './request-target.ts';
import { parseStrictForm } from './strict-form.ts';

type Pair = readonly [string, string];

/**
 * A likely cause: `explain()`'s names (`@countersign/core`) where it has one, and
 * `body_hash_mismatch` for a signature that is right over a body that changed.
 */
export type LikelyCause = RejectionCause | 'body_hash_mismatch';

/** Why a signature did not verify, found by reproducing it. Carries no secret. */
export interface SignatureDiagnosis {
  /** The base string a correct signer signs for this request, password values redacted. */
  readonly expectedBaseString: string;
  /** The base string the client signed, when a classic mistake reproduces its signature (redacted). */
  readonly clientBaseString?: string;
  /** The mistake, when one reproduces the signature. */
  readonly likelyCause?: LikelyCause;
  /** The likely cause in words a client developer can act on. Quotes no secret and nothing unchecked from the request. */
  readonly explanation: string;
  /** How many mistakes were tried (at most {@link MAX_DIAGNOSIS_VARIANTS}). */
  readonly variantsTried: number;
}

/**
 * The largest request (query, form or other body, Authorization header parameters) the diagnosis looks at; larger ones are
 * refused without trying any mistake, so a refusal's cost stays bounded.
 * @example
 * ```ts
 * if (body.byteLength > MAX_DIAGNOSIS_BYTES) console.log('refusals of this request say no likely cause');
 * ```
 */
export const MAX_DIAGNOSIS_BYTES = 64 * 1024;
/**
 * The most mistakes tried on one refused request.
 * @example
 * ```ts
 * result.diagnosis.variantsTried <= MAX_DIAGNOSIS_VARIANTS; // true
 * ```
 */
export const MAX_DIAGNOSIS_VARIANTS = 20;

interface Variant {
  readonly cause: LikelyCause;
  readonly explanation: string;
  /** The base string signed; the expected one when the mistake is in the key. */
  readonly baseString?: string;
  /** How to print it when it is not a well-formed base string (the parameter string encoded once). */
  readonly printed?: string;
  /** Other secrets (the token secret left out). */
  readonly secrets?: VerifySecrets;
  /** The key built from the secrets as they are, not percent-encoded. */
  readonly rawKey?: boolean;
}

const SAID = {
  plusLiteral:
    'The client signed a + from the query or form body as a literal plus (%2B), but in a query or form body + means a space (application/x-www-form-urlencoded, RFC 5849 §3.4.1.3.1): send %2B for a plus, or sign the + as a space. The oauth-1.0a package signs a raw + literally.',
  spacesAsPlus:
    'The client encoded spaces as + in the parameter string, where RFC 5849 §3.6 wants %20: encode names and values with RFC 3986 rules, not as a form.',
  rawKey:
    'The client built the key from the secrets as they are, without percent-encoding them; RFC 5849 §3.4.2 encodes each first (encode(consumer secret)&encode(token secret)), and this secret has characters that encoding changes. ims-lti builds its key this way.',
  noTokenSecret:
    'The client signed with the consumer secret alone, leaving the token secret out of the key: with a token the key is encode(consumer secret)&encode(token secret) (RFC 5849 §3.4.2).',
  parameterStringOnce:
    'The client did not percent-encode the parameter string a second time: the base string is METHOD&encode(URI)&encode(parameter string), so the parameter string’s own & and = appear as %26 and %3D (RFC 5849 §3.4.1.1).',
  encodedTwice:
    'The client percent-encoded values twice: encode each name and value once before joining them; the second encoding is the one of the whole parameter string.',
  encodeUriComponent:
    "The client encoded with encodeURIComponent, which leaves !*'() as they are; RFC 5849 §3.6 encodes them too (%21 %2A %27 %28 %29).",
  bodyLeftOut:
    'The client left the form body’s parameters out of what it signed: for an application/x-www-form-urlencoded body every body parameter is signed (RFC 5849 §3.4.1.3.1).',
  queryLeftOut:
    'The client left the query parameters out of what it signed: sign the final URL with its query, as it is sent.',
  jsonAsForm:
    'The client signed the JSON body’s fields as if they were form parameters: only application/x-www-form-urlencoded bodies are signed; a JSON body is left out of the base string (or covered by oauth_body_hash).',
  bodyAsForm:
    'The client signed the body’s name=value pairs, but did not send it as application/x-www-form-urlencoded: send that Content-Type, or leave the body out of the signature.',
} as const;

function scheme(protocol: string): string {
  return protocol.slice(0, -1);
}

// A Host can pass the grammar and still be refused by a URL parser (`256.1.1.1`, a port over
// 65535): behind a proxy nothing else reads it, and its TypeError here was a 500.
function readableHost(protocol: string, hostHeader: string): string | undefined {
  if (!isHost(hostHeader)) return undefined;
  try {
    return hostOf(protocol, hostHeader);
  } catch {
    return undefined;
  }
}

function urlVariants(received: ReceivedParameters, hostHeader: string | undefined): Variant[] {
  const url = received.url;
  const path = url.pathname;
  const other = url.protocol === 'https:' ? 'http:' : 'https:';
  const proxyHint =
    'A proxy or TLS terminator in front of this server changes what it sees: the server must be given the scheme and host clients address (the origin option of @countersign/server; X-Forwarded-* headers are not read).';
  const list: Variant[] = [
    {
      cause: 'wrong_method_or_url',
      baseString: `${other}//${url.host}${path}`,
      explanation: `The client signed an ${scheme(other)}:// URL and this server verified ${scheme(url.protocol)}://. ${proxyHint}`,
    },
  ];
  if (url.port === '') {
    const port = url.protocol === 'https:' ? '443' : '80';
    list.push({
      cause: 'wrong_method_or_url',
      baseString: `${url.protocol}//${url.hostname}:${port}${path}`,
      explanation: `The client signed the URL with its default port (:${port}) written out; RFC 5849 §3.4.1.2 leaves a default port out of the base string URI.`,
    });
  } else {
    for (const protocol of [url.protocol, other]) {
      list.push({
        cause: 'wrong_method_or_url',
        baseString: `${protocol}//${url.hostname}${path}`,
        explanation: `The client signed an ${scheme(protocol)}:// URL without the port this server sees (:${url.port}). ${proxyHint}`,
      });
    }
  }
  const host = hostHeader === undefined ? undefined : readableHost(url.protocol, hostHeader);
  if (host !== undefined) {
    if (host !== url.host) {
      list.push({
        cause: 'wrong_method_or_url',
        baseString: `${url.protocol}//${host}${path}`,
        explanation:
          'The client signed for the host in its Host header, not for the origin this server is configured with: check the origin option, or the URL the client is given.',
      });
    }
  }
  // A proxy or mount point that adds a prefix: the client signed the path without it.
  const segments = path.split('/').slice(1);
  for (let drop = 1; drop <= 2 && drop < segments.length; drop++) {
    list.push({
      cause: 'wrong_method_or_url',
      baseString: `${url.protocol}//${url.host}/${segments.slice(drop).join('/')}`,
      explanation: `The client signed the path without its first ${drop === 1 ? 'segment' : `${drop} segments`}, which a proxy or mount point adds on the way here: verify the path the client addresses, or have the client sign the full path it is given.`,
    });
  }
  return list;
}

function methodVariants(method: string): Array<{ method: string; explanation: string }> {
  const others = [method.toLowerCase(), method === 'GET' ? 'POST' : 'GET', method === 'POST' ? 'PUT' : 'POST'];
  return [...new Set(others)]
    .filter((other) => other !== method)
    .map((other) => ({
      method: other,
      explanation: `The client signed the request as ${quotedToken(other)} and sent it as ${quotedToken(method)}: sign with the method that is sent, in uppercase (RFC 5849 §3.4.1.1).`,
    }));
}

// The parameter string as encodeURIComponent builds it: !*'() left as they are.
function componentEncoded(pairs: readonly Pair[]): string {
  return pairs
    .map(([name, value]) => [encodeURIComponent(name), encodeURIComponent(value)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

const withoutSignature = (pairs: readonly Pair[]) => pairs.filter(([name]) => name !== 'oauth_signature');

function jsonFields(bytes: Uint8Array | undefined): Pair[] | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const fields: Pair[] = [];
  for (const [name, field] of Object.entries(value)) {
    if (typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') {
      fields.push([name, String(field)]);
    }
  }
  return fields.length === 0 ? undefined : fields;
}

/** The mistakes to try, most common first, each built only when it can differ from the expected base string. */
function* variants(
  received: ReceivedParameters,
  all: readonly Pair[],
  expected: string,
  secrets: VerifySecrets,
  method: SignatureMethodName,
  hostHeader: string | undefined,
): Generator<Variant> {
  const rsa = method.startsWith('RSA-');
  const consumerSecret = secrets.consumerSecret ?? '';
  const tokenSecret = secrets.tokenSecret ?? '';
  if (!rsa && (percentEncode(consumerSecret) !== consumerSecret || percentEncode(tokenSecret) !== tokenSecret)) {
    yield { cause: 'signing_key', rawKey: true, explanation: SAID.rawKey };
  }
  if (!rsa && tokenSecret !== '') {
    yield { cause: 'signing_key', secrets: { ...secrets, tokenSecret: '' }, explanation: SAID.noTokenSecret };
  }
  // PLAINTEXT signs no base string: only the key can be wrong.
  if (method === 'PLAINTEXT') return;
  const uri = baseStringUri(received.url);
  const encodedUri = percentEncode(uri);
  const parameterPart = expected.slice(received.method.length + encodedUri.length + 2);
  const rebuilt = (pairs: readonly Pair[]) => verifierBaseString(received.method, uri, pairs);
  const query = received.url.search.length > 1 ? received.url.search.slice(1) : '';
  const form = received.formText ?? '';
  if (query.includes('+') || form.includes('+')) {
    const literal = (text: string) => (text === '' ? [] : parseStrictForm(text.replace(/\+/g, '%2B')));
    yield {
      cause: 'plus_for_space',
      baseString: rebuilt(withoutSignature([...received.header, ...literal(query), ...literal(form)])),
      explanation: SAID.plusLiteral,
    };
  }
  if (parameterPart.includes('%2520')) {
    yield {
      cause: 'plus_for_space',
      baseString: expected.replaceAll('%2520', '%252B'),
      explanation: SAID.spacesAsPlus,
    };
  }
  for (const variant of urlVariants(received, hostHeader)) {
    yield {
      ...variant,
      baseString: `${received.method}&${percentEncode(variant.baseString as string)}&${parameterPart}`,
    };
  }
  for (const other of methodVariants(received.method)) {
    yield {
      cause: 'wrong_method_or_url',
      baseString: `${other.method}&${encodedUri}&${parameterPart}`,
      explanation: other.explanation,
    };
  }
  const parameterString = decodeURIComponent(parameterPart);
  yield {
    cause: 'not_double_encoded',
    baseString: `${received.method}&${encodedUri}&${parameterString}`,
    printed: `${received.method}&${encodedUri}&${redactForm(parameterString)}`,
    explanation: SAID.parameterStringOnce,
  };
  const twice = rebuilt(all.map(([name, value]) => [name, percentEncode(value)] as const));
  if (twice !== expected) yield { cause: 'encoded_twice', baseString: twice, explanation: SAID.encodedTwice };
  const component = `${received.method}&${encodeURIComponent(uri)}&${encodeURIComponent(componentEncoded(all))}`;
  if (component !== expected) {
    yield { cause: 'unencoded_reserved_characters', baseString: component, explanation: SAID.encodeUriComponent };
  }
  if (received.body.length > 0) {
    yield {
      cause: 'body_params_not_signed',
      baseString: rebuilt(withoutSignature([...received.header, ...received.query])),
      explanation: SAID.bodyLeftOut,
    };
  }
  if (received.query.length > 0) {
    yield {
      cause: 'params_sent_not_signed',
      baseString: rebuilt(withoutSignature([...received.header, ...received.body])),
      explanation: SAID.queryLeftOut,
    };
  }
  if (!received.formBody && received.bodyBytes !== undefined) {
    const fields = jsonFields(received.bodyBytes);
    if (fields !== undefined) {
      yield {
        cause: 'body_params_wrongly_signed',
        baseString: rebuilt([...all, ...fields]),
        explanation: SAID.jsonAsForm,
      };
    } else {
      let text: string | undefined;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(received.bodyBytes);
      } catch {
        text = undefined;
      }
      if (text?.includes('=')) {
        let pairs: Pair[] | undefined;
        try {
          pairs = parseStrictForm(text);
        } catch {
          pairs = undefined;
        }
        if (pairs !== undefined) {
          yield {
            cause: 'body_params_wrongly_signed',
            baseString: rebuilt([...all, ...pairs]),
            explanation: SAID.bodyAsForm,
          };
        }
      }
    }
  }
}

const encoder = new TextEncoder();

function toBase64(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function sameText(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1));
  return difference === 0;
}

const HMAC_HASH: Partial<Record<SignatureMethodName, string>> = {
  'HMAC-SHA1': 'SHA-1',
  'HMAC-SHA256': 'SHA-256',
  'HMAC-SHA512': 'SHA-512',
};

// The key ims-lti and others build: the secrets joined as they are. Core's verifier always
// encodes them (as it must), so this one is computed here, with WebCrypto, which every
// runtime the server runs on has.
async function verifiesWithRawKey(
  method: SignatureMethodName,
  baseString: string,
  signature: string,
  secrets: VerifySecrets,
): Promise<boolean> {
  const key = `${secrets.consumerSecret ?? ''}&${secrets.tokenSecret ?? ''}`;
  if (method === 'PLAINTEXT') return sameText(key, signature);
  const hash = HMAC_HASH[method];
  if (hash === undefined || (secrets.consumerSecret ?? '') === '') return false;
  const imported = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash }, false, ['sign']);
  return sameText(toBase64(await crypto.subtle.sign('HMAC', imported, encoder.encode(baseString))), signature);
}

/**
 * True for a request whose mistakes are not tried: its query, body and Authorization header
 * parameters together are over {@link MAX_DIAGNOSIS_BYTES}.
 */
export function tooLargeToDiagnose(received: ReceivedParameters): boolean {
  let size = (received.formText?.length ?? 0) + (received.bodyBytes?.length ?? 0) + received.url.search.length;
  // The header counts too: node:http caps it at 16 KB, but a runtime or an app calling
  // verifyRequest may not, and a megabyte header was diagnosed (320 ms here, against 50).
  for (const [name, value] of received.header) size += name.length + value.length;
  return size > MAX_DIAGNOSIS_BYTES;
}

/**
 * A base string as results show it: password values redacted and, when it is held as
 * bytes (a request too large to diagnose), its first {@link MAX_DIAGNOSIS_BYTES}
 * characters and a marker saying how many more there are.
 */
export function shownBaseString(baseString: string | Uint8Array): string {
  if (typeof baseString === 'string') return redactBaseString(baseString);
  return baseStringHead(baseString, MAX_DIAGNOSIS_BYTES, redactBaseString);
}

/** The mismatch part of the diagnosis, for a verifier that already knows the expected base string does not verify. */
export async function diagnoseMismatch(
  received: ReceivedParameters,
  secrets: VerifySecrets,
  method: SignatureMethodName,
  signature: string,
  expected: string | Uint8Array,
  hostHeader?: string,
  shownExpected?: string,
): Promise<SignatureDiagnosis> {
  const expectedBaseString = shownExpected ?? shownBaseString(expected);
  if (typeof expected !== 'string' || tooLargeToDiagnose(received)) {
    return {
      expectedBaseString,
      explanation: `The request is larger than ${MAX_DIAGNOSIS_BYTES / 1024} KB, so no common mistake was tried: compare the base string the client signed with the one the server computed.`,
      variantsTried: 0,
    };
  }
  const all = withoutSignature([...received.header, ...received.query, ...received.body]);
  let tried = 0;
  for (const variant of variants(received, all, expected, secrets, method, hostHeader)) {
    if (tried === MAX_DIAGNOSIS_VARIANTS) break;
    tried++;
    const baseString = variant.baseString ?? expected;
    const verified = variant.rawKey
      ? await verifiesWithRawKey(method, baseString, signature, secrets)
      : await verifySignature(method, baseString, signature, variant.secrets ?? secrets);
    if (!verified) continue;
    return {
      expectedBaseString,
      ...(variant.baseString === undefined
        ? {}
        : { clientBaseString: variant.printed ?? redactBaseString(variant.baseString) }),
      likelyCause: variant.cause,
      explanation: variant.explanation,
      variantsTried: tried,
    };
  }
  return {
    expectedBaseString,
    explanation:
      'No common mistake reproduces the signature: check that the client signs with this consumer’s secret (and the token’s), and signs the request exactly as it is sent, to the URL this server sees.',
    variantsTried: tried,
  };
}

/**
 * Finds which classic client mistake, if any, produces the signature a refused request
 * carries: `+` taken literally, secrets not percent-encoded in the key, the token secret
 * left out, a parameter string encoded once, values encoded twice, `encodeURIComponent`'s
 * `!*'()`, body or query parameters left out, a JSON body signed as a form, another scheme,
 * port or host (a proxy), a path prefix added on the way, another method. Each is tried by
 * verifying the signature against the base string (or key) that mistake makes, so a match
 * is proof, not a guess. Bounded: requests over 64 KB are not tried, and at most 20
 * mistakes are. The result carries no secret: base strings are redacted, the words quote
 * nothing unchecked from the request.
 *
 * `verifyRequest` calls it on `signature_invalid` for a known consumer (`diagnose: false`
 * turns that off); `@countersign/testing` uses it for its messages.
 *
 * @example
 * ```ts
 * const received = receivedParameters(request);
 * const diagnosis = await diagnoseSignature(received, { consumerSecret, tokenSecret });
 * console.log(diagnosis.likelyCause, diagnosis.explanation);
 * ```
 */
export async function diagnoseSignature(
  received: ReceivedParameters,
  secrets: VerifySecrets,
): Promise<SignatureDiagnosis> {
  const all = withoutSignature([...received.header, ...received.query, ...received.body]);
  const expected = verifierBaseString(received.method, baseStringUri(received.url), all);
  const oauth = new Map([...received.header, ...received.query, ...received.body]);
  const method = oauth.get('oauth_signature_method') as SignatureMethodName;
  const signature = oauth.get('oauth_signature') ?? '';
  if (!SIGNATURE_METHODS.includes(method)) {
    return {
      expectedBaseString: redactBaseString(expected),
      explanation: `The request names no signature method this server knows (${SIGNATURE_METHODS.join(', ')}).`,
      variantsTried: 0,
    };
  }
  if (await verifySignature(method, expected, signature, secrets)) {
    return {
      expectedBaseString: redactBaseString(expected),
      likelyCause: 'body_hash_mismatch',
      explanation:
        'The signature matches, but oauth_body_hash does not match the body received: hash the exact bytes that are sent, after any change to the body.',
      variantsTried: 0,
    };
  }
  return diagnoseMismatch(received, secrets, method, signature, expected);
}
