import {
  accessToken,
  authorizationUrl,
  createSigner,
  type FetchLike,
  inertText,
  type OAuthEndpoints,
  requestToken,
} from '@countersign/core';
import { jiraEndpoints } from '@countersign/jira';
import { twitterEndpoints } from '@countersign/twitter';
import { xeroEndpoints } from '@countersign/xero';
import { Argument, Command } from 'commander';
import { describeNetworkFailure, NetworkFailure } from '../network-failure.ts';
import { DEFAULT_TIMEOUT, timeoutMilliseconds } from '../timeout.ts';
import { UsageError } from '../usage-error.ts';
import { checkPlaintextTransport, type SignFlags, signerOptionsFrom, withSigningOptions } from './sign.ts';

/** A network failure said for the endpoint it happened at; anything else as it is. */
function networkError(error: unknown, url: string): unknown {
  const network = describeNetworkFailure(error, url);
  return network === undefined ? error : new NetworkFailure(network);
}

// One `name=value` per line: a value from the provider with a line break in it must not print a line of its own.
const line = (name: string, value: string) =>
  `${inertText(name, Number.POSITIVE_INFINITY)}=${inertText(value, Number.POSITIVE_INFINITY)}\n`;

interface FlowFlags extends SignFlags {
  base?: string;
  callback: string;
  timeout: string;
}

/**
 * Runs one exchange with the provider within `--timeout`: retries, waits and reading the
 * answer included. A provider that sends its answer a byte at a time resets every timeout
 * of fetch's own, and held the flow for as long as it liked.
 */
async function within<T>(
  milliseconds: number,
  given: string,
  url: string,
  exchange: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const signal = AbortSignal.timeout(milliseconds);
  try {
    return await exchange(signal);
  } catch (error) {
    if (signal.aborted) {
      throw new NetworkFailure(`no answer from ${new URL(url).host} within ${given} s (--timeout).`);
    }
    throw networkError(error, url);
  }
}

const PROVIDERS = ['twitter', 'xero', 'jira'] as const;
type Provider = (typeof PROVIDERS)[number];

function endpointsFor(provider: Provider, base: string | undefined): OAuthEndpoints {
  // Checked here, in the flag's name: the signer would refuse the endpoint it makes as a bad --url.
  if (base !== undefined && !(URL.canParse(base) && /^https?:$/.test(new URL(base).protocol))) {
    throw new UsageError(
      `--base expects the provider's absolute URL, such as https://jira.example.com; got ${JSON.stringify(base)}`,
    );
  }
  if (provider === 'jira') {
    if (base === undefined) throw new UsageError('jira needs --base, your Jira URL (https://jira.example.com)');
    return jiraEndpoints(base);
  }
  return provider === 'twitter' ? twitterEndpoints(base) : xeroEndpoints(base);
}

/**
 * `countersign flow <provider>`: the three-legged flow in a terminal. Prints the URL to
 * approve at, reads the verifier the provider shows, and prints the access token.
 */
export function flowCommand(
  write: (text: string) => void,
  env: NodeJS.ProcessEnv,
  readLine: (question: string) => Promise<string>,
  fetchImpl: () => FetchLike,
): Command {
  return withSigningOptions(
    new Command('flow')
      .description(
        'Run a three-legged flow in the terminal: approve in a browser, paste the verifier, get the access token.',
      )
      .addArgument(new Argument('<provider>', 'whose endpoints to use').choices(PROVIDERS))
      .option('--base <url>', "the provider's base URL (required for jira; another host for twitter and xero)")
      .option('--callback <url>', 'oauth_callback', 'oob')
      .option(
        '--timeout <seconds>',
        'give up on a token request not answered within this many seconds',
        DEFAULT_TIMEOUT,
      ),
  ).action(async (provider: Provider, flags: FlowFlags) => {
    const timeout = timeoutMilliseconds(flags.timeout);
    const endpoints = endpointsFor(provider, flags.base);
    checkPlaintextTransport(flags, endpoints.requestTokenUrl);
    const signer = createSigner({ ...signerOptionsFrom(flags, env), token: undefined, tokenSecret: undefined });
    const fetch = fetchImpl();
    const requestTokens = await within(timeout, flags.timeout, endpoints.requestTokenUrl, (signal) =>
      requestToken(signer, endpoints, { callback: flags.callback, fetch, retry: { signal } }),
    );
    write(
      `Open this URL, approve, and note the verifier:\n  ${inertText(authorizationUrl(endpoints, requestTokens), Number.POSITIVE_INFINITY)}\n`,
    );
    const verifier = (await readLine('Verifier: ')).trim();
    if (verifier === '') throw new UsageError('no verifier given');
    const access = await within(timeout, flags.timeout, endpoints.accessTokenUrl, (signal) =>
      accessToken(
        signer,
        endpoints,
        { token: requestTokens.token, tokenSecret: requestTokens.tokenSecret, verifier },
        { fetch, retry: { signal } },
      ),
    );
    write(line('oauth_token', access.token) + line('oauth_token_secret', access.tokenSecret));
    for (const [name, value] of Object.entries(access.extras)) write(line(name, value));
  });
}
