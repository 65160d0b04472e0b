/**
 * Profile `library`: the bulk accumulated vectors of vectors/manifest.json (`accumulated`), each a
 * deterministic sweep committed as one SHA-256 over all its outputs (STYLE.md "Bulk deterministic
 * coverage"; C2SP/CCTV "Accumulated vectors").
 *
 * Each set is recomputed through the target adapter (not the library), so an implementation is
 * checked on every one of the outputs, and a mismatch is reported as one failing test whose name
 * carries the set's name and requirement ids. `pow_first_proofs` is 1024 `pow.solve` requests,
 * sent 16 at a time so an adapter process stays busy; against the in-process reference it takes
 * well under a second on an idle machine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { suiteAdapter } from '../_support/adapter.ts';
import { outOfScope } from '../_support/must.ts';
import { manifestText, POW_SWEEP, powSweepHash } from '../../vectors/index.ts';

const adapter = await suiteAdapter();
afterAll(() => adapter.close());

interface Accumulated {
  name: string;
  count: number;
  sha256: string;
  description: string;
}
/** The adapter answered `unsupported` during a sweep: the set is unsupported, not failed. */
class Unsupported extends Error {}

const manifest = JSON.parse(manifestText()) as { accumulated: Accumulated[] };

/** How each accumulated set is recomputed through the adapter, and what it checks. */
const RECIPES: Record<string, { op: string; requirements: string[]; count: number; run(): Promise<string> }> = {
  [POW_SWEEP.name]: {
    op: 'pow.solve',
    requirements: ['BM-POW-001', 'BM-POW-004'],
    count: POW_SWEEP.count,
    run: () =>
      powSweepHash(async (bits, data) => {
        const r = await adapter.request('pow.solve', { bits, data });
        if ('ok' in r && r.ok) return r.result.proof as number | bigint;
        if ('unsupported' in r) throw new Unsupported(`pow.solve: ${r.reason}`);
        throw new Error(`pow.solve(${bits}, ${data}) did not succeed: ${JSON.stringify(r)}`);
      }),
  },
};

// Every accumulated set of the manifest has a recipe here, and every recipe a set. This checks
// our own data, not the target, so it is not a test of the run (a test that passes against any
// adapter would count as a pass against a broken one): a mismatch stops the file from loading,
// which fails `npm test` and is an `error` in a run.
{
  const sets = manifest.accumulated.map((a) => a.name).sort().join(', ');
  const recipes = Object.keys(RECIPES).sort().join(', ');
  if (sets !== recipes) throw new Error(`suites/library/accumulated.test.ts: the manifest's accumulated sets (${sets}) and the recipes here (${recipes}) differ`);
}

describe('library › accumulated', () => {
  for (const a of manifest.accumulated) {
    const recipe = RECIPES[a.name];
    if (!recipe) continue;
    // One test per set: the whole sweep must hash to the committed value.
    it(
      `${recipe.requirements.join(' ')} accumulated#${a.name} ${a.count} outputs of ${recipe.op} hash to the manifest SHA-256`,
      { meta: { caseId: `accumulated#${a.name}`, requirements: recipe.requirements, area: 'ACCUMULATED', scope: `op ${recipe.op}` }, timeout: 120_000 },
      async ({ task }) => {
        if (!adapter.info.ops.includes(recipe.op)) outOfScope(`op ${recipe.op}`, `the adapter's hello does not list op ${recipe.op}`);
        expect(a.count).toBe(recipe.count);
        const got = await recipe.run().catch((e: unknown) => {
          if (e instanceof Unsupported) (task.meta as Record<string, unknown>).unsupported = true;
          throw e;
        });
        expect(got, `${a.name}: ${a.description}`).toBe(a.sha256);
      },
    );
  }
});
