import { defineConfig } from 'vitest/config';

// Files that change what every later file in the same process would see (mocked node:crypto,
// nock and msw patching http and fetch) run isolated, each in a fresh module graph. The rest
// share one: loading the workspace's modules again for every file cost more than the tests
// themselves (import 40 s of a 200 s run; 65 s in all once shared).
const ISOLATED = [
  'packages/core/test/hmac-without-one-shot.test.ts',
  'packages/core/test/sha1-policy.test.ts',
  // Frozen responses are remembered in a WeakMap of the module that remembered them.
  'packages/core/test/signings.test.ts',
  'packages/testing/test/**/*.test.ts',
  'test/**/*.test.ts',
];
const SHARED = ['packages/*/test/**/*.test.ts'];
// ky 2 needs Node ≥ 22: those suites run under node@22 with vitest.node22.config.ts.
const EXCLUDED = ['**/node_modules/**', '**/*.node22.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED, exclude: EXCLUDED, isolate: true } },
      {
        extends: true,
        test: { name: 'shared', include: SHARED, exclude: [...EXCLUDED, ...ISOLATED], isolate: false },
      },
    ],
  },
});
