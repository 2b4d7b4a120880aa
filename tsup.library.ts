import { defineConfig, type Options } from 'tsup';

/** The build of a library package with one entry: ESM and CJS, with types. */
export const library = {
  entry: { index: 'src/index.ts' },
  outDir: 'dist',
  target: 'es2022',
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // Maps keep file and line numbers for stack traces, without a second copy of every source
  // file in the tarball (core's tarball was 365 KB, mostly maps).
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
} satisfies Options;

/** The same for code that runs on Node only: node: imports kept as they are. */
export const nodeLibrary = {
  ...library,
  platform: 'node',
  target: 'node20',
  removeNodeProtocol: false,
} satisfies Options;

export default defineConfig(library);
