/**
 * Shard-and-merge equality for every profile against builtin (issue "Ship it where implementers
 * are", item 4 "Done when"; `npm run test:slow`). test/shard-merge.test.ts is the fast version
 * (resolver profile, with an expectations file) in `npm test`.
 *
 * - Every profile in one run (what `npm start` runs, about 1,700 tests over 26 suite files):
 *   unsharded, then shards 1/3, 2/3, 3/3 merged: the same test names, verdicts and evidence, the
 *   same requirement table, summary and exit code (0).
 * - Each profile alone, as 3 shards: the interop profile has one suite file and the library
 *   profile two, so vitest leaves shards empty; an empty shard exits 0 and the merge still equals
 *   the unsharded run of that profile.
 *
 * About 8 minutes on 2 busy cores (2026-12-06, load 10-18: 8 min 12 s; every profile: unsharded
 * 73.5 s, shards 23.8 + 43.6 + 15.2 s, merge 3.5 s, 1,774 tests). Run it on a tree nobody edits
 * meanwhile: the runs read the vectors, the registry and the fault data when they start, and the
 * merge refuses parts whose vector manifest or registry hashes differ.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shardAndMerge } from './_shardmerge.ts';

const dir = mkdtempSync(join(tmpdir(), 'bm-shard-merge-slow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shard and merge against builtin', () => {
  it('every profile in one run: 3 shards merged equal the unsharded run', async () => {
    const r = await shardAndMerge(join(dir, 'all'), ['run'], 3);
    expect(r.full.code, r.full.stderr.slice(-2000)).toBe(0);
    expect(r.unsharded.tests.length).toBeGreaterThan(1500);
    expect(new Set(r.unsharded.tests.map((t) => t[0].split(' › ')[0])).size).toBe(6);
    expect(r.shards.map((s) => s.code)).toEqual([0, 0, 0]);
    expect(r.merged.tests).toEqual(r.unsharded.tests);
    expect(r.merged.requirements).toEqual(r.unsharded.requirements);
    expect(r.merged.expectations).toEqual(r.unsharded.expectations);
    expect(r.merged.ok).toBe(true);
    expect(r.merge.code).toBe(r.full.code);
    process.stderr.write(`shard-merge every profile: unsharded ${(r.full.ms / 1000).toFixed(1)} s, shards ${r.shards.map((s) => (s.ms / 1000).toFixed(1)).join(' + ')} s, merge ${(r.merge.ms / 1000).toFixed(1)} s, ${r.unsharded.tests.length} tests\n`);
  }, 1_200_000);

  for (const profile of ['library', 'server', 'resolver', 'client', 'interop', 'security']) {
    it(`the ${profile} profile alone: 3 shards merged equal the unsharded run`, async () => {
      const r = await shardAndMerge(join(dir, profile), ['run', '--profile', profile], 3);
      expect(r.full.code, r.full.stderr.slice(-2000)).toBe(0);
      expect(r.unsharded.tests.length).toBeGreaterThan(0);
      expect(r.shards.map((s) => s.code)).toEqual([0, 0, 0]);
      expect(r.merged.tests).toEqual(r.unsharded.tests);
      expect(r.merged.requirements).toEqual(r.unsharded.requirements);
      expect(r.merge.code).toBe(r.full.code);
    }, 600_000);
  }
});
