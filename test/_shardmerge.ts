/**
 * Shared by test/shard-merge.test.ts and test/shard-merge.slow.test.ts: run the CLI unsharded
 * and as shards 1/N..N/N, merge the shards, and read back what the comparison needs.
 */
import { bm, ROOT, type Exit } from './_spawn.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export { bm, ROOT, type Exit } from './_spawn.ts';

/** What must be equal between the unsharded run and the merge: per test, per requirement, per expectation. */
export interface Outcome {
  code: number | null;
  tests: [string, string, string | undefined][];
  requirements: unknown[];
  expectations: unknown[];
  ok: boolean;
  files: string[];
}

export function outcome(dir: string, code: number | null): Outcome {
  const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
    tests: { name: string; verdict: string; evidence?: string }[];
    requirements: unknown[];
    expectations: { entry: unknown; problem: string }[];
    summary: { ok: boolean };
  };
  return {
    code,
    tests: r.tests.map((t) => [t.name, t.verdict, t.evidence]),
    requirements: r.requirements,
    expectations: r.expectations,
    ok: r.summary.ok,
    files: ['report.json', 'junit.xml', 'report.md', 'report.html', 'badge.svg'].filter((f) => readFileSync(join(dir, f)).length > 0),
  };
}

/** Runs `args` unsharded into `<dir>/full`, as shards into `<dir>/shard-i`, and merges them into `<dir>/merged`. */
export async function shardAndMerge(dir: string, args: readonly string[], count: number) {
  const full = await bm([...args, '--out', join(dir, 'full')]);
  const shards: Exit[] = [];
  for (let i = 1; i <= count; i++) shards.push(await bm([...args, '--shard', `${i}/${count}`, '--out', join(dir, `shard-${i}`)]));
  const dirs = shards.map((_, i) => join(dir, `shard-${i + 1}`));
  const merge = await bm(['merge', ...dirs, '--out', join(dir, 'merged')]);
  return { full, shards, merge, dirs, unsharded: outcome(join(dir, 'full'), full.code), merged: outcome(join(dir, 'merged'), merge.code) };
}
