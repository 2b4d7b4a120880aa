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

/** The body to send: its text, and the file holding exactly those bytes when there is one. */
export interface CurlBody {
  readonly text: string;
  readonly form: boolean;
  /** A file whose bytes are the body as signed: sent with `--data-binary @file`. */
  readonly file: string | undefined;
}

const CONSUMER_SECRET = 'OAUTH_CONSUMER_SECRET';
const TOKEN_SECRET = 'OAUTH_TOKEN_SECRET';
// One shell argument holds at most 128 KiB on Linux (MAX_ARG_STRLEN); a body near that goes
// through a file.
const MAX_INLINE_BODY = 100 * 1024;

// A value can stand as $NAME in the command only if the shell's expansion of it is already
// the text on the wire, that is when percent-encoding leaves it as it is.
function referable(value: string, what: string): void {
  if (percentEncode(value) !== value) {
    throw new UsageError(
      `--curl cannot print ${what} as an environment reference: it holds characters that are percent-encoded on the wire (only A-Z a-z 0-9 - . _ ~ can stand as a variable). Send the request with countersign request instead.`,
    );
  }
}

/** The variables a command reads: for each secret, a name, and the value it must hold. */
interface Variables {
  /** The variable for a PLAINTEXT secret (`OAUTH_CONSUMER_SECRET` or `OAUTH_TOKEN_SECRET` unless taken). */
  secret(name: typeof CONSUMER_SECRET | typeof TOKEN_SECRET, value: string): string;
  /** The variable for the value of a password or secret parameter. */
  parameter(name: string, value: string): string;
}

/**
 * Gives each secret a variable of its own: a PLAINTEXT secret `OAUTH_CONSUMER_SECRET` or
 * `OAUTH_TOKEN_SECRET`; a parameter its name in capitals (x_auth_password →
 * X_AUTH_PASSWORD), `PARAM_` first where that would not be a valid name. `_2`, `_3`… follow
 * where another secret already holds the name, or where this environment holds it with
 * another value: the shell the command is pasted into most likely has it too, and the
 * command would send that value (another tool's password, production's consumer secret)
 * instead of the one signed. No parameter can claim the PLAINTEXT secrets' names.
 */
function variableNames(env: NodeJS.ProcessEnv): Variables {
  const taken = new Set([CONSUMER_SECRET, TOKEN_SECRET]);
  const chosen = new Map<string, string>();
  const pick = (base: string, value: string, free: (name: string) => boolean) => {
    const key = `${base}\u0000${value}`;
    const known = chosen.get(key);
    if (known !== undefined) return known;
    const fits = (name: string) => free(name) && (env[name] === undefined || env[name] === value);
    let variable = base;
    for (let n = 2; !fits(variable); n++) variable = `${base}_${n}`;
    taken.add(variable);
    chosen.set(key, variable);
    return variable;
  };
  return {
    secret: (name, value) => pick(name, value, (variable) => variable === name || !taken.has(variable)),
    parameter(name, value) {
      let base = formDecode(name)
        .toUpperCase()
        .replace(/[^A-Z0-9]+/g, '_');
      if (!/^[A-Z_]/.test(base) || base === '_') base = `PARAM_${base}`;
      return pick(base, value, (variable) => !taken.has(variable));
    },
  };
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
function signatureReference(
  value: string,
  plaintext: PlaintextSecrets | undefined,
  names: Variables,
): Piece[] | undefined {
  if (plaintext === undefined) return undefined;
  referable(plaintext.consumerSecret, 'the consumer secret');
  referable(plaintext.tokenSecret, 'the token secret');
  if (value !== percentEncode(`${plaintext.consumerSecret}&${plaintext.tokenSecret}`)) return undefined;
  return [
    ...(plaintext.consumerSecret === '' ? [] : [{ env: names.secret(CONSUMER_SECRET, plaintext.consumerSecret) }]),
    '%26',
    ...(plaintext.tokenSecret === '' ? [] : [{ env: names.secret(TOKEN_SECRET, plaintext.tokenSecret) }]),
  ];
}

/**
 * A query string or form body with its secrets as references, split exactly as the signer
 * splits it (pairs on `&`, name and value on the first `=`; a `#` in a body is text): a
 * PLAINTEXT `oauth_signature` becomes `$OAUTH_CONSUMER_SECRET%26$OAUTH_TOKEN_SECRET`, and the
 * value of a password or secret parameter a variable of its own.
 */
function formWithReferences(
  text: string,
  from: number,
  plaintext: PlaintextSecrets | undefined,
  names: Variables,
): Piece[] {
  const spans: Span[] = [];
  let start = from;
  // Found once and kept until the pairs reach it: a search from every pair is quadratic.
  let equals = text.indexOf('=', from);
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (equals !== -1 && equals < start) equals = text.indexOf('=', start);
    if (equals !== -1 && equals < end) {
      const name = formDecode(text.slice(start, equals));
      const value = text.slice(equals + 1, end);
      if (name === 'oauth_signature') {
        const pieces = signatureReference(value, plaintext, names);
        if (pieces !== undefined) spans.push({ start: equals + 1, end, pieces });
      } else if (value !== '' && isSensitiveName(name)) {
        referable(value, `the value of ${name}`);
        // referable: the value on the wire is the value itself, which the variable must hold.
        spans.push({ start: equals + 1, end, pieces: [{ env: names.parameter(name, value) }] });
      }
    }
    start = end + 1;
  }
  return splice(text, spans);
}

function headerWithReferences(text: string, plaintext: PlaintextSecrets | undefined, names: Variables): Piece[] {
  const match = /oauth_signature="([^"]*)"/.exec(text);
  const pieces = match === null ? undefined : signatureReference(match[1] as string, plaintext, names);
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

/** How the body goes on the command line: the file as it is, or the text as an argument. */
function bodyOption(
  body: CurlBody,
  signed: SignedRequest,
  plaintext: PlaintextSecrets | undefined,
  names: Variables,
): [string, Piece[]] {
  // The file's bytes are the signed body unless the OAuth parameters were added to it.
  if (body.file !== undefined && signed.body === undefined) return ['--data-binary', [`@${body.file}`]];
  if (body.text.includes('\u0000') || body.text.length > MAX_INLINE_BODY) {
    throw new UsageError(
      '--curl cannot put this body on the command line (it holds a NUL byte or is over 100 KB) once the OAuth parameters are added to it: use --transmission header, or send it with countersign request',
    );
  }
  return ['--data-raw', body.form ? formWithReferences(body.text, 0, plaintext, names) : [body.text]];
}

/**
 * The signed request as a curl command that sends the same bytes: the method, the URL as
 * signed (`--globoff`, so curl leaves `[]{}` alone), every header, the body as signed (a
 * body file with `--data-binary @file`, other bodies with `--data-raw`, so a leading `@` is
 * not a file). Secrets are environment references, each to a variable that `env` (the
 * environment countersign runs in) leaves unset or sets to exactly the value signed.
 */
export function curlCommand(
  signed: SignedRequest,
  headers: Headers,
  body: CurlBody | undefined,
  plaintext: PlaintextSecrets | undefined,
  env: NodeJS.ProcessEnv,
): CurlCommand {
  const method = signed.method.toUpperCase();
  const names = variableNames(env);
  const sent = new Headers(headers);
  if (signed.authorization !== undefined) sent.set('authorization', signed.authorization);
  const queryStart = signed.url.includes('?') ? signed.url.indexOf('?') : signed.url.length;
  const query = signed.url.slice(queryStart);
  const words: Array<[string, Piece[]]> = [
    ['', [signed.url.slice(0, queryStart), ...formWithReferences(query, 1, plaintext, names)]],
  ];
  for (const [name, value] of sent) {
    words.push([
      '--header',
      [`${name}: `, ...(name === 'authorization' ? headerWithReferences(value, plaintext, names) : [value])],
    ]);
  }
  if (body !== undefined) words.push(bodyOption(body, signed, plaintext, names));
  const variables = new Set(
    words.flatMap(([, word]) => word.flatMap((piece) => (typeof piece === 'string' ? [] : [piece.env]))),
  );
  let first = 'curl --globoff';
  if (method === 'HEAD') first += ' --head';
  else if (method !== 'GET' || body !== undefined) first += ` --request ${shellWord([method])}`;
  const rendered = words.map(([option, word], index) =>
    index === 0 ? `${first} ${shellWord(word)}` : `${option} ${shellWord(word)}`,
  );
  return { text: `${rendered.join(' \\\n  ')}\n`, variables };
}
