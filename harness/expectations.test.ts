import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInput } from './protocol/errors.ts';
import { fixedClock } from './protocol/random.ts';
import { applyExpectations, closestTo, globToRegExp, loadExpectations, parseExpectations, parseRunConfig, type ExpectationsFile } from './expectations.ts';
import { buildRunResult, testName, type TestResult } from '../reports/model.ts';
import { FIXTURE_META } from '../reports/fixture.ts';
import { formatErrors, validator } from '../schemas/index.ts';

// 2026-11-27T12:00:00Z
const TODAY = fixedClock(Date.UTC(2026, 10, 27, 12) / 1000);

function result(area: string, id: string, caseId: string, verdict: TestResult['verdict'], extra: Partial<TestResult> = {}): TestResult {
  return { name: testName('server', area, [id], caseId), profile: 'server', area, caseId, requirementIds: [id], verdict, durationMs: 1, ...extra };
}

function file(entries: ExpectationsFile['entries']): ExpectationsFile {
  return { schema: 'expectations_schema_v1.json', implementation: 'test-impl', entries };
}

describe('expectations: applying', () => {
  it('a listed failure becomes xfail and keeps its original verdict', () => {
    const out = applyExpectations([result('box', 'BM-SRV-001', 'delete', 'fail', { message: '405' })], file([{ requirement: 'BM-SRV-001', reason: 'bad route regex' }]), TODAY);
    expect(out.tests[0]).toMatchObject({ verdict: 'xfail', message: '405', expectation: { index: 0, originalVerdict: 'fail', entry: { reason: 'bad route regex' } } });
    expect(out.problems).toEqual([]);
  });

  it('a listed error becomes xfail; a listed test with another verdict than declared keeps it, citing the entry', () => {
    const out = applyExpectations(
      [result('box', 'BM-SRV-001', 'a', 'error'), result('box', 'BM-SRV-001', 'b', 'fail')],
      file([{ requirement: 'BM-SRV-001', reason: 'server panics here', verdict: 'error' }]),
      TODAY,
    );
    expect(out.tests.map((t) => t.verdict)).toEqual(['xfail', 'fail']);
    expect(out.tests[0]!.message).toBeUndefined();
    expect(out.tests[1]!.message).toMatch(/entry #0 \(requirement "BM-SRV-001"\) excuses error, but this test's verdict is fail: not excused/);
    expect(out.tests[1]!.expectation).toMatchObject({ index: 0, originalVerdict: 'fail' });
  });

  // An entry written for a wrong answer must not hide a crash or a time-out on the same test
  // (issue 10 item 6): a Go panic on a listed requirement is a finding of its own.
  it('an entry declaring fail (explicitly or by default) does not excuse an error or unsupported: the run fails', () => {
    const tests = [result('box', 'BM-SRV-001', 'a', 'error', { message: 'closed: ECONNRESET' }), result('box', 'BM-SRV-002', 'b', 'unsupported')];
    const out = applyExpectations(tests, file([{ requirement: 'BM-SRV-001', reason: 'wrong status code' }, { requirement: 'BM-SRV-002', reason: 'wrong body', verdict: 'fail' }]), TODAY);
    expect(out.tests.map((t) => t.verdict)).toEqual(['error', 'unsupported']);
    expect(out.tests[0]!.message).toMatch(/^closed: ECONNRESET\n.*excuses fail, but this test's verdict is error: not excused \(wrong status code\)/);
    expect(out.problems).toEqual([]);
    expect(buildRunResult({ meta: FIXTURE_META, tests: out.tests, registry: [], expectationProblems: out.problems }).summary.ok).toBe(false);
  });

  it('a listed test that passes becomes xpass, fails the run, and is reported as an xpass problem', () => {
    const out = applyExpectations([result('box', 'BM-SRV-001', 'delete', 'pass')], file([{ test: 'server › box › *', reason: 'bad route regex' }]), TODAY);
    expect(out.tests[0]!.verdict).toBe('xpass');
    expect(out.tests[0]!.message).toMatch(/^known failure now passes: remove it from the expectations file/);
    expect(out.problems.map((p) => p.problem)).toEqual(['xpass']);
    const run = buildRunResult({ meta: FIXTURE_META, tests: out.tests, registry: [], expectationProblems: out.problems });
    expect(run.summary.ok).toBe(false);
    expect(run.requirements[0]!.verdict).toBe('fail');
  });

  it('an expired entry excuses nothing: the failure stays a failure and the run fails even if nothing matched', () => {
    const entries = [
      { requirement: 'BM-SRV-001', reason: 'bad route regex', expires: '2026-11-26' },
      { requirement: 'BM-SRV-099', reason: 'long gone', expires: '2025-01-01' },
    ];
    const out = applyExpectations([result('box', 'BM-SRV-001', 'delete', 'fail')], file(entries), TODAY);
    expect(out.tests[0]!.verdict).toBe('fail');
    expect(out.tests[0]!.message).toMatch(/expired on 2026-11-26/);
    expect(out.problems.map((p) => [p.index, p.problem])).toEqual([[0, 'expired'], [1, 'expired'], [1, 'unmatched']]);
    expect(buildRunResult({ meta: FIXTURE_META, tests: [], registry: [], expectationProblems: out.problems.filter((p) => p.index === 1) }).summary.ok).toBe(false);
  });

  it('an entry expiring today still excuses (the expiry date is inclusive, UTC)', () => {
    const out = applyExpectations([result('box', 'BM-SRV-001', 'delete', 'fail')], file([{ requirement: 'BM-SRV-001', reason: 'bad route regex', expires: '2026-11-27' }]), TODAY);
    expect(out.tests[0]!.verdict).toBe('xfail');
    expect(out.problems).toEqual([]);
  });

  it('an entry matching nothing in a run that included its tests is unmatched and fails the run (a typo, a renamed test)', () => {
    const entries = [{ test: 'server › nothing › *', reason: 'typo in pattern' }];
    const out = applyExpectations([result('box', 'BM-SRV-001', 'delete', 'pass')], file(entries), TODAY, { profiles: ['server'] });
    expect(out.tests[0]!.verdict).toBe('pass');
    expect(out.problems.map((p) => p.problem)).toEqual(['unmatched']);
    expect(out.warnings.map((w) => w.kind)).toEqual(['unmatched-expectation']);
    expect(out.warnings[0]!.message).toMatch(/matches no test although the run included its tests/);
    expect(buildRunResult({ meta: FIXTURE_META, tests: out.tests, registry: [], expectationProblems: out.problems, warnings: out.warnings }).summary.ok).toBe(false);
  });

  it('an entry about tests the run did not include is not-run, a note that does not fail the run', () => {
    const entries = [
      { test: 'resolver › RES › *', reason: 'another profile' },
      { case: 'vectors/hash_string_test.json#1', reason: 'a vector case, library not run' },
      { requirement: 'BM-SRV-050', reason: 'no test of this run names it' },
    ];
    const tests = [result('box', 'BM-SRV-001', 'delete', 'pass')];
    const out = applyExpectations(tests, file(entries), TODAY, { profiles: ['server'], knownRequirements: new Set(['BM-SRV-001', 'BM-SRV-050']) });
    expect(out.problems.map((p) => [p.index, p.problem])).toEqual([[0, 'not-run'], [1, 'not-run'], [2, 'not-run']]);
    expect(buildRunResult({ meta: FIXTURE_META, tests: out.tests, registry: [], expectationProblems: out.problems }).summary.ok).toBe(true);
    // --only narrows the run: a server entry that matched nothing may just have been filtered out.
    const filtered = applyExpectations(tests, file([{ test: 'server › nothing › *', reason: 'filtered away' }]), TODAY, { profiles: ['server'], filtered: true });
    expect(filtered.problems.map((p) => p.problem)).toEqual(['not-run']);
    // A requirement id the registry does not define is a mistake in any run.
    const typo = applyExpectations(tests, file([{ requirement: 'BM-SRV-999', reason: 'typo in the id' }]), TODAY, { profiles: ['server'], knownRequirements: new Set(['BM-SRV-001']) });
    expect(typo.problems.map((p) => p.problem)).toEqual(['unmatched']);
    expect(typo.warnings[0]!.message).toMatch(/names BM-SRV-999, which the requirement registry does not define/);
  });

  // Issue 15 "configuration-dependent defects": Go's Bolt storage fails BM-APIKEY-008, Redis does not.
  it('an entry with config applies only in a run that declares that configuration', () => {
    const entries = [{ requirement: 'BM-SRV-001', reason: 'bolt keeps a file lock', config: { storage: 'bolt' } }];
    const tests = [result('box', 'BM-SRV-001', 'a', 'fail')];
    const bolt = applyExpectations(tests, file(entries), TODAY, { profiles: ['server'], config: { storage: 'bolt', resolver: 'go' } });
    expect(bolt.tests[0]!.verdict).toBe('xfail');
    expect(bolt.problems).toEqual([]);
    for (const config of [{ storage: 'redis' }, {}] as Record<string, string>[]) {
      const other = applyExpectations(tests, file(entries), TODAY, { profiles: ['server'], config });
      expect(other.tests[0]!.verdict, JSON.stringify(config)).toBe('fail');
      expect(other.tests[0]!.expectation).toBeUndefined();
      expect(other.problems).toEqual([]);
      expect(other.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^1 expectations entry applies to another configuration than this run's .* and was not used$/)]);
    }
  });

  // Issue 15 item 4: the server's file and the resolver's file in one run.
  it('several files apply together; entries keep their file and index, and messages name the file', () => {
    const server = { ...file([{ requirement: 'BM-SRV-001', reason: 'server defect' }]), path: 'impl/server.json' };
    const resolver = { ...file([{ requirement: 'BM-RES-009', reason: 'resolver defect' }, { test: 'resolver › gone › *', reason: 'stale entry' }]), path: 'impl/resolver.json' };
    const tests = [result('box', 'BM-SRV-001', 'a', 'fail'), { ...result('rec', 'BM-RES-009', 'b', 'fail'), name: testName('resolver', 'rec', ['BM-RES-009'], 'b'), profile: 'resolver' as const }];
    const out = applyExpectations(tests, [server, resolver], TODAY, { profiles: ['server', 'resolver'] });
    expect(out.tests.map((t) => [t.verdict, t.expectation?.file, t.expectation?.index])).toEqual([['xfail', 'impl/server.json', 0], ['xfail', 'impl/resolver.json', 0]]);
    expect(out.problems.map((p) => [p.file, p.index, p.problem])).toEqual([['impl/resolver.json', 1, 'unmatched']]);
    expect(out.warnings[0]!.message).toMatch(/^expectations impl\/resolver\.json entry #1 \(test "resolver › gone › \*"\)/);
  });

  it('a case entry matches "<vector file>#<tcId>" only, and several selectors must all match', () => {
    const vec = { file: 'vectors/header_signature_test.json', tcId: 12, result: 'valid' as const };
    const tests = [result('header', 'BM-HDR-004', '12', 'fail', { vector: vec }), result('header', 'BM-HDR-004', '13', 'fail', { vector: { ...vec, tcId: 13 } }), result('header', 'BM-HDR-005', 'x', 'fail')];
    const out = applyExpectations(tests, file([{ case: 'vectors/header_signature_test.json#12', reason: 'one bad case' }, { requirement: 'BM-HDR-005', test: 'library › *', reason: 'wrong profile' }]), TODAY);
    expect(out.tests.map((t) => t.verdict)).toEqual(['xfail', 'fail', 'fail']);
    expect(out.problems.map((p) => [p.index, p.problem])).toEqual([[1, 'unmatched']]);
  });

  it('a bad --config value is rejected; good ones become the run configuration', () => {
    expect(parseRunConfig(['storage=bolt', 'mgmt.key=invite,flush'])).toEqual({ storage: 'bolt', 'mgmt.key': 'invite,flush' });
    for (const bad of [['storage'], ['storage='], ['Storage=bolt'], ['storage=bolt', 'storage=redis']]) expect(() => parseRunConfig(bad), bad.join(' ')).toThrow(InvalidInput);
  });

  it('the first matching entry decides, and every matching entry counts as used', () => {
    const out = applyExpectations(
      [result('box', 'BM-SRV-001', 'a', 'fail'), result('box', 'BM-SRV-002', 'b', 'fail')],
      file([{ requirement: 'BM-SRV-001', reason: 'first reason' }, { test: 'server › box › *', reason: 'second reason' }]),
      TODAY,
    );
    expect(out.tests.map((t) => t.expectation!.entry.reason)).toEqual(['first reason', 'second reason']);
    expect(out.problems).toEqual([]);
  });

  it('an unsupported test is excused only by an entry naming it: xfail, original verdict kept; a different declared verdict is noted', () => {
    const out = applyExpectations(
      [result('box', 'BM-SRV-001', 'a', 'unsupported'), result('box', 'BM-SRV-002', 'b', 'unsupported'), result('box', 'BM-SRV-003', 'c', 'unsupported')],
      file([{ requirement: 'BM-SRV-001', reason: 'we do not do RSA', verdict: 'unsupported' }, { requirement: 'BM-SRV-002', reason: 'said to fail' }]),
      TODAY,
    );
    expect(out.tests.map((t) => t.verdict)).toEqual(['xfail', 'unsupported', 'unsupported']);
    expect(out.tests[0]!.expectation!.originalVerdict).toBe('unsupported');
    expect(out.tests[0]!.message).toBeUndefined();
    expect(out.tests[1]!.message).toContain("excuses fail, but this test's verdict is unsupported: not excused");
  });

  it('applying does not mutate the input results', () => {
    const input = [result('box', 'BM-SRV-001', 'a', 'fail')];
    applyExpectations(input, file([{ requirement: 'BM-SRV-001', reason: 'bad route regex' }]), TODAY);
    expect(input[0]!.verdict).toBe('fail');
  });

  it('test-name globs: * spans any run including " › ", ? is one character, everything else is literal', () => {
    expect(globToRegExp('server › * › tc?').test('server › box › BM-SRV-001 › tc1')).toBe(true);
    expect(globToRegExp('server › * › tc?').test('server › box › BM-SRV-001 › tc12')).toBe(false);
    expect(globToRegExp('a.b(c)[d]+').test('a.b(c)[d]+')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('expectations: parsing', () => {
  const ok = { schema: 'expectations_schema_v1.json', implementation: 'x', entries: [{ requirement: 'BM-SRV-001', reason: 'because', link: 'https://example.invalid/1', expires: '2027-02-28', verdict: 'error', config: { storage: 'bolt' } }] };

  it('a well-formed file parses to the same entries, and the JSON Schema accepts it too', () => {
    expect(parseExpectations(ok).entries).toEqual(ok.entries);
    const v = validator('expectations_schema_v1.json');
    expect(v(ok), formatErrors(v.errors)).toBe(true);
    expect(v({ ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'because', config: {} }] })).toBe(false);
  });

  it.each([
    ['not an object', []],
    ['unknown top-level field', { ...ok, note: 'x' }],
    ['wrong schema name', { ...ok, schema: 'v2' }],
    ['missing implementation', { schema: ok.schema, entries: [] }],
    ['entries not an array', { ...ok, entries: {} }],
    ['entry without selector', { ...ok, entries: [{ reason: 'because' }] }],
    ['entry without reason', { ...ok, entries: [{ requirement: 'BM-SRV-001' }] }],
    ['reason too short', { ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'x' }] }],
    ['requirement not an id', { ...ok, entries: [{ requirement: 'BM-SRV-*', reason: 'because' }] }],
    ['case without #', { ...ok, entries: [{ case: 'vectors/x.json', reason: 'because' }] }],
    ['impossible date', { ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'because', expires: '2027-02-30' }] }],
    ['bad verdict', { ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'because', verdict: 'pass' }] }],
    ['unknown entry field', { ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'because', owner: 'me' }] }],
    ['non-string field', { ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'because', link: 3 }] }],
    ['config not an object', { ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'because', config: 'bolt' }] }],
    ['empty config', { ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'because', config: {} }] }],
    ['config value not a string', { ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'because', config: { storage: true } }] }],
    ['config key not lowercase', { ...ok, entries: [{ requirement: 'BM-SRV-001', reason: 'because', config: { Storage: 'bolt' } }] }],
  ])('a file with %s is rejected with InvalidInput', (_what, data) => {
    expect(() => parseExpectations(data)).toThrow(InvalidInput);
  });

  const dir = mkdtempSync(join(tmpdir(), 'bm-expect-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loadExpectations returns the file and the SHA-256 of its bytes, and names the path on bad JSON', () => {
    const p = join(dir, 'e.json');
    writeFileSync(p, JSON.stringify(ok));
    const { file: f, sha256 } = loadExpectations(p);
    expect(f.implementation).toBe('x');
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(p, '{');
    expect(() => loadExpectations(p)).toThrow(new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
    expect(readFileSync(p, 'utf8')).toBe('{');
  });
});

describe('expectations: an entry that matches nothing names the closest tests', () => {
  it('a case entry without the vectors/ prefix fails the run and points at the case it meant', () => {
    const v = (tcId: number): TestResult => ({ ...result('ADDR', 'BM-ADDR-001', `address_hash#${tcId}`, 'fail'), profile: 'library', name: testName('library', 'ADDR', ['BM-ADDR-001'], `address_hash#${tcId}`), vector: { file: 'vectors/address_hash_test.json', tcId, result: 'valid' } });
    const tests = [v(10), v(12), v(31)];
    const out = applyExpectations(tests, file([{ case: 'address_hash_test.json#12', reason: 'does not strip dots' }]), TODAY, { profiles: ['library'] });
    expect(out.problems.map((p) => p.problem)).toEqual(['unmatched']);
    expect(out.warnings[0]!.message).toMatch(/entry #0 \(case "address_hash_test\.json#12"\) matches no test .*the run fails\. Closest: "vectors\/address_hash_test\.json#12"/);
    expect(closestTo({ test: 'server › box › BM-BOX-001 › delet-a-box', reason: 'x' }, [result('box', 'BM-BOX-001', 'delete-a-box', 'fail'), result('box', 'BM-BOX-002', 'create', 'fail')], 1)).toEqual(['server › box › BM-BOX-001 › delete-a-box']);
    const built = buildRunResult({ meta: FIXTURE_META, tests: out.tests, registry: [], expectationProblems: out.problems, warnings: out.warnings });
    expect(built.summary.ok).toBe(false);
  });
});
