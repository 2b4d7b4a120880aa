import {
  baseStringUri,
  createSigner,
  normalizeParameters,
  parseAuthorizationHeader,
  parseForm,
  type SignOptions,
  signatureBaseString,
} from '@countersign/core';
import { verifyRequest } from '@countersign/server';
import { describe, expect, it } from 'vitest';

// The signer writes its own OAuth parameters as one block when nothing else sorts among
// them, and pair by pair otherwise. Both must give what the RFC's steps give, built here
// from the public building blocks: decode every parameter, normalize, compose.
const CONSUMER = { consumerKey: 'key with space', consumerSecret: 'secret' };

interface Case {
  readonly name: string;
  readonly url: string;
  readonly body?: string;
  readonly options?: SignOptions;
  readonly signer?: { token?: string; tokenSecret?: string; includeVersion?: boolean; realm?: string };
}

const CASES: Case[] = [
  { name: 'no parameters of its own', url: 'https://api.example.com/r' },
  { name: 'parameters before and after the block', url: 'https://api.example.com/r?aaa=1&zzz=2', body: 'b=3&q=4' },
  { name: 'a query parameter sorting inside the block', url: 'https://api.example.com/r?oauth_foo=1&oauth_z=2' },
  { name: 'one sorting just before it', url: 'https://api.example.com/r?oauth_callback=x&oauth_consumer=y' },
  { name: 'one sorting just after it', url: 'https://api.example.com/r?oauth_versionx=1&oauth_w=2' },
  {
    name: 'extras before and inside the block',
    url: 'https://api.example.com/r?a=1',
    options: { oauthParams: { oauth_callback: 'oob', oauth_verifier: 'v 1', x_auth_mode: 'reverse_auth' } },
  },
  {
    name: 'a token, no version, a realm',
    url: 'https://api.example.com/r?z=%2B',
    signer: { token: 't/1', tokenSecret: 'ts', includeVersion: false, realm: 'R "x"' },
  },
  {
    name: 'a token from the request',
    url: 'https://api.example.com/r?oauth_token_type=bearer',
    options: { token: 'req token', tokenSecret: 's' },
  },
];

describe('the parameter order of every signed request matches the RFC steps', () => {
  it.each(CASES)('$name', async ({ url, body, options, signer: signerOptions }) => {
    const signer = createSigner({
      ...CONSUMER,
      ...signerOptions,
      nonce: () => 'n0nce1234567890abcdefghi',
      clock: () => 1_700_000_000_000,
    });
    const request = {
      method: 'POST',
      url,
      body,
      contentType: body === undefined ? undefined : 'application/x-www-form-urlencoded',
    };
    const signed = await signer.sign(request, options);

    const { oauth_signature: signature, ...protocol } = signed.oauthParams;
    const decoded: Array<[string, string]> = [
      ...parseForm(new URL(url).search.slice(1)),
      ...parseForm(body ?? ''),
      ...Object.entries(protocol),
    ];
    const expectedParameters = normalizeParameters(decoded);
    expect(signed.parameters).toEqual(expectedParameters);
    expect(signed.baseString).toBe(signatureBaseString('POST', baseStringUri(new URL(url)), expectedParameters));
    expect(signature).toBe(signed.signature);

    // The header carries exactly the OAuth parameters, signature included, in name order.
    const header = parseAuthorizationHeader(signed.authorization as string);
    expect(header.realm).toBe(signerOptions?.realm);
    expect(Object.fromEntries(header.params)).toEqual(signed.oauthParams);
    const names = header.params.map(([name]) => name);
    expect(names).toEqual([...names].sort());

    const verdict = await verifyRequest(
      { ...request, authorization: signed.authorization },
      {
        lookupConsumer: () => ({ secret: CONSUMER.consumerSecret }),
        lookupToken: () => ({ secret: options?.tokenSecret ?? signerOptions?.tokenSecret ?? '' }),
        now: () => 1_700_000_000_000,
        nonceStore: false,
      },
    );
    expect(verdict).toMatchObject({ ok: true });

    // The same parameters in the query and in a form body.
    for (const transmission of ['query', 'body'] as const) {
      const other = await signer.sign(request, { ...options, transmission });
      expect(other.signature).toBe(signed.signature);
      const sent = transmission === 'query' ? new URL(other.url).search.slice(1) : (other.body as string);
      const sentOAuth = parseForm(sent).filter(([name]) => name in signed.oauthParams);
      expect(Object.fromEntries(sentOAuth)).toEqual(signed.oauthParams);
    }
  });
});
