/**
 * Tests that declare `meta.takesTargetDown` run after every other test of the run, one at a
 * time (harness/run/index.ts runSuites; issue "Go truth": bm-server's remote crash must not
 * turn the rest of a run into errors). The fixture suites (testdata/takedown/) put the crash
 * first in its file, and every test fails if it runs once the crash marked the target down, so
 * a harness that ran tests in file order fails here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runConformance } from './index.ts';
import { parseRunArgs } from './options.ts';

const ROOT = join(import.meta.dirname, 'testdata', 'takedown');
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'bm-takedown-'));
  process.env.BM_TAKEDOWN_LOG = join(work, 'order.log');
});
afterEach(() => {
  delete process.env.BM_TAKEDOWN_LOG;
  rmSync(work, { recursive: true, force: true });
});

async function run(extra: string[] = []) {
  const opts = { ...parseRunArgs(['--target', 'builtin', '--profile', 'server', '--out', join(work, 'out'), ...extra]), suitesRoot: ROOT };
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await runConformance(opts);
  } finally {
    process.stdout.write = write;
  }
}

const order = () => readFileSync(process.env.BM_TAKEDOWN_LOG!, 'utf8').trim().split('\n');

it('runs the test that takes the target down last, once, and every other test before it', async () => {
  const res = await run();
  expect(res.tests.map((t) => [t.caseId, t.verdict]).sort()).toEqual([
    ['crashes-the-target', 'pass'],
    ['other-test-1', 'pass'],
    ['other-test-2', 'pass'],
    ['other-test-3', 'pass'],
    ['runs-before-the-crash-in-the-same-file', 'pass'],
  ]);
  expect(res.exitCode).toBe(0);
  expect(order()).toHaveLength(5);
  expect(order().at(-1)).toBe('crashes the target');
}, 60_000);

it('keeps the order under --only, and runs nothing it did not select', async () => {
  const res = await run(['--only', '/crashes|same-file/']);
  expect(res.tests.map((t) => t.caseId).sort()).toEqual(['crashes-the-target', 'runs-before-the-crash-in-the-same-file']);
  expect(res.exitCode).toBe(0);
  expect(order()).toEqual(['runs before the crash in the same file', 'crashes the target']);
}, 60_000);
