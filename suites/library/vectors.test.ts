/**
 * Profile `library`: every published vector through the target adapter (DESIGN.md profile
 * "library"; issue "The library suite").
 *
 * (The files themselves — schema, manifest hash, artefact schemas — are checked by
 * vectors/vectors.test.ts in `npm test`: that is about our data, not the target.) Each case is
 * one test named `<requirement ids> <file>#<tcId> <comment>`, so reports, `--only` and
 * expectations files can match it. A case passes when the adapter's answer agrees with the
 * vector's verdict:
 * - valid: `ok` with every field of `expected` equal;
 * - invalid: an error of `errorClass` (or an also-allowed class), or `expected` (`{"valid":false}`);
 * - acceptable: any answer except a crash (`Internal`), the Go answer being one of them.
 * `unsupported` is never a pass: the test fails and is marked so the report says "unsupported".
 * An adapter whose hello says `deterministic: false` cannot reproduce seeded bytes, so for the
 * randomised ops its outputs are checked by a round trip through the reference instead.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { judge, matchesExpected } from '../../vectors/gen/_framework.ts';
import { builtinAdapter, suiteAdapter } from '../_support/adapter.ts';
import { casesOf, readManifest, readVectorFile, type VectorCase } from '../_support/vectors.ts';
import { roundTrip, ROUND_TRIP_OPS } from './_roundtrip.ts';
import type { AdapterResponse } from '../../harness/adapter/wire.ts';

const adapter = await suiteAdapter();
const reference = builtinAdapter();
afterAll(() => adapter.close());

const manifest = readManifest();

for (const entry of manifest.files) {
  const { json } = readVectorFile(entry.path);
  const cases = casesOf(json);
  describe(`library › ${entry.area} › ${json.name}`, () => {
    for (const c of cases) {
      const meta = { caseId: c.caseId, requirements: c.requirements, area: entry.area, vectorFile: `vectors/${entry.path}`, tcId: c.tcId, vectorResult: c.result };
      it(`${c.requirements.join(' ')} ${c.caseId} ${c.comment}`, { meta }, async ({ task }) => {
        await runCase(c, task.meta as Record<string, unknown>);
      });
    }
  });
}

async function runCase(c: VectorCase, meta: Record<string, unknown>): Promise<void> {
  if (!adapter.info.ops.includes(c.op)) {
    meta.unsupported = true;
    expect.fail(`unsupported: the adapter's hello does not list op ${c.op}`);
  }
  const r = await adapter.request(c.op, c.inputs, { seed: c.seed, now: c.now });
  meta.actual = r;
  meta.expected = c.result === 'invalid' && c.expected === undefined ? { error: c.errorClass } : c.expected;
  if ('unsupported' in r) {
    meta.unsupported = true;
    expect.fail(`unsupported: ${r.reason}`);
  }
  if (c.result === 'acceptable') {
    // Refusing is acceptable; crashing is not; accepting must give Go's answer (the vector's
    // `expected`), since an accepted input still has one right result.
    if (!r.ok) {
      expect(r.error.class, `acceptable case crashed the adapter: ${r.error.message}`).not.toBe('Internal');
      return;
    }
    const randomised = ROUND_TRIP_OPS.has(c.op) && !adapter.info.deterministic;
    if (c.expected !== undefined && !randomised && !matchesExpected(c.expected, r.result))
      expect(r.result, `${c.caseId}: accepted, but the answer differs from Go's`).toEqual(c.expected);
    return;
  }
  if (!adapter.info.deterministic && c.result === 'valid' && ROUND_TRIP_OPS.has(c.op) && 'ok' in r && r.ok) {
    await roundTrip(reference, c, r.result);
    return;
  }
  const why = judge(c, r as AdapterResponse);
  if (why !== undefined) {
    // Show a diff of what the vector expects against what came back.
    expect({ verdict: c.result, actual: 'ok' in r && r.ok ? r.result : r }, `${c.caseId}: ${why}`).toEqual({ verdict: c.result, actual: c.expected ?? { error: c.errorClass } });
  }
}
