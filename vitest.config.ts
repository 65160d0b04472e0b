import { defineConfig } from 'vitest/config';

// The default `npm test` run: unit tests of the library, schemas, vectors, reference servers,
// reports and harness, and (test/conformance.test.ts) one full harness run of every profile
// suite against the built-in reference — the suites under suites/<profile>/ run through the
// harness there, not a second time on their own. Docker-bound and slow tests have their own
// configs and scripts so this run stays fast.
export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'schemas/**/*.test.ts', 'vectors/**/*.test.ts', 'reports/**/*.test.ts', 'suites/requirements/**/*.test.ts', 'test/**/*.test.ts'],
    // testdata/: fixture suites that only the harness's own tests run, through runConformance;
    // test/fixtures/layers: the miniature tree the layer check runs on (test/layers.test.ts).
    exclude: ['**/node_modules/**', '**/*.docker.test.ts', '**/*.slow.test.ts', 'harness/**/testdata/**', 'test/fixtures/layers/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
