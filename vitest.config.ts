import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // ky 2 needs Node ≥ 22: those suites run under node@22 with vitest.node22.config.ts.
    exclude: ['**/node_modules/**', '**/*.node22.test.ts'],
    testTimeout: 20_000,
  },
});
