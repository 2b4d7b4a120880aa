import type { VerifiedRequest } from './verify.ts';

// Express types its requests through the global `Express.Request` interface
// (@types/express-serve-static-core), which exists to be merged into: with this, a handler
// after oauthMiddleware reads `req.oauth` with its type and without a cast. Optional, since
// only a route behind the middleware has it.
declare global {
  namespace Express {
    interface Request {
      /** The verified request's OAuth facts, set by `oauthMiddleware` (undefined on a route without it). */
      oauth?: VerifiedRequest;
      /** The body bytes `oauthMiddleware` read (mount it before body parsers). */
      rawBody?: Uint8Array;
    }
  }
}
