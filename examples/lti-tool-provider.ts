/**
 * An LTI 1.1 tool provider: the LMS (Moodle, Canvas, Blackboard, …) POSTs a launch form
 * signed with HMAC-SHA1, OAuth parameters in the body; the tool verifies it with
 * @countersign/server before showing anything.
 *
 *   npx tsx examples/lti-tool-provider.ts              # starts the tool, sends it one launch signed as an LMS would, and a tampered one
 *   LTI_SERVE=1 PORT=8080 LTI_CONSUMER_KEY=… LTI_CONSUMER_SECRET=… npx tsx examples/lti-tool-provider.ts   # serves until stopped
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createOAuthFetch, createSigner } from '@countersign/core';
import {
  createMemoryNonceStore,
  errorResponse,
  type NonceStore,
  problemResponse,
  verifyNodeRequest,
} from '@countersign/server';

export interface ToolProviderOptions {
  /** Consumer key → shared secret, as registered with each LMS. */
  readonly consumers: ReadonlyMap<string, string>;
  readonly port?: number;
  /** The origin LMSs post to, when the tool runs behind a proxy. */
  readonly origin?: string;
  readonly nonceStore?: NonceStore;
}

// LTI 1.1 §B.1: what every basic launch carries.
const REQUIRED = ['lti_message_type', 'lti_version', 'resource_link_id'];

function answer(response: ServerResponse, status: number, text: string) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

/** Starts the tool on 127.0.0.1; `POST /launch` takes LTI 1.1 basic launches. */
export async function startToolProvider(options: ToolProviderOptions) {
  const nonceStore = options.nonceStore ?? createMemoryNonceStore();
  const lookupConsumer = (key: string) => {
    const secret = options.consumers.get(key);
    // LMSs sign launches with HMAC-SHA1 only: hold each consumer to it.
    return secret === undefined ? undefined : { secret, signatureMethods: ['HMAC-SHA1' as const] };
  };
  // A launch is two-legged: it carries no oauth_token. The tool issues none, so every token
  // is refused; a tool that does issue tokens returns { secret, consumerKey } here, and the
  // verifier refuses a token presented by another consumer than the one it was issued to.
  const lookupToken = () => undefined;
  async function launch(request: IncomingMessage, response: ServerResponse) {
    if (request.method !== 'POST' || request.url !== '/launch') return answer(response, 404, 'Not found.');
    // Behind a TLS-terminating proxy, origin is what the LMS signs for (https://tool.example.com):
    // X-Forwarded-* headers are never read. A refusal names the likely cause in its advice
    // (an LMS that signed https while the tool computed http, a secret it did not encode…).
    const { result } = await verifyNodeRequest(request, {
      lookupConsumer,
      lookupToken,
      nonceStore,
      origin: options.origin ?? origin,
      maxBodyBytes: 64 * 1024,
    });
    if (!result.ok) {
      const refusal = problemResponse(result, 'lti');
      response.writeHead(refusal.status, { ...refusal.headers }).end(refusal.body);
      return;
    }
    const launch = new Map(result.params);
    const missing = REQUIRED.filter((name) => !launch.get(name));
    if (missing.length > 0) return answer(response, 400, `Not an LTI 1.1 launch: missing ${missing.join(', ')}.`);
    if (launch.get('lti_message_type') !== 'basic-lti-launch-request' || launch.get('lti_version') !== 'LTI-1p0') {
      return answer(response, 400, 'Only LTI-1p0 basic-lti-launch-request messages are handled here.');
    }
    const who = launch.get('lis_person_name_full') ?? launch.get('user_id') ?? 'someone';
    const roles = launch.get('roles') ?? 'no role';
    answer(
      response,
      200,
      `Welcome, ${who} (${roles}), to ${launch.get('resource_link_title') ?? launch.get('resource_link_id')}.`,
    );
  }
  const server = createServer((request, response) => {
    launch(request, response).catch((error: unknown) => {
      const refusal = errorResponse(error);
      response.writeHead(refusal.status, { ...refusal.headers }).end(refusal.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/launch`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A launch as an LMS sends it. */
export const SAMPLE_LAUNCH: Array<[string, string]> = [
  ['lti_message_type', 'basic-lti-launch-request'],
  ['lti_version', 'LTI-1p0'],
  ['resource_link_id', 'course-42-unit-3'],
  ['resource_link_title', 'Unit 3: Signatures'],
  ['user_id', 'learner-7'],
  ['roles', 'Learner'],
  ['lis_person_name_full', 'Ada Lovelace'],
  ['context_id', 'course-42'],
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const env = process.env;
  const key = env.LTI_CONSUMER_KEY ?? 'exampleLmsConsumerKey0';
  const secret = env.LTI_CONSUMER_SECRET ?? 'example lms secret';
  const tool = await startToolProvider({ consumers: new Map([[key, secret]]), port: Number(env.PORT ?? 0) });
  if (env.LTI_SERVE === '1') {
    console.log(`LTI 1.1 tool listening: launch URL ${tool.url}, consumer key ${key}`);
  } else {
    try {
      // Play the LMS: sign the launch form with the OAuth parameters in the body, as LMSs do.
      const lms = createOAuthFetch(createSigner({ consumerKey: key, consumerSecret: secret, transmission: 'body' }));
      const launched = await lms(tool.url, { method: 'POST', body: new URLSearchParams(SAMPLE_LAUNCH) });
      console.log(`launch -> ${launched.status}: ${await launched.text()}`);
      const signed = await createSigner({ consumerKey: key, consumerSecret: secret }).sign({
        method: 'POST',
        url: tool.url,
        body: new URLSearchParams(SAMPLE_LAUNCH).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
      const tampered = await fetch(tool.url, {
        method: 'POST',
        headers: { authorization: signed.authorization as string, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([...SAMPLE_LAUNCH, ['roles', 'Instructor']]),
      });
      console.log(
        `tampered launch (roles changed) -> ${tampered.status}: ${new URLSearchParams(await tampered.text()).get('oauth_problem')}`,
      );
    } finally {
      await tool.close();
    }
  }
}
