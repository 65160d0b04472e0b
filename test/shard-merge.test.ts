/**
 * Sharded runs merged into one report (issue "Ship it where implementers are", item 4; DESIGN.md
 * contract 10), the fast version: the resolver profile against builtin, unsharded and as shards
 * 1/3, 2/3, 3/3 (vitest's split of its four suite files), merged with `bm-conformance merge`.
 * The merge must give exactly the unsharded run's test names, verdicts and evidence, requirement
 * table, expectations findings, summary and exit code. test/shard-merge.slow.test.ts does the
 * same for every profile at once (`npm run test:slow`).
 *
 * Both runs take one expectations file whose findings only the whole run can judge:
 * - an entry on the records tests, which pass: xpass (fails the run) in the run that has them;
 *   a shard without them must call it `not-run`, not `unmatched`;
 * - an entry that matches no test at all (a typo): `not-run` in every shard, `unmatched` (fails
 *   the run) only once the shards are merged, as in the unsharded run.
 * A merge that applied expectations per shard, or a shard that judged them alone, differs from
 * the unsharded run in `expectations` and in the exit code.
 *
 * About 40 s: five CLI runs of the resolver profile (about 8 s each) and a merge.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bm, shardAndMerge } from './_shardmerge.ts';

const dir = mkdtempSync(join(tmpdir(), 'bm-shard-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const expect_ = join(dir, 'expectations.json');
writeFileSync(
  expect_,
  JSON.stringify({
    schema: 'expectations_schema_v1.json',
    implementation: 'builtin',
    entries: [
      { test: 'resolver › records › *', reason: 'listed although it passes: must become xpass' },
      { test: 'resolver › no-such-area › *', reason: 'a typo: matches no test of the run' },
    ],
  }),
);

let run: Awaited<ReturnType<typeof shardAndMerge>>;

beforeAll(async () => {
  run = await shardAndMerge(dir, ['run', '--profile', 'resolver', '--expect', expect_], 3);
}, 300_000);

describe('run --shard I/N and merge', () => {
  it('the shards split the tests between them: none empty, none shared, all of them together', () => {
    const names = run.dirs.map((d) => (JSON.parse(readFileSync(join(d, 'raw-results.json'), 'utf8')) as { tests: { name: string }[] }).tests.map((t) => t.name));
    for (const n of names) expect(n.length).toBeGreaterThan(0);
    const all = names.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(run.unsharded.tests.map((t) => t[0]).sort());
  });

  it('a shard judges only its own tests: the typo entry is not-run there, never unmatched', () => {
    for (const d of run.dirs) {
      const r = JSON.parse(readFileSync(join(d, 'report.json'), 'utf8')) as { expectations: { entry: { test: string }; problem: string }[] };
      const typo = r.expectations.find((e) => e.entry.test === 'resolver › no-such-area › *');
      expect(typo?.problem).toBe('not-run');
    }
    // Exactly one shard holds the records tests, and only it fails (their xpass).
    expect(run.shards.map((s) => s.code).sort()).toEqual([0, 0, 1]);
  });

  it('merged, the shards give exactly the unsharded run: tests, verdicts, requirements, expectations, exit code', () => {
    expect(run.unsharded.tests.length).toBeGreaterThan(50);
    expect(run.unsharded.tests.some(([, v]) => v === 'xpass')).toBe(true);
    expect(run.merged.tests).toEqual(run.unsharded.tests);
    expect(run.merged.requirements).toEqual(run.unsharded.requirements);
    expect(run.merged.expectations).toEqual(run.unsharded.expectations);
    expect(run.unsharded.expectations.map((e) => (e as { problem: string }).problem).sort()).toEqual(['unmatched', 'xpass']);
    expect(run.merged.ok).toBe(false);
    expect(run.merge.code).toBe(1);
    expect(run.full.code).toBe(1);
    expect(run.merged.files).toHaveLength(5);
  });

  it('refuses an incomplete or doubled set of shards, and folders that are no run (exit 2)', async () => {
    const missing = await bm(['merge', run.dirs[0]!, run.dirs[2]!, '--out', join(dir, 'bad')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard 2\/3 missing/);
    const twice = await bm(['merge', run.dirs[0]!, run.dirs[0]!, run.dirs[1]!, '--out', join(dir, 'bad')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/shard 1\/3 given twice/);
    const mixed = await bm(['merge', join(dir, 'full'), run.dirs[0]!, '--out', join(dir, 'bad')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/not a shard/);
    const none = await bm(['merge', dir, '--out', join(dir, 'bad')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no raw-results\.json/);
    const usage = await bm(['run', '--shard', '4/3']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--shard: expected I\/N/);
  });
});
