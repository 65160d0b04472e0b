/**
 * `bm-conformance run`: opens the target, runs the selected suite profiles through vitest
 * with a collecting reporter, applies the expectations file, and writes the five reports.
 *
 * Exit codes (issue "The CLI"): 0 when every result is a pass or an expected failure, 1 on any
 * failure (fail, error, unsupported, xpass, an expired expectation, an entry that matched nothing
 * although its tests ran), 2 when the harness itself could not run (bad arguments, a bad
 * expectations file, no selected profile applies to the target, the target could not be opened —
 * then with a report of one `error` per profile — vitest would not start, or no test matched:
 * a run that executed nothing is never green, DESIGN.md contract 7; its report is still written).
 * A suite file that fails to load is an `error` result (exit 1), like any test that could not run.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import type { TestModule } from 'vitest/node';
import {
  buildRunResult,
  normaliseRegistry,
  requirementLine,
  scopeHeadline,
  shellQuote,
  testName,
  verdictLine,
  writeReports,
  type Profile,
  type RunMeta,
  type TestResult,
} from '../../reports/index.ts';
import { applyExpectations, loadExpectations } from '../expectations.ts';
import { manifestSha256 } from '../../vectors/index.ts';
import { annotateResults, isManifestPath, loadManifest, openTarget, type OpenTarget, type TargetDiagnostics } from '../targets/index.ts';
import { faultSwitchesByTest, LIVENESS_DIR_ENV, readDeadRecords, testEvidence } from '../../suites/index.ts';
import { describeTest, toTestResult } from './collect.ts';
import { optInProfilesForTarget, parseRunArgs, profilesForTarget, UsageError, type RunOptions, type RunProfile } from './options.ts';
import { Progress } from './progress.ts';
import { writeRawResults } from './raw.ts';
import { loadBaseline } from './diff.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function toolVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Target arguments of this run, for replay commands. */
function targetArgs(o: RunOptions): string[] {
  const t = o.target;
  const out = ['--target', t.kind === 'builtin' ? 'builtin' : `${t.kind}:${t.value}`];
  if (t.resolver) out.push('--resolver', t.resolver);
  if (t.ca) out.push('--ca', t.ca);
  if (t.insecure) out.push('--insecure');
  if (t.features?.length) out.push('--features', t.features.join(','));
  if (o.powBits !== undefined) out.push('--pow-bits', String(o.powBits));
  if (o.seed) out.push('--seed', o.seed);
  for (const [k, v] of Object.entries(o.config ?? {})) out.push('--config', `${k}=${v}`);
  return out;
}

export interface RunOutcome {
  exitCode: number;
  /** ms the target took to start and become ready, when it says (image targets). */
  targetStartMs?: number;
  tests: TestResult[];
  ok: boolean;
  reportDir: string;
}

export async function runMain(argv: readonly string[]): Promise<number> {
  let opts: RunOptions;
  try {
    opts = parseRunArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`bm-conformance run: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    return (await runConformance(opts)).exitCode;
  } catch (e) {
    process.stderr.write(`bm-conformance run: the harness could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

export async function runConformance(opts: RunOptions): Promise<RunOutcome> {
  const started = new Date();
  const runId = randomUUID();
  // A matrix cell: servers from `target`, the client adapter from `client`.
  const available = opts.client
    ? [...profilesForTarget(opts.target).filter((p) => p !== 'library' && p !== 'client'), ...profilesForTarget(opts.client).filter((p) => p === 'client')]
    : profilesForTarget(opts.target);
  // Opt-in profiles (durability) run only when named, and only where the target allows them.
  const optIn = opts.client ? [] : optInProfilesForTarget(opts.target);
  const profiles = (opts.profiles ?? available).filter((p) => available.includes(p) || optIn.includes(p));
  const skippedProfiles = (opts.profiles ?? []).filter((p) => !available.includes(p) && !optIn.includes(p));
  for (const p of skippedProfiles) process.stderr.write(`note: profile ${p} does not apply to a ${opts.target.kind} target; not run\n`);
  // Nothing to run is a usage problem, not an empty pass (vitest given no file filter would run
  // every suite file instead).
  if (profiles.length === 0) {
    process.stderr.write(`bm-conformance run: none of the profiles ${(opts.profiles ?? []).join(',')} applies to a ${opts.target.kind} target (it serves ${available.join(', ')}); nothing to run\n`);
    return { exitCode: 2, tests: [], ok: false, reportDir: opts.out };
  }
  // A bad expectations file stops the run before any test starts (harness/expectations.ts).
  const expectations: ReturnType<typeof loadExpectations>[] = [];
  if (opts.expect && !opts.list) {
    try {
      for (const path of opts.expect) expectations.push(loadExpectations(path));
    } catch (e) {
      process.stderr.write(`bm-conformance run: --expect: ${(e as Error).message}\n`);
      return { exitCode: 2, tests: [], ok: false, reportDir: opts.out };
    }
  }

  // A baseline that cannot be read stops the run before it starts, like a bad expectations file.
  if (opts.baseline !== undefined && !opts.list) {
    try {
      loadBaseline(opts.baseline);
    } catch (e) {
      process.stderr.write(`bm-conformance run: --baseline: ${(e as Error).message}\n`);
      return { exitCode: 2, tests: [], ok: false, reportDir: opts.out };
    }
  }

  let target: OpenTarget | undefined;
  try {
    target = await openTarget(opts.target, { seed: opts.seed, timeoutMs: opts.timeoutMs, profiles, runId, out: opts.out });
  } catch (e) {
    const label = `${opts.target.kind}${opts.target.value ? `:${opts.target.value}` : ''}`;
    process.stderr.write(`bm-conformance run: could not open target ${label}: ${(e as Error).message}\n`);
    if (!opts.list) return openFailureReport(opts, { runId, started, profiles, label, error: e });
    return { exitCode: 2, tests: [], ok: false, reportDir: opts.out };
  }
  let clientTarget: OpenTarget | undefined;
  if (opts.client) {
    try {
      clientTarget = await openTarget(opts.client, { seed: opts.seed, timeoutMs: opts.timeoutMs, profiles: ['client'], runId: `${runId}-client`, out: join(opts.out, 'client') });
    } catch (e) {
      await target.close().catch(() => undefined);
      const label = `${opts.client.kind}${opts.client.value ? `:${opts.client.value}` : ''}`;
      process.stderr.write(`bm-conformance run: could not open the client target ${label}: ${(e as Error).message}\n`);
      if (!opts.list) return openFailureReport(opts, { runId, started, profiles, label, error: e });
      return { exitCode: 2, tests: [], ok: false, reportDir: opts.out };
    }
  }
  // Dead-target records shared by the suite workers (suites/_support/deadtargets.ts), one folder per run.
  const livenessDir = mkdtempSync(join(tmpdir(), 'bm-liveness-'));
  const env: Record<string, string> = { [LIVENESS_DIR_ENV]: livenessDir, ...target.env, ...(clientTarget?.env.BM_ADAPTER_CMD ? { BM_ADAPTER_CMD: clientTarget.env.BM_ADAPTER_CMD } : {}), ...(clientTarget?.env.BM_ADAPTER_SANDBOX ? { BM_ADAPTER_SANDBOX: clientTarget.env.BM_ADAPTER_SANDBOX } : {}), BM_SEED: opts.seed, BM_TIMEOUT_MS: String(opts.timeoutMs), ...(opts.powBits !== undefined ? { BM_POW_BITS: String(opts.powBits) } : {}), ...(opts.cycles !== undefined ? { BM_DURABILITY_CYCLES: String(opts.cycles) } : {}), BM_REPORT_DIR: resolve(opts.out) };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const replayBase = ['npx', 'bm-conformance'];
  const replay = (t: { profile: string; caseId: string; name: string }) =>
    t.profile === 'library' || t.profile === 'client'
      ? [...replayBase, 'replay', t.caseId, ...targetArgs(opts)].map(shellQuote).join(' ')
      : [...replayBase, 'run', '--profile', t.profile, '--only', exactly(t.name), ...targetArgs(opts)].map(shellQuote).join(' ');

  let tests: TestResult[] = [];
  let listed: string[] = [];
  let diagnostics: TargetDiagnostics | undefined;
  const deadTargets: string[] = [];
  try {
    if (opts.list) listed = await listSuites(profiles, opts);
    else tests = await runSuites(profiles, opts, replay);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    for (const d of readDeadRecords(livenessDir)) deadTargets.push(`target ${d.target} stopped answering at ${d.at}: ${d.reason}; its remaining tests were not asked (error)`);
    rmSync(livenessDir, { recursive: true, force: true });
    if (target.diagnostics) diagnostics = await target.diagnostics().catch(() => undefined);
    if (clientTarget?.diagnostics) {
      const d = await clientTarget.diagnostics().catch(() => undefined);
      if (d) diagnostics = { notes: [...(diagnostics?.notes ?? []), ...d.notes], ...(diagnostics?.died ?? d.died ? { died: diagnostics?.died ?? d.died } : {}) };
    }
    await clientTarget?.close().catch((e) => process.stderr.write(`warning: closing the client target failed: ${(e as Error).message}\n`));
    await target.close().catch((e) => process.stderr.write(`warning: closing the target failed: ${(e as Error).message}\n`));
  }
  if (opts.list) {
    for (const name of listed) process.stdout.write(`${name}\n`);
    if (listed.length === 0) {
      process.stderr.write(`bm-conformance run --list: no test matched${noMatchScope(opts, profiles)}\n`);
      return { exitCode: 2, tests: [], ok: false, reportDir: opts.out };
    }
    return { exitCode: 0, tests: [], ok: true, reportDir: opts.out };
  }
  tests = annotateResults(tests, diagnostics);
  if (opts.strictScope) tests = tests.map(strictScope);

  let applied = { tests, problems: [] as ReturnType<typeof applyExpectations>['problems'], warnings: [] as ReturnType<typeof applyExpectations>['warnings'] };
  const config = runConfig(opts);
  if (expectations.length > 0) {
    const known = new Set(normaliseRegistry(JSON.parse(readFileSync(join(ROOT, 'suites', 'requirements', 'requirements.json'), 'utf8'))).map((r) => r.id));
    // A shard holds part of the tests: an entry unmatched here may match in another shard; `merge` decides.
    applied = applyExpectations(tests, expectations.map((e) => e.file), undefined, { config, profiles, filtered: opts.only !== undefined || opts.shard !== undefined, knownRequirements: known });
  }
  const expectationsFiles = expectations.map((e) => ({ path: e.file.path!, sha256: e.sha256 }));
  if (diagnostics?.died) applied.warnings.push({ kind: 'other', message: diagnostics.died });
  for (const message of deadTargets) applied.warnings.push({ kind: 'other', message });
  if (tests.length === 0) applied.warnings.push({ kind: 'other', message: `no test matched${noMatchScope(opts, profiles)}: the run executed nothing` });
  const scope = { ...(skippedProfiles.length > 0 ? { profilesOutOfScope: skippedProfiles } : {}), ...(opts.strictScope ? { strict: true } : {}) };
  const { result, paths } = writeRunReports(opts, { runId, started, profiles, tests: applied.tests, identity: target.identity, expectationsFiles, config, problems: applied.problems, warnings: applied.warnings, scope });
  // The verdicts before expectations, for `bm-conformance merge` (harness/run/merge.ts).
  writeRawResults(opts, { runId, started, profiles, tests, identity: target.identity, expectations, config, notes: [...(diagnostics?.died ? [diagnostics.died] : []), ...deadTargets] });
  const s = result.summary;
  const scopeLine = scopeHeadline(result);
  process.stdout.write(`\n${s.ok ? 'PASS' : 'FAIL'}: ${s.tests} tests: ${verdictLine(s.verdicts)}\n${scopeLine !== undefined ? `${scopeLine}\n` : ''}${requirementLine('MUST', s.requirements.MUST)}\n`);
  process.stdout.write(`reports: ${Object.values(paths).join(' ')}\n`);
  if (tests.length === 0 && opts.shard !== undefined) {
    // More shards than suite files leaves some empty; the merge of all shards is held to the rule.
    process.stderr.write(`note: shard ${opts.shard.index}/${opts.shard.count} got no test; \`bm-conformance merge\` judges the whole run\n`);
    return { exitCode: 0, tests: [], ok: true, reportDir: opts.out };
  }
  if (tests.length === 0) {
    process.stderr.write(`bm-conformance run: no test matched${noMatchScope(opts, profiles)}; nothing ran\n`);
    return { exitCode: 2, tests: result.tests, ok: false, reportDir: opts.out };
  }
  if (!s.ok) {
    // An expectations entry that matched nothing is an error of the run, named with its nearest tests.
    for (const w of result.warnings.filter((x) => x.kind === 'unmatched-expectation' && x.message.includes('the run fails'))) process.stdout.write(`  ERROR ${w.message}\n`);
    for (const t of result.tests.filter((x) => x.verdict === 'fail' || x.verdict === 'error' || x.verdict === 'xpass').slice(0, 20)) {
      process.stdout.write(`  ${t.verdict.toUpperCase()} ${t.title ?? t.name}\n    id: ${t.name}\n    ${String(t.message ?? '').split('\n')[0]}\n    replay: ${t.replay ?? '-'}\n`);
    }
  }
  return { exitCode: s.ok ? 0 : 1, tests: result.tests, ok: s.ok, reportDir: opts.out, ...(target.startMs !== undefined ? { targetStartMs: target.startMs } : {}) };
}

/** `--strict-scope`: a test outside the declared scope is `unsupported`, as before scopes existed. */
export function strictScope(t: TestResult): TestResult {
  if (t.verdict !== 'out-of-scope') return t;
  return { ...t, verdict: 'unsupported', message: `${t.message ?? 'out of scope'} (--strict-scope: counted as unsupported)` };
}

/** Where nothing matched, for the "no test matched" message: the filter and the profiles. */
function noMatchScope(opts: RunOptions, profiles: readonly RunProfile[]): string {
  return `${opts.only !== undefined ? ` --only ${JSON.stringify(opts.only)}` : ''} in profile${profiles.length === 1 ? '' : 's'} ${profiles.join(',')}`;
}

/**
 * The configuration the target runs with: an image manifest's `config`, overridden per key by
 * `--config` (harness/expectations.ts matches entries against it).
 */
export function runConfig(opts: Pick<RunOptions, 'config' | 'target'>): Record<string, string> {
  return { ...manifestConfigOf(opts.target), ...(opts.config ?? {}) };
}

function manifestConfigOf(spec: RunOptions['target']): Record<string, string> {
  if (spec.kind !== 'image' || spec.value === undefined || !isManifestPath(spec.value)) return {};
  try {
    return loadManifest(spec.value).manifest.config ?? {};
  } catch {
    return {}; // opening the target reports an unreadable manifest
  }
}

/**
 * "Could not run" is still a result: one `error` per profile, in a written report, so CI shows
 * why (e.g. an image that never became ready, with its log) instead of nothing. Exit code 2.
 */
function openFailureReport(opts: RunOptions, r: { runId: string; started: Date; profiles: RunProfile[]; label: string; error: unknown }): RunOutcome {
  const e = r.error as Error & { trace?: unknown };
  const trace = Array.isArray(e.trace) ? (e.trace as string[]) : [];
  const tests: TestResult[] = r.profiles.map((p) => ({
    name: testName(p, 'target', [], 'start'),
    profile: p as Profile,
    area: 'target',
    caseId: 'start',
    requirementIds: [],
    verdict: 'error',
    durationMs: Date.now() - r.started.getTime(),
    message: `the target ${r.label} could not be opened: ${e?.message ?? String(e)}`.slice(0, 4000),
    ...(trace.length > 0 ? { trace: trace.slice(-40) } : {}),
  }));
  try {
    writeRunReports(opts, { runId: r.runId, started: r.started, profiles: r.profiles, tests, identity: { kind: opts.target.kind, ...(opts.target.kind === 'image' ? { image: opts.target.value } : opts.target.kind === 'url' ? { url: opts.target.value } : {}) } });
  } catch (we) {
    process.stderr.write(`bm-conformance run: could not write the report either: ${(we as Error).message}\n`);
  }
  return { exitCode: 2, tests, ok: false, reportDir: opts.out };
}

export interface ReportInput {
  runId: string;
  started: Date;
  profiles: RunProfile[];
  tests: TestResult[];
  identity: RunMeta['target'];
  expectationsFiles?: { path: string; sha256: string }[];
  config?: Record<string, string>;
  problems?: ReturnType<typeof applyExpectations>['problems'];
  warnings?: ReturnType<typeof applyExpectations>['warnings'];
  /** Profiles asked for that the target does not serve; `--strict-scope`. */
  scope?: { profilesOutOfScope?: string[]; strict?: boolean };
}

/** Build the run result and write the five reports into `opts.out`. */
export function writeRunReports(opts: Pick<RunOptions, 'argv' | 'seed' | 'only' | 'out' | 'baseline'>, r: ReportInput) {
  const { runId, started, profiles, expectationsFiles } = r;
  const registryText = readFileSync(join(ROOT, 'suites', 'requirements', 'requirements.json'), 'utf8');
  const finished = new Date();
  const meta: RunMeta = {
    tool: { name: 'bm-conformance', version: toolVersion(), node: process.version },
    runId,
    startedAt: started.toISOString().replace(/\.\d+Z$/, 'Z'),
    finishedAt: finished.toISOString().replace(/\.\d+Z$/, 'Z'),
    durationMs: finished.getTime() - started.getTime(),
    command: ['bm-conformance', 'run', ...opts.argv],
    profiles: profiles as Profile[],
    seed: opts.seed,
    host: `${process.platform}-${process.arch}`,
    target: r.identity,
    vectors: {
      manifestPath: 'vectors/manifest.json',
      manifestSha256: manifestSha256(),
      requirementsSha256: createHash('sha256').update(registryText).digest('hex'),
    },
  };
  if (opts.only) meta.filter = opts.only;
  if (expectationsFiles !== undefined && expectationsFiles.length > 0) {
    meta.expectationsFile = expectationsFiles[0]!;
    if (expectationsFiles.length > 1) meta.expectationsFiles = expectationsFiles;
  }
  if (r.config !== undefined && Object.keys(r.config).length > 0) meta.config = r.config;
  // What proves each test could fail (suites/requirements/failproof.ts): a requirement passes only with one such test.
  const faults = faultSwitchesByTest();
  const tests = r.tests.map((t) => {
    const evidence = testEvidence(t, ROOT, faults);
    return evidence === undefined ? t : { ...t, evidence };
  });
  const result = buildRunResult({ meta, tests, registry: normaliseRegistry(JSON.parse(registryText)), expectationProblems: r.problems ?? [], warnings: r.warnings ?? [], ...(r.scope !== undefined ? { scope: r.scope } : {}) });
  const paths = writeReports(result, opts.out, opts.baseline !== undefined ? { baseline: loadBaseline(opts.baseline) } : {});
  return { result, paths };
}

/** vitest's options for a run of the profile suites (suites/vitest.suites.config.ts). */
function vitestOptions(opts: RunOptions, reporter: object) {
  return {
    config: join(ROOT, 'suites', 'vitest.suites.config.ts'),
    root: opts.suitesRoot ?? ROOT,
    watch: false,
    reporters: [reporter as never],
    testTimeout: opts.timeoutMs,
    passWithNoTests: true,
    ...(opts.shard !== undefined ? { shard: `${opts.shard.index}/${opts.shard.count}` } : {}),
  };
}

const suiteFilters = (profiles: RunProfile[], opts: RunOptions) => opts.suiteFiles ?? profiles.map((p) => `suites/${p}/`);

/** A suite file that failed to load has no test results: one `error` keeps it in the report. */
function loadError(m: TestModule, root: string): TestResult | undefined {
  const errs = m.errors();
  if (errs.length === 0 || [...m.children.allTests()].length > 0) return undefined;
  const rel = m.moduleId.slice(root.length + 1);
  const profile = (rel.split('/')[1] ?? 'library') as Profile;
  return { name: `${profile} › load › - › ${rel}`, profile, area: 'load', caseId: rel, requirementIds: [], verdict: 'error', durationMs: 0, message: `suite file could not run: ${errs[0]!.message}` };
}

/**
 * Collect the suite files (their top-level code and declarations run; no test does) and give
 * each test's report identity, in file order. `--list` prints these; `--only` runs the matches.
 */
async function collectSuites(profiles: RunProfile[], opts: RunOptions, reporter: object = {}) {
  const { createVitest } = await import('vitest/node');
  const root = opts.suitesRoot ?? ROOT;
  const vitest = await createVitest('test', vitestOptions(opts, reporter), {}, { stdout: devNull(), stderr: process.stderr });
  try {
    const collected = await vitest.collect(suiteFilters(profiles, opts));
    const tests = collected.testModules.flatMap((m) => [...m.children.allTests()].map((tc) => ({ module: m, tc, id: describeTest(tc, root) })));
    const loadErrors = collected.testModules.map((m) => loadError(m, root)).filter((r): r is TestResult => r !== undefined);
    return { vitest, tests, loadErrors };
  } catch (e) {
    await vitest.close();
    throw e;
  }
}

async function listSuites(profiles: RunProfile[], opts: RunOptions): Promise<string[]> {
  const { vitest, tests, loadErrors } = await collectSuites(profiles, opts);
  await vitest.close();
  for (const e of loadErrors) process.stderr.write(`bm-conformance run --list: ${e.caseId}: ${e.message}\n`);
  const only = opts.only ? toPattern(opts.only) : undefined;
  return tests.filter(({ tc, id }) => !only || only.test(id.name) || only.test(tc.fullName)).map(({ id }) => id.name).sort();
}

/**
 * Runs the selected tests in two passes: every test first, then the tests that declare
 * `meta.takesTargetDown` (suites/_support/meta.ts), one after another. A test that may crash the
 * target (a real server's remote crash, issue "Go truth") then cannot turn the rest of the run
 * into `error`s, and one run over all profiles still gets a true verdict for every test.
 */
async function runSuites(profiles: RunProfile[], opts: RunOptions, replay: (t: { profile: string; caseId: string; name: string }) => string): Promise<TestResult[]> {
  const root = opts.suitesRoot ?? ROOT;
  const results: TestResult[] = [];
  const progress = new Progress(process.stderr);
  // --only matches the report's stable names (or vitest's own full names); vitest's name filter
  // only knows its own names, so the selection is made on the collected tests and run by test id.
  const only = opts.only ? toPattern(opts.only) : undefined;
  const selected = (name: string, vitestName: string) => !only || only.test(name) || only.test(vitestName);
  // The ids of the pass that is running: collection events are not results, and a file run for
  // some of its tests reports the others as skipped, which are not results of this pass either.
  let passIds = new Set<string>();
  const reporter = {
    onTestCaseResult(tc: Parameters<typeof toTestResult>[0]) {
      if (passIds.has(tc.id)) progress.tick(toTestResult(tc, { root, replay }));
    },
    onTestRunEnd(modules: ReadonlyArray<TestModule>) {
      for (const m of modules) {
        for (const tc of m.children.allTests()) if (passIds.has(tc.id)) results.push(toTestResult(tc, { root, replay }));
      }
    },
  };
  const { vitest, tests, loadErrors } = await collectSuites(profiles, opts, reporter);
  try {
    results.push(...loadErrors);
    const picked = tests.filter(({ tc, id }) => selected(id.name, tc.fullName));
    const last = picked.filter(({ tc }) => typeof tc.meta().takesTargetDown === 'string');
    const passes = [picked.filter((t) => !last.includes(t)), ...last.map((t) => [t])];
    // The collected files are already this shard's (vitest shards collection too); sharding them again would split the shard.
    (vitest.config as { shard?: unknown }).shard = undefined;
    for (const pass of passes) {
      if (pass.length === 0) continue;
      const byModule = new Map<TestModule, string[]>();
      for (const { module, tc } of pass) byModule.set(module, [...(byModule.get(module) ?? []), tc.id]);
      passIds = new Set(pass.map(({ tc }) => tc.id));
      await vitest.runTestSpecifications([...byModule].map(([m, ids]) => m.project.createSpecification(m.moduleId, { testIds: ids })));
    }
    passIds = new Set();
    // A selected test vitest never reported (its worker died before the file ended) is still a result.
    const seen = new Set(results.map((r) => r.name));
    for (const { id } of picked) {
      if (seen.has(id.name)) continue;
      results.push({ ...id, verdict: 'error', durationMs: 0, message: 'the test did not run: vitest reported no result for it (its worker stopped before the file ended)', replay: replay({ profile: id.profile, caseId: id.caseId, name: id.name }) });
    }
  } finally {
    await vitest.close();
  }
  progress.done();
  return results;
}

/** An `--only` pattern that matches `name` and no other (a bare name also matches longer names). */
export function exactly(name: string): string {
  return `/^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$/`;
}

export function toPattern(only: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(only);
  // g and y make RegExp.test stateful, and a pattern is tested once per test name.
  if (m) return new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ''));
  return new RegExp(only.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** vitest's own console output is replaced by the progress line and the reports. */
function devNull(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}
