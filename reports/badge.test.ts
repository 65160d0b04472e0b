import { describe, expect, it } from 'vitest';
import { FIXTURE_META, fixtureResult } from './fixture.ts';
import { findAll, parseXml } from './_wellformed.ts';
import { badgeStatus, reportBadge } from './badge.ts';
import { buildRunResult, testName, type TestResult } from './model.ts';

function run(verdicts: TestResult['verdict'][], untested = 0, evidence: TestResult['evidence'] | null = 'negative-vector') {
  const tests = verdicts.map((verdict, i): TestResult => {
    const id = `BM-A-${String(i + 1).padStart(3, '0')}`;
    return { name: testName('library', 'a', [id], 'c'), profile: 'library', area: 'a', caseId: 'c', requirementIds: [id], verdict, durationMs: 1, ...(evidence ? { evidence } : {}) };
  });
  const registry = [...tests.map((t) => ({ id: t.requirementIds[0]!, level: 'MUST' as const })), ...Array.from({ length: untested }, (_, i) => ({ id: `BM-B-${String(i + 1).padStart(3, '0')}`, level: 'MUST' as const }))];
  return buildRunResult({ meta: FIXTURE_META, tests, registry });
}

describe('badge.svg', () => {
  it('the badge reads "bitmaelum conformance | <passed>/<total> MUST" and is well-formed SVG', () => {
    const svg = reportBadge(fixtureResult());
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs['aria-label']).toBe('bitmaelum conformance: 1/6 MUST; tests: 2 pass, 3 fail, 1 error, 1 xfail, 1 unsupported, 0 out of scope');
    expect(findAll(root, 'text').map((t) => t.text)).toEqual(['bitmaelum conformance', 'bitmaelum conformance', '1/6 MUST', '1/6 MUST']);
  });

  it('the badge is green only when every MUST requirement passed, red on a failure, yellow on gaps', () => {
    expect(badgeStatus(run(['pass', 'pass']))).toMatchObject({ message: '2/2 MUST', color: '#4c1' });
    expect(badgeStatus(run(['pass', 'fail'])).color).toBe('#e05d44');
    expect(badgeStatus(run(['pass', 'error'])).color).toBe('#e05d44');
    expect(badgeStatus(run(['pass', 'xfail'])).color).toBe('#dfb317');
    expect(badgeStatus(run(['pass'], 3))).toMatchObject({ message: '1/4 MUST', color: '#dfb317' });
  });

  it('the badge does not count a weak requirement (passing tests without evidence) as passed', () => {
    expect(badgeStatus(run(['pass', 'pass'], 0, null))).toMatchObject({ message: '0/2 MUST', color: '#dfb317' });
  });

  it('the badge leaves requirements only out-of-scope tests check out of its denominator, names them, and counts every verdict in its title', () => {
    const b = badgeStatus(run(['pass', 'out-of-scope', 'out-of-scope']));
    expect(b.message).toBe('1/1 MUST (2 out of scope)');
    expect(b.detail).toBe('1 pass, 0 fail, 0 error, 0 xfail, 0 unsupported, 2 out of scope');
    // All out of scope is never green: the run has nothing in scope.
    expect(badgeStatus(run(['out-of-scope'])).color).toBe('#e05d44');
  });

  it('the badge is wider for a longer message', () => {
    const w = (svg: string) => Number(parseXml(svg).attrs.width);
    expect(w(reportBadge(run(Array(120).fill('pass'))))).toBeGreaterThan(w(reportBadge(run(['pass']))));
  });
});
