import { defineConfig } from 'tsup';

// The sandbox is a Node HTTP server: built for Node, node: imports kept as they are.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  outDir: 'dist',
  platform: 'node',
  target: 'node20',
  removeNodeProtocol: false,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
});
