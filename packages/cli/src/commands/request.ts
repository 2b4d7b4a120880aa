import {
  createOAuthFetch,
  createSigner,
  explain,
  type FetchLike,
  isFormContentType,
  oauthErrorOf,
  type SignedRequest,
  type Signer,
  signingOf,
} from '@countersign/core';
import { Command } from 'commander';
import { UsageError } from '../usage-error.ts';
import { curlCommand } from './curl.ts';
import { type SignFlags, signerOptionsFrom, signInputFrom, signOptionsFrom, withSigningOptions } from './sign.ts';

interface RequestFlags extends SignFlags {
  header: string[];
  verbose?: boolean;
  timeout: string;
  curl?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function headersFrom(lines: string[]): Headers {
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header expects "Name: value"; got ${JSON.stringify(line)}`);
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * `countersign request`: signs and sends one request, like curl. The answer's body goes to
 * stdout; with --verbose, what was signed and the status go to stderr (secrets redacted).
 * A refusal exits 1 with Countersign's explanation.
 */
export function requestCommand(
  write: (text: string) => void,
  writeErr: (text: string) => void,
  env: NodeJS.ProcessEnv,
  fetchImpl: () => FetchLike,
  fail: (exitCode: number) => void,
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
    .option('--timeout <seconds>', 'give up when the server has not answered within this many seconds', '30')
    .option(
      '--curl',
      'print the signed request as a curl command instead of sending it (secrets as $OAUTH_CONSUMER_SECRET-style references)',
    )
    .action(async (flags: RequestFlags) => {
      const timeoutSeconds = Number(flags.timeout);
      if (!/^\d+(\.\d+)?$/.test(flags.timeout) || timeoutSeconds <= 0) {
        throw new UsageError(`--timeout expects a number of seconds above 0; got ${JSON.stringify(flags.timeout)}`);
      }
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
      const input = signInputFrom(flags);
      const options = signOptionsFrom(flags);
      const headers = headersFrom(flags.header);
      if (input.contentType !== undefined && !headers.has('content-type'))
        headers.set('content-type', input.contentType);
      if (flags.curl) {
        const signed = await base.sign(input, options);
        const plaintext =
          flags.signatureMethod === 'PLAINTEXT'
            ? { consumerSecret: signerOptions.consumerSecret ?? '', tokenSecret: signerOptions.tokenSecret ?? '' }
            : undefined;
        // With transmission body the OAuth parameters went into a form body: send it as one.
        const contentType = signed.body === undefined ? input.contentType : signed.contentType;
        if (signed.body !== undefined && contentType !== undefined) headers.set('content-type', contentType);
        const command = curlCommand(
          signed,
          headers,
          signed.body ?? input.body,
          isFormContentType(contentType),
          plaintext,
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
      const signal = AbortSignal.timeout(timeoutSeconds * 1000);
      let response: Response;
      let text: string;
      try {
        response = await createOAuthFetch(signer, { fetch: send, oauth: options })(input.url, {
          method: input.method,
          headers,
          body: input.body,
          signal,
        });
        text = await response.text();
      } catch (error) {
        if (signal.aborted) {
          writeErr(`countersign: no answer within ${flags.timeout} s (--timeout); nothing more was sent.\n`);
          fail(1);
          return;
        }
        throw error;
      }
      if (flags.verbose) writeErr(`< ${response.status} ${response.statusText}\n`);
      write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
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
