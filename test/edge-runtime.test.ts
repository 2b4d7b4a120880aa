import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

// esbuild is already in the toolchain (tsup, tsx); the test package names it to resolve it directly.
const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
const core = new URL('../packages/core/src/index.ts', import.meta.url).pathname;

describe("core's browser build", () => {
  async function browserBundle(): Promise<string> {
    const { outputFiles } = await esbuild.build({
      entryPoints: [core],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'Countersign',
      minify: true,
      write: false,
    });
    return outputFiles?.[0]?.text ?? '';
  }

  /** A realm with the Web APIs an edge runtime has, and no require, process or Buffer. */
  function webRealm(code: string, webCrypto: unknown): typeof import('@countersign/core') {
    const realm: Record<string, unknown> = {
      crypto: webCrypto,
      TextEncoder,
      TextDecoder,
      URL,
      URLSearchParams,
      atob,
      btoa,
      Headers,
      Request,
      Response,
      ReadableStream,
      setTimeout,
      clearTimeout,
      AbortController,
    };
    runInNewContext(`${code};globalThis.Countersign = Countersign;`, realm);
    return realm.Countersign as typeof import('@countersign/core');
  }

  const TWITTER = {
    consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
    consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
    token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
    tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    nonce: () => 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
    clock: () => 1318622958000,
  };
  const TWITTER_REQUEST = {
    method: 'POST',
    url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
    body: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
    contentType: 'application/x-www-form-urlencoded',
  };

  it('imports nothing from node:*, and signs the Twitter vector where only Web APIs exist', async () => {
    const code = await browserBundle();
    expect(code.length).toBeGreaterThan(1000);
    expect(code).not.toMatch(/\bnode:|require\(["']crypto/);
    const { createSigner } = webRealm(code, crypto);
    const signed = await createSigner(TWITTER).sign(TWITTER_REQUEST);
    expect(signed.signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  it('without crypto.subtle (a page that is not a secure context) says so, not that SHA-1 is forbidden', async () => {
    const { createSigner } = webRealm(await browserBundle(), {
      getRandomValues: (bytes: Uint8Array) => crypto.getRandomValues(bytes),
    });
    const error = await createSigner(TWITTER)
      .sign(TWITTER_REQUEST)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'signature_method_unavailable' });
    expect((error as Error).message).toMatch(/secure contexts: serve the page over https/);
  });
});
