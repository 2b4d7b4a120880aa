/**
 * `node --import ./bench/use-built-packages.mjs …`: resolves @countersign/* to each
 * package's built dist instead of its TypeScript source (what the workspace exports), so
 * benchmarks time the code users install, not a development transform of it.
 */
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    const built = {
      '@countersign/core': new URL('../packages/core/dist/node/index.js', ${JSON.stringify(import.meta.url)}).href,
      '@countersign/axios': new URL('../packages/axios/dist/index.js', ${JSON.stringify(import.meta.url)}).href,
      '@countersign/ky': new URL('../packages/ky/dist/index.js', ${JSON.stringify(import.meta.url)}).href,
      '@countersign/server': new URL('../packages/server/dist/index.js', ${JSON.stringify(import.meta.url)}).href,
    };
    export async function resolve(specifier, context, next) {
      return specifier in built ? { url: built[specifier], shortCircuit: true } : next(specifier, context);
    }
  `)}`,
);
