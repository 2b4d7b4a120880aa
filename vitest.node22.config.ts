import { defineConfig } from 'vitest/config';

// The suites that need Node ≥ 22 (ky 2), run with `npx -y node@22`.
export default defineConfig({
  test: {
    include: ['test/**/*.node22.test.ts', 'packages/*/test/**/*.node22.test.ts'],
    testTimeout: 20_000,
  },
});
