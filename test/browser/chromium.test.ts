import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, BrowserCaseInput } from './page.ts';

const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
// Debian's chromium: .ci/run installs it (scripts/ensure-system-packages.mjs). Browser
// downloads do not work on these machines.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const HMAC_CONSUMER = { key: 'browserHmacConsumer0000', secret: 'browser consumer secret!' };
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
// PKCS#1 (`BEGIN RSA PRIVATE KEY`): WebCrypto cannot import it, so core wraps it into PKCS#8 itself.
const PKCS1_PEM = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const RSA_CONSUMER = { key: 'browserRsaConsumer00000', publicKey: rsa.publicKey };

let sandbox: Sandbox;
let pageServer: Server;
let pageOrigin: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** The page and its bundle, served from an origin of their own: requests to the sandbox are cross-origin. */
async function servePage(): Promise<void> {
  const bundle = await esbuild.build({
    entryPoints: [new URL('./page.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    write: false,
  });
  const script = bundle.outputFiles?.[0]?.text ?? '';
  pageServer = createServer((request, response) => {
    if (request.url === '/page.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><meta charset="utf-8"><title>countersign</title><script src="/page.js"></script>');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: run \`apt-get install chromium\` (the README's test command does).`);
  }
  sandbox = await startSandbox({ consumers: [HMAC_CONSUMER, RSA_CONSUMER], cors: true });
  await servePage();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${pageOrigin}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
});

function runInPage(input: BrowserCaseInput): Promise<Record<string, Answer>> {
  return page.evaluate(
    (caseInput) =>
      (
        globalThis as unknown as {
          countersign: { runCase(input: BrowserCaseInput): Promise<Record<string, Answer>> };
        }
      ).countersign.runCase(caseInput),
    input,
  );
}

const CASES: Array<[string, Omit<BrowserCaseInput, 'sandboxUrl'>]> = [
  ['HMAC-SHA1', { consumerKey: HMAC_CONSUMER.key, consumerSecret: HMAC_CONSUMER.secret, signatureMethod: 'HMAC-SHA1' }],
  [
    'HMAC-SHA256',
    { consumerKey: HMAC_CONSUMER.key, consumerSecret: HMAC_CONSUMER.secret, signatureMethod: 'HMAC-SHA256' },
  ],
  ['RSA-SHA1 (PKCS#1 PEM)', { consumerKey: RSA_CONSUMER.key, privateKeyPem: PKCS1_PEM, signatureMethod: 'RSA-SHA1' }],
];

describe('in headless Chromium, signing with WebCrypto', () => {
  it('runs the bundle as a page script, where no Node built-ins exist', async () => {
    expect(PKCS1_PEM).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const runtime = await page.evaluate(() =>
      (globalThis as unknown as { countersign: { runtime(): string } }).countersign.runtime(),
    );
    expect(runtime).toBe('browser');
  });

  it.each(CASES)(
    '%s: three-legged flow, then fetch-wrapper and ky requests the sandbox verifies; tampering is refused',
    async (method, input) => {
      const answers = await runInPage({ ...input, sandboxUrl: sandbox.url });
      const expectedMethod = input.signatureMethod;
      for (const name of ['fetchFormPost', 'fetchGet', 'kyFormPost', 'kyGetSearchParams']) {
        expect({ [name]: answers[name] }, method).toEqual({ [name]: { status: 200, signatureMethod: expectedMethod } });
      }
      expect(answers.tamperedSignature).toEqual({ status: 401, problem: 'signature_invalid' });
      expect(answers.bodyChangedAfterSigning).toEqual({ status: 401, problem: 'signature_invalid' });
      expect(pageErrors).toEqual([]);
    },
    30_000,
  );
});
