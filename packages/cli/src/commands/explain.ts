import { explain } from '@countersign/core';
import { Command } from 'commander';
import { UsageError } from '../usage-error.ts';

interface ExplainFlags {
  ours?: string;
  theirs?: string;
  authorization?: string;
  body?: string;
  contentType?: string;
  status?: string;
  response?: string;
  date?: string;
}

export function explainCommand(write: (text: string) => void): Command {
  return new Command('explain')
    .description(
      'Say why a server refused a signed request: from two base strings, or from a captured request and the response.',
    )
    .option('--ours <base-string>', 'the base string the client signed')
    .option(
      '--theirs <base-string>',
      "the server's base string (Jira's oauth_signature_base_string, Flickr's debug_sbs)",
    )
    .option('--authorization <header>', 'the Authorization header that was sent')
    .option('--body <body>', 'the request body that was sent')
    .option('--content-type <type>', 'the Content-Type of that body')
    .option('--status <code>', 'the HTTP status of the answer')
    .option('--response <body>', 'the body of the answer (oauth_problem=…, Twitter JSON, …)')
    .option('--date <http-date>', "the answer's Date header")
    .action((flags: ExplainFlags) => {
      if (Object.values(flags).every((value) => value === undefined)) {
        throw new UsageError(
          'explain needs --ours and --theirs, or the captured request and response (--authorization, --response, …)',
        );
      }
      if (flags.status !== undefined && !/^\d{3}$/.test(flags.status))
        throw new UsageError(`--status expects an HTTP status; got ${JSON.stringify(flags.status)}`);
      const causes = explain({
        ourBaseString: flags.ours,
        serverBaseString: flags.theirs,
        request: { authorization: flags.authorization, body: flags.body, contentType: flags.contentType },
        response:
          flags.status === undefined && flags.response === undefined && flags.date === undefined
            ? undefined
            : { status: Number(flags.status ?? 401), body: flags.response, date: flags.date },
        // Advice in the command line's terms: --timestamp, not signer.setClockOffset().
        audience: 'cli',
      });
      if (causes.length === 0) {
        write(
          'No likely cause found in what was given. Add the server base string (--theirs) or its answer (--response).\n',
        );
        return;
      }
      for (const [index, cause] of causes.entries()) write(`${index + 1}. ${cause.cause}: ${cause.explanation}\n`);
    });
}
