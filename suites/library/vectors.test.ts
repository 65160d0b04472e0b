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
 * refuses a near twin the reference refuses. `unsupported` is never a pass: the test fails and is
 * marked so the report says "unsupported"; a case whose op the adapter's hello does not list is
 * out of scope (DESIGN.md contract 8), never sent and never a pass. A failure carries only the
 * fields that differ, each side, and the request and answer lines as its trace.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { differingFields, judgeCase, referenceCounterparty } from '../../harness/judge/index.ts';
import { encodeLine } from '../../harness/adapter/index.ts';
import { fail, outOfScope } from '../_support/must.ts';
import { show } from '../_support/match.ts';
import { suiteAdapter } from '../_support/adapter.ts';
import { casesOf, readManifest, readVectorFile, type VectorCase } from '../../vectors/index.ts';

const adapter = await suiteAdapter();
const reference = referenceCounterparty();
afterAll(() => adapter.close());

const manifest = readManifest();

for (const entry of manifest.files) {
  const { json } = readVectorFile(entry.path);
  const cases = casesOf(json);
  describe(`library › ${entry.area} › ${json.name}`, () => {
    for (const c of cases) {
      const meta = { caseId: c.caseId, requirements: c.requirements, area: entry.area, vectorFile: `vectors/${entry.path}`, tcId: c.tcId, vectorResult: c.result, scope: `op ${c.op}` };
      it(`${c.requirements.join(' ')} ${c.caseId} ${c.comment}`, { meta }, async ({ task }) => {
        await runCase(c, task.meta as Record<string, unknown>);
      });
    }
  });
}

async function runCase(c: VectorCase, meta: Record<string, unknown>): Promise<void> {
  // Outside the declared scope: the op is never sent, and the test is never a pass.
  if (!adapter.info.ops.includes(c.op)) outOfScope(`op ${c.op}`, `the adapter's hello does not list op ${c.op}`);
  const r = await adapter.request(c.op, c.inputs, { seed: c.seed, now: c.now });
  const v = await judgeCase(c, r, { deterministic: adapter.info.deterministic, reference, subject: adapter });
  if (v.verdict === 'unsupported') {
    // The op is listed, yet this input is refused as unsupported: a finding inside the scope.
    meta.unsupported = true;
    expect.fail(v.reason);
  }
  if (v.verdict === 'fail') {
    // Like with like: the expected fields against the same fields of the answer, only those that differ.
    const d = differingFields(v.expected, v.actual);
    meta.trace = [`input ${show(c.inputs, Number.MAX_SAFE_INTEGER)}`, `> ${encodeLine({ op: c.op, args: c.inputs, ...(c.seed !== undefined ? { seed: c.seed } : {}), ...(c.now !== undefined ? { now: c.now } : {}) })}`, `< ${encodeLine(r)}`];
    fail(`${c.caseId} [${c.result}]: ${v.reason}`, d.expected, d.actual);
  }
}
