/**
 * Tests of the coverage scanner: IDs in vector files (file and case level) and in test files are
 * found with the right link kind, unknown IDs are reported, a rewritten registry still validates,
 * and — for the repository itself — every requirement ID a vector or test names exists.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validator, formatErrors } from '../../schemas/index.ts';
import { coverageSummary, scanCoverage, testKindOf, withScannedCoverage } from './coverage.ts';
import { loadRequirements } from './index.ts';

const reg = loadRequirements();
const tmp = mkdtempSync(join(tmpdir(), 'bm-cov-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fixtureRepo(): string {
  mkdirSync(join(tmp, 'vectors'), { recursive: true });
  mkdirSync(join(tmp, 'suites', 'server'), { recursive: true });
  mkdirSync(join(tmp, 'suites', 'requirements'), { recursive: true });
  mkdirSync(join(tmp, 'harness', 'protocol'), { recursive: true });
  writeFileSync(join(tmp, 'vectors', 'pow_verify_test.json'), JSON.stringify({
    requirements: ['BM-POW-001'],
    testGroups: [{ tests: [{ tcId: 2, requirements: ['BM-POW-005'] }, { tcId: 1, requirements: ['BM-POW-005'] }] }],
  }));
  writeFileSync(join(tmp, 'suites', 'server', 'account.test.ts'), "it('BM-ACCT-007 MUST answer 400 for an existing account', () => {});\n// BM-ZZZ-999 typo\n");
  writeFileSync(join(tmp, 'harness', 'protocol', 'pow.test.ts'), "it('BM-POW-001 MUST …', () => {});\n");
  writeFileSync(join(tmp, 'suites', 'requirements', 'x.test.ts'), "// BM-HDR-001 used as sample data only\n");
  return tmp;
}

describe('requirement coverage scanner', () => {
  it('finds IDs in vector files (with case IDs) and test files (with the kind of their suite), skipping sample-data files', () => {
    const found = scanCoverage(fixtureRepo());
    expect(found.get('BM-POW-001')).toEqual([
      { kind: 'unit', file: 'harness/protocol/pow.test.ts' },
      { kind: 'vector', file: 'vectors/pow_verify_test.json' },
    ]);
    expect(found.get('BM-POW-005')).toEqual([{ kind: 'vector', file: 'vectors/pow_verify_test.json', cases: [1, 2] }]);
    expect(found.get('BM-ACCT-007')).toEqual([{ kind: 'server', file: 'suites/server/account.test.ts' }]);
    expect(found.has('BM-HDR-001')).toBe(false);
    expect(testKindOf('suites/interop/delivery.test.ts')).toBe('interop');
  });

  it('reports IDs the registry does not define, and a rewritten registry still validates', () => {
    const found = scanCoverage(tmp);
    const s = coverageSummary(reg, found);
    expect(s.unknown).toEqual([{ id: 'BM-ZZZ-999', files: ['suites/server/account.test.ts'] }]);
    expect(s.covered).toEqual(expect.arrayContaining(['BM-POW-001', 'BM-POW-005', 'BM-ACCT-007']));
    const rewritten = withScannedCoverage(reg, found);
    const v = validator('requirements_schema_v1.json');
    expect(v(rewritten), formatErrors(v.errors)).toBe(true);
    expect(rewritten.requirements.find((r) => r.id === 'BM-POW-005')!.coverage).toEqual({ status: 'covered', links: [{ kind: 'vector', file: 'vectors/pow_verify_test.json', cases: [1, 2] }] });
  });

  it('every requirement ID named by this repository\'s vectors and tests exists in the registry', () => {
    expect(coverageSummary(reg, scanCoverage()).unknown).toEqual([]);
  });
});
