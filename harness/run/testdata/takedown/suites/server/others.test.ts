// Fixture suite for harness/run/takedown.test.ts: tests in another file, which must also run
// before the test that takes the target down.
import { appendFileSync, existsSync } from 'node:fs';
import { describe, it } from 'vitest';

const log = process.env.BM_TAKEDOWN_LOG!;

describe('server › others', () => {
  for (const n of [1, 2, 3]) {
    it(`other test ${n}`, async () => {
      await new Promise((r) => setTimeout(r, 50 * n));
      if (existsSync(`${log}.down`)) throw new Error(`other test ${n} ran after the target went down`);
      appendFileSync(log, `other test ${n}\n`);
    });
  }
});
