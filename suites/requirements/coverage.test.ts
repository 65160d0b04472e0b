/**
 * Requirement coverage (issue 3 "What must hold": every requirement has at least one vector or
 * test, or the registry marks it uncovered with a reason; a test fails if a new requirement is
 * neither). The first block checks the scanner on a fixture repository: which IDs count (test
 * titles, tables feeding templated titles, `requirements` metadata, vector files) and which do not
 * (comments, describe titles, skipped tests, sample-data folders). The second block checks this
 * repository: nothing missing, no stale gap entry, no unknown ID.
 * Fix a failure with `npm run requirements:coverage -- --list`, then name the requirement in a
 * test title or vector case, or give it `"coverage": {"status": "uncovered", "reason": "…"}`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  coverageMarkdown,
  coverageProblems,
  failProofProblems,
  failProofs,
  failProofSummary,
  hasFailProof,
  coverageSummary,
  coverageTable,
  requirementIdsInTestSource,
  scanCoverage,
  testKindOf,
  withCoverageBlock,
} from './coverage.ts';
import { loadRequirements, type Registry, type Requirement } from './index.ts';

const reg = loadRequirements();
const tmp = mkdtempSync(join(tmpdir(), 'bm-cov-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function put(path: string, text: string): void {
  mkdirSync(dirname(join(tmp, path)), { recursive: true });
  writeFileSync(join(tmp, path), text);
}

function fixtureRepo(): string {
  put('vectors/pow_verify_test.json', JSON.stringify({
    requirements: ['BM-POW-001'],
    testGroups: [{ tests: [{ tcId: 2, requirements: ['BM-POW-005'] }, { tcId: 1, requirements: ['BM-POW-005'] }] }],
  }));
  put('suites/server/account.test.ts', "it('BM-ACCT-007 MUST answer 400 for an existing account', () => {});\nit('BM-ZZZ-999 a typo', () => {});\n");
  put('suites/security/tokens.test.ts', "it('BM-JWT-013 MUST answer 401', () => {});\n");
  put('harness/protocol/pow.test.ts', "it('BM-POW-001 MUST …', () => {});\n");
  put('suites/requirements/x.test.ts', "it('BM-HDR-001 used as sample data only', () => {});\n");
  put('harness/targets/testdata/probe/suites/server/probe.test.ts', "it('BM-HDR-002 test data of a test', () => {});\n");
  return tmp;
}

/** A registry of the given requirements (every other field taken from the real one). */
function registryOf(entries: Pick<Requirement, 'id' | 'level' | 'coverage'>[]): Registry {
  const base = reg.requirements[0]!;
  return { ...reg, requirements: entries.map((e) => ({ ...base, ...e })), retired: [{ id: 'BM-POW-099', retired_in: '1.0.0', reason: 'merged' }] };
}

describe('requirement coverage scanner', () => {
  it('counts IDs in it/test titles and never in comments, describe titles or skipped tests', () => {
    const src = [
      "// BM-KEY-001 is only mentioned in a comment",
      "describe('BM-KEY-002 lives in a describe title', () => {",
      "  it('BM-KEY-003 MUST be found in a title', () => {});",
      "  test.concurrent('BM-KEY-004 and BM-KEY-005 SHOULD both count', async () => {});",
      "  it.skipIf(process.env.X)('BM-KEY-006 counts: it runs in some environments', () => {});",
      "  it.skip('BM-KEY-007 never runs', () => {});",
      "  it.todo('BM-KEY-008 not written yet');",
      "  const re = /x/; re.test('BM-KEY-009 is not a test call');",
      "});",
      "describe.skip('skipped', () => { it('BM-KEY-010 inside a skipped describe', () => {}); });",
    ].join('\n');
    const ids = requirementIdsInTestSource(src);
    expect([...ids.keys()].sort()).toEqual(['BM-KEY-003', 'BM-KEY-004', 'BM-KEY-005', 'BM-KEY-006']);
    expect(ids.get('BM-KEY-003')).toEqual(['BM-KEY-003 MUST be found in a title']);
  });

  it('counts IDs in the table that feeds a templated title, and in requirements metadata', () => {
    const src = [
      "const CASES = [{ t: 'rsa', req: 'BM-SEC-001' }, { t: 'ed25519', req: 'BM-SEC-004' }];",
      "for (const { t, req } of CASES) it(`BM-MSG-001 ${req} MUST compose to ${t}`, () => {});",
      "for (const x of [['a', 'BM-SIG-001']]) it('BM-SIG-002 a fixed title ignores its loop', () => {});",
      "it.each([['BM-JWT-001', 1]])('%s MUST hold', () => {});",
      "['BM-HDR-003'].forEach((id) => it(`${id} MUST hold`, () => {}));",
      "it('no id in the title', ({ task }) => { Object.assign(task.meta, { requirements: ['BM-POW-004'] }); });",
      "const unrelated = 'BM-CAT-001';",
    ].join('\n');
    expect([...requirementIdsInTestSource(src).keys()].sort()).toEqual(['BM-HDR-003', 'BM-JWT-001', 'BM-MSG-001', 'BM-POW-004', 'BM-SEC-001', 'BM-SEC-004', 'BM-SIG-002']);
  });

  it('finds IDs in vector files (with case IDs) and test files (with the kind of their suite), skipping sample-data files', () => {
    const found = scanCoverage(fixtureRepo());
    expect(found.get('BM-POW-001')).toEqual([
      { kind: 'unit', file: 'harness/protocol/pow.test.ts' },
      { kind: 'vector', file: 'vectors/pow_verify_test.json' },
    ]);
    expect(found.get('BM-POW-005')).toEqual([{ kind: 'vector', file: 'vectors/pow_verify_test.json', cases: [1, 2] }]);
    expect(found.get('BM-ACCT-007')).toEqual([{ kind: 'server', file: 'suites/server/account.test.ts' }]);
    expect(found.get('BM-JWT-013')).toEqual([{ kind: 'server', file: 'suites/security/tokens.test.ts' }]);
    expect(found.has('BM-HDR-001')).toBe(false);
    expect(found.has('BM-HDR-002')).toBe(false);
    expect(testKindOf('suites/interop/delivery.test.ts')).toBe('interop');
  });

  it('derives the status: covered by a scan, uncovered only with a reason, otherwise missing; stale gaps and unknown or retired IDs are problems', () => {
    const r = registryOf([
      { id: 'BM-POW-001', level: 'MUST', coverage: { status: 'planned', kinds: ['vector'] } },
      { id: 'BM-POW-002', level: 'MUST', coverage: { status: 'planned', kinds: ['unit'] } },
      { id: 'BM-POW-003', level: 'SHOULD', coverage: { status: 'uncovered', reason: 'needs DNS; the suite has none' } },
      { id: 'BM-POW-004', level: 'MAY', coverage: { status: 'uncovered', reason: 'informative only, nothing to assert' } },
      { id: 'BM-POW-005', level: 'MUST', coverage: { status: 'uncovered', reason: '   ' } },
    ]);
    const found = new Map([
      ['BM-POW-001', [{ kind: 'vector' as const, file: 'vectors/pow_test.json' }]],
      ['BM-POW-004', [{ kind: 'unit' as const, file: 'harness/protocol/pow.test.ts' }]],
      ['BM-POW-099', [{ kind: 'unit' as const, file: 'harness/protocol/pow.test.ts' }]],
      ['BM-ZZZ-001', [{ kind: 'server' as const, file: 'suites/server/x.test.ts' }]],
    ]);
    const s = coverageSummary(r, found);
    expect(s.covered).toEqual(['BM-POW-001', 'BM-POW-004']);
    expect(s.uncovered).toEqual(['BM-POW-003']);
    expect(s.missing).toEqual(['BM-POW-002', 'BM-POW-005']);
    expect(s.staleUncovered).toEqual([{ id: 'BM-POW-004', files: ['harness/protocol/pow.test.ts'] }]);
    expect(s.unknown).toEqual([
      { id: 'BM-POW-099', files: ['harness/protocol/pow.test.ts'], retired: true },
      { id: 'BM-ZZZ-001', files: ['suites/server/x.test.ts'], retired: false },
    ]);
    expect(coverageProblems(s)).toHaveLength(5);
    const t = coverageTable(r, s);
    expect(t.all).toEqual({ key: 'all', total: 5, covered: 2, uncovered: 1, missing: 2 });
    expect(t.levels.map((x) => [x.key, x.covered, x.total])).toEqual([['MUST', 1, 3], ['SHOULD', 0, 1], ['MAY', 1, 1]]);
    expect(t.areas).toEqual([{ key: 'POW', total: 5, covered: 2, uncovered: 1, missing: 2 }]);
  });

  it('rewrites only the generated block of a README', () => {
    const s = coverageSummary(registryOf([{ id: 'BM-POW-001', level: 'MUST', coverage: { status: 'planned', kinds: ['vector'] } }]), new Map());
    const block = coverageMarkdown(reg, s);
    const once = withCoverageBlock('# title\n\ntext\n', block);
    expect(once.startsWith('# title\n\ntext\n\n<!-- coverage:begin')).toBe(true);
    expect(withCoverageBlock(`${once}tail\n`, 'new')).toMatch(/^# title\n\ntext\n\n<!-- coverage:begin[^\n]*\nnew\n<!-- coverage:end -->\ntail\n$/);
  });
});

describe('requirement coverage of this repository', () => {
  const s = coverageSummary(reg, scanCoverage());

  it('checks every requirement by a vector or test, or marks it uncovered with a reason', () => {
    expect(s.missing, coverageProblems({ ...s, staleUncovered: [], unknown: [] }).join('\n')).toEqual([]);
    expect(s.covered.length + s.uncovered.length).toBe(s.total);
  });

  it('marks nothing uncovered that a vector or test does check (no stale gap entry)', () => {
    expect(s.staleUncovered).toEqual([]);
  });

  it('names only requirement IDs the registry defines (no typo, no retired ID) in vectors and tests', () => {
    expect(s.unknown).toEqual([]);
  });
});

describe('fail-proof of this repository (issue 10 item 3)', () => {
  const found = scanCoverage();
  const proofs = failProofs(found);
  const fp = failProofSummary(reg, found, proofs);

  it('shows for every MUST requirement a profile test covers that its tests can fail, or states why it cannot', () => {
    expect(fp.mustCovered.length).toBeGreaterThan(200);
    expect(fp.unproven, failProofProblems(fp).join('\n')).toEqual([]);
  });

  it('keeps no reason in failproof-gaps.json for a requirement that has a fail-proof or is not in the registry', () => {
    expect(fp.staleGaps).toEqual([]);
  });

  it('cites the fault switches, negative vectors and hostile targets that exist', () => {
    expect(proofs.get('BM-STORE-006')?.faultSwitches).toContain('mail.deleteStoreEntriesWithChildren');
    expect(proofs.get('BM-API-009')?.faultSwitches).toContain('mail.looseAddressRoute');
    for (const id of ['BM-HDR-003', 'BM-SIG-014', 'BM-POW-006', 'BM-SEC-006', 'BM-MNEM-011']) expect(proofs.get(id)?.negativeVectors, `${id} negative vectors`).toBeGreaterThan(0);
  });
});

describe('fail-proof accounting', () => {
  it('counts a requirement as unproven only when it is MUST, covered by a profile test, without proof and without a reason', () => {
    const r = registryOf([
      { id: 'BM-POW-001', level: 'MUST', coverage: { status: 'planned', kinds: ['server'] } },
      { id: 'BM-POW-002', level: 'MUST', coverage: { status: 'planned', kinds: ['server'] } },
      { id: 'BM-POW-003', level: 'MUST', coverage: { status: 'planned', kinds: ['server'] } },
      { id: 'BM-POW-004', level: 'SHOULD', coverage: { status: 'planned', kinds: ['server'] } },
      { id: 'BM-POW-005', level: 'MUST', coverage: { status: 'planned', kinds: ['unit'] } },
    ]);
    const link = (kind: 'server' | 'unit') => [{ kind, file: `x/${kind}.test.ts` }];
    const found = new Map([['BM-POW-001', link('server')], ['BM-POW-002', link('server')], ['BM-POW-003', link('server')], ['BM-POW-004', link('server')], ['BM-POW-005', link('unit')]]);
    const none = { faultSwitches: [], negativeVectors: 0, knownAnswers: 0, hostileTargets: [] };
    const proofs = new Map([['BM-POW-001', { ...none, negativeVectors: 1 }], ['BM-POW-002', none], ['BM-POW-003', none], ['BM-POW-009', { ...none, knownAnswers: 2 }]]);
    const s = failProofSummary(r, found, proofs, { 'BM-POW-003': 'needs a live DNS', 'BM-POW-009': 'gone', 'BM-POW-001': 'stale' });
    expect(s).toEqual({ mustCovered: ['BM-POW-001', 'BM-POW-002', 'BM-POW-003'], mustProven: ['BM-POW-001'], mustExcused: ['BM-POW-003'], unproven: ['BM-POW-002'], staleGaps: ['BM-POW-009', 'BM-POW-001'] });
    expect(failProofProblems(s)).toHaveLength(3);
    expect(hasFailProof(none)).toBe(false);
  });
});
