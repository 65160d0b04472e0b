/**
 * The Go verification record (vectors/gen/_verified.ts, harness/record-verification.ts): the
 * check `npm run vectors:check` runs fails when the manifest changed since Go was run, unless
 * VERIFIED.md says "not yet re-verified" and names every changed file; the README provenance
 * drops the counts of changed files; and a report is recorded only when it is a complete,
 * clean Go run of the committed manifest.
 */
import { describe, expect, it } from 'vitest';
import { changedSince, goConfirmedByFile, sha256Hex, verificationProblems, type Verification } from './_verified.ts';
import { verificationOf, verifiedMarkdown } from '../../harness/record-verification.ts';

const manifestText = (files: { path: string; sha256: string; cases: number }[]) => `${JSON.stringify({ schema: 'vector_manifest_schema_v1.json', files }, null, 2)}\n`;
const OLD_FILES = [
  { path: 'a_test.json', sha256: '1'.repeat(64), cases: 2 },
  { path: 'b_test.json', sha256: '2'.repeat(64), cases: 1 },
];
const OLD = manifestText(OLD_FILES);
const verification = (manifest: string): Verification => ({
  implementation: 'go-bitmaelum-suite-95952d1',
  date: '2026-12-06',
  toolchain: 'go1.19.8',
  adapter: 'implementations/go-bitmaelum-suite-95952d1/adapter',
  manifest_sha256: sha256Hex(manifest),
  files: OLD_FILES.map((f) => ({ ...f, pass: f.cases, deviation: 0, other: 0 })),
  client: { tests: 1, pass: 1, deviation: 0, other: 0 },
});
const V = verification(OLD);
const MD = verifiedMarkdown(V);
// b_test.json changed, c_test.json is new.
const NEW = manifestText([OLD_FILES[0]!, { path: 'b_test.json', sha256: '3'.repeat(64), cases: 1 }, { path: 'c_test.json', sha256: '4'.repeat(64), cases: 5 }]);

describe('Go verification check (npm run vectors:check)', () => {
  it('passes while VERIFIED.md names the manifest hash that verified.json records', () => {
    expect(MD).toContain(sha256Hex(OLD));
    expect(verificationProblems(OLD, V, MD)).toEqual([]);
  });

  it('fails once the manifest changed and VERIFIED.md still names the old hash, naming the changed files', () => {
    const p = verificationProblems(NEW, V, MD);
    expect(p).toHaveLength(1);
    expect(p[0]).toContain(sha256Hex(OLD));
    expect(p[0]).toContain(sha256Hex(NEW));
    expect(p[0]).toContain('b_test.json, c_test.json');
    expect(changedSince(V, JSON.parse(NEW))).toEqual(['b_test.json', 'c_test.json']);
  });

  it('a "not yet re-verified" note passes only when it names every changed file', () => {
    const both = `${MD}\nNot yet re-verified: b_test.json (a new case), c_test.json (new file).\n`;
    expect(verificationProblems(NEW, V, both)).toEqual([]);
    const one = `${MD}\nNot yet re-verified: b_test.json.\n`;
    expect(verificationProblems(NEW, V, one)).toEqual([expect.stringContaining('c_test.json')]);
  });

  it('fails without a record, and when VERIFIED.md does not name the hash verified.json records', () => {
    expect(verificationProblems(OLD, undefined, undefined)).toEqual([expect.stringContaining('missing')]);
    expect(verificationProblems(OLD, V, MD.replaceAll(sha256Hex(OLD), 'f'.repeat(64)))).toEqual([expect.stringContaining('does not name the manifest sha256')]);
  });

  it('the README provenance keeps counts only for files whose bytes Go saw', () => {
    const m = goConfirmedByFile(V, JSON.parse(NEW));
    expect(m.get('a_test.json')).toEqual({ pass: 2, deviation: 0 });
    expect(m.get('b_test.json')).toBeUndefined();
    expect(m.get('c_test.json')).toBeUndefined();
  });
});

describe('harness/record-verification.ts', () => {
  const report = (tests: { name: string; profile: string; verdict: string }[], manifest = OLD) => ({
    run: { started_at: '2026-12-06T11:00:00Z', command: ['bm-conformance', 'run', '--expect', 'implementations/go-bitmaelum-suite-95952d1/expectations.json'] },
    target: {},
    vectors: { manifest_sha256: sha256Hex(manifest) },
    summary: { ok: true },
    tests,
  });
  const clean = [
    { name: 'library › X › BM-X-001 › a#1', profile: 'library', verdict: 'pass' },
    { name: 'library › X › BM-X-001 › a#2', profile: 'library', verdict: 'xfail' },
    { name: 'library › X › BM-X-001 › b#1', profile: 'library', verdict: 'pass' },
    { name: 'library › ACCUMULATED › BM-X-001 › accumulated#sweep', profile: 'library', verdict: 'pass' },
    { name: 'client › vault › BM-X-002 › must-open', profile: 'client', verdict: 'pass' },
  ];

  it('counts per file the cases Go passed and the declared deviations, and the client totals', () => {
    const v = verificationOf(report(clean), OLD, 'go1.19.8', 'adapter');
    expect(Array.isArray(v)).toBe(false);
    const ok = v as Verification;
    expect(ok.manifest_sha256).toBe(sha256Hex(OLD));
    expect(ok.files.map((f) => [f.path, f.pass, f.deviation])).toEqual([['a_test.json', 1, 1], ['b_test.json', 1, 0]]);
    expect(ok.client).toEqual({ tests: 1, pass: 1, deviation: 0, other: 0 });
    expect(verifiedMarkdown(ok)).toContain('| `a_test.json` | 2 | 1 | 1 |');
  });

  it('refuses a run with another verdict, of another manifest, or missing cases', () => {
    expect(verificationOf(report([...clean.slice(0, 2), { ...clean[2]!, verdict: 'fail' }, clean[4]!]), OLD, 'go', 'adapter')).toEqual([expect.stringContaining('b#1: fail')]);
    expect(verificationOf(report(clean, NEW), OLD, 'go', 'adapter')).toEqual([expect.stringContaining('the report ran manifest')]);
    expect(verificationOf(report(clean.slice(1)), OLD, 'go', 'adapter')).toEqual([expect.stringContaining('a_test.json: the report judged 1 of its 2 cases')]);
  });
});
