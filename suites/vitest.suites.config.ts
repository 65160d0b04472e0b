import { defineConfig } from 'vitest/config';

// Config of `bm-conformance run`: the profile suites only, against the target the harness opened
// (passed to the workers in BM_* environment variables; see suites/_support/target.ts).
export default defineConfig({
  test: {
    include: ['suites/*/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'suites/requirements/**'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Suites share one target; files run in parallel (2 cores) but each file's tests in order.
    fileParallelism: true,
  },
});
