import { createSigner, type SignerOptions } from '../src/index.ts';

/** A signer with a fixed nonce and clock, so base strings can be compared exactly. */
export function fixedSigner(options: Partial<SignerOptions> = {}) {
  return createSigner({
    consumerKey: 'consumer-key',
    consumerSecret: 'consumer-secret',
    nonce: () => 'fixednonce0000000000',
    clock: () => 1_700_000_000_000,
    includeVersion: false,
    ...options,
  });
}

/** The decoded parameter string of a base string, as `name=value` strings (still RFC 3986 encoded). */
export function signedParameters(baseString: string): string[] {
  return decodeURIComponent(baseString.split('&')[2] as string).split('&');
}
