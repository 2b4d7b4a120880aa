import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  errorResponse,
  type MiddlewareOptions,
  type OAuthVerifiedRequest,
  oauthMiddleware,
  problemResponse,
  type VerifyResult,
  verifyFetchRequest,
} from '@countersign/server';
import express from 'express';

/** A running verifier: where to send, and how to stop it. */
export interface VerifierServer {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<VerifierServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Only for these tests: the Fetch server sends the refusal's likelyCause in a header so the
// client side can assert it; the Problem Reporting body carries the same cause in words
// (oauth_problem_advice), which is what both servers are checked on.
function causeHeader(result: VerifyResult): Record<string, string> {
  return !result.ok && result.likelyCause !== undefined ? { 'x-likely-cause': result.likelyCause } : {};
}

/** Express with the middleware on every path; a verified request is answered with its consumer and parameters. */
export function startExpressVerifier(options: MiddlewareOptions): Promise<VerifierServer> {
  const app = express();
  app.use(oauthMiddleware(options) as express.RequestHandler);
  app.all('/{*path}', (req, res) => {
    const verified = req as unknown as OAuthVerifiedRequest;
    res.json({
      consumer: verified.oauth.consumerKey,
      token: verified.oauth.token ?? null,
      params: verified.oauth.params,
    });
  });
  return listen(createServer(app));
}

/** A node:http server that turns each request into a Fetch `Request`, as Fetch runtimes do, and verifies that. */
export function startFetchVerifier(options: MiddlewareOptions): Promise<VerifierServer> {
  return listen(
    createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      try {
        const { result } = await verifyFetchRequest(request, options);
        if (!result.ok) {
          const answer = problemResponse(result);
          res.writeHead(answer.status, { ...answer.headers, ...causeHeader(result) }).end(answer.body);
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ consumer: result.consumerKey, token: result.token ?? null, params: result.params }));
      } catch (error) {
        const answer = errorResponse(error);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      }
    }),
  );
}
