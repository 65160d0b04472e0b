import { defineConfig } from 'vitest/config';

// `npm run test:docker`: the Docker-bound tests (*.docker.test.ts) — reference images, the image
// target against good and broken containers, the Dockerfile. They skip without a docker engine,
// and fail instead when BM_REQUIRE_DOCKER=1 (CI). One file at a time: containers and the
// harness's own suite runs are heavy on a 2-core machine.
export default defineConfig({
  test: {
    include: ['**/*.docker.test.ts'],
    exclude: ['**/node_modules/**', 'harness/targets/testdata/**'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
