import { formDecode, isSensitiveName, percentEncode, type SignedRequest } from '@countersign/core';
import { UsageError } from '../usage-error.ts';

/** A piece of a shell word: literal text, or a reference to an environment variable. */
type Piece = string | { readonly env: string };

/** The secrets a PLAINTEXT signature is made of, and the variables that stand for them. */
export interface PlaintextSecrets {
  readonly consumerSecret: string;
  readonly tokenSecret: string;
}

export interface CurlCommand {
  /** The command, one option per line; no secret value in it. */
  readonly text: string;
  /** The environment variables the command reads. */
  readonly variables: ReadonlySet<string>;
}

const CONSUMER_SECRET = 'OAUTH_CONSUMER_SECRET';
const TOKEN_SECRET = 'OAUTH_TOKEN_SECRET';

// A value can stand as $NAME in the command only if the shell's expansion of it is already
// the text on the wire, that is when percent-encoding leaves it as it is.
function referable(value: string, what: string): void {
  if (percentEncode(value) !== value) {
    throw new UsageError(
      `--curl cannot print ${what} as an environment reference: it holds characters that are percent-encoded on the wire (only A-Z a-z 0-9 - . _ ~ can stand as a variable). Send the request with countersign request instead.`,
    );
  }
}

function variableFor(name: string): string {
  return formDecode(name)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly pieces: Piece[];
}

function splice(text: string, spans: Span[]): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const span of spans) {
    pieces.push(text.slice(last, span.start), ...span.pieces);
    last = span.end;
  }
  pieces.push(text.slice(last));
  return pieces.filter((piece) => piece !== '');
}

// A PLAINTEXT signature on the wire is percentEncode(consumerSecret & tokenSecret).
function signatureReference(value: string, plaintext: PlaintextSecrets | undefined): Piece[] | undefined {
  if (plaintext === undefined) return undefined;
  referable(plaintext.consumerSecret, 'the consumer secret');
  referable(plaintext.tokenSecret, 'the token secret');
  if (value !== percentEncode(`${plaintext.consumerSecret}&${plaintext.tokenSecret}`)) return undefined;
  return [
    ...(plaintext.consumerSecret === '' ? [] : [{ env: CONSUMER_SECRET }]),
    '%26',
    ...(plaintext.tokenSecret === '' ? [] : [{ env: TOKEN_SECRET }]),
  ];
}

/**
 * A query string or form body with its secrets as references: a PLAINTEXT
 * `oauth_signature` becomes `$OAUTH_CONSUMER_SECRET%26$OAUTH_TOKEN_SECRET`, and the value of
 * a password or secret parameter (`x_auth_password=…`) becomes `$X_AUTH_PASSWORD`.
 */
function formWithReferences(text: string, plaintext: PlaintextSecrets | undefined): Piece[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(/(?:^|[?&])([^=&?#]+)=([^&#]*)/g)) {
    const [whole, name, value] = match as unknown as [string, string, string];
    const end = (match.index ?? 0) + whole.length;
    const start = end - value.length;
    if (name === 'oauth_signature') {
      const pieces = signatureReference(value, plaintext);
      if (pieces !== undefined) spans.push({ start, end, pieces });
    } else if (value !== '' && isSensitiveName(formDecode(name))) {
      referable(value, `the value of ${formDecode(name)}`);
      spans.push({ start, end, pieces: [{ env: variableFor(name) }] });
    }
  }
  return splice(text, spans);
}

function headerWithReferences(text: string, plaintext: PlaintextSecrets | undefined): Piece[] {
  const match = /oauth_signature="([^"]*)"/.exec(text);
  const pieces = match === null ? undefined : signatureReference(match[1] as string, plaintext);
  if (match === null || pieces === undefined) return [text];
  const start = match.index + 'oauth_signature="'.length;
  return splice(text, [{ start, end: start + (match[1] as string).length, pieces }]);
}

// Literal text in single quotes, references in double quotes, side by side: one shell word
// with nothing in it expanded but the references.
function shellWord(pieces: Piece[]): string {
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (typeof piece === 'string' && typeof last === 'string') merged[merged.length - 1] = last + piece;
    else merged.push(piece);
  }
  if (merged.length === 0) return "''";
  return merged
    .map((piece) => (typeof piece === 'string' ? `'${piece.replaceAll("'", `'\\''`)}'` : `"\${${piece.env}}"`))
    .join('');
}

/**
 * The signed request as a curl command that sends the same bytes: the method, the URL as
 * signed (`--globoff`, so curl leaves `[]{}` alone), every header, the body as signed
 * (`--data-raw`, so a leading `@` is not a file). Secrets are environment references.
 */
export function curlCommand(
  signed: SignedRequest,
  headers: Headers,
  body: string | undefined,
  bodyIsForm: boolean,
  plaintext: PlaintextSecrets | undefined,
): CurlCommand {
  const method = signed.method.toUpperCase();
  const sent = new Headers(headers);
  if (signed.authorization !== undefined) sent.set('authorization', signed.authorization);
  const queryStart = signed.url.includes('?') ? signed.url.indexOf('?') : signed.url.length;
  const words: Piece[][] = [
    [signed.url.slice(0, queryStart), ...formWithReferences(signed.url.slice(queryStart), plaintext)],
  ];
  for (const [name, value] of sent) {
    words.push([`${name}: `, ...(name === 'authorization' ? headerWithReferences(value, plaintext) : [value])]);
  }
  if (body !== undefined) words.push(bodyIsForm ? formWithReferences(body, plaintext) : [body]);
  const variables = new Set(words.flat().flatMap((piece) => (typeof piece === 'string' ? [] : [piece.env])));
  const [target, ...rest] = words as [Piece[], ...Piece[][]];
  const headerCount = [...sent].length;
  let first = 'curl --globoff';
  if (method === 'HEAD') first += ' --head';
  else if (method !== 'GET' || body !== undefined) first += ` --request ${shellWord([method])}`;
  const rendered = [`${first} ${shellWord(target)}`];
  rest.forEach((word, index) => {
    rendered.push(`${index < headerCount ? '--header' : '--data-raw'} ${shellWord(word)}`);
  });
  return { text: `${rendered.join(' \\\n  ')}\n`, variables };
}
