/**
 * A strict, in-process OAuth 1.0a provider for examples, demos and tests.
 *
 * @packageDocumentation
 * @module @countersign/sandbox
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkConsumer, checkConsumers } from './consumers.ts';
import { allowBrowsers, fail } from './http.ts';
import { createInspector, type Inspector } from './inspector/inspector.ts';
import { inspectorSettings } from './inspector/options.ts';
import type { Sandbox, SandboxConsumer, SandboxOptions } from './options.ts';
import { profileRules } from './profiles.ts';
import { route, type SandboxContext } from './routes.ts';
import { createTokenStore } from './tokens.ts';
import { createSandboxVerifier } from './verification.ts';

export type { SandboxInspectorOptions } from './inspector/options.ts';
export type { Sandbox, SandboxConsumer, SandboxOptions } from './options.ts';
export type { SandboxProfile } from './profiles.ts';
export type { SandboxUser } from './twitter-routes.ts';

/**
 * Starts a strict OAuth 1.0a provider on 127.0.0.1 (a free port unless `port` is given), built on
 * `@countersign/server`: consumers bound to the methods their secret or key allows, a
 * 300-second window for timestamps and nonces, replayed nonces refused, refusals in the
 * Problem Reporting format with the base string it computed, bodies over 1 MiB refused
 * before reading. Routes: `POST /oauth/request_token`, `GET /oauth/authorize?oauth_token=…`
 * (the sandbox's user approves at once; add `deny=1` to refuse), `POST /oauth/access_token`,
 * and any other path as an echo resource that answers with what arrived. Its inspector page
 * (`sandbox.inspectorUrl`, `/_countersign/`) shows every request received, the base strings
 * and the likely cause of each refusal, to loopback pages only.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ consumers: [{ key: 'demoConsumerKey000000', secret: 'demo-secret' }] });
 * const tokens = await requestToken(signer, sandbox.endpoints);
 * console.log(sandbox.inspectorUrl); // http://127.0.0.1:…/_countersign/: every request, live
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const consumers = new Map<string, SandboxConsumer>();
  for (const consumer of checkConsumers(options.consumers)) consumers.set(consumer.key, consumer);
  const tokens = createTokenStore();
  const offsetMs = (options.clockOffsetSeconds ?? 0) * 1000;
  const clock = options.now ?? Date.now;
  const now = () => clock() + offsetMs;
  const rules = profileRules(options.profile);
  const inspecting = inspectorSettings(options.inspector);
  const verify = createSandboxVerifier({
    consumers,
    tokens,
    now,
    windowSeconds: options.windowSeconds ?? 300,
    signatureMethods: rules?.signatureMethods,
  });
  const failures: number[] = [];
  const users = options.users ?? [{ username: 'sandbox_user', password: 'sandbox-password' }];
  let context: SandboxContext | undefined;
  let inspector: Inspector | undefined;

  const server = createServer((request, response) => {
    // The inspector's own paths come first: never recorded, never given CORS headers.
    if (inspector?.handles(request)) return inspector.serve(request, response);
    if (options.cors === true && allowBrowsers(request, response)) return;
    inspector?.record(request, response);
    route(context as SandboxContext, request, response).catch((error: unknown) => fail(response, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  context = { origin, options, tokens, verify, users, failures, now, rules };
  inspector = inspecting === undefined ? undefined : createInspector(origin, port, inspecting, now);
  return {
    url: origin,
    inspectorUrl: inspector?.url,
    endpoints: {
      requestTokenUrl: `${origin}/oauth/request_token`,
      authorizeUrl: `${origin}/oauth/authorize`,
      accessTokenUrl: `${origin}/oauth/access_token`,
    },
    addConsumer: (consumer) => {
      consumers.set(consumer.key, checkConsumer(consumer, consumers.size));
    },
    failNext: (...statuses) => failures.push(...statuses),
    expireAccessTokens: () => tokens.expireAll(now()),
    issueAccessToken(consumerKey) {
      const issued = tokens.issueAccessToken(consumerKey);
      // A token issued directly lives by the profile's rules too (E*TRADE's idle hours, midnight).
      rules?.tokenLife?.issued(issued.token, now());
      return { token: issued.token, tokenSecret: issued.record.secret };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
