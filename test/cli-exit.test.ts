/**
 * Exit codes of `bm-conformance run` (issue 5 "The CLI"): 0 when every result is a pass or an
 * expected failure, 1 on any failure (fail, error, a listed test that passes, an expired
 * expectation), 2 when the harness itself could not run (bad arguments, a bad expectations file,
 * nothing to run, a target that cannot be opened). Each case spawns the real command,
 * `node bin/bm-conformance.mjs`, as CI does.
 *
 * The runs that reach the suites use test/fixtures/hash-only-adapter.mjs, a correct adapter of
 * one op: with `--only` on `library › HASH` just its 34 cases run and pass in seconds (every
 * other case would be unsupported, which fails a run), and `--wrong joshua!` makes
 * exactly one of them, hash_string#1 (Go's known answer for "joshua!"), fail.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bm as spawnBm, ROOT, type Exit } from './_spawn.ts';

const ADAPTER = join(ROOT, 'test', 'fixtures', 'hash-only-adapter.mjs');
// The hash.string cases (hash_string_test.json): the one op the adapter declares.
const HASH_ONLY = ['--profile', 'library', '--only', '/^library › HASH › .* › hash_string#/'];
const FAILING_CASE = 'vectors/hash_string_test.json#1';

const bm = (args: readonly string[]) => spawnBm(args, 120_000);

const dir = mkdtempSync(join(tmpdir(), 'bm-cli-exit-'));

function expectationsFile(name: string, entries: object[]): string {
  const p = join(dir, `${name}.json`);
  writeFileSync(p, JSON.stringify({ schema: 'expectations_schema_v1.json', implementation: 'hash-only', entries }, null, 2));
  return p;
}

function report(out: string): { tests: { name: string; verdict: string }[]; expectations?: { problem: string }[]; summary: { ok: boolean } } {
  return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
}

describe('exit 2: the harness could not run', () => {
  it('an unknown argument is exit 2 with the argument named', async () => {
    const r = await bm(['run', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown argument --frobnicate');
  });

  it('an unknown profile, a malformed seed and a bad target spec are exit 2', async () => {
    const [a, b, c] = await Promise.all([bm(['run', '--profile', 'serverz']), bm(['run', '--seed', 'XYZ']), bm(['run', '--target', 'ftp://x'])]);
    expect([a.code, b.code, c.code]).toEqual([2, 2, 2]);
    expect(a.stderr).toContain('unknown profile serverz');
    expect(b.stderr).toContain('--seed');
    expect(c.stderr).toContain('--target');
  });

  it('no command, or an unknown command, is exit 2 with the usage', async () => {
    const [none, unknown] = await Promise.all([bm([]), bm(['frobnicate'])]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('usage: bm-conformance <command>');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('an expectations file that does not exist or does not parse is exit 2 before any test runs', async () => {
    const bad = join(dir, 'bad-expectations.json');
    writeFileSync(bad, '{"schema":"expectations_schema_v1.json","implementation":"x","entries":[{"reason":"no selector"}]}');
    const out = join(dir, 'out-bad-expect');
    const [missing, invalid] = await Promise.all([
      bm(['run', '--target', `command:node ${ADAPTER}`, ...HASH_ONLY, '--expect', join(dir, 'nope.json'), '--out', out]),
      bm(['run', '--target', `command:node ${ADAPTER}`, ...HASH_ONLY, '--expect', bad, '--out', out]),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--expect: .*nope\.json/);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('needs at least one of requirement, case, test');
    expect(existsSync(join(out, 'report.json')), 'no run, no report').toBe(false);
  });

  it('profiles that do not apply to the target (server on a command adapter) are exit 2: nothing to run', async () => {
    const r = await bm(['run', '--target', `command:node ${ADAPTER}`, '--profile', 'server', '--out', join(dir, 'out-none')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to run');
  });

  // The target cannot be opened: exit 2, a message naming it, and still an error report so CI
  // shows why (harness/run/index.ts openFailureReport).
  it('a url target with nothing listening is exit 2 with a clear message and an error report', async () => {
    const out = join(dir, 'out-refused');
    const r = await bm(['run', '--target', 'url:https://127.0.0.1:1', '--insecure', '--profile', 'server', '--timeout', '2000', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not open target url:https:\/\/127\.0\.0\.1:1: the target server at https:\/\/127\.0\.0\.1:1 does not answer GET \/: .*ECONNREFUSED/);
    const rep = report(out);
    expect(rep.summary.ok).toBe(false);
    expect(rep.tests.map((t) => [t.name, t.verdict])).toEqual([['server › target › - › start', 'error']]);
  });
});

describe('exit 0 and 1: runs that reach the suites', () => {
  // Each run collects the whole library suite (a few seconds), so they start together and the
  // tests below read their outcomes.
  const runs: Record<string, Promise<Exit>> = {};
  const out = (name: string) => join(dir, `out-${name}`);
  beforeAll(() => {
    const start = (name: string, extra: string[], wrong = false) =>
      (runs[name] = bm(['run', '--target', `command:node ${ADAPTER}${wrong ? ' --wrong joshua!' : ''}`, ...HASH_ONLY, '--out', out(name), ...extra]));
    start('xfail', ['--expect', expectationsFile('xfail', [{ case: FAILING_CASE, reason: 'hashes "joshua!" wrongly on purpose' }])], true);
    start('xpass', ['--expect', expectationsFile('xpass', [{ case: FAILING_CASE, reason: 'listed as failing, but it passes' }])]);
    start('expired', ['--expect', expectationsFile('expired', [{ test: 'server › nothing › *', reason: 'an old excuse that has run out', expires: '2001-01-01' }])]);
    runs.list = bm(['run', '--target', `command:node ${ADAPTER} --log ${join(dir, 'list-requests.log')}`, ...HASH_ONLY, '--out', out('list'), '--list']);
    runs.only = bm(['run', '--target', `command:node ${ADAPTER} --log ${join(dir, 'only-requests.log')}`, '--profile', 'library', '--only', '/^library › HASH › BM-HASH-001 › hash_string#1$/', '--out', out('only')]);
    // The ADDR cases need ops the adapter does not list: out of scope, which --strict-scope counts
    // as unsupported (today's strict rule), named or not by the expectations.
    const addrOnly = ['--profile', 'library', '--only', 'library › ADDR ›', '--strict-scope'];
    runs.unsupported = bm(['run', '--target', `command:node ${ADAPTER}`, ...addrOnly, '--out', out('unsupported')]);
    runs.unsupportedListed = bm(['run', '--target', `command:node ${ADAPTER}`, ...addrOnly, '--out', out('unsupported-listed'), '--expect', expectationsFile('unsupported', [{ test: 'library › ADDR › *', reason: 'no address parsing here', verdict: 'unsupported' }])]);
    // DESIGN.md contract 7: a run that executes nothing is not green.
    runs.none = bm(['run', '--target', `command:node ${ADAPTER}`, '--profile', 'library', '--only', 'library › NO-SUCH-AREA ›', '--out', out('none')]);
    runs.noneListed = bm(['run', '--target', `command:node ${ADAPTER}`, '--profile', 'library', '--only', 'library › NO-SUCH-AREA ›', '--list']);
    // Two expectations files and a configuration (issue 15): the second file's entry for another
    // configuration is not used, the first one's excuses the failing case.
    runs.twoFiles = bm([
      'run', '--target', `command:node ${ADAPTER} --wrong joshua!`, ...HASH_ONLY, '--out', out('two-files'), '--config', 'storage=redis',
      '--expect', expectationsFile('first', [{ case: FAILING_CASE, reason: 'hashes "joshua!" wrongly on purpose', config: { storage: 'redis' } }]),
      '--expect', expectationsFile('second', [{ case: FAILING_CASE, reason: 'only with bolt storage', config: { storage: 'bolt' } }, { test: 'server › nothing › *', reason: 'about a profile this run does not include' }]),
    ]);
    for (const p of Object.values(runs)) p.catch(() => undefined);
  });

  it('every result a pass or an expected failure is exit 0 (a failing case listed in the expectations file is xfail)', async () => {
    const r = await runs.xfail!;
    expect(r.code, r.stderr.slice(-1500)).toBe(0);
    const verdicts = report(out('xfail')).tests.map((t) => t.verdict);
    expect(verdicts.filter((v) => v === 'xfail')).toHaveLength(1);
    expect(verdicts.filter((v) => v !== 'xfail').every((v) => v === 'pass')).toBe(true);
  }, 150_000);

  it('a test the expectations file lists as failing that passes (xpass) is exit 1', async () => {
    const r = await runs.xpass!;
    expect(r.code).toBe(1);
    const t = report(out('xpass')).tests.find((x) => x.name.endsWith('hash_string#1'));
    expect(t?.verdict).toBe('xpass');
  }, 150_000);

  it('an expired expectations entry is exit 1, even when it matches no test and every test passes', async () => {
    const r = await runs.expired!;
    expect(r.code).toBe(1);
    const rep = report(out('expired'));
    expect(rep.tests.every((t) => t.verdict === 'pass')).toBe(true);
    expect(JSON.stringify(rep.expectations)).toContain('expired');
  }, 150_000);

  it('an unsupported result is exit 1 unless the expectations file names it; then it is xfail and exit 0', async () => {
    const bare = await runs.unsupported!;
    expect(bare.code, bare.stderr.slice(-1500)).toBe(1);
    const verdicts = report(out('unsupported')).tests.map((t) => t.verdict);
    expect(verdicts.length).toBeGreaterThan(10);
    expect(new Set(verdicts)).toEqual(new Set(['unsupported']));
    const listed = await runs.unsupportedListed!;
    expect(listed.code, listed.stderr.slice(-1500)).toBe(0);
    const rep = report(out('unsupported-listed'));
    expect(new Set(rep.tests.map((t) => t.verdict))).toEqual(new Set(['xfail']));
    expect(rep.tests).toHaveLength(verdicts.length);
  }, 150_000);

  it('a run whose --only matches no test is exit 2 with "no test matched", and its report says so (not ok, no tests); --list alike', async () => {
    const r = await runs.none!;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no test matched --only "library › NO-SUCH-AREA ›" in profile library');
    const rep = report(out('none'));
    expect(rep.tests).toEqual([]);
    expect(rep.summary.ok).toBe(false);
    const listed = await runs.noneListed!;
    expect(listed.code).toBe(2);
    expect(listed.stdout).toBe('');
    expect(listed.stderr).toContain('no test matched');
  }, 150_000);

  it('several --expect files apply together; an entry for another --config is not used; exit 0', async () => {
    const r = await runs.twoFiles!;
    expect(r.code, r.stderr.slice(-1500)).toBe(0);
    const rep = report(out('two-files')) as ReturnType<typeof report> & { run: { config?: object }; target: { expectations?: unknown } };
    const xfail = rep.tests.filter((t) => t.verdict === 'xfail');
    expect(xfail.map((t) => t.name)).toEqual(['library › HASH › BM-HASH-001 › hash_string#1']);
    expect(rep.run.config).toEqual({ storage: 'redis' });
    expect(rep.target.expectations).toHaveLength(2);
    expect(rep.expectations?.map((p) => p.problem)).toEqual(['not-run']);
  }, 150_000);

  it('--list prints the stable test names, one a line, sorted, and exits 0 without running a test or writing reports', async () => {
    const r = await runs.list!;
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(37);
    expect(lines).toContain('library › HASH › BM-HASH-001 › hash_string#1');
    expect(lines.every((l) => l.startsWith('library › HASH › '))).toBe(true);
    expect(lines).toEqual([...lines].sort());
    // The adapter is started (the suite files load against the target) but asked nothing past hello.
    expect(readFileSync(join(dir, 'list-requests.log'), 'utf8').trim().split('\n').every((op) => op === 'hello')).toBe(true);
    expect(existsSync(join(out('list'), 'report.json'))).toBe(false);
  }, 150_000);

  it('--only runs just the matching tests: one name is one test in the report and one request past hello', async () => {
    const r = await runs.only!;
    expect(r.code, r.stderr.slice(-1500)).toBe(0);
    expect(report(out('only')).tests.map((t) => `${t.name} ${t.verdict}`)).toEqual(['library › HASH › BM-HASH-001 › hash_string#1 pass']);
    expect(readFileSync(join(dir, 'only-requests.log'), 'utf8').trim().split('\n').filter((op) => op !== 'hello')).toEqual(['hash.string']);
  }, 150_000);
});
