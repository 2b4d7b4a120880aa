import { defineConfig } from 'tsup';

// Two builds of the same source: `#crypto` resolves to node:crypto for Node and to
// WebCrypto for everything else (browsers, workers, edge runtimes).
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    outDir: 'dist/node',
    platform: 'node',
    target: 'node20',
    removeNodeProtocol: false,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
  },
  {
    entry: { index: 'src/index.ts' },
    outDir: 'dist/web',
    platform: 'browser',
    target: 'es2022',
    format: ['esm', 'cjs'],
    sourcemap: true,
    clean: true,
  },
]);
