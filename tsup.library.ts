import { defineConfig } from 'tsup';

/** The build of a library package with one entry: ESM and CJS, with types. */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  outDir: 'dist',
  target: 'es2022',
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
});
