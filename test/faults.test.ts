/**
 * The fault-switch proof (issue 5, "What must hold"): every fault switch of the reference mail
 * server (harness/reference/mailserver/options.ts `Faults`) and of the reference key resolver
 * (harness/reference/resolver/server.ts `ResolverFaults`) makes exactly the conformance tests of
 * its fault class fail — each of them, and nothing else — so a passing suite really means the
 * checks are there.
 *
 * How: `runConformance` (harness/run/index.ts) against the builtin target, which starts the
 * reference with the switches named in `BM_REFERENCE_FAULTS` (harness/targets/builtin.ts).
 * 1. A clean run of the server, security, resolver and interop profiles: everything passes. It is
 *    the baseline: the tests each switch must break pass on a conforming reference.
 * 2. Per switch, one run with only that switch on, over the profiles and areas its tests live in
 *    (`--only` on the full test names, e.g. `/^(server|security) › (JWT) › /`), so the run stays
 *    short while every neighbouring test of the same areas is still checked:
 *    - the tests that fail (fail, error or xpass) are exactly the declared ones;
 *    - the run has exactly the baseline's tests of that scope (none lost to a crash or a skip).
 *
 * The declared sets are data, reviewed once, in suites/requirements/faults.ts: full, stable test
 * names (`profile › area › requirement ids › case id`, reports/model.ts). A renamed test makes this
 * file fail with the name it could not find. The report cites the same data as the evidence that
 * those tests can fail (suites/requirements/failproof.ts).
 *
 * Slow by nature (one run of the suites per switch, 37 in all; about 5 minutes, 1.5 of them for
 * skipRemoteProofOfWork, whose interop tests wait for mail that never arrives): the whole file is
 * one describe with generous timeouts; `npx vitest run test/faults.test.ts` runs it alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runConformance } from '../harness/run/index.ts';
import { parseRunArgs } from '../harness/run/options.ts';
import { NO_FAULTS } from '../harness/reference/mailserver/options.ts';
import { NO_RESOLVER_FAULTS } from '../harness/reference/resolver/server.ts';
import type { TestResult } from '../reports/model.ts';
import { FAULT_PROOFS as CASES } from '../suites/requirements/faults.ts';

const BASELINE_PROFILES = 'server,security,resolver,interop';
const FAILING = new Set(['fail', 'error', 'xpass']);
const RUN_TIMEOUT = 600_000;

const outDir = mkdtempSync(join(tmpdir(), 'bm-faults-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The profiles and areas of a set of test names, as an `--only` pattern over full names. */
function scopeOf(names: readonly string[]): { profiles: string; only: string } {
  const profiles = [...new Set(names.map((n) => n.split(' › ')[0]!))].sort();
  const areas = [...new Set(names.map((n) => n.split(' › ')[1]!))].sort();
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { profiles: profiles.join(','), only: `/^(${profiles.map(esc).join('|')}) › (${areas.map(esc).join('|')}) › /` };
}

/** One run of the suites against the builtin reference with `faults` on, its console output silenced. */
async function run(label: string, faults: Record<string, Record<string, boolean>>, profiles: string, only?: string): Promise<TestResult[]> {
  const saved = { faults: process.env.BM_REFERENCE_FAULTS, out: process.stdout.write, err: process.stderr.write };
  process.env.BM_REFERENCE_FAULTS = JSON.stringify(faults);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const args = ['--profile', profiles, '--out', join(outDir, label)];
    if (only) args.push('--only', only);
    const outcome = await runConformance(parseRunArgs(args));
    return outcome.tests.filter((t) => t.verdict !== 'unsupported' || !/skipped/.test(String(t.message ?? '')));
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    if (saved.faults === undefined) delete process.env.BM_REFERENCE_FAULTS;
    else process.env.BM_REFERENCE_FAULTS = saved.faults;
  }
}

const failing = (tests: readonly TestResult[]) => tests.filter((t) => FAILING.has(t.verdict)).map((t) => t.name).sort();

// The baseline is awaited by each test (not built in beforeAll: a failing beforeAll makes vitest
// skip the tests instead of failing them).
let baselineRun: Promise<TestResult[]> | undefined;
let baseline: TestResult[] = [];
beforeEach(async () => {
  baseline = await (baselineRun ??= run('clean', {}, BASELINE_PROFILES));
}, RUN_TIMEOUT);

describe('fault switches of the reference', () => {
  it('has a declared case for every switch of the mail server and of the resolver', () => {
    expect(CASES.filter((c) => c.section === 'mail').map((c) => c.name).sort()).toEqual(Object.keys(NO_FAULTS).sort());
    expect(CASES.filter((c) => c.section === 'resolver').map((c) => c.name).sort()).toEqual(Object.keys(NO_RESOLVER_FAULTS).sort());
  });

  it('passes every test of the server, security, resolver and interop profiles with no switch on (the baseline)', () => {
    expect(baseline.length).toBeGreaterThan(100);
    expect(failing(baseline)).toEqual([]);
    const names = new Set(baseline.map((t) => t.name));
    const missing = CASES.flatMap((c) => c.fails).filter((n) => !names.has(n));
    expect(missing, 'declared tests that the baseline did not run (renamed?)').toEqual([]);
  });

  it.each(CASES.map((c) => [`${c.section}.${c.name}`, c] as const))('%s makes exactly its declared tests fail', async (label, c) => {
    const scope = scopeOf(c.fails);
    const tests = await run(label, { [c.section]: { [c.name]: true } }, scope.profiles, scope.only);
    const re = new RegExp(scope.only.slice(1, -1));
    const expectedRun = baseline.map((t) => t.name).filter((n) => re.test(n)).sort();
    expect(tests.map((t) => t.name).sort(), `${label}: the run must have exactly the baseline's tests of its scope ${scope.only}`).toEqual(expectedRun);
    expect(failing(tests), `${label}: failing tests`).toEqual([...c.fails].sort());
  }, RUN_TIMEOUT);
});
