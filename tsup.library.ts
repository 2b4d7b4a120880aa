import { defineConfig, type Options } from 'tsup';

/**
 * The types of the declarations step. When the packages are built together
 * (scripts/packages/build.mjs), each sibling a package imports is read from the .d.ts it was
 * just built into, named in COUNTERSIGN_BUILT_TYPES, instead of being type-checked again from
 * its sources in every package that imports it: the bundled .d.ts is the same, since siblings
 * stay external, and each package's declarations cost about a third less.
 */
export function declarations(): Options['dts'] {
  const built = process.env.COUNTERSIGN_BUILT_TYPES;
  if (built === undefined) return true;
  const paths = Object.fromEntries(
    Object.entries(JSON.parse(built) as Record<string, string>).map(([name, file]) => [name, [file]]),
  );
  return { compilerOptions: { paths } };
}

/** The build of a library package with one entry: ESM and CJS, with types. */
export const library = {
  entry: { index: 'src/index.ts' },
  outDir: 'dist',
  target: 'es2022',
  format: ['esm', 'cjs'],
  dts: declarations(),
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
