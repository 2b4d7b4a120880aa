import { generateKeyPairSync } from 'node:crypto';
import { createSigner, percentEncode, type Signer } from '@countersign/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.ts';
import { get } from './inspector-http.ts';

// Seeded secrets sent every way a client sends them; none may reach the inspector's list,
// its event stream or its page, in any encoding. (test/browser/inspector.test.ts scans the
// DOM of the real page as well.)
const CONSUMER = { key: 'secretsConsumerKey0000', secret: 'consumer s3cret&/+=' };
const PASSWORD = 'p@ss word+1';
const CLIENT_SECRET = 'client-secret-value-42';
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let sandbox: Sandbox;
let tokenSecret = '';
let signer: Signer;

beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [CONSUMER] });
  const issued = sandbox.issueAccessToken(CONSUMER.key);
  tokenSecret = issued.tokenSecret;
  const credentials = { consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, token: issued.token, tokenSecret };
  signer = createSigner(credentials);
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  // PLAINTEXT: the signature is the secrets, in the header, the query, the body; and refused.
  for (const transmission of ['header', 'query', 'body'] as const) {
    const plaintext = createSigner({
      ...credentials,
      signatureMethod: 'PLAINTEXT',
      transmission,
      allowPlaintextOverHttp: true,
    });
    const body = new URLSearchParams({ note: transmission });
    const signed = await plaintext.sign({ method: 'POST', url: `${sandbox.url}/plaintext/${transmission}`, body });
    const answer = await fetch(signed.url, {
      method: 'POST',
      headers: { ...form, ...(signed.authorization === undefined ? {} : { authorization: signed.authorization }) },
      body: signed.body,
    });
    expect(answer.status, transmission).toBe(200);
  }
  const wrong = createSigner({
    ...credentials,
    tokenSecret: 'not it',
    signatureMethod: 'PLAINTEXT',
    allowPlaintextOverHttp: true,
  });
  const refused = await wrong.sign({ method: 'GET', url: `${sandbox.url}/plaintext/refused` });
  expect((await fetch(refused.url, { headers: { authorization: refused.authorization ?? '' } })).status).toBe(401);

  // Passwords: xAuth's in a form body and in a query, a Basic header, JSON, a PEM, and a client's own base string.
  const passwordBody = new URLSearchParams({
    x_auth_username: 'ada',
    x_auth_password: PASSWORD,
    x_auth_mode: 'client_auth',
  });
  const xauth = await createSigner({ consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret }).sign({
    method: 'POST',
    url: sandbox.endpoints.accessTokenUrl,
    body: passwordBody,
  });
  await fetch(xauth.url, {
    method: 'POST',
    headers: { ...form, authorization: xauth.authorization ?? '' },
    body: passwordBody,
  });
  const query = await signer.sign({
    method: 'GET',
    url: `${sandbox.url}/query?${new URLSearchParams({ password: PASSWORD })}`,
  });
  await fetch(query.url, {
    headers: { authorization: query.authorization ?? '', 'x-countersign-base-string': query.baseString },
  });
  await fetch(`${sandbox.url}/basic`, { headers: { authorization: `Basic ${btoa(`ada:${PASSWORD}`)}` } });
  await fetch(`${sandbox.url}/json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'OAuth oauth_consumer_key="x"' },
    body: JSON.stringify({
      user: { password: PASSWORD },
      client_secret: CLIENT_SECRET,
      list: [`password=${PASSWORD}`],
    }),
  });
  // Free text: a quoted password with a space in it runs past where free-text redaction stops.
  await fetch(`${sandbox.url}/text`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: `password: "${PASSWORD}"`,
  });
  await fetch(`${sandbox.url}/pem`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: `key:\n${PEM}`,
  });
  const withPassword = await signer.sign({ method: 'POST', url: `${sandbox.url}/form`, body: passwordBody });
  await fetch(withPassword.url, {
    method: 'POST',
    headers: {
      ...form,
      authorization: withPassword.authorization ?? '',
      'x-countersign-base-string': withPassword.baseString,
    },
    body: new URLSearchParams({ x_auth_username: 'ada', x_auth_password: 'another password' }),
  });
});
afterAll(() => sandbox.close());

function secrets(): string[] {
  const signature = `${percentEncode(CONSUMER.secret)}&${percentEncode(tokenSecret)}`;
  return [
    CONSUMER.secret,
    percentEncode(CONSUMER.secret),
    tokenSecret,
    signature,
    percentEncode(signature),
    percentEncode(percentEncode(signature)),
    PASSWORD,
    // Its part after the space: where free-text redaction stops short.
    PASSWORD.split(' ')[1] as string,
    percentEncode(PASSWORD),
    percentEncode(percentEncode(PASSWORD)),
    new URLSearchParams({ p: PASSWORD }).toString().slice(2),
    btoa(`ada:${PASSWORD}`),
    'another password',
    'another%20password',
    'another+password',
    CLIENT_SECRET,
    PEM.split('\n')[1] as string,
  ];
}

/** The event stream's replay of everything kept. */
async function stream(count: number): Promise<string> {
  const response = await fetch(`${sandbox.inspectorUrl}events`);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while ((text.match(/^event: entry$/gm) ?? []).length < count) {
    text += decoder.decode((await reader.read()).value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe('no secret reaches the inspector', () => {
  it('not in the list, the event stream, the page or its script', async () => {
    const list = (await get(`${sandbox.inspectorUrl}requests`)).body;
    const entries = JSON.parse(list) as unknown[];
    expect(entries.length).toBe(11);
    const outputs = {
      list,
      events: await stream(entries.length),
      page: (await get(sandbox.inspectorUrl ?? '')).body,
      script: (await get(`${sandbox.inspectorUrl}inspector.js`)).body,
    };
    for (const [where, text] of Object.entries(outputs)) {
      secrets().forEach((secret, i) => {
        expect(text.includes(secret), `${where} holds seeded secret #${i}`).toBe(false);
      });
    }
  });

  it('what was redacted is still there to see, marked [redacted]', async () => {
    const list = JSON.parse((await get(`${sandbox.inspectorUrl}requests`)).body) as Array<Record<string, unknown>>;
    const at = (path: string) => JSON.stringify(list.find((entry) => String(entry.url).includes(path)));
    expect(at('/plaintext/header')).toMatch(/oauth_signature=\\"\[redacted\]\\"/);
    expect(at('/plaintext/query')).toContain('oauth_signature=[redacted]');
    expect(at('/plaintext/body')).toContain('oauth_signature=[redacted]');
    expect(at('/plaintext/refused')).toContain('"problem":"signature_invalid"');
    expect(at('/oauth/access_token')).toContain('x_auth_password=[redacted]');
    expect(at('/query')).toContain('password=[redacted]');
    expect(at('/query')).toContain('"clientBaseStringFrom":"sent"');
    expect(at('/basic')).toContain('"authorization":"Basic [redacted]"');
    expect(at('/json')).toContain(
      '{\\"user\\":{\\"password\\":\\"[redacted]\\"},\\"client_secret\\":\\"[redacted]\\",\\"list\\":[\\"[redacted]\\"]}',
    );
    expect(at('/pem')).toContain('not shown: the inspector shows form and JSON bodies');
    expect(at('/text')).toContain('not shown: the inspector shows form and JSON bodies');
    expect(at('/form')).toContain('x_auth_password%3D%5Bredacted%5D');
  });
});
