import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  authorizationUrl,
  type CountersignError,
  createSigner,
  isCountersignError,
  parseTokenResponse,
  type SignerOptions,
  signRequest,
} from '../src/index.ts';
import { fixedSigner } from './helpers.ts';

const SECRETS = ['CONSUMER-SECRET-c0ffee', 'TOKEN-SECRET-d00d', 'hunter2-PASSWORD'];
const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
const pkcs8 = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

function expectNoSecret(text: string) {
  for (const secret of SECRETS) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
  expect(text).not.toContain(pkcs8.split('\n')[1]);
}

async function thrown(action: () => unknown): Promise<CountersignError> {
  try {
    await action();
  } catch (error) {
    expect(isCountersignError(error)).toBe(true);
    const e = error as CountersignError;
    expect(e.name).toBe('CountersignError');
    expectNoSecret(`${e.message}\n${String(e)}\n${JSON.stringify(e)}\n${inspect(e)}`);
    return e;
  }
  throw new Error('expected a throw');
}

const base: SignerOptions = { consumerKey: 'ck', consumerSecret: SECRETS[0], token: 't', tokenSecret: SECRETS[1] };
const GET = { method: 'GET', url: 'https://api.example.com/r' };

describe('bad configuration throws at once with a typed error that says what to fix', () => {
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ['missing consumer key', () => createSigner({ ...base, consumerKey: '' }), 'missing_consumer_key', /consumerKey/],
    [
      'unknown method',
      () => createSigner({ ...base, signatureMethod: 'HMAC-MD5' as never }),
      'unsupported_signature_method',
      /HMAC-SHA1, HMAC-SHA256/,
    ],
    [
      'RSA without a key',
      () => createSigner({ consumerKey: 'ck', signatureMethod: 'RSA-SHA1' }),
      'missing_private_key',
      /privateKey/,
    ],
    ['HMAC without a consumer secret', () => createSigner({ consumerKey: 'ck' }), 'invalid_option', /consumerSecret/],
    [
      'token secret without token',
      () => createSigner({ consumerKey: 'ck', consumerSecret: SECRETS[0], tokenSecret: SECRETS[1] }),
      'invalid_option',
      /token/,
    ],
    ['relative URL', () => createSigner(base).sign({ method: 'GET', url: '/1.1/statuses' }), 'invalid_url', /absolute/],
    [
      'non-http URL',
      () => createSigner(base).sign({ method: 'GET', url: 'ftp://example.com/x' }),
      'invalid_url',
      /http/,
    ],
    [
      'user info in the URL',
      () => createSigner(base).sign({ method: 'GET', url: `https://u:${SECRETS[2]}@example.com/` }),
      'invalid_url',
      /user:password/,
    ],
    ['bad method', () => createSigner(base).sign({ method: 'GE T', url: GET.url }), 'invalid_option', /method/],
    [
      'non-string param value',
      () => createSigner(base).sign(GET, { oauthParams: { x_count: 5 as unknown as string } }),
      'invalid_param',
      /x_count.*string/,
    ],
    [
      'reserved param',
      () => createSigner(base).sign(GET, { oauthParams: { oauth_nonce: 'n' } }),
      'invalid_param',
      /oauth_nonce/,
    ],
    [
      'already signed URL',
      () => createSigner(base).sign({ method: 'GET', url: `${GET.url}?oauth_signature=x` }),
      'invalid_param',
      /already contains oauth_signature/,
    ],
    [
      'FormData body',
      () => createSigner(base).sign({ ...GET, method: 'POST', body: new FormData() as never }),
      'unsignable_body',
      /Multipart/,
    ],
    [
      'object declared as a form',
      () =>
        createSigner(base).sign({
          method: 'POST',
          url: GET.url,
          body: { a: 1 } as never,
          contentType: 'application/x-www-form-urlencoded',
        }),
      'unsignable_body',
      /URLSearchParams/,
    ],
    [
      'lone surrogate',
      () => createSigner(base).sign(GET, { oauthParams: { x: '\ud800' } }),
      'invalid_param',
      /surrogate/,
    ],
    [
      'PLAINTEXT body hash',
      () =>
        createSigner({ ...base, signatureMethod: 'PLAINTEXT' }).sign(
          { method: 'POST', url: GET.url, body: '{}', contentType: 'application/json' },
          { bodyHash: true },
        ),
      'invalid_option',
      /PLAINTEXT/,
    ],
    [
      'relative authorize URL',
      () => authorizationUrl({ requestTokenUrl: 'x', authorizeUrl: '/authorize', accessTokenUrl: 'x' }, 't'),
      'invalid_url',
      /authorizeUrl/,
    ],
    [
      'token response without secret',
      () => parseTokenResponse(`oauth_token=abc&x_auth_password=${SECRETS[2]}`),
      'invalid_token_response',
      /oauth_token_secret/,
    ],
  ];
  for (const [name, action, code, message] of cases) {
    it(name, async () => {
      const error = await thrown(action);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }
});

describe('RSA keys', () => {
  it('signs with PKCS#1 and PKCS#8 PEM alike', async () => {
    const pkcs1 = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    const a = await fixedSigner({ signatureMethod: 'RSA-SHA1', privateKey: pkcs1 }).sign(GET);
    const b = await fixedSigner({ signatureMethod: 'RSA-SHA1', privateKey: pkcs8 }).sign(GET);
    expect(a.signature).toBe(b.signature);
  });

  it('an encrypted PEM says how to convert it', async () => {
    const encrypted = keys.privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    }) as string;
    const error = await thrown(() =>
      createSigner({ consumerKey: 'ck', signatureMethod: 'RSA-SHA1', privateKey: encrypted }).sign(GET),
    );
    expect(error.code).toBe('encrypted_private_key');
    expect(error.message).toContain('openssl pkcs8 -topk8 -nocrypt');
  });

  it('a public key where the private key belongs is named as such', async () => {
    const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const error = await thrown(() =>
      createSigner({ consumerKey: 'ck', signatureMethod: 'RSA-SHA1', privateKey: pem }).sign(GET),
    );
    expect(error).toMatchObject({ code: 'invalid_private_key' });
    expect(error.message).toMatch(/public key/);
  });

  it('garbage in a PEM frame is invalid_private_key without echoing the key', async () => {
    const broken = pkcs8.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    const error = await thrown(() =>
      createSigner({ consumerKey: 'ck', signatureMethod: 'RSA-SHA1', privateKey: broken }).sign(GET),
    );
    expect(error.code).toBe('invalid_private_key');
  });
});

describe('secrets never print', () => {
  it('signed requests print with passwords and PLAINTEXT signatures redacted', async () => {
    const xauth = await signRequest(
      {
        method: 'POST',
        url: 'https://api.example.com/oauth/access_token',
        body: `x_auth_mode=client_auth&x_auth_username=u&x_auth_password=${SECRETS[2]}`,
        contentType: 'application/x-www-form-urlencoded',
      },
      { consumerKey: 'ck', consumerSecret: SECRETS[0], transmission: 'body' },
    );
    const plaintext = await signRequest(GET, { ...base, signatureMethod: 'PLAINTEXT' });
    for (const signed of [xauth, plaintext]) {
      expectNoSecret(
        `${JSON.stringify(signed)}\n${inspect(signed, { depth: 5 })}\n${signed.baseString}\n${JSON.stringify(signed.parameters)}`,
      );
    }
    expect(xauth.body).toContain(SECRETS[2]);
    expect(plaintext.authorization).toContain(encodeURIComponent(`${SECRETS[0]}&${SECRETS[1]}`));
  });

  it('signers and token responses keep their secrets out of sight', () => {
    const signer = createSigner(base);
    const tokens = parseTokenResponse(
      `oauth_token=abc&oauth_token_secret=${SECRETS[1]}&oauth_callback_confirmed=1&user_id=42`,
    );
    expect(tokens).toMatchObject({ token: 'abc', callbackConfirmed: true, extras: { user_id: '42' } });
    expect(tokens.tokenSecret).toBe(SECRETS[1]);
    expectNoSecret(
      `${JSON.stringify(signer)}\n${inspect(signer, { showHidden: true })}\n${JSON.stringify(tokens)}\n${inspect(tokens)}`,
    );
  });
});

describe('signed requests as plain data', () => {
  it('list only their fields, and spread into a plain object; parameters is read on demand', async () => {
    const signed = await signRequest(GET, base);
    const listed: string[] = [];
    for (const key in signed) listed.push(key);
    expect(listed).toEqual([
      'method',
      'url',
      'authorization',
      'body',
      'contentType',
      'signature',
      'baseString',
      'oauthParams',
    ]);
    expect({ ...signed }.authorization).toBe(signed.authorization);
    // A getter, put together on first read and then kept; printed like the fields.
    expect(signed.parameters).toBe(signed.parameters);
    expect(signed.parameters.map(([name]) => name)).toContain('oauth_nonce');
    expect(JSON.parse(JSON.stringify(signed)).parameters).toEqual(signed.parameters);
  });
});
