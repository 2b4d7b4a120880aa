import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  outDir: 'dist',
  target: 'es2022',
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
});
