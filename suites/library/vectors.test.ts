/**
 * Profile `library`: every published vector through the target adapter (DESIGN.md profile
 * "library"; issue "The library suite").
 *
 * (The files themselves — schema, manifest hash, artefact schemas — are checked by
 * vectors/vectors.test.ts in `npm test`: that is about our data, not the target.) Each case is
 * one test named `<requirement ids> <file>#<tcId> <comment>`, so reports, `--only` and
 * expectations files can match it. The verdict on each case is the judge's (harness/judge, the
 * same one `replay` and the vector generator use): valid / invalid / acceptable, error classes,
 * `Internal` never a pass, every result checked against its op's schema, and randomised outputs
 * round-tripped through the reference (compared byte for byte too when the adapter's hello says
 * `deterministic: true`), and a positive predicate answer only counting when the adapter also
 * refuses a near twin the reference refuses. `unsupported` is never a pass: the test fails and is marked so the
 * report says "unsupported".
 */
import { afterAll, describe, expect, it } from 'vitest';
import { expectedAnswer, judgeCase, referenceCounterparty } from '../../harness/judge/index.ts';
import { suiteAdapter } from '../_support/adapter.ts';
import { casesOf, readManifest, readVectorFile, type VectorCase } from '../_support/vectors.ts';

const adapter = await suiteAdapter();
const reference = referenceCounterparty();
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
  meta.expected = expectedAnswer(c);
  const v = await judgeCase(c, r, { deterministic: adapter.info.deterministic, reference, subject: adapter });
  if (v.verdict === 'unsupported') {
    meta.unsupported = true;
    expect.fail(v.reason);
  }
  if (v.verdict === 'fail') expect.fail(`${c.caseId} [${c.result}]: ${v.reason}`);
}
