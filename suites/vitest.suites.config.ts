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
    // One module graph per worker instead of per file: collecting the server and security
    // profiles drops from ~20 s to ~4 s on 2 cores. Every file of a run gets the same target (the
    // same BM_* environment), so shared module state (target, agent, run nonce) is the same for
    // all; suite files keep their own identities apart with distinct labels and name prefixes.
    isolate: false,
  },
});
