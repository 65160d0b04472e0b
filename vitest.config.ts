import { defineConfig } from 'vitest/config';

// The default `npm test` run: unit tests of the library, reference servers and harness, and
// the library suite against the built-in adapter. Docker-bound and slow suites have their own
// configs and scripts so this run stays fast.
export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'schemas/**/*.test.ts', 'vectors/**/*.test.ts', 'reports/**/*.test.ts', 'suites/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.docker.test.ts', '**/*.slow.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
