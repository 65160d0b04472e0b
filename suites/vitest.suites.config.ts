import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The run's per-test timeout (`--timeout`, BM_TIMEOUT_MS; `bm-conformance run` also passes it as testTimeout). */
const testTimeout = Number(process.env.BM_TIMEOUT_MS) || 20_000;
/** suites/_support/target.ts HOOK_TIMEOUT_FACTOR: set-ups make several accounts, each with proofs of work. */
const HOOK_TIMEOUT_FACTOR = 3;

// Config of `bm-conformance run`: the profile suites only, against the target the harness opened
// (passed to the workers in BM_* environment variables; see suites/_support/target.ts).
export default defineConfig({
  test: {
    include: ['suites/*/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'suites/requirements/**'],
    pool: 'forks',
    // Opens the builtin target when a developer runs suite files without `bm-conformance run`.
    globalSetup: [fileURLToPath(new URL('./vitest.suites.setup.ts', import.meta.url))],
    testTimeout,
    // Follows --timeout (it was a fixed 60 s): a slow target given a longer timeout gets longer
    // set-ups too, and a short --timeout bounds them as well.
    hookTimeout: HOOK_TIMEOUT_FACTOR * testTimeout,
    // Suites share one target; files run in parallel (2 cores) but each file's tests in order.
    fileParallelism: true,
    // One module graph per worker instead of per file: collecting the server and security
    // profiles drops from ~20 s to ~4 s on 2 cores. Every file of a run gets the same target (the
    // same BM_* environment), so shared module state (target, agent, run nonce) is the same for
    // all; suite files keep their own identities apart with distinct labels and name prefixes.
    isolate: false,
  },
});
