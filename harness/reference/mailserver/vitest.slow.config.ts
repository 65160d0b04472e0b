import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The mail server's slow tests (child processes, SIGKILL): not in the default run.
// Run: npx vitest run --config harness/reference/mailserver/vitest.slow.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    // The SIGKILL durability test, and the generated-request test at 5000 requests.
    include: ['harness/reference/mailserver/**/*.slow.test.ts', 'harness/reference/mailserver/errors.test.ts'],
    env: { BM_FUZZ_REQUESTS: '5000' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
