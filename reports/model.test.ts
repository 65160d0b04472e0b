import { describe, expect, it } from 'vitest';
import { FIXTURE_META, fixtureResult } from './fixture.ts';
import { buildRunResult, emptyCounts, normaliseRegistry, requirementLine, requirementVerdict, scopeHeadline, testName, verdictLine, type TestResult } from './model.ts';
import { strictScope } from '../harness/run/index.ts';

describe('report model', () => {
  it('a stable test name is "profile › area › REQ-ID › case", several ids joined by +', () => {
    expect(testName('library', 'header', ['BM-HDR-004'], 'tc12')).toBe('library › header › BM-HDR-004 › tc12');
    expect(testName('server', 'box', ['BM-SRV-001', 'BM-SRV-002'], 'x')).toBe('server › box › BM-SRV-001+BM-SRV-002 › x');
    expect(testName('server', 'box', [], 'x')).toBe('server › box › - › x');
  });

  it('a requirement fails if any test fails, even when others pass', () => {
    expect(requirementVerdict({ ...emptyCounts(), pass: 3, fail: 1 }, 3)).toBe('fail');
    expect(requirementVerdict({ ...emptyCounts(), pass: 3, xpass: 1 }, 3)).toBe('fail');
    expect(requirementVerdict({ ...emptyCounts(), pass: 3, error: 1 }, 3)).toBe('error');
    expect(requirementVerdict({ ...emptyCounts(), pass: 3, xfail: 1 }, 3)).toBe('xfail');
    expect(requirementVerdict({ ...emptyCounts(), pass: 1, unsupported: 4 }, 1)).toBe('pass');
    expect(requirementVerdict({ ...emptyCounts(), unsupported: 4 }, 0)).toBe('unsupported');
    expect(requirementVerdict(emptyCounts(), 0)).toBe('untested');
  });

  it('a requirement whose passing tests carry no evidence that could fail is weak, not passed', () => {
    expect(requirementVerdict({ ...emptyCounts(), pass: 5 }, 0)).toBe('weak');
    const one = (caseId: string, evidence?: TestResult['evidence']): TestResult => ({
      name: testName('library', 'a', ['BM-A-001'], caseId), profile: 'library', area: 'a', caseId, requirementIds: ['BM-A-001'], verdict: 'pass', durationMs: 1, ...(evidence ? { evidence } : {}),
    });
    const registry = [{ id: 'BM-A-001', level: 'MUST' as const }];
    const weak = buildRunResult({ meta: FIXTURE_META, tests: [one('v1'), one('v2')], registry });
    expect(weak.requirements[0]).toMatchObject({ verdict: 'weak', evidenced: 0 });
    expect(weak.summary.requirements.MUST).toMatchObject({ passed: 0, weak: 1 });
    expect(weak.summary.ok).toBe(true);
    const met = buildRunResult({ meta: FIXTURE_META, tests: [one('v1'), one('v2', 'negative-vector')], registry });
    expect(met.requirements[0]).toMatchObject({ verdict: 'pass', evidenced: 1 });
    expect(met.summary.requirements.MUST).toMatchObject({ passed: 1, weak: 0 });
    // Evidence of a test that did not pass counts for nothing.
    const failed = buildRunResult({ meta: FIXTURE_META, tests: [one('v1'), { ...one('v2', 'negative-vector'), verdict: 'xfail' }], registry });
    expect(failed.requirements[0]).toMatchObject({ verdict: 'xfail', evidenced: 0 });
  });

  it('the summary counts every verdict kind and per-level requirement verdicts of the fixture', () => {
    const r = fixtureResult();
    expect(r.summary.tests).toBe(8);
    expect(r.summary.verdicts).toEqual({ pass: 2, fail: 2, error: 1, unsupported: 1, xfail: 1, xpass: 1, 'out-of-scope': 0 });
    expect(r.summary.requirements.MUST).toEqual({ total: 6, passed: 1, failed: 2, errored: 1, unsupported: 0, xfailed: 1, outOfScope: 0, untested: 1, weak: 0 });
    expect(r.summary.requirements.SHOULD).toEqual({ total: 1, passed: 0, failed: 1, errored: 0, unsupported: 0, xfailed: 0, outOfScope: 0, untested: 0, weak: 0 });
    expect(r.summary.requirements.MAY).toEqual({ total: 1, passed: 0, failed: 0, errored: 0, unsupported: 1, xfailed: 0, outOfScope: 0, untested: 0, weak: 0 });
    expect(r.summary.ok).toBe(false);
    expect(r.untested).toEqual([{ id: 'BM-KEY-009', level: 'MUST', reason: 'not selected in this run' }]);
    expect(r.requirements.find((q) => q.id === 'BM-HDR-001')!.tests).toHaveLength(2);
    expect(r.tests.map((t) => t.name)).toEqual([...r.tests.map((t) => t.name)].sort());
  });

  it('a run with an unsupported result is not ok: exit 0 needs every result a pass or an expected failure', () => {
    const tests: TestResult[] = (['pass', 'unsupported', 'xfail'] as const).map((verdict, i) => ({
      name: testName('library', 'a', ['BM-A-001'], `c${i}`), profile: 'library', area: 'a', caseId: `c${i}`, requirementIds: ['BM-A-001'], verdict, durationMs: 1,
    }));
    expect(buildRunResult({ meta: FIXTURE_META, tests, registry: [] }).summary.ok).toBe(false);
  });

  it('a run with only pass and xfail is ok; an expired or unmatched expectation makes it not ok', () => {
    const tests: TestResult[] = (['pass', 'xfail'] as const).map((verdict, i) => ({
      name: testName('library', 'a', ['BM-A-001'], `c${i}`), profile: 'library', area: 'a', caseId: `c${i}`, requirementIds: ['BM-A-001'], verdict, durationMs: 1,
    }));
    expect(buildRunResult({ meta: FIXTURE_META, tests, registry: [] }).summary.ok).toBe(true);
    const expired = [{ index: 0, entry: { requirement: 'BM-A-001', reason: 'gone by now', expires: '2020-01-01' }, problem: 'expired' as const }];
    expect(buildRunResult({ meta: FIXTURE_META, tests, registry: [], expectationProblems: expired }).summary.ok).toBe(false);
    const unmatched = [{ ...expired[0]!, problem: 'unmatched' as const }];
    expect(buildRunResult({ meta: FIXTURE_META, tests, registry: [], expectationProblems: unmatched }).summary.ok, 'an entry that matched nothing although its tests ran').toBe(false);
    const notRun = [{ ...expired[0]!, problem: 'not-run' as const }];
    expect(buildRunResult({ meta: FIXTURE_META, tests, registry: [], expectationProblems: notRun }).summary.ok, 'an entry about tests this run did not include').toBe(true);
  });

  // DESIGN.md contract 7: a run that executes nothing is not green.
  it('a run with no test at all is not ok', () => {
    expect(buildRunResult({ meta: FIXTURE_META, tests: [], registry: [] }).summary.ok).toBe(false);
  });

  it('a requirement id unknown to the registry is counted as MUST and warned about', () => {
    const tests: TestResult[] = [{ name: 'n', profile: 'library', area: 'a', caseId: 'c', requirementIds: ['BM-ZZZ-001'], verdict: 'pass', durationMs: 1, evidence: 'negative-vector' }];
    const r = buildRunResult({ meta: FIXTURE_META, tests, registry: [{ id: 'BM-A-001', level: 'SHOULD' }] });
    expect(r.requirements.map((q) => [q.id, q.level, q.verdict])).toEqual([['BM-A-001', 'SHOULD', 'untested'], ['BM-ZZZ-001', 'MUST', 'pass']]);
    expect(r.warnings.map((w) => w.kind)).toEqual(['unknown-requirement']);
  });

  it('two results with the same name produce a duplicate-test warning', () => {
    const one: TestResult = { name: 'n', profile: 'library', area: 'a', caseId: 'c', requirementIds: [], verdict: 'pass', durationMs: 1 };
    const r = buildRunResult({ meta: FIXTURE_META, tests: [one, { ...one }], registry: [] });
    expect(r.warnings.map((w) => w.kind)).toEqual(['duplicate-test']);
  });

  it('an untested registry requirement carries the registry coverage reason', () => {
    const r = buildRunResult({ meta: FIXTURE_META, tests: [], registry: normaliseRegistry([{ id: 'BM-A-001', level: 'MAY', coverage: { status: 'planned', kinds: ['vector'] } }]) });
    expect(r.untested).toEqual([{ id: 'BM-A-001', level: 'MAY', reason: 'planned (vector)' }]);
  });

  it('the registry is read as an array or {requirements: [...]}, with source objects flattened', () => {
    const entries = [
      { id: 'BM-HDR-001', level: 'MUST', text: 't', source: { spec: ['formats.md §4.2'], go: ['internal/message/header.go:49'] }, go_conforms: true, coverage: { status: 'uncovered', reason: 'needs a live DNS' } },
    ];
    expect(normaliseRegistry({ requirements: entries })).toEqual([
      { id: 'BM-HDR-001', level: 'MUST', text: 't', source: 'formats.md §4.2; go: internal/message/header.go:49', goConforms: true, coverageNote: 'uncovered: needs a live DNS' },
    ]);
    expect(normaliseRegistry(entries)).toHaveLength(1);
    expect(() => normaliseRegistry({})).toThrow(TypeError);
    expect(() => normaliseRegistry([{ id: 'x', level: 'must' }])).toThrow(/level/);
  });
});

describe('report model: declared scope', () => {
  const t = (caseId: string, verdict: TestResult['verdict'], req: string, scope: string): TestResult => ({
    name: testName('library', 'a', [req], caseId), profile: 'library', area: 'a', caseId, requirementIds: [req], verdict, durationMs: 1, scope, evidence: 'negative-vector',
  });
  const registry = [{ id: 'BM-A-001', level: 'MUST' as const }, { id: 'BM-A-002', level: 'MUST' as const }, { id: 'BM-A-003', level: 'MUST' as const }];

  it('out of scope is never a pass or a met requirement, does not fail the run, and the headline adds it up', () => {
    const r = buildRunResult({ meta: FIXTURE_META, registry, tests: [t('c1', 'pass', 'BM-A-001', 'op hash.string'), t('c2', 'pass', 'BM-A-001', 'op hash.string'), t('c3', 'out-of-scope', 'BM-A-002', 'op key.parse'), t('c4', 'out-of-scope', 'BM-A-002', 'op sign')] });
    expect(r.summary.ok).toBe(true);
    expect(r.requirements.find((q) => q.id === 'BM-A-002')!.verdict).toBe('out-of-scope');
    expect(r.summary.requirements.MUST).toMatchObject({ total: 3, passed: 1, outOfScope: 1, untested: 1 });
    expect(scopeHeadline(r)).toBe('1 op in scope, all 2 cases pass; 2 ops out of scope');
    expect(verdictLine(r.summary.verdicts)).toBe('2 pass, 0 fail, 0 error, 0 xfail, 0 unsupported, 2 out of scope');
    expect(requirementLine('MUST', r.summary.requirements.MUST)).toBe('MUST: 1 of 1 in scope met; 1 out of scope; 1 with no test in this run');
    expect(r.scope!.units.map((u) => [u.unit, u.inScope, u.requirementsLeftUntested])).toEqual([
      ['op hash.string', true, []],
      ['op key.parse', false, ['BM-A-002']],
      ['op sign', false, ['BM-A-002']],
    ]);
  });

  it('a failure inside the scope still fails the run, and so does unsupported inside it', () => {
    const failing = buildRunResult({ meta: FIXTURE_META, registry, tests: [t('c1', 'fail', 'BM-A-001', 'op hash.string'), t('c3', 'out-of-scope', 'BM-A-002', 'op key.parse')] });
    expect(failing.summary.ok).toBe(false);
    expect(scopeHeadline(failing)).toBe('1 op in scope, 0 of 1 cases pass; 1 op out of scope');
    const unsupported = buildRunResult({ meta: FIXTURE_META, registry, tests: [t('c1', 'pass', 'BM-A-001', 'op hash.string'), t('c2', 'unsupported', 'BM-A-001', 'op hash.string')] });
    expect(unsupported.summary.ok).toBe(false);
  });

  it('a run with nothing inside its declared scope is not green (a stub that declares no op earns nothing)', () => {
    const r = buildRunResult({ meta: FIXTURE_META, registry, tests: [t('c3', 'out-of-scope', 'BM-A-002', 'op key.parse')] });
    expect(r.summary.ok).toBe(false);
    expect(r.summary.requirements.MUST.passed).toBe(0);
    expect(scopeHeadline(r)).toBe('0 ops in scope, nothing to run; 1 op out of scope');
  });

  it('--strict-scope counts out of scope as unsupported, which fails the run', () => {
    const tests = [t('c1', 'pass', 'BM-A-001', 'op hash.string'), t('c3', 'out-of-scope', 'BM-A-002', 'op key.parse')].map(strictScope);
    const r = buildRunResult({ meta: FIXTURE_META, registry, tests, scope: { strict: true } });
    expect(r.summary.verdicts).toMatchObject({ unsupported: 1, 'out-of-scope': 0 });
    expect(r.summary.ok).toBe(false);
    expect(r.scope!.strict).toBe(true);
  });
});
