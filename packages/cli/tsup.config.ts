import { defineConfig } from 'tsup';
import { declarations } from '../../tsup.library.ts';

const shared = {
  outDir: 'dist',
  platform: 'node',
  target: 'node20',
  removeNodeProtocol: false,
  sourcemap: true,
  // Line numbers for stack traces, without a copy of the sources in the tarball.
  esbuildOptions(options: { sourcesContent?: boolean }) {
    options.sourcesContent = false;
  },
} as const;

export default defineConfig([
  // The library entry (`run`), for require() and import alike.
  { ...shared, entry: { index: 'src/program.ts' }, format: ['esm', 'cjs'], dts: declarations(), clean: true },
  // The command: ESM only, it awaits at the top level.
  { ...shared, entry: { main: 'src/main.ts' }, format: ['esm'] },
]);
