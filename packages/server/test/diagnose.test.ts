import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { explain, normalizeParameters, percentEncode, signatureBaseString } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import {
  createMemoryNonceStore,
  diagnoseSignature,
  type LikelyCause,
  MAX_DIAGNOSIS_VARIANTS,
  problemResponse,
  type RejectedRequest,
  receivedParameters,
  type VerifyOptions,
  verifyNodeRequest,
  verifyRequest,
} from '../src/index.ts';

// Each classic client mistake, made on purpose: the client's base string (or key) is built
// the wrong way and signed, and the server must name that mistake.
const T0 = 1_700_000_000_000;
const clock = () => T0;
const CONSUMER = { key: 'diag-consumer-000000000', secret: 'cS3cr3t Diag' };
const SPECIAL = { key: 'diag-special-0000000000', secret: 'sec ret&x/+' };
const TOKEN = { token: 'diag-token-000000000000', secret: 'tK5ecr3t-Diag' };
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_KEY = 'diag-rsa-00000000000000';
const SECRETS = [CONSUMER.secret, SPECIAL.secret, TOKEN.secret];

function options(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    lookupConsumer: (key) =>
      key === CONSUMER.key
        ? { secret: CONSUMER.secret }
        : key === SPECIAL.key
          ? { secret: SPECIAL.secret }
          : key === RSA_KEY
            ? { publicKey }
            : undefined,
    lookupToken: (token) => (token === TOKEN.token ? { secret: TOKEN.secret } : undefined),
    nonceStore: createMemoryNonceStore({ now: clock }),
    now: clock,
    ...extra,
  };
}

type Pair = readonly [string, string];
let nonce = 0;

interface Mistake {
  readonly method?: string;
  /** The URL the request is sent to. */
  readonly url: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly consumer?: { key: string; secret: string };
  readonly token?: boolean;
  /** The client's base string, from the request's OAuth and other parameters. */
  clientBase(oauth: Pair[]): string;
  /** The HMAC key the client used (default: the RFC's). */
  key?(consumerSecret: string, tokenSecret: string): string;
}

const rfcKey = (consumerSecret: string, tokenSecret: string) =>
  `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;

function oauthOf(consumerKey: string, token: boolean): Pair[] {
  return [
    ['oauth_consumer_key', consumerKey],
    ['oauth_nonce', `nonce${String(nonce++).padStart(16, '0')}`],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(T0 / 1000)],
    ['oauth_version', '1.0'],
    ...(token ? ([['oauth_token', TOKEN.token]] as Pair[]) : []),
  ];
}

function requestFor(mistake: Mistake) {
  const consumer = mistake.consumer ?? CONSUMER;
  const oauth = oauthOf(consumer.key, mistake.token === true);
  const base = mistake.clientBase(oauth);
  const key = (mistake.key ?? rfcKey)(consumer.secret, mistake.token ? TOKEN.secret : '');
  const signature = createHmac('sha1', key).update(base).digest('base64');
  const authorization = `OAuth ${[...oauth, ['oauth_signature', signature] as Pair].map(([n, v]) => `${n}="${percentEncode(v)}"`).join(', ')}`;
  return {
    method: mistake.method ?? 'GET',
    url: mistake.url,
    authorization,
    ...(mistake.body === undefined ? {} : { body: mistake.body, contentType: mistake.contentType }),
  };
}

const base = (method: string, uri: string, pairs: readonly Pair[]) =>
  signatureBaseString(method, uri, normalizeParameters(pairs));
const FORM = 'application/x-www-form-urlencoded';

const mistakes: Array<[string, LikelyCause, Mistake]> = [
  [
    '+ in the query taken as a literal plus (oauth-1.0a)',
    'plus_for_space',
    {
      url: 'https://api.example.com/search?q=a+b',
      clientBase: (o) => base('GET', 'https://api.example.com/search', [...o, ['q', 'a+b']]),
    },
  ],
  [
    'spaces encoded as + in the parameter string',
    'plus_for_space',
    {
      url: 'https://api.example.com/search?q=a%20b',
      clientBase: (o) =>
        base('GET', 'https://api.example.com/search', [...o, ['q', 'a b']]).replace('a%2520b', 'a%252Bb'),
    },
  ],
  [
    'secrets not percent-encoded in the key (ims-lti)',
    'signing_key',
    {
      url: 'https://api.example.com/r',
      consumer: SPECIAL,
      clientBase: (o) => base('GET', 'https://api.example.com/r', o),
      key: (c, t) => `${c}&${t}`,
    },
  ],
  [
    'the token secret left out of the key',
    'signing_key',
    {
      url: 'https://api.example.com/r',
      token: true,
      clientBase: (o) => base('GET', 'https://api.example.com/r', o),
      key: (c) => rfcKey(c, ''),
    },
  ],
  [
    'the parameter string encoded once',
    'not_double_encoded',
    {
      url: 'https://api.example.com/r?a=1',
      clientBase: (o) => {
        const b = base('GET', 'https://api.example.com/r', [...o, ['a', '1']]);
        const [m, u, p] = b.split('&');
        return `${m}&${u}&${decodeURIComponent(p as string)}`;
      },
    },
  ],
  [
    'values encoded twice',
    'encoded_twice',
    {
      url: 'https://api.example.com/r?name=a%20b',
      clientBase: (o) => base('GET', 'https://api.example.com/r', [...o, ['name', 'a%20b']]),
    },
  ],
  [
    "encodeURIComponent's !*'() left unencoded",
    'unencoded_reserved_characters',
    {
      url: "https://api.example.com/r?note=it's%20(ok)!",
      clientBase: (o) => {
        const pairs = [...o, ['note', "it's (ok)!"]] as Pair[];
        const text = pairs
          .map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`)
          .sort()
          .join('&');
        return `GET&${encodeURIComponent('https://api.example.com/r')}&${encodeURIComponent(text)}`;
      },
    },
  ],
  [
    'form body parameters left out',
    'body_params_not_signed',
    {
      method: 'POST',
      url: 'https://api.example.com/r',
      body: 'status=hi',
      contentType: FORM,
      clientBase: (o) => base('POST', 'https://api.example.com/r', o),
    },
  ],
  [
    'query parameters left out',
    'params_sent_not_signed',
    { url: 'https://api.example.com/r?page=2', clientBase: (o) => base('GET', 'https://api.example.com/r', o) },
  ],
  [
    'a JSON body signed as a form',
    'body_params_wrongly_signed',
    {
      method: 'POST',
      url: 'https://api.example.com/r',
      body: '{"name":"ada","age":36}',
      contentType: 'application/json',
      clientBase: (o) => base('POST', 'https://api.example.com/r', [...o, ['name', 'ada'], ['age', '36']]),
    },
  ],
  [
    'another scheme (a TLS-terminating proxy)',
    'wrong_method_or_url',
    { url: 'http://tool.example.com/launch', clientBase: (o) => base('GET', 'https://tool.example.com/launch', o) },
  ],
  [
    'an explicit default port',
    'wrong_method_or_url',
    {
      url: 'https://api.example.com/r',
      clientBase: (o) => `GET&${percentEncode('https://api.example.com:443/r')}&${base('GET', 'x', o).split('&')[2]}`,
    },
  ],
  [
    'the internal port a proxy forwards to',
    'wrong_method_or_url',
    {
      url: 'http://tool.example.com:3000/launch',
      clientBase: (o) => base('GET', 'https://tool.example.com/launch', o),
    },
  ],
  [
    'a path prefix added on the way (the client signed without it)',
    'wrong_method_or_url',
    {
      url: 'https://api.example.com/app/v1/items',
      clientBase: (o) => base('GET', 'https://api.example.com/v1/items', o),
    },
  ],
  [
    'another method',
    'wrong_method_or_url',
    {
      method: 'GET',
      url: 'https://api.example.com/r',
      clientBase: (o) => base('POST', 'https://api.example.com/r', o),
    },
  ],
];

describe('verifyRequest names the classic mistake behind a signature_invalid', () => {
  for (const [what, cause, mistake] of mistakes) {
    it(what, async () => {
      const request = requestFor(mistake);
      const result = (await verifyRequest(request, options())) as RejectedRequest;
      expect(result).toMatchObject({ ok: false, problem: 'signature_invalid', likelyCause: cause });
      expect(result.advice).toMatch(
        /^The signature does not match the base string the server computed\. Likely cause: /,
      );
      expect(result.diagnosis?.variantsTried).toBeLessThanOrEqual(MAX_DIAGNOSIS_VARIANTS);
      // The advice reaches the client in oauth_problem_advice, without a secret.
      const body = problemResponse(result).body;
      expect(new URLSearchParams(body).get('oauth_problem_advice')).toBe(result.advice);
      for (const secret of SECRETS) {
        expect(body).not.toContain(percentEncode(secret));
        expect(JSON.stringify(result)).not.toContain(secret);
      }
      // explain() reads the two base strings the same way.
      if (result.diagnosis?.clientBaseString !== undefined && cause !== 'signing_key') {
        const [first] = explain({
          ourBaseString: result.diagnosis.clientBaseString,
          serverBaseString: result.diagnosis.expectedBaseString,
          request: { body: mistake.body, contentType: mistake.contentType },
        });
        expect(first?.cause).toBe(cause);
      }
    });
  }

  it('a proxy that keeps the Host header while the app set another origin: the host is named', async () => {
    const { createServer } = await import('node:http');
    const signed = requestFor({
      url: 'https://lti.example.com/launch',
      clientBase: (o) => base('GET', 'https://lti.example.com/launch', o),
    });
    const server = createServer(async (req, res) => {
      const { result } = await verifyNodeRequest(req, { ...options(), origin: 'https://tool.example.com' });
      res.end(JSON.stringify(result.ok ? 'ok' : (result as RejectedRequest).likelyCause));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const { rawRequest, rawHttp } = await import('./raw-http.ts');
    const answer = await rawRequest(
      `http://127.0.0.1:${port}`,
      rawHttp('GET /launch HTTP/1.1', { Host: 'lti.example.com', Authorization: signed.authorization }),
    );
    server.close();
    expect(answer.body).toBe('"wrong_method_or_url"');
  });

  it('RSA: another method is named too', async () => {
    const oauth = oauthOf(RSA_KEY, false).map(([n, v]) =>
      n === 'oauth_signature_method' ? ([n, 'RSA-SHA1'] as Pair) : [n, v],
    ) as Pair[];
    const signature = createSign('RSA-SHA1')
      .update(base('POST', 'https://api.example.com/r', oauth))
      .sign(privateKey, 'base64');
    const authorization = `OAuth ${[...oauth, ['oauth_signature', signature] as Pair].map(([n, v]) => `${n}="${percentEncode(v)}"`).join(', ')}`;
    const result = await verifyRequest({ method: 'GET', url: 'https://api.example.com/r', authorization }, options());
    expect(result).toMatchObject({ ok: false, likelyCause: 'wrong_method_or_url' });
  });

  it('PLAINTEXT with secrets not percent-encoded is named, and the signature is never shown', async () => {
    const oauth: Pair[] = [
      ['oauth_consumer_key', SPECIAL.key],
      ['oauth_signature_method', 'PLAINTEXT'],
      ['oauth_signature', `${SPECIAL.secret}&`],
    ];
    const authorization = `OAuth ${oauth.map(([n, v]) => `${n}="${percentEncode(v)}"`).join(', ')}`;
    const result = (await verifyRequest(
      { method: 'GET', url: 'https://api.example.com/r', authorization },
      options(),
    )) as RejectedRequest;
    expect(result).toMatchObject({ ok: false, likelyCause: 'signing_key' });
    expect(JSON.stringify(result)).not.toContain(SPECIAL.secret);
    expect(problemResponse(result).body).not.toContain(percentEncode(SPECIAL.secret));
  });

  it('a wrong secret: no mistake reproduces it, and the advice says what to check', async () => {
    const request = requestFor({
      url: 'https://api.example.com/r',
      clientBase: (o) => base('GET', 'https://api.example.com/r', o),
      key: () => 'not&the-key',
    });
    const result = (await verifyRequest(request, options())) as RejectedRequest;
    expect(result.likelyCause).toBeUndefined();
    expect(result.advice).toMatch(/No common mistake reproduces the signature/);
    expect(result.diagnosis?.variantsTried).toBeGreaterThan(5);
    expect(result.diagnosis?.variantsTried).toBeLessThanOrEqual(MAX_DIAGNOSIS_VARIANTS);
  });

  it('diagnose: false keeps the bare answer', async () => {
    const request = requestFor(mistakes[0]?.[2] as Mistake);
    const result = (await verifyRequest(request, options({ diagnose: false }))) as RejectedRequest;
    expect(result.advice).toBe('The signature does not match the base string the server computed.');
    expect(result.likelyCause).toBeUndefined();
  });

  it('a request over 64 KB is not diagnosed', async () => {
    const body = `data=${'x'.repeat(70 * 1024)}&q=a+b`;
    const request = requestFor({
      method: 'POST',
      url: 'https://api.example.com/r',
      body,
      contentType: FORM,
      clientBase: (o) =>
        base('POST', 'https://api.example.com/r', [...o, ['data', 'x'.repeat(70 * 1024)], ['q', 'a+b']]),
    });
    const result = (await verifyRequest(request, options())) as RejectedRequest;
    expect(result.likelyCause).toBeUndefined();
    expect(result.diagnosis?.variantsTried).toBe(0);
    expect(result.advice).toMatch(/larger than 64 KB/);
  });

  it('a body changed after signing, with oauth_body_hash: body_hash_mismatch', async () => {
    const { createSigner } = await import('@countersign/core');
    const signed = await createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, clock }).sign(
      { method: 'POST', url: 'https://api.example.com/r', body: '{"a":1}', contentType: 'application/json' },
      { bodyHash: true },
    );
    const result = await verifyRequest(
      {
        method: 'POST',
        url: signed.url,
        authorization: signed.authorization,
        body: '{"a":2}',
        contentType: 'application/json',
      },
      options(),
    );
    expect(result).toMatchObject({ ok: false, problem: 'signature_invalid', likelyCause: 'body_hash_mismatch' });
  });
});

describe('diagnoseSignature, for the testing helpers and the sandbox inspector', () => {
  it('gives both base strings (redacted) and the cause in words', async () => {
    const request = requestFor(mistakes[0]?.[2] as Mistake);
    const diagnosis = await diagnoseSignature(receivedParameters(request), { consumerSecret: CONSUMER.secret });
    expect(diagnosis.likelyCause).toBe('plus_for_space');
    expect(diagnosis.expectedBaseString).toContain('q%3Da%2520b');
    expect(diagnosis.clientBaseString).toContain('q%3Da%252Bb');
    expect(diagnosis.explanation).toMatch(/literal plus/);
  });

  it('redacts passwords in both base strings, also in a parameter string encoded once', async () => {
    const request = requestFor({
      url: 'https://api.example.com/r?x_auth_password=hunter2',
      clientBase: (o) => {
        const b = base('GET', 'https://api.example.com/r', [...o, ['x_auth_password', 'hunter2']]);
        const [m, u, p] = b.split('&');
        return `${m}&${u}&${decodeURIComponent(p as string)}`;
      },
    });
    const diagnosis = await diagnoseSignature(receivedParameters(request), { consumerSecret: CONSUMER.secret });
    expect(diagnosis.likelyCause).toBe('not_double_encoded');
    expect(JSON.stringify(diagnosis)).not.toContain('hunter2');
  });
});
