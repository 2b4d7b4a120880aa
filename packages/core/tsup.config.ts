import { defineConfig } from 'tsup';
import { library, nodeLibrary } from '../../tsup.library.ts';

// Two builds of the same source: `#crypto` resolves to node:crypto for Node and to
// WebCrypto for everything else (browsers, workers, edge runtimes). Types come with the
// Node build; the web build shares them.
export default defineConfig([
  { ...nodeLibrary, outDir: 'dist/node' },
  { ...library, outDir: 'dist/web', platform: 'browser', dts: false },
]);
