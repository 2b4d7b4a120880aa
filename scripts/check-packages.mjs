/**
 * Proves the published packages work as published, one step after another (`pnpm test`
 * runs the same steps in its own schedule, scripts/test.mjs): builds each package once,
 * packs it (so publishConfig applies) and lints the tarball (publint --strict, attw), installs
 * the tarballs with npm into a fresh project outside the workspace with the latest peers,
 * checks what was installed, and runs every README's quick start there.
 */
import { buildPackages } from './packages/build.mjs';
import { checkConsumer, installConsumer } from './packages/consumer.mjs';
import { packPackages } from './packages/pack.mjs';
import { runQuickStarts } from './packages/quick-starts.mjs';

const log = (line) => console.log(line);
await buildPackages(undefined, { log });
await packPackages({ log });
await installConsumer({ log });
await checkConsumer({ log });
await runQuickStarts({ log });
