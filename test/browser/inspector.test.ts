import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { accessToken, createSigner, percentEncode, requestToken, type Signer } from '@countersign/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonWithOauthlib } from '../oauthlib/judge.ts';

// `countersign sandbox` started as a user starts it, its inspector opened in Debian's
// Chromium, then requests from our signer and from oauthlib's client, correct and with
// classic mistakes, and hostile ones. One browser launch for the whole file.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));

// Seeded secrets: none may reach the page or its event stream, in any encoding.
const HMAC = { key: 'inspectorHmacConsumer000', secret: 'inspector consumer s3cret+/=' };
const PASSWORD = 'seeded-password hunter2';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA = { key: 'inspectorRsaConsumer0000', publicKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }) };

let sandbox: ChildProcess;
const printed: string[] = [];
let base = '';
let inspectorUrl = '';
let browser: Browser;
let page: Page;
let user: Signer;
let tokenSecret = '';
const dialogs: string[] = [];
const pageErrors: string[] = [];
const pageRequests: string[] = [];
/** What our client signed for the + mistake, and the sandbox's refusal of it: the paste panel's inputs. */
let ourPlusBaseString = '';
let ourPlusRefusal = '';

async function startCli(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-inspector-'));
  const consumers = join(dir, 'consumers.json');
  writeFileSync(consumers, JSON.stringify([HMAC, RSA]));
  sandbox = spawn(process.execPath, ['packages/cli/bin/countersign.js', 'sandbox', '--consumers', consumers], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    sandbox.once('exit', (code) => reject(new Error(`countersign sandbox exited with ${code}`)));
    createInterface({ input: sandbox.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      printed.push(line);
      base ||= /^sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1] ?? '';
      const inspector = /^inspector: +(\S+)/.exec(line)?.[1];
      if (inspector !== undefined) {
        inspectorUrl = inspector;
        resolve();
      }
    });
  });
}

async function send(signer: Signer, method: string, signUrl: string, sendUrl = signUrl, body?: string) {
  const signed = await signer.sign({ method, url: signUrl });
  const headers: Record<string, string> =
    signed.authorization === undefined ? {} : { authorization: signed.authorization };
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(sendUrl === signUrl ? signed.url : sendUrl, { method, headers, body });
  return { status: response.status, text: await response.text(), baseString: signed.baseString };
}

/** oauthlib's client, run as its own process while our client sends its requests. */
function oauthlib(specs: Array<Record<string, string>>): Promise<Array<{ status: number; body: string }>> {
  const script = fileURLToPath(new URL('./oauthlib-mistakes.py', import.meta.url));
  const child = spawn(pythonWithOauthlib(), [script]);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  child.stdin.end(JSON.stringify(specs));
  return new Promise((resolve, reject) => {
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Array<{ status: number; body: string }>) : reject(new Error(err)),
    );
  });
}

/** A request written byte for byte: a path with markup in it, which fetch would percent-encode. */
function raw(target: string, headers: string): Promise<void> {
  const port = Number(new URL(base).port);
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}Connection: close\r\n\r\n`),
    );
    socket.on('data', () => {});
    socket.on('close', () => resolve());
  });
}

/** The event stream as a page would read it, up to `entries` entries. */
function eventStream(entries: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${inspectorUrl}events`, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if ((text.match(/^event: entry$/gm) ?? []).length >= entries) {
          request.destroy();
          resolve(text);
        }
      });
    });
    request.on('error', reject);
    request.end();
  });
}

const listItem = (path: string) => page.locator('#requests button', { hasText: path });

async function open(path: string): Promise<string> {
  await listItem(path).first().click();
  await expect.poll(() => page.locator('#detail-heading').textContent()).toContain(path.split('?')[0]);
  return (await page.locator('#detail-body').textContent()) ?? '';
}

const marks = (selector: string) => page.locator(`#detail-body ${selector}`).allTextContents();

// Every request of the file.
const SENT = 18;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run \`apt-get install chromium\`.`);
  const launched = chromium.launch({
    executablePath: CHROMIUM,
    // rebind.test resolves to 127.0.0.1, as a DNS-rebinding attacker's name would.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP rebind.test 127.0.0.1',
    ],
  });
  await startCli();
  // The page opens while the first requests are sent: those arrive in the stream's replay,
  // the later ones live (the list test sends one more once the page shows the others).
  const opened = launched.then(async (launchedBrowser) => {
    browser = launchedBrowser;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(inspectorUrl);
    await page.waitForFunction(() => document.getElementById('connection')?.textContent?.startsWith('Live'));
  });

  // The three-legged flow (3 requests), so the user has a token and a token secret.
  const consumer = createSigner({ consumerKey: HMAC.key, consumerSecret: HMAC.secret });
  const endpoints = {
    requestTokenUrl: `${base}/oauth/request_token`,
    authorizeUrl: `${base}/oauth/authorize`,
    accessTokenUrl: `${base}/oauth/access_token`,
  };
  const requestTokens = await requestToken(consumer, endpoints);
  const authorized = await (await fetch(`${endpoints.authorizeUrl}?oauth_token=${requestTokens.token}`)).text();
  const verifier = /Your verifier: (\w+)/.exec(authorized)?.[1] ?? '';
  const access = await accessToken(consumer, endpoints, {
    token: requestTokens.token,
    tokenSecret: requestTokens.tokenSecret,
    verifier,
  });
  tokenSecret = access.tokenSecret;
  const credentials = { consumerKey: HMAC.key, consumerSecret: HMAC.secret, token: access.token, tokenSecret };
  user = createSigner(credentials);

  // Our client: correct, then three classic mistakes, and the secret-bearing ones (7 requests),
  // while oauthlib's client sends its own.
  const who = { consumerKey: HMAC.key, consumerSecret: HMAC.secret, token: access.token, tokenSecret };
  const theirs = oauthlib([
    { ...who, method: 'GET', signUrl: `${base}/oauthlib/correct?page=2`, sendUrl: `${base}/oauthlib/correct?page=2` },
    { ...who, method: 'GET', signUrl: `${base}/oauthlib/plus?q=c%2Bd`, sendUrl: `${base}/oauthlib/plus?q=c+d` },
    {
      ...who,
      tokenSecret: 'not the token secret',
      method: 'GET',
      signUrl: `${base}/oauthlib/wrong-secret`,
      sendUrl: `${base}/oauthlib/wrong-secret`,
    },
    {
      ...who,
      method: 'GET',
      signUrl: `${base}/oauthlib/skew`,
      sendUrl: `${base}/oauthlib/skew`,
      timestamp: String(Math.floor(Date.now() / 1000) + 7200),
    },
  ]);
  expect((await send(user, 'GET', `${base}/ours/correct?size=original`)).status).toBe(200);
  const plus = await send(user, 'GET', `${base}/ours/plus?q=a%2Bb`, `${base}/ours/plus?q=a+b`);
  expect(plus.status).toBe(401);
  ourPlusBaseString = plus.baseString;
  ourPlusRefusal = plus.text;
  expect((await send(user, 'POST', `${base}/ours/body`, `${base}/ours/body`, 'status=hello%20world')).status).toBe(401);
  const late = createSigner({ ...credentials, clockOffsetSeconds: -3600 });
  expect((await send(late, 'GET', `${base}/ours/skew`)).status).toBe(401);
  // PLAINTEXT in the query: the signature is the secrets themselves, in the URL.
  const plaintext = createSigner({
    ...credentials,
    signatureMethod: 'PLAINTEXT',
    transmission: 'query',
    allowPlaintextOverHttp: true,
  });
  expect((await send(plaintext, 'GET', `${base}/ours/plaintext?page=1`)).status).toBe(200);
  const signedBody = await user.sign({
    method: 'POST',
    url: `${base}/ours/password`,
    body: new URLSearchParams({ x_auth_username: 'ada', x_auth_password: PASSWORD }),
  });
  const passwordAnswer = await fetch(signedBody.url, {
    method: 'POST',
    headers: { authorization: signedBody.authorization ?? '', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ x_auth_username: 'ada', x_auth_password: PASSWORD }),
  });
  expect(passwordAnswer.status).toBe(200);
  const rsaSigner = createSigner({ consumerKey: RSA.key, privateKey: PRIVATE_PEM, signatureMethod: 'RSA-SHA1' });
  expect((await send(rsaSigner, 'GET', `${base}/ours/rsa`)).status).toBe(200);

  // oauthlib's client: correct, then three classic mistakes (4 requests).
  const answers = await theirs;
  expect(answers.map((answer) => answer.status)).toEqual([200, 401, 401, 401]);
  await opened;

  // Hostile requests: markup in a parameter name and value, in headers, in the path (3 requests).
  const hostile = await user.sign({
    method: 'GET',
    url: `${base}/hostile/query?${new URLSearchParams([['<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script>']])}`,
  });
  expect((await fetch(hostile.url, { headers: { authorization: hostile.authorization ?? '' } })).status).toBe(200);
  await raw(
    '/hostile/header',
    'Authorization: OAuth oauth_consumer_key="<img src=x onerror=window.__xss=3>", oauth_signature_method="HMAC-SHA1"\r\nContent-Type: text/html<script>window.__xss=4</script>\r\n',
  );
  await raw('/hostile/<script>window.__xss=5</script><img/src=x/onerror=window.__xss=6>', '');
  await page.waitForFunction((count) => document.querySelectorAll('#requests li').length === count, SENT - 1, {
    timeout: 10_000,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (sandbox?.exitCode === null) sandbox.kill('SIGINT');
});

describe('the sandbox inspector in Chromium', () => {
  it('the CLI prints the inspector address at start-up; it is on the sandbox origin', () => {
    expect(inspectorUrl).toBe(`${base}/_countersign/`);
    expect(printed[1]).toMatch(/^inspector: +http:\/\/127\.0\.0\.1:\d+\/_countersign\/ /);
  });

  it('lists every request newest first, live, with method, URL, consumer, verdict and oauth_problem', async () => {
    const texts = await page.locator('#requests button').allTextContents();
    expect(texts[0]).toMatch(/Not verified\s*400[\s\S]*GET \/hostile\/<script>window.__xss=5<\/script>/);
    expect(texts.at(-1)).toMatch(
      /Verified\s*200[\s\S]*POST \/oauth\/request_token[\s\S]*consumer inspectorHmacConsumer000/,
    );
    const byPath = (path: string) => texts.find((text) => text.includes(`${path}`)) ?? '';
    expect(byPath('/ours/correct')).toMatch(/✓ Verified\s*200/);
    expect(byPath('/ours/plus')).toMatch(/✗ Refused\s*401 signature_invalid/);
    expect(byPath('/ours/skew')).toMatch(/Refused\s*401 timestamp_refused/);
    expect(byPath('/oauthlib/correct')).toMatch(/Verified\s*200/);
    expect(byPath('/oauthlib/wrong-secret')).toMatch(/Refused\s*401 signature_invalid/);
    // A request sent now appears without a reload.
    expect((await send(user, 'GET', `${base}/live/after-load`)).status).toBe(200);
    await expect.poll(() => page.locator('#requests button').first().textContent()).toContain('/live/after-load');
    expect(await page.locator('#requests li').count()).toBe(SENT);
  });

  it("our client's + for a space: both base strings, the difference marked, the cause proven", async () => {
    const text = await open('/ours/plus');
    expect(text).toContain('plus_for_space');
    expect(text).toContain('Proven: the signature verifies against this mistake.');
    expect(text).toContain(
      'First difference: Parameter q is signed differently: the sandbox has q=a%20b, the client q=a%2Bb.',
    );
    expect(await marks('pre mark.changed')).toEqual(['first difference: %2520', 'first difference: %252B']);
    expect(await marks('tr.first-difference mark')).toEqual(['a%20b', 'a%2Bb']);
  });

  it("our client's body parameter left out: marked where it is missing", async () => {
    const text = await open('/ours/body');
    expect(text).toContain('body_params_not_signed');
    expect(text).toContain('Parameter status is only in the sandbox');
    expect(await marks('pre mark.changed')).toEqual(['first difference: status%3Dhello%2520world']);
    expect(await marks('pre mark.missing')).toEqual(['◂ missing in the client']);
  });

  it("our client's clock an hour behind, and oauthlib's two hours ahead: clock_skew", async () => {
    const ours = await open('/ours/skew');
    expect(ours).toContain('clock_skew');
    expect(ours).toMatch(/Timestamp\s*3\d{3} s behind the sandbox's clock/);
    const theirs = await open('/oauthlib/skew');
    expect(theirs).toContain('clock_skew');
    expect(theirs).toMatch(/Timestamp\s*7\d{3} s ahead of the sandbox's clock/);
  });

  it("oauthlib's + and its wrong token secret: the cause named, or said to be none of the classic ones", async () => {
    const plus = await open('/oauthlib/plus');
    expect(plus).toContain('plus_for_space');
    expect(await marks('pre mark.changed')).toEqual(['first difference: %2520', 'first difference: %252B']);
    const wrong = await open('/oauthlib/wrong-secret');
    expect(wrong).toContain('No common mistake reproduces the signature');
    expect(wrong).toContain("The client's base string could not be rebuilt");
    expect(await marks('mark')).toEqual([]);
    const correct = await open('/oauthlib/correct');
    expect(correct).toContain('The signature verified against this base string');
  });

  it('keyboard: arrows, End and Home move, Enter opens the details, Escape comes back', async () => {
    await page.locator('#requests button').first().click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    const third = (await page.locator('#requests button').nth(2).textContent()) ?? '';
    expect((await focused()).replace(/\s+/g, '')).toBe(third.replace(/\s+/g, ''));
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-heading');
    expect(await page.locator('#requests button').nth(2).getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      await page.locator('#requests button').nth(2).getAttribute('id'),
    );
    await page.keyboard.press('End');
    expect(await focused()).toContain('/oauth/request_token');
    await page.keyboard.press('Home');
    expect(await focused()).toContain('/live/after-load');
    // One tab stop for the list: the others are reached with the arrows.
    expect(await page.locator('#requests button[tabindex="0"]').count()).toBe(1);
    // Focus is visible: the focused item has an outline of its own.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
    // Landmarks and headings a screen reader moves by; every item has a name.
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Countersign sandbox inspector');
    for (const name of ['Requests, newest first', 'Compare two base strings']) {
      expect(await page.getByRole('region', { name }).count()).toBe(1);
    }
    expect(await page.getByRole('button', { name: /Refused 401 signature_invalid GET \/ours\/plus/ }).count()).toBe(1);
  });

  it('requests carrying markup (parameter name and value, headers, path) are shown as text; nothing runs', async () => {
    const injected = () =>
      page.evaluate(() => ({
        xss: (window as unknown as { __xss?: number }).__xss,
        elements: document.querySelectorAll('main img, main script, main iframe, [onerror], [onload]').length,
      }));
    expect(await injected()).toEqual({ xss: undefined, elements: 0 });
    expect(await open('/hostile/<script>window.__xss=5</script>')).toContain('<img/src=x/onerror=window.__xss=6>');
    expect(await open('/hostile/query')).toContain('<img src=x onerror="window.__xss=1">');
    const header = await open('/hostile/header');
    expect(header).toContain('<img src=x onerror=window.__xss=3>');
    expect(header).toContain('text/html<script>window.__xss=4</script>');
    expect(await injected()).toEqual({ xss: undefined, elements: 0 });
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('no seeded secret is in the DOM, the list or the event stream', async () => {
    const signature = `${percentEncode(HMAC.secret)}&${percentEncode(tokenSecret)}`;
    const secrets = [
      HMAC.secret,
      percentEncode(HMAC.secret),
      tokenSecret,
      signature,
      percentEncode(signature),
      PASSWORD,
      percentEncode(PASSWORD),
      encodeURIComponent(PASSWORD).replace(/%20/g, '+'),
      PRIVATE_PEM.split('\n')[1] as string,
    ];
    // Every entry opened once, so every detail has been in the DOM.
    const count = await page.locator('#requests button').count();
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      await page.locator('#requests button').nth(i).click();
      seen.push(await page.content());
    }
    const stream = await eventStream(count);
    const list = await (await fetch(`${inspectorUrl}requests`)).text();
    for (const [where, text] of [
      ['DOM', seen.join('\n')],
      ['event stream', stream],
      ['requests', list],
    ] as const) {
      secrets.forEach((secret, i) => {
        expect(text.includes(secret), `${where} holds seeded secret #${i}`).toBe(false);
      });
    }
    // The PLAINTEXT request and the password body are there, redacted.
    expect(stream).toContain('oauth_signature=[redacted]');
    expect(stream).toContain('x_auth_password=[redacted]');
  });

  it('the paste panel compares a base string with an error body in the page, sending nothing', async () => {
    const before = pageRequests.length;
    page.on('request', (request) => pageRequests.push(request.url()));
    await page.locator('#paste-server').fill(ourPlusRefusal);
    await page.locator('#paste-client').fill(ourPlusBaseString);
    await page.getByRole('button', { name: 'Compare' }).click();
    const result = page.locator('#paste-result');
    await expect.poll(() => result.textContent()).toContain('Likely causes, most likely first');
    const text = await result.textContent();
    expect(text).toContain('The server said: signature_invalid');
    expect(await result.locator('.causes li').first().textContent()).toMatch(/^plus_for_space — /);
    expect(await result.locator('pre mark.changed').count()).toBeGreaterThan(0);
    expect(pageRequests.length).toBe(before);
  });

  it('DNS rebinding: the same sandbox under another name is refused, page and data alike', async () => {
    const port = new URL(base).port;
    const other = await browser.newPage();
    const response = await other.goto(`http://rebind.test:${port}/_countersign/`);
    expect(response?.status()).toBe(403);
    expect(await other.evaluate(() => fetch('/_countersign/requests').then((answer) => answer.status))).toBe(403);
    await other.close();
  });
});
