import { defineConfig, type Options } from 'tsup';

/** The build of a library package with one entry: ESM and CJS, with types. */
export const library = {
  entry: { index: 'src/index.ts' },
  outDir: 'dist',
  target: 'es2022',
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
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
