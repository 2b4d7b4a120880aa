import { baseStringUri, isSensitiveName, REDACTED, redactUrl, type SignatureMethodName } from '@countersign/core';
import {
  createMemoryNonceStore,
  type LikelyCause,
  type NonceStore,
  type ReceivedRequest,
  type VerifiedRequest,
  verifyRequest,
} from '@countersign/server';
import { checkExpected, type ExpectedSigning } from './expected-signing.ts';

/** The outcome of checking one request against what a fake provider expects. */
export type SigningCheck =
  | { readonly ok: true; readonly verified: VerifiedRequest }
  | {
      readonly ok: false;
      /** The verifier's Problem Reporting code, or `request_mismatch` for a method, URL or parameter expectation. */
      readonly problem: string;
      /** Why, with the base strings when the signature is at fault. Contains no secret. */
      readonly message: string;
      /** The base string a correct signer signs, password values redacted. */
      readonly expectedBaseString?: string;
      /**
       * With `signature_invalid`: the mistake that reproduces the signature, as `explain()`
       * names it (`body_hash_mismatch` for a body changed after signing).
       */
      readonly likelyCause?: LikelyCause;
    };

function unmet(verified: VerifiedRequest, request: ReceivedRequest, expected: ExpectedSigning): string | undefined {
  // A token was expected: a request signed with the consumer credentials alone (no
  // oauth_token, or an empty one) verifies as a two-legged request, and must not pass.
  if (expected.token !== undefined && expected.token !== '' && verified.token !== expected.token) {
    return `expected a request signed with the token ${JSON.stringify(expected.token)}; it was signed with the consumer credentials alone (no oauth_token, or an empty one).`;
  }
  if (expected.method !== undefined && expected.method.toUpperCase() !== request.method.toUpperCase()) {
    return `expected a ${expected.method.toUpperCase()} request, got ${request.method.toUpperCase()}.`;
  }
  if (expected.url !== undefined) {
    const want = baseStringUri(new URL(expected.url));
    const got = baseStringUri(new URL(request.url));
    if (want !== got) return `expected a request to ${want}, got one to ${got}.`;
  }
  for (const [name, value] of Object.entries(expected.params ?? {})) {
    const sent = verified.params.filter(([signed]) => signed === name).map(([, signedValue]) => signedValue);
    // Every value signed under the name must be the expected one: with a second, different
    // value, the application may well read that one. (The same value twice is Twitter's
    // reverse auth, x_auth_mode in the header and the body.)
    if (sent.length === 0 || sent.some((signedValue) => signedValue !== value)) {
      const shown = (text: string) => (isSensitiveName(name) ? REDACTED : JSON.stringify(text));
      return sent.length === 0
        ? `expected parameter ${name} among the signed parameters; it was not sent.`
        : `expected parameter ${name} = ${shown(value)}; it was signed as ${sent.map(shown).join(', ')}.`;
    }
  }
  return undefined;
}

/** Checks one received request; see {@link createSigningChecker}. */
export type SigningChecker = (request: ReceivedRequest) => Promise<SigningCheck>;

/**
 * A checker for requests sent to a fake provider: each request is verified the way a strict
 * provider would, against the credentials and expectations given, with its own memory of
 * nonces (a replay fails); when a signature does not verify, it finds which classic mistake
 * produced it. The nock and msw helpers are built on it; use it directly with any other
 * mocking tool.
 *
 * @example
 * ```ts
 * const check = createSigningChecker({ consumerKey: 'ck', consumerSecret: 'cs' });
 * const result = await check({ method: 'GET', url: 'https://api.example.com/r', authorization });
 * if (!result.ok) throw new Error(result.message);
 * ```
 */
export function createSigningChecker(expected: ExpectedSigning): SigningChecker {
  checkExpected(expected);
  const nonceStore: NonceStore | false = expected.refuseReplays === false ? false : createMemoryNonceStore();
  return (request) => checkSignedRequest(request, expected, nonceStore);
}

async function checkSignedRequest(
  request: ReceivedRequest,
  expected: ExpectedSigning,
  nonceStore: NonceStore | false,
): Promise<SigningCheck> {
  const methods: readonly SignatureMethodName[] | undefined =
    expected.signatureMethod === undefined ? undefined : [expected.signatureMethod];
  const consumer = {
    ...(expected.consumerSecret === undefined ? {} : { secret: expected.consumerSecret }),
    ...(expected.publicKey === undefined ? {} : { publicKey: expected.publicKey }),
    ...(methods === undefined ? {} : { signatureMethods: methods }),
  };
  const result = await verifyRequest(request, {
    lookupConsumer: (key) => (key === expected.consumerKey ? consumer : undefined),
    lookupToken: (token) =>
      token === expected.token ? { secret: expected.tokenSecret ?? '', consumerKey: expected.consumerKey } : undefined,
    nonceStore,
    // A fake provider answers on whatever scheme the test uses.
    allowPlaintextOverHttp: true,
    ...(expected.windowSeconds === undefined ? {} : { windowSeconds: expected.windowSeconds }),
    ...(expected.now === undefined ? {} : { now: expected.now }),
  });
  // A PLAINTEXT signature in the query is the secrets: never printed, whatever the method.
  const target = `${request.method.toUpperCase()} ${redactUrl(new URL(request.url).href, true)}`;
  if (result.ok) {
    const mismatch = unmet(result, request, expected);
    if (mismatch === undefined) return { ok: true, verified: result };
    return {
      ok: false,
      problem: 'request_mismatch',
      message: `The OAuth 1.0a request ${target} verifies, but ${mismatch}`,
      expectedBaseString: result.baseString,
    };
  }
  const heading = `The OAuth 1.0a request ${target} does not verify (${result.problem}): ${result.advice}`;
  // The verifier has already tried the classic mistakes (the same diagnosis a server gives).
  const diagnosis = result.diagnosis;
  if (result.problem !== 'signature_invalid' || diagnosis === undefined) {
    return {
      ok: false,
      problem: result.problem,
      message: result.baseString === undefined ? heading : `${heading}\nBase string expected: ${result.baseString}`,
      ...(result.baseString === undefined ? {} : { expectedBaseString: result.baseString }),
      ...(result.likelyCause === undefined ? {} : { likelyCause: result.likelyCause }),
    };
  }
  const lines = [
    `The OAuth 1.0a request ${target} does not verify (${result.problem}).`,
    `Likely cause: ${diagnosis.explanation}`,
    `Base string expected: ${diagnosis.expectedBaseString}`,
  ];
  if (diagnosis.clientBaseString !== undefined) lines.push(`Base string signed:   ${diagnosis.clientBaseString}`);
  return {
    ok: false,
    problem: result.problem,
    message: lines.join('\n'),
    expectedBaseString: diagnosis.expectedBaseString,
    ...(diagnosis.likelyCause === undefined ? {} : { likelyCause: diagnosis.likelyCause }),
  };
}
