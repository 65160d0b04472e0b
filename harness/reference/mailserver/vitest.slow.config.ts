import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The slow tests, not in the default run: `npm run test:slow`
// (= npx vitest run --config harness/reference/mailserver/vitest.slow.config.ts).
// - every *.slow.test.ts (the mail server's SIGKILL durability test: child processes, kills);
// - the generated-request tests of the mail server and the key resolver at 5000 requests each
//   (500 / 1000 in the default run).
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['**/*.slow.test.ts', 'harness/reference/mailserver/errors.test.ts', 'harness/reference/resolver/fuzz.test.ts'],
    exclude: ['**/node_modules/**'],
    env: { BM_FUZZ_REQUESTS: '5000' },
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
