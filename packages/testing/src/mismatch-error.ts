import type { LikelyCause } from '@countersign/server';
import type { SigningCheck } from './check.ts';

type Failed = Extract<SigningCheck, { ok: false }>;

/**
 * Thrown (or handed to the HTTP client) when a request to a fake provider does not verify.
 * Its message says why, with the base strings; it carries no secret.
 *
 * @example
 * ```ts
 * const error = await fetch(url).catch((e) => e);
 * if (error instanceof OAuthMismatchError) console.log(error.likelyCause, error.expectedBaseString);
 * ```
 */
export class OAuthMismatchError extends Error {
  override readonly name = 'OAuthMismatchError';
  /** The verifier's Problem Reporting code, or `request_mismatch`. */
  readonly problem: string;
  /** The base string a correct signer signs, password values redacted. */
  readonly expectedBaseString: string | undefined;
  /** With `signature_invalid`: the mistake that reproduces the signature, as `explain()` names it. */
  readonly likelyCause: LikelyCause | undefined;

  constructor(check: Failed) {
    super(check.message);
    this.problem = check.problem;
    this.expectedBaseString = check.expectedBaseString;
    this.likelyCause = check.likelyCause;
  }
}
