/**
 * Part 1 of the demo: sign the requests published in RFC 5849 and in Twitter's "Creating a
 * signature" guide, print what was signed, and check each signature against the published one.
 */
import {
  createSigner,
  REDACTED,
  redactAuthorizationHeader,
  type SignatureMethodName,
  type SignerOptions,
} from '@countersign/core';
import vectors from '../../packages/core/test/fixtures/published-vectors.json' with { type: 'json' };

interface Vector {
  source: string;
  credentials: Record<string, string>;
  nonce: string;
  timestamp: number;
  includeVersion: boolean;
  request: { method: string; url: string; body?: string; contentType?: string };
  oauthParams?: Record<string, string>;
  signature: string;
}

/** Returns how many signatures differ from the published ones. */
export async function publishedVectors(): Promise<number> {
  let failures = 0;
  let step = 0;
  console.log('Part 1 — the published example requests, signed and checked');
  for (const vector of Object.values(vectors as Record<string, Vector>)) {
    step += 1;
    const credentials = vector.credentials as unknown as SignerOptions;
    const signer = createSigner({
      ...credentials,
      signatureMethod: credentials.signatureMethod as SignatureMethodName | undefined,
      includeVersion: vector.includeVersion,
      nonce: () => vector.nonce,
      clock: () => vector.timestamp * 1000,
    });
    const signed = await signer.sign(vector.request, { oauthParams: vector.oauthParams });
    const plaintext = signer.signatureMethod === 'PLAINTEXT';
    const matches = signed.signature === vector.signature;
    if (!matches) failures += 1;

    console.log(`\n${step}. ${vector.source}`);
    console.log(`   ${signed.method} ${signed.url}${vector.request.body ? `\n   body: ${vector.request.body}` : ''}`);
    console.log(`   method:        ${signer.signatureMethod}`);
    console.log(`   base string:   ${signed.baseString}`);
    // PLAINTEXT's signature is the secrets themselves: never print it.
    console.log(`   signature:     ${plaintext ? REDACTED : signed.signature}`);
    console.log(`   Authorization: ${redactAuthorizationHeader(signed.authorization ?? '', plaintext)}`);
    console.log(`   ${matches ? 'ok   the published signature' : 'FAIL differs from the published signature'}`);
  }

  console.log(
    failures === 0
      ? `\nAll ${step} published signatures reproduced.`
      : `\n${failures} of ${step} signatures differ from the published ones.`,
  );
  return failures;
}
