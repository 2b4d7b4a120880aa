import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The bottom of the adapters' peer ranges (axios >=1.7, ky >=1): the wire and retry suites
// again, with `axios` and `ky` resolved to axios 1.7.0 and ky 1.0.0 everywhere, the
// adapters' own imports included. The top of the ranges is what the main run installs.
const packageDir = (name: string) => fileURLToPath(new URL(`./test/node_modules/${name}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^axios$/, replacement: packageDir('axios-lowest') },
      { find: /^ky$/, replacement: packageDir('ky-lowest') },
    ],
  },
  test: {
    include: [
      'test/wire/wire-cases.test.ts',
      'test/wire/retries.test.ts',
      'test/wire/adapter-behaviour.test.ts',
      'test/wire/adapter-errors.test.ts',
    ],
    testTimeout: 20_000,
  },
});
