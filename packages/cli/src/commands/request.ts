import {
  ANSWER_PREFIX_BYTES,
  createOAuthFetch,
  createSigner,
  explain,
  type FetchLike,
  inertText,
  isFormContentType,
  oauthErrorOf,
  type SignedRequest,
  type Signer,
  signingOf,
} from '@countersign/core';
import { Command } from 'commander';
import { describeNetworkFailure } from '../network-failure.ts';
import { DEFAULT_TIMEOUT, timeoutMilliseconds } from '../timeout.ts';
import { UsageError } from '../usage-error.ts';
import { curlCommand } from './curl.ts';
import { requestFrom, type SignFlags, signerOptionsFrom, signOptionsFrom, withSigningOptions } from './sign.ts';

interface RequestFlags extends SignFlags {
  header: string[];
  verbose?: boolean;
  timeout: string;
  curl?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Streams a response body to stdout and keeps its first bytes to explain a refusal: an
 * answer of any size costs only the prefix. On a terminal, control characters are written
 * out inert (a hostile server must not draw on it); to a pipe or file the bytes go as they came.
 */
async function streamBody(
  response: Response,
  write: (text: string) => void | Promise<void>,
  terminal: boolean,
): Promise<string> {
  const decoder = new TextDecoder();
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let last = '';
  // Each write is waited for before the next read: a stdout piped to a reader that stopped
  // (a paused pager) otherwise queued the whole answer in memory, 170 MB a second.
  const out = async (text: string) => {
    if (text === '') return;
    await write(terminal ? inertText(text, Number.POSITIVE_INFINITY, { keepLines: true }) : text);
    last = text;
  };
  if (response.body !== null) {
    const reader = response.body.getReader();
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        if (keptBytes < ANSWER_PREFIX_BYTES) {
          kept.push(value.subarray(0, ANSWER_PREFIX_BYTES - keptBytes));
          keptBytes += Math.min(value.length, ANSWER_PREFIX_BYTES - keptBytes);
        }
        await out(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      // stdout closed (or the answer broke off): the rest is not read.
      await reader.cancel().catch(() => {});
      throw error;
    }
  }
  await out(decoder.decode());
  if (last !== '' && !last.endsWith('\n')) await write('\n');
  const prefix = new Uint8Array(keptBytes);
  let at = 0;
  for (const part of kept) {
    prefix.set(part, at);
    at += part.length;
  }
  // A character cut at the prefix's end is left out, not shown as U+FFFD.
  return new TextDecoder().decode(prefix, { stream: keptBytes === ANSWER_PREFIX_BYTES });
}

// RFC 9110 §5.1 and §5.5: a header name is a token; a value holds no CR, LF or NUL.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function headersFrom(lines: string[]): Headers {
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    if (colon <= 0 || !HEADER_NAME.test(name)) {
      throw new UsageError(
        `--header expects "Name: value" with a name of letters, digits and -; got ${JSON.stringify(line.slice(0, 40))}`,
      );
    }
    const value = line.slice(colon + 1).trim();
    // Quoting the value would print whatever secret the header carries: only its name is said.
    if (/[\r\n\0]/.test(value))
      throw new UsageError(`--header ${name}: the value holds a line break or NUL, which a header cannot carry`);
    headers.append(name, value);
  }
  return headers;
}

/**
 * `countersign request`: signs and sends one request, like curl. The answer's body goes to
 * stdout; with --verbose, what was signed and the status go to stderr (secrets redacted).
 * A refusal exits 1 with Countersign's explanation.
 */
export function requestCommand(
  write: (text: string) => void | Promise<void>,
  writeErr: (text: string) => void,
  env: NodeJS.ProcessEnv,
  fetchImpl: () => FetchLike,
  fail: (exitCode: number) => void,
  terminal = false,
): Command {
  return withSigningOptions(
    new Command('request')
      .description('Sign and send one request, like curl: the answer on stdout, an explanation if it is refused.')
      .option('--method <method>', 'HTTP method', 'GET')
      .requiredOption('--url <url>', 'absolute URL, query included')
      .option('--body <body>', 'request body; @file reads it from a file')
      .option('--content-type <type>', 'Content-Type of --body (default application/x-www-form-urlencoded, as curl -d)')
      .option('--header <line>', 'an extra header, "Name: value" (repeatable)', collect, []),
  )
    .option('--verbose', 'print what was signed and the answer status to stderr (secrets redacted)')
    .option('--timeout <seconds>', 'give up when the server has not answered within this many seconds', DEFAULT_TIMEOUT)
    .option(
      '--curl',
      'print the signed request as a curl command instead of sending it (secrets as $OAUTH_CONSUMER_SECRET-style references)',
    )
    .action(async (flags: RequestFlags) => {
      const timeout = timeoutMilliseconds(flags.timeout);
      const signerOptions = signerOptionsFrom(flags, env);
      const base = createSigner(signerOptions);
      // Every signing the wrapper does (one per redirect hop) is shown as it was sent.
      const signer: Signer = {
        ...base,
        async sign(request, options) {
          const signed = await base.sign(request, options);
          if (flags.verbose) showSigned(signed);
          return signed;
        },
      };
      const showSigned = (signed: SignedRequest) => {
        // Printed through the signed request's own redaction (a PLAINTEXT signature is the secrets).
        const shown = JSON.parse(JSON.stringify(signed)) as { method: string; url: string; baseString: string };
        writeErr(`> ${shown.method} ${shown.url}\n> base string: ${shown.baseString}\n`);
      };
      const headers = headersFrom(flags.header);
      const { input, bodyFile } = requestFrom(flags, headers.get('content-type') ?? undefined);
      const options = signOptionsFrom(flags, input.contentType);
      if (input.contentType !== undefined) headers.set('content-type', input.contentType);
      if (flags.curl) {
        const signed = await base.sign(input, options);
        const plaintext =
          flags.signatureMethod === 'PLAINTEXT'
            ? { consumerSecret: signerOptions.consumerSecret ?? '', tokenSecret: signerOptions.tokenSecret ?? '' }
            : undefined;
        // With transmission body the OAuth parameters went into a form body: send it as one.
        const contentType = signed.body === undefined ? input.contentType : signed.contentType;
        if (signed.body !== undefined && contentType !== undefined) headers.set('content-type', contentType);
        const bodyText = signed.body ?? input.body;
        const command = curlCommand(
          signed,
          headers,
          bodyText === undefined
            ? undefined
            : {
                text: bodyText,
                form: isFormContentType(contentType),
                file: signed.body === undefined ? bodyFile : undefined,
              },
          plaintext,
          env,
        );
        write(command.text);
        for (const name of command.variables) {
          writeErr(
            `countersign: the command reads $${name} from the environment${env[name] === undefined ? ' (not set here: export it first)' : ''}.\n`,
          );
        }
        return;
      }
      let sentAuthorization: string | undefined;
      const send: FetchLike = (url, init) => {
        sentAuthorization = new Headers(init?.headers).get('authorization') ?? undefined;
        return fetchImpl()(url, init);
      };
      const signal = AbortSignal.timeout(timeout);
      let response: Response;
      let text: string;
      try {
        response = await createOAuthFetch(signer, { fetch: send, oauth: options })(input.url, {
          method: input.method,
          headers,
          body: input.body,
          signal,
        });
        if (flags.verbose) writeErr(`< ${response.status} ${response.statusText}\n`);
        text = await streamBody(response, write, terminal);
      } catch (error) {
        if (signal.aborted) {
          writeErr(`countersign: no answer within ${flags.timeout} s (--timeout); nothing more was sent.\n`);
          fail(1);
          return;
        }
        const network = describeNetworkFailure(error, input.url);
        if (network === undefined) throw error;
        writeErr(`countersign: ${network}\n`);
        fail(1);
        return;
      }
      if (!response.ok) {
        // Explained from the very signing that was sent, in the CLI's own terms.
        const error = oauthErrorOf(
          { status: response.status, body: text, wwwAuthenticate: response.headers.get('www-authenticate') },
          signingOf(response),
        );
        const problem = error;
        const causes = explain({
          error,
          request: { authorization: sentAuthorization, body: input.body, contentType: input.contentType },
          response: { status: response.status, body: text, date: response.headers.get('date') ?? undefined },
          audience: 'cli',
        });
        writeErr(
          `countersign: the server answered ${response.status}${problem.problem ? ` (${problem.problem})` : ''}.\n`,
        );
        for (const cause of causes) writeErr(`  - ${cause.explanation}\n`);
        fail(1);
      }
    });
}
