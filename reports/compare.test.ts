/**
 * What changed between two runs (reports/compare.ts), `bm-conformance diff` (harness/run/diff.ts)
 * and report.html's baseline section. Each kind of change is shown both ways: a base that has it
 * and one that does not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureResult, HOSTILE } from './fixture.ts';
import { compareRuns, comparisonMarkdown, type Comparable } from './compare.ts';
import { reportHtml } from './html.ts';
import { reportJson } from './json.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'bm-conformance.mjs');

const base: Comparable = {
  tests: [
    { name: 'server › a › BM-SRV-001 › stays', verdict: 'pass' },
    { name: 'server › a › BM-SRV-001 › breaks', verdict: 'pass' },
    { name: 'server › a › BM-SRV-002 › heals', verdict: 'fail' },
    { name: 'server › a › BM-SRV-002 › crashes', verdict: 'fail' },
    { name: 'server › a › - › goes-away', verdict: 'pass' },
  ],
  requirements: [
    { id: 'BM-SRV-001', verdict: 'pass' },
    { id: 'BM-SRV-002', verdict: 'fail' },
    { id: 'BM-SRV-003', verdict: 'pass' },
    { id: 'BM-SRV-004', verdict: 'untested' },
  ],
};
const head: Comparable = {
  tests: [
    { name: 'server › a › BM-SRV-001 › stays', verdict: 'pass' },
    { name: 'server › a › BM-SRV-001 › breaks', verdict: 'fail' },
    { name: 'server › a › BM-SRV-002 › heals', verdict: 'pass' },
    { name: 'server › a › BM-SRV-002 › crashes', verdict: 'error' },
    { name: 'server › a › - › is-new', verdict: 'pass' },
  ],
  requirements: [
    { id: 'BM-SRV-001', verdict: 'fail' },
    { id: 'BM-SRV-002', verdict: 'error' },
    { id: 'BM-SRV-003', verdict: 'weak' },
    { id: 'BM-SRV-004', verdict: 'pass' },
  ],
};

describe('compareRuns', () => {
  const c = compareRuns(base, head);

  it('sorts each test into newly failing, newly passing, other change, added, removed', () => {
    expect(c.tests.newlyFailing).toEqual([{ name: 'server › a › BM-SRV-001 › breaks', before: 'pass', after: 'fail' }]);
    expect(c.tests.newlyPassing).toEqual([{ name: 'server › a › BM-SRV-002 › heals', before: 'fail', after: 'pass' }]);
    expect(c.tests.changed).toEqual([{ name: 'server › a › BM-SRV-002 › crashes', before: 'fail', after: 'error' }]);
    expect(c.tests.added).toEqual([{ name: 'server › a › - › is-new', after: 'pass' }]);
    expect(c.tests.removed).toEqual([{ name: 'server › a › - › goes-away', before: 'pass' }]);
  });

  it('requirements: newly failing, no longer met (pass → weak), newly passing; each is or is not a regression', () => {
    expect(c.requirements.newlyFailing.map((x) => x.name)).toEqual(['BM-SRV-001']);
    expect(c.requirements.noLongerMet).toEqual([{ name: 'BM-SRV-003', before: 'pass', after: 'weak' }]);
    expect(c.requirements.newlyPassing.map((x) => x.name)).toEqual(['BM-SRV-004']);
    expect(c.requirements.changed.map((x) => x.name)).toEqual(['BM-SRV-002']);
    // breaks (test) + BM-SRV-001 (requirement) + BM-SRV-003 (no longer met); fail → error is not new.
    expect(c.regressions).toBe(3);
  });

  it('the same run twice, or only improvements, is no regression', () => {
    expect(compareRuns(head, head).regressions).toBe(0);
    const better = compareRuns(
      { tests: [{ name: 'x', verdict: 'fail' }], requirements: [{ id: 'BM-A-001', verdict: 'fail' }] },
      { tests: [{ name: 'x', verdict: 'pass' }, { name: 'y', verdict: 'pass' }], requirements: [{ id: 'BM-A-001', verdict: 'pass' }] },
    );
    expect(better.regressions).toBe(0);
    expect(better.tests.newlyPassing).toHaveLength(1);
  });

  it('a new test that fails is a regression', () => {
    const c2 = compareRuns({ tests: [], requirements: [] }, { tests: [{ name: 'new', verdict: 'fail' }], requirements: [] });
    expect(c2.tests.newlyFailing).toEqual([{ name: 'new', after: 'fail' }]);
    expect(c2.regressions).toBe(1);
  });
});

describe('comparisonMarkdown', () => {
  it('says regression or not, counts every kind, and lists names in code spans, newly failing first', () => {
    const text = comparisonMarkdown(compareRuns(base, head));
    expect(text).toMatch(/\*\*❌ 3 regressions\*\*/);
    expect(text).toContain('| tests | 1 | 1 | 1 | 1 | 1 |');
    expect(text).toContain('| requirements | 2 | 1 | 1 | 0 | 0 |');
    expect(text).toContain('- `server › a › BM-SRV-001 › breaks` — pass → **fail**');
    expect(text.indexOf('Tests newly failing')).toBeLessThan(text.indexOf('Tests newly passing'));
    expect(comparisonMarkdown(compareRuns(head, head))).toMatch(/✅ No regression/);
  });

  it('a hostile test name stays inside its code span: no backtick, no line break', () => {
    const text = comparisonMarkdown(compareRuns({ tests: [], requirements: [] }, { tests: [{ name: `a\`b\nc${HOSTILE}`, verdict: 'fail' }], requirements: [] }));
    const line = text.split('\n').find((l) => l.startsWith('- `'))!;
    expect(line).toMatch(/^- `a'b c[^`\n]*` — fail$/);
  });
});

describe('bm-conformance diff and the baseline in report.html', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bm-diff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const headRun = fixtureResult();
  const baseRun = fixtureResult();
  // In the baseline the failing header test still passed: now it is a regression.
  const failing = baseRun.tests.find((t) => t.name === 'library › header › BM-HDR-002 › tc2')!;
  failing.verdict = 'pass';
  writeFileSync(join(dir, 'base.json'), reportJson(baseRun));
  writeFileSync(join(dir, 'head.json'), reportJson(headRun));
  const diff = (...args: string[]) => spawnSync(process.execPath, [BIN, 'diff', ...args], { encoding: 'utf8' });

  it('exits 1 on a regression, with it listed in the Markdown', () => {
    const r = diff(join(dir, 'base.json'), join(dir, 'head.json'));
    expect(r.stdout).toContain('#### Tests newly failing (1)');
    expect(r.stdout).toContain('`library › header › BM-HDR-002 › tc2` — pass → **fail**');
    expect(r.status).toBe(1);
  });

  it('exits 0 the other way round (only improvements) and for the same report twice', () => {
    expect(diff(join(dir, 'head.json'), join(dir, 'base.json')).status).toBe(0);
    expect(diff(join(dir, 'head.json'), join(dir, 'head.json')).status).toBe(0);
  });

  it('exits 2 for a missing file, a JSON file that is no report, or one argument', () => {
    writeFileSync(join(dir, 'other.json'), '{"tests": []}');
    for (const args of [[join(dir, 'nope.json'), join(dir, 'head.json')], [join(dir, 'other.json'), join(dir, 'head.json')], [join(dir, 'head.json')]]) {
      const r = diff(...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/bm-conformance diff: /);
    }
  });

  it('run --baseline with a file that is no report stops before any test (exit 2)', () => {
    writeFileSync(join(dir, 'other.json'), '{"tests": []}');
    const r = spawnSync(process.execPath, [BIN, 'run', '--baseline', join(dir, 'other.json'), '--out', join(dir, 'never')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--baseline: .*not a bm-conformance report\.json/);
  });

  it('report.html with a baseline shows the same comparison; without one it has no such section', () => {
    const withBase = reportHtml(headRun, { baseline: { label: 'base run', ...compareInput(baseRun) } });
    expect(withBase).toContain('<h2>Changes since base run</h2>');
    expect(withBase).toMatch(/<ul data-change="tests-newly-failing"><li><code>library › header › BM-HDR-002 › tc2<\/code>/);
    expect(withBase).toContain('regression');
    expect(reportHtml(headRun)).not.toContain('id="baseline"');
    const same = reportHtml(headRun, { baseline: { label: 'same', ...compareInput(headRun) } });
    expect(same).toContain('no regression');
    expect(same).not.toContain('data-change="tests-newly-failing"');
  });
});

function compareInput(r: ReturnType<typeof fixtureResult>): Comparable {
  return { tests: r.tests.map((t) => ({ name: t.name, verdict: t.verdict })), requirements: r.requirements.map((q) => ({ id: q.id, verdict: q.verdict })) };
}
