import { type SandboxConsumer, startSandbox } from '@countersign/sandbox';
import { Command } from 'commander';
import { readLocalFile } from '../local-file.ts';
import { UsageError } from '../usage-error.ts';

interface SandboxFlags {
  port: string;
  consumers?: string;
}

/** Consumers the sandbox knows when no --consumers file is given: printed, so any client can use them. */
const DEFAULT_CONSUMERS: SandboxConsumer[] = [{ key: 'sandboxConsumerKey0000', secret: 'sandbox-consumer-secret' }];

/**
 * Reads `--consumers FILE`: a JSON array of `{ "key", "secret" }` or `{ "key", "publicKey" }`
 * (a PEM string), with `"privateApp": true` for a Xero-style private app.
 */
function consumersFrom(file: string | undefined): SandboxConsumer[] {
  if (file === undefined) return DEFAULT_CONSUMERS;
  const text = readLocalFile('--consumers', file, 1024 * 1024).bytes.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--consumers ${file} is not JSON: ${CONSUMERS_SHAPE}`);
  }
  if (!Array.isArray(parsed)) throw new UsageError(`--consumers ${file} must be ${CONSUMERS_SHAPE}`);
  return parsed as SandboxConsumer[];
}

const CONSUMERS_SHAPE =
  'a JSON array of {"key": "...", "secret": "..."} or {"key": "...", "publicKey": "-----BEGIN PUBLIC KEY-----..."}';

/**
 * `countersign sandbox`: the strict sandbox provider from the shell, for a test suite in any
 * language. Prints its URL, endpoints and consumers, then serves until stopped (Ctrl-C).
 */
export function sandboxCommand(write: (text: string) => void, untilStopped: () => Promise<void>): Command {
  return new Command('sandbox')
    .description('Start the strict sandbox OAuth 1.0a provider on 127.0.0.1 until stopped (Ctrl-C).')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--consumers <file>', 'JSON array of {"key", "secret"} or {"key", "publicKey"} consumers')
    .action(async (flags: SandboxFlags) => {
      if (!/^\d{1,5}$/.test(flags.port) || Number(flags.port) > 65535) {
        throw new UsageError(`--port expects a port number from 0 to 65535; got ${JSON.stringify(flags.port)}`);
      }
      // Each consumer is checked as the sandbox starts: a typed error naming the one at fault.
      const consumers = consumersFrom(flags.consumers);
      const sandbox = await startSandbox({ consumers, port: Number(flags.port) });
      // Only the built-in demo consumer's secret is printed (it is in this file for all to see);
      // secrets from a --consumers file stay in that file.
      const shown = consumers.map((consumer) =>
        consumer.secret === undefined
          ? `${consumer.key} (RSA)`
          : flags.consumers === undefined
            ? `${consumer.key} / ${consumer.secret}`
            : `${consumer.key} (secret as in ${flags.consumers})`,
      );
      write(
        [
          `sandbox listening on ${sandbox.url}`,
          `inspector:     ${sandbox.inspectorUrl} (every request, the base strings and the likely cause; loopback only)`,
          `request token: POST ${sandbox.endpoints.requestTokenUrl}`,
          `authorize:     GET  ${sandbox.endpoints.authorizeUrl}?oauth_token=…`,
          `access token:  POST ${sandbox.endpoints.accessTokenUrl}`,
          'any other path: a protected resource that echoes what it verified',
          `consumers: ${shown.join(', ')}`,
          '',
        ].join('\n'),
      );
      await untilStopped();
      await sandbox.close();
      write('sandbox stopped\n');
    });
}
