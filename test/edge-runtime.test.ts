import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// esbuild is already in the toolchain (tsup, tsx); the test package names it to resolve it directly.
const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
const core = new URL('../packages/core/src/index.ts', import.meta.url).pathname;

describe("core's browser build", () => {
  it('imports nothing from node:*, and signs the Twitter vector where only Web APIs exist', async () => {
    const { outputFiles } = await esbuild.build({
      entryPoints: [core],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'Countersign',
      minify: true,
      write: false,
    });
    const code = outputFiles?.[0]?.text ?? '';
    expect(code.length).toBeGreaterThan(1000);
    expect(code).not.toMatch(/\bnode:|require\(["']crypto/);
    // A realm with the Web APIs an edge runtime has, and no require, process or Buffer.
    const realm: Record<string, unknown> = {
      crypto,
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
    const { createSigner } = realm.Countersign as typeof import('@countersign/core');
    const signed = await createSigner({
      consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
      consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      nonce: () => 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      clock: () => 1318622958000,
    }).sign({
      method: 'POST',
      url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
      body: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(signed.signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    // The size is reported, not yet held to a budget (#5 asks for 4 KB min+gzip).
    console.log(
      `core browser build: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipSync(code).length / 1024).toFixed(1)} KB min+gzip`,
    );
  });
});
