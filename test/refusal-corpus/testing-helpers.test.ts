import { createSigner, type RejectionCause, type Signer, type SignInput } from '@countersign/core';
import { createSigningChecker } from '@countersign/testing';
import { describe, expect, it } from 'vitest';
import { mistakenSigner } from './manual-signer.ts';

// The test helpers (nock, msw) find the mistake behind a bad signature by reproducing it: each
// classic mistake, made on purpose by a hand-written signer or by signing something other
// than what is sent, must be named as the likely cause.
const CREDENTIALS = {
  consumerKey: 'helperConsumer',
  consumerSecret: 'helper secret',
  token: 'helperToken',
  tokenSecret: 'helper token secret',
};
const FORM = 'application/x-www-form-urlencoded';
const encodeURIComponentStyle = (text: string) => encodeURIComponent(text);

interface Case {
  readonly signer: Signer;
  /** What is signed; `sent` (default: the same) is what goes on the wire. */
  readonly signed: SignInput;
  readonly sent?: { readonly url?: string; readonly method?: string; readonly body?: string };
  readonly cause: RejectionCause;
}

const correct = createSigner(CREDENTIALS);
const cases: Record<string, Case> = {
  '+ for a space': {
    signer: correct,
    signed: { method: 'GET', url: 'https://api.example.com/r?q=a%2Bb' },
    sent: { url: 'https://api.example.com/r?q=a%20b' },
    cause: 'plus_for_space',
  },
  "encodeURIComponent leaves !*'()": {
    signer: mistakenSigner(CREDENTIALS, { encode: encodeURIComponentStyle }),
    signed: { method: 'POST', url: 'https://api.example.com/r', body: 'status=wow!', contentType: FORM },
    cause: 'unencoded_reserved_characters',
  },
  'body parameters left out': {
    signer: mistakenSigner(CREDENTIALS, { skipBody: true }),
    signed: { method: 'POST', url: 'https://api.example.com/r', body: 'status=hello', contentType: FORM },
    cause: 'body_params_not_signed',
  },
  'parameter string encoded once': {
    signer: mistakenSigner(CREDENTIALS, { paramStringEncodedOnce: true }),
    signed: { method: 'GET', url: 'https://api.example.com/r?a=1' },
    cause: 'not_double_encoded',
  },
  'values encoded twice': {
    signer: correct,
    signed: { method: 'GET', url: 'https://api.example.com/r?q=a%2520b' },
    sent: { url: 'https://api.example.com/r?q=a%20b' },
    cause: 'encoded_twice',
  },
  'signed for http, sent over https': {
    signer: correct,
    signed: { method: 'GET', url: 'http://api.example.com/r' },
    sent: { url: 'https://api.example.com/r' },
    cause: 'wrong_method_or_url',
  },
  'signed for POST, sent as PUT': {
    signer: correct,
    signed: { method: 'POST', url: 'https://api.example.com/r' },
    sent: { method: 'PUT' },
    cause: 'wrong_method_or_url',
  },
  'a query parameter sent but not signed': {
    signer: correct,
    signed: { method: 'GET', url: 'https://api.example.com/r' },
    sent: { url: 'https://api.example.com/r?page=2' },
    cause: 'params_sent_not_signed',
  },
  'the token secret left out of the key': {
    signer: createSigner({ ...CREDENTIALS, tokenSecret: '' }),
    signed: { method: 'GET', url: 'https://api.example.com/r' },
    cause: 'signing_key',
  },
};

describe('the test helpers name the mistake behind a bad signature', () => {
  it.each(Object.entries(cases))('%s', async (_name, { signer, signed, sent = {}, cause }) => {
    const check = createSigningChecker(CREDENTIALS);
    const signing = await signer.sign(signed);
    const body = sent.body ?? (typeof signed.body === 'string' ? signed.body : undefined);
    const result = await check({
      method: sent.method ?? signed.method ?? 'GET',
      url: sent.url ?? String(signed.url),
      authorization: signing.authorization,
      body,
      contentType: body === undefined ? undefined : signed.contentType,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toBe('signature_invalid');
    expect({ cause: result.likelyCause, message: result.message }).toMatchObject({ cause });
    expect(result.message).not.toContain(CREDENTIALS.consumerSecret);
    expect(result.message).not.toContain(CREDENTIALS.tokenSecret);
  });

  it('a body changed after signing is a body hash mismatch, not a signing mistake', async () => {
    const check = createSigningChecker(CREDENTIALS);
    const signing = await correct.sign(
      { method: 'POST', url: 'https://api.example.com/r', body: '{"amount":1}', contentType: 'application/json' },
      { bodyHash: true },
    );
    const result = await check({
      method: 'POST',
      url: signing.url,
      authorization: signing.authorization,
      body: '{"amount":100}',
      contentType: 'application/json',
    });
    expect(result).toMatchObject({ ok: false, problem: 'signature_invalid' });
    const message = result.ok ? '' : result.message;
    expect(message).toContain('oauth_body_hash does not match the body received');
    expect(message).not.toContain('No common mistake reproduces the signature');
  });

  it('a correctly signed request passes, and the same one again is a replay', async () => {
    const check = createSigningChecker(CREDENTIALS);
    const signing = await correct.sign({ method: 'GET', url: 'https://api.example.com/r?q=a%20b' });
    const request = { method: 'GET', url: signing.url, authorization: signing.authorization };
    expect((await check(request)).ok).toBe(true);
    expect(await check(request)).toMatchObject({ ok: false, problem: 'nonce_used' });
  });
});
