import { describe, expect, it } from 'vitest';
import { createSigner, isCountersignError } from '../src/index.ts';

const url = 'https://api.example.com/r';

async function codeOf(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return isCountersignError(error) ? error.code : `untyped: ${String(error)}`;
  }
  return 'no error';
}

// Options read from configuration or the environment arrive as strings. `bodyHash: 'true'`
// was taken as false: no oauth_body_hash was sent, and the provider that requires one (LTI
// outcomes, Mastercard) refused. `includeVersion: 'false'` was taken as true.
describe('boolean options given as something else', () => {
  it('bodyHash: "true" is refused, not silently signed without a body hash', async () => {
    const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
    const request = { method: 'POST', url, body: '{"a":1}', contentType: 'application/json' };
    expect(await codeOf(() => signer.sign(request, { bodyHash: 'true' as unknown as boolean }))).toBe('invalid_option');
    const hashed = await signer.sign(request, { bodyHash: true });
    expect(hashed.authorization).toContain('oauth_body_hash=');
    const plain = await signer.sign(request, { bodyHash: false });
    expect(plain.authorization).not.toContain('oauth_body_hash=');
  });

  for (const option of ['includeVersion', 'allowPlaintextOverHttp'] as const) {
    it(`${option}: "false" is refused when the signer is created`, async () => {
      expect(await codeOf(() => createSigner({ consumerKey: 'ck', consumerSecret: 'cs', [option]: 'false' }))).toBe(
        'invalid_option',
      );
    });
  }

  it('includeVersion: false still leaves oauth_version out', async () => {
    const signed = await createSigner({ consumerKey: 'ck', consumerSecret: 'cs', includeVersion: false }).sign({
      method: 'GET',
      url,
    });
    expect(signed.authorization).not.toContain('oauth_version');
  });
});

describe('request fields of the wrong type', () => {
  it('a contentType that is not a string is a typed error, not a TypeError from inside', async () => {
    const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
    for (const contentType of [5, {}, ['application/x-www-form-urlencoded']]) {
      const request = { method: 'POST', url, body: 'a=1', contentType: contentType as unknown as string };
      expect(await codeOf(() => signer.sign(request))).toBe('invalid_option');
    }
  });
});
