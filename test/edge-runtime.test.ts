import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import vectors from '../packages/core/test/fixtures/published-vectors.json' with { type: 'json' };

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

  const { 'twitter-creating-a-signature': twitter } = vectors;
  const TWITTER = { ...twitter.credentials, nonce: () => twitter.nonce, clock: () => twitter.timestamp * 1000 };
  const TWITTER_REQUEST = twitter.request;

  it('imports nothing from node:*, and signs the Twitter vector where only Web APIs exist', async () => {
    const code = await browserBundle();
    expect(code.length).toBeGreaterThan(1000);
    expect(code).not.toMatch(/\bnode:|require\(["']crypto/);
    const { createSigner } = webRealm(code, crypto);
    const signed = await createSigner(TWITTER).sign(TWITTER_REQUEST);
    expect(signed.signature).toBe(twitter.signature);
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
