import { type NodeRequest, type NodeRequestOptions, verifyNodeRequest } from './node-request.ts';
import { errorResponse, type ProblemResponse, problemResponse } from './problem-response.ts';
import { maxBodyBytes } from './read-body.ts';
import { checkOptions, type VerifiedRequest } from './verify.ts';

/** The response methods the middleware uses (node:http's `ServerResponse`, Express's `res`). */
export interface NodeResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

/** What the middleware adds to a request it lets through. */
export interface OAuthVerifiedRequest {
  /** The verified request's OAuth facts (consumer, token, signed parameters). */
  oauth: VerifiedRequest;
  /** The body bytes, read by the middleware (mount it before body parsers). */
  rawBody: Uint8Array;
}

export interface MiddlewareOptions extends NodeRequestOptions {
  /** The realm named in `WWW-Authenticate` on a refusal. @default '' */
  readonly realm?: string;
}

function send(response: NodeResponse, answer: ProblemResponse): void {
  response.writeHead(answer.status, { ...answer.headers });
  response.end(answer.body);
}

/**
 * Express-style middleware (`(req, res, next)`) that lets a request through only when its
 * OAuth 1.0a signature verifies: then `req.oauth` holds the verified facts and `req.rawBody`
 * the body. A refusal is answered in the Problem Reporting format (400/401); a body over
 * `maxBodyBytes` with 413; a nonce store that cannot answer with 503. Mount it before body
 * parsers, since it reads the body itself.
 *
 * @example
 * ```ts
 * app.post('/lti/launch', oauthMiddleware({ lookupConsumer, nonceStore: createMemoryNonceStore() }), (req, res) => {
 *   res.send(`Hello ${req.oauth.consumerKey}`);
 * });
 * ```
 */
export function oauthMiddleware(
  options: MiddlewareOptions,
): (request: NodeRequest, response: NodeResponse, next: (error?: unknown) => void) => void {
  // A misconfiguration (no nonceStore, say) is an error when the app starts, not a 500 on every request.
  checkOptions(options);
  maxBodyBytes(options);
  return (request, response, next) => {
    verifyNodeRequest(request, options).then(
      ({ result, body }) => {
        if (!result.ok) return send(response, problemResponse(result, options.realm));
        Object.assign(request, { oauth: result, rawBody: body } satisfies OAuthVerifiedRequest);
        next();
      },
      (error: unknown) => send(response, errorResponse(error)),
    );
  };
}
