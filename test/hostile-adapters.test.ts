/**
 * No unchecked pass (issue "Verdict integrity", item 2): the library and client profiles run,
 * through the real harness and a command target, against adapters that implement nothing
 * (test/hostile/adapters/):
 * - ok-empty answers every op `{"ok": true, "result": {}}` → no test may pass;
 * - echo-valid echoes its arguments plus `valid: true` and says `deterministic: false` → no test
 *   may pass (the results break their schemas);
 * - echo-valid --fit shapes the same lie to every result schema, so only the judge's semantic
 *   checks stand in its way → it may pass only cases whose right answer can be read off the
 *   inputs without doing the work (a first proof-of-work counter of 0, a 0-bit proof), and none
 *   of the cases that gave the plain echo BM-HDR-003, BM-SIG-014, BM-POW-006, BM-SEC-006 or
 *   BM-MNEM-011 before the judge checked answers.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '../harness/run/index.ts';
import { parseRunArgs } from '../harness/run/options.ts';
import { casesOf, readManifest, readVectorFile, type VectorCase } from '../vectors/index.ts';

const ADAPTERS = join(import.meta.dirname, 'hostile', 'adapters');

async function run(adapter: string): Promise<{ exitCode: number; tests: { name: string; verdict: string; requirements?: string[] }[] }> {
  const out = mkdtempSync(join(tmpdir(), 'bm-hostile-'));
  return runConformance(parseRunArgs(['--profile', 'library,client', '--target', `command:node ${join(ADAPTERS, adapter)}`, '--out', out]));
}

const CASES = new Map<string, VectorCase>();
for (const e of readManifest().files) for (const c of casesOf(readVectorFile(e.path).json)) CASES.set(c.caseId, c);

/** Requirements the plain echo adapter was reported to meet before answers were checked. */
const ONCE_MET_BY_A_STUB = ['BM-HDR-003', 'BM-SIG-014', 'BM-POW-006', 'BM-SEC-006', 'BM-MNEM-011'];

/** A case whose right answer needs no work: the lie of a constant answer is right by construction. */
function answerNeedsNoWork(c: VectorCase): boolean {
  if (c.op === 'pow.solve') return c.expected?.proof === 0;
  if (c.op === 'pow.verify') return c.inputs.bits === 0;
  return false;
}

describe('library and client profiles against hostile adapters', () => {
  it('gives no pass to an adapter that answers every op ok with {}', async () => {
    const res = await run('ok-empty.mjs');
    expect(res.tests.length).toBeGreaterThan(1000);
    expect(res.tests.filter((t) => t.verdict === 'pass').map((t) => t.name)).toEqual([]);
    expect(res.exitCode).not.toBe(0);
  }, 180_000);

  it('gives no pass to an adapter that echoes its arguments plus valid: true (deterministic: false)', async () => {
    const res = await run('echo-valid.mjs');
    expect(res.tests.length).toBeGreaterThan(1000);
    expect(res.tests.filter((t) => t.verdict === 'pass').map((t) => t.name)).toEqual([]);
    expect(res.exitCode).not.toBe(0);
  }, 180_000);

  it('passes a schema-shaped echo only where the right answer needs no work, and never a client test', async () => {
    const res = await run('echo-valid.mjs --fit');
    const passed = res.tests.filter((t) => t.verdict === 'pass');
    const unearned = passed.filter((t) => {
      const id = /([a-z0-9_]+#\d+)$/.exec(t.name)?.[1];
      const c = id ? CASES.get(id) : undefined;
      return c === undefined || !answerNeedsNoWork(c);
    });
    expect(unearned.map((t) => t.name)).toEqual([]);
    expect(passed.filter((t) => (t.requirements ?? []).some((r) => ONCE_MET_BY_A_STUB.includes(r))).map((t) => t.name)).toEqual([]);
    // Without the twin and round-trip checks this liar passes well over a hundred cases.
    expect(passed.length).toBeLessThan(10);
    expect(res.exitCode).not.toBe(0);
  }, 180_000);
});
