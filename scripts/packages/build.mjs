/**
 * Builds every published package once, as `pnpm build` does (tsup: ESM, CJS and types), in
 * dependency order and two at a time; each package's siblings are typed from the .d.ts they
 * were just built into (see `declarations()` in tsup.library.ts). The build that is packed,
 * measured for size and loaded by the checks is this one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES } from '../workspace-packages.mjs';
import { eachLimited, root, run } from './run.mjs';

const manifest = (name) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
const siblings = (name) =>
  Object.keys({ ...manifest(name).dependencies, ...manifest(name).peerDependencies })
    .filter((dependency) => dependency.startsWith('@countersign/'))
    .map((dependency) => dependency.slice('@countersign/'.length));

/** Where a built package's types are: core's Node build carries them, the others' dist. */
const typesOf = (name) => join(root, 'packages', name, name === 'core' ? 'dist/node/index.d.ts' : 'dist/index.d.ts');

/** Builds one package, its siblings' types read from their builds (which must exist). */
export async function buildPackage(name) {
  const types = Object.fromEntries(siblings(name).map((sibling) => [`@countersign/${sibling}`, typesOf(sibling)]));
  await run(join(root, 'node_modules', '.bin', 'tsup'), [], {
    cwd: join(root, 'packages', name),
    env: { ...process.env, COUNTERSIGN_BUILT_TYPES: JSON.stringify(types) },
  });
  if (!existsSync(typesOf(name))) throw new Error(`@countersign/${name}: the build wrote no ${typesOf(name)}`);
}

/** Each package and the siblings it must be built after. */
export function buildOrder(names = PACKAGES) {
  return names.map((name) => ({ name, after: siblings(name).filter((sibling) => names.includes(sibling)) }));
}

export async function buildPackages(names = PACKAGES, { concurrency = 2, log = () => {} } = {}) {
  const built = new Map();
  let remaining = [...names];
  while (remaining.length > 0) {
    // The packages whose siblings are all built (or not being built now).
    const ready = remaining.filter((name) =>
      siblings(name).every((sibling) => built.has(sibling) || !names.includes(sibling)),
    );
    if (ready.length === 0) throw new Error(`build order: a cycle among ${remaining.join(', ')}`);
    await eachLimited(ready, concurrency, async (name) => {
      const types = Object.fromEntries(
        siblings(name)
          .filter((sibling) => built.has(sibling))
          .map((sibling) => [`@countersign/${sibling}`, built.get(sibling)]),
      );
      const started = performance.now();
      await run(join(root, 'node_modules', '.bin', 'tsup'), [], {
        cwd: join(root, 'packages', name),
        env: { ...process.env, COUNTERSIGN_BUILT_TYPES: JSON.stringify(types) },
      });
      if (!existsSync(typesOf(name))) throw new Error(`@countersign/${name}: the build wrote no ${typesOf(name)}`);
      built.set(name, typesOf(name));
      log(`built @countersign/${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
    remaining = remaining.filter((name) => !built.has(name));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `build.mjs --one NAME` builds NAME alone (the test run schedules each package itself).
  if (process.argv[2] === '--one') await buildPackage(process.argv[3]);
  else await buildPackages(process.argv.length > 2 ? process.argv.slice(2) : PACKAGES, { log: console.log });
}
