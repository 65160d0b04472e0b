/**
 * The run result model: what one conformance run found, in the shape every report writer reads
 * (DESIGN.md contract 6 "Reports"; schema: schemas/report_schema_v1.json).
 *
 * A run produces flat per-test results; `buildRunResult` adds the per-requirement aggregation
 * (with the requirement registry handed in as data, so this module never reads a path), the
 * requirements no test covered, and the summary counts. Verdicts:
 *
 * - `pass`, `fail` — the implementation met / did not meet the requirement;
 * - `error` — the harness could not get an answer (timeout, crash, garbage): counted apart from
 *   `fail` so "could not run" never reads as "ran and failed" (STYLE.md "Harness and adapters");
 * - `unsupported` — the implementation declared it does not do this (adapter `unsupported`)
 *   inside its declared scope: a finding;
 * - `out-of-scope` — the test needs an op (or profile) the target does not declare (an op its
 *   adapter's `hello` does not list): counted and shown, never a pass, but not failing the run
 *   (DESIGN.md contract 8; `run --strict-scope` turns it back into `unsupported`);
 * - `xfail` — failed, but listed in the implementation's expectations file (a known gap);
 * - `xpass` — listed as a known failure but passed: the run fails so the stale entry is removed.
 *
 * A requirement whose tests all pass is `pass` (met) only when at least one passing test is
 * evidence that could fail (`TestResult.evidence`: a negative vector, a known answer no trivial
 * implementation gives, a test a fault switch is proven to break, or one no hostile target
 * passes; suites/requirements/failproof.ts decides from data). Without one it is `weak`: an
 * always-`ok` or always-`valid` stub would have met it too, so it counts as not met.
 *
 * The run fails (`summary.ok === false`) on any `fail`, `error`, `unsupported` or `xpass`, an
 * expired expectations entry or one that matched nothing although the run included its tests, or
 * when it has no test inside its declared scope (nothing at all, or all `out-of-scope`). report.json is this model mapped to schemas/report_schema_v1.json
 * (reports/json.ts); the md/html writers also show the registry text of each requirement.
 * @module
 */

export const REPORT_SCHEMA_VERSION = 1 as const;
/** `$id` of the JSON schema report.json conforms to, and the `schema` name it carries. */
export const REPORT_SCHEMA_ID = 'https://bitmaelum-conformance.invalid/schemas/report_schema_v1.json';
export const REPORT_SCHEMA_NAME = 'report_schema_v1.json';

/** Test verdicts, as report_schema_v1.json `$defs/Verdict` names them. */
export const VERDICTS = ['pass', 'fail', 'error', 'unsupported', 'xfail', 'xpass', 'out-of-scope'] as const;
export type Verdict = (typeof VERDICTS)[number];
/**
 * Verdicts that make a run fail. `unsupported` is one: exit 0 means every result is a pass or an
 * expected failure, so a feature the implementation does not do is excused only by naming it in
 * its expectations file (an entry with `"verdict": "unsupported"`), never by silence.
 */
export const FAILING_VERDICTS: readonly Verdict[] = ['fail', 'error', 'unsupported', 'xpass'];
/** One-line meaning of each verdict, for report legends. */
export const VERDICT_MEANING: Record<Verdict | 'untested' | 'weak', string> = {
  pass: 'met the requirement',
  fail: 'did not meet the requirement',
  error: 'could not run: crash, timeout or garbage from the target',
  unsupported: 'the implementation declared it does not do this, inside its declared scope (a finding)',
  'out-of-scope': 'outside what the target declares it implements (its hello ops): shown, not run, not failing',
  xfail: 'failed, as its expectations file says (known gap)',
  xpass: 'listed as a known failure but passed: remove the entry (fails the run)',
  untested: 'no test in this run names the requirement',
  weak: 'tests pass, but none of them is a negative, a refusal or a known answer a trivial implementation fails: not met',
};

export const LEVELS = ['MUST', 'SHOULD', 'MAY'] as const;
export type Level = (typeof LEVELS)[number];

export const PROFILES = ['library', 'server', 'resolver', 'client', 'interop'] as const;
export type Profile = (typeof PROFILES)[number];

export const TARGET_KINDS = ['builtin', 'url', 'command', 'image'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * Requirement verdict: a test verdict, `untested` when no test names the requirement, or `weak`
 * when its tests pass but none of the passing ones is evidence that could fail.
 */
export type RequirementVerdict = Verdict | 'untested' | 'weak';

/** What proves a passing test could have failed (suites/requirements/failproof.ts), strongest first. */
export const EVIDENCE_KINDS = ['fault-switch', 'negative-vector', 'known-answer', 'hostile-target'] as const;
export type Evidence = (typeof EVIDENCE_KINDS)[number];

/** Separator of the parts of a stable test name (U+203A, as connectrpc/conformance and vitest print). */
export const NAME_SEPARATOR = ' › ';

/** Implementation identity, as the adapter's `hello` answers it (ADAPTER.md) or a manifest states it. */
export interface Implementation {
  name: string;
  version: string;
  language: string;
}

/** What was tested and how it was reached (DESIGN.md contract 4). */
export interface TargetIdentity {
  kind: TargetKind;
  /** Base URL of a `url` target (or the URL the harness used for an `image` target). */
  url?: string;
  /** The adapter argv of a `command` target. */
  command?: string[];
  /** Image reference of an `image` target, as given (`registry/name:tag`). */
  image?: string;
  /** Content digest (`sha256:…`) the image reference resolved to. */
  imageDigest?: string;
  implementation?: Implementation;
}

/** An expectations entry (expectations_schema_v1.json `$defs/Entry`); see harness/expectations.ts. */
export interface ExpectationEntry {
  /** A requirement id: every test naming it. */
  requirement?: string;
  /** A vector case `<file>#<tcId>` (the file part may hold `*`). */
  case?: string;
  /** A glob over the full stable test name (`*` any run, `?` one character). */
  test?: string;
  /** Why the implementation fails this (names the defect). */
  reason: string;
  /** Issue or spec reference. */
  link?: string;
  /** Last day (YYYY-MM-DD, UTC) the entry excuses a failure. */
  expires?: string;
  /** The non-pass verdict expected (default `fail`); the only verdict the entry excuses. */
  verdict?: 'fail' | 'error' | 'unsupported';
  /** Settings the run must declare (`--config key=value`) for the entry to apply, e.g. `{storage: 'bolt'}`. */
  config?: Record<string, string>;
}

export interface RunMeta {
  tool: { name: 'bm-conformance'; version: string; node: string };
  /** Unique id of the run (e.g. a UUID); names artefacts of one run. */
  runId: string;
  /** RFC 3339 UTC timestamps. */
  startedAt: string;
  finishedAt: string;
  /** Whole milliseconds. */
  durationMs: number;
  /** argv of the run, so it can be repeated. */
  command: string[];
  profiles: Profile[];
  /** The run seed, lowercase hex (common_schema_v1.json SeedHex): the same seed, vectors and target replay the run. */
  seed: string;
  /** Test-name filter (`-t`), if any. */
  filter?: string;
  /** OS and architecture of the harness host. */
  host?: string;
  target: TargetIdentity;
  /** Exactly which vectors and requirements the run used, by hash. */
  vectors: { manifestPath: string; manifestSha256: string; requirementsSha256: string };
  /** The expectations file applied, if any (path as given, and the SHA-256 of its bytes). */
  expectationsFile?: { path: string; sha256: string };
  /** Every expectations file applied, in order, when the run applied more than one (`--expect` repeated). */
  expectationsFiles?: { path: string; sha256: string }[];
  /** The configuration the run declared (`--config key=value`), which selects expectations entries. */
  config?: Record<string, string>;
}

/** The vector case a test ran, when it ran one. */
export interface VectorRef {
  /** Repository-relative path of the vector file. */
  file: string;
  sha256?: string;
  tcId: number | string;
  /** The case's graded verdict. */
  result: 'valid' | 'invalid' | 'acceptable';
  flags?: string[];
}

/** The expectations entry that changed (or matched) a test's verdict. */
export interface AppliedExpectation {
  /** Index of the entry in the expectations file. */
  index: number;
  entry: ExpectationEntry;
  /** The verdict the test had before the expectation was applied. */
  originalVerdict: Verdict;
  /** The expectations file of the entry, when the run applied several. */
  file?: string;
}

export interface TestResult {
  /** Stable full name: `profile › area › REQ-ID › case` (see `testName`). */
  name: string;
  profile: Profile;
  area: string;
  /** Case id (vector tcId or scenario slug); stable, never reused. */
  caseId: string;
  requirementIds: string[];
  verdict: Verdict;
  durationMs: number;
  vector?: VectorRef;
  /** Expected value (any JSON); present on a comparison. */
  expected?: unknown;
  /** Actual value (any JSON) the target answered, or the error it raised. */
  actual?: unknown;
  /** One-paragraph explanation for a non-pass verdict, or a note. */
  message?: string;
  /** Wire trace or log excerpt, one line per element (adapter lines, HTTP exchange), bounded by the producer. */
  trace?: string[];
  /** A shell command that reruns this one case. */
  replay?: string;
  expectation?: AppliedExpectation;
  /** Why a pass of this test could not be had by a trivial implementation; absent: nothing shows it. */
  evidence?: Evidence;
  /** The sentence the test's author wrote (its vitest title), in full; `name` stays its id. */
  title?: string;
  /**
   * The unit of declared scope the test belongs to, `op <name>` for adapter ops: a run reports
   * which units were in scope and groups out-of-scope tests by it.
   */
  scope?: string;
}

/** A requirement as the registry describes it; extra registry fields are ignored. */
export interface RequirementInfo {
  id: string;
  level: Level;
  text?: string;
  source?: string;
  goConforms?: boolean;
  /** Why a run might not test it: the registry coverage reason (planned / uncovered). */
  coverageNote?: string;
}

export type VerdictCounts = Record<Verdict, number>;

export interface RequirementResult {
  id: string;
  level: Level;
  text?: string;
  source?: string;
  goConforms?: boolean;
  verdict: RequirementVerdict;
  /** Names of the tests that check this requirement. */
  tests: string[];
  counts: VerdictCounts;
  /** Passing tests that carry evidence (`TestResult.evidence`); a pass needs at least one. */
  evidenced: number;
}

export interface UntestedRequirement {
  id: string;
  level: Level;
  /** Registry coverage reason, or "not selected in this run". */
  reason: string;
}

export interface LevelSummary {
  /** Requirements of this level in the registry (plus any named by a test but absent from it). */
  total: number;
  passed: number;
  failed: number;
  errored: number;
  unsupported: number;
  xfailed: number;
  /** Requirements whose tests are all outside the declared scope (not met, not failing). */
  outOfScope: number;
  untested: number;
  /** Requirements whose tests pass without evidence that could fail (not counted as passed). */
  weak: number;
}

/** One unit of declared scope (an adapter op) and how its tests went. */
export interface ScopeUnit {
  unit: string;
  inScope: boolean;
  tests: number;
  counts: VerdictCounts;
  /** Requirements no in-scope test of this run checks, that tests of this (out-of-scope) unit would have. */
  requirementsLeftUntested: string[];
}

/** What the target declared it implements, and what that left out (DESIGN.md contract 8). */
export interface ScopeSummary {
  units: ScopeUnit[];
  /** Profiles asked for that the target does not serve (not run). */
  profilesOutOfScope?: string[];
  /** `--strict-scope`: out-of-scope tests were counted as `unsupported`. */
  strict?: boolean;
}

export interface Summary {
  /** Number of tests, and tests per verdict. */
  tests: number;
  verdicts: VerdictCounts;
  requirements: Record<Level, LevelSummary>;
  /** True when the run has in-scope tests, none is `fail`, `error`, `unsupported` or `xpass`, and no expectations entry is expired or `unmatched`. */
  ok: boolean;
}

/** An expectations entry that did not behave (report_schema_v1.json `expectations`). */
export interface ExpectationProblem {
  index: number;
  entry: ExpectationEntry;
  /**
   * `xpass`, `expired` and `unmatched` (matched nothing although the run included its tests) fail
   * the run; `not-run` (the entry is about tests this run did not include) is a note.
   */
  problem: 'xpass' | 'expired' | 'unmatched' | 'not-run';
  /** The expectations file of the entry, when the run applied several. */
  file?: string;
}

export interface ReportWarning {
  kind: 'unmatched-expectation' | 'expired-expectation' | 'unknown-requirement' | 'duplicate-test' | 'other';
  message: string;
}

export interface RunResult {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  meta: RunMeta;
  tests: TestResult[];
  requirements: RequirementResult[];
  /** Registry requirements that no test names, by id. */
  untested: UntestedRequirement[];
  expectationProblems: ExpectationProblem[];
  /** For people reading md/html: expectation problems in words, unknown requirement ids, duplicate names. */
  warnings: ReportWarning[];
  summary: Summary;
  /** Units of declared scope (present when any test carries one). */
  scope?: ScopeSummary;
}

/**
 * The stable full name of a test: `profile › area › REQ-ID › case`, with several requirement ids
 * joined by `+`. Expectations files and `vitest -t` match on this name, so it never contains
 * anything run-dependent.
 * @example testName('library', 'header', ['BM-HDR-004'], 'tc12') // 'library › header › BM-HDR-004 › tc12'
 */
export function testName(profile: string, area: string, requirementIds: readonly string[], caseId: string): string {
  const req = requirementIds.length > 0 ? requirementIds.join('+') : '-';
  return [profile, area, req, caseId].join(NAME_SEPARATOR);
}

export function emptyCounts(): VerdictCounts {
  return { pass: 0, fail: 0, error: 0, unsupported: 0, xfail: 0, xpass: 0, 'out-of-scope': 0 };
}

/**
 * The verdict of a requirement from its tests' verdicts. A single failing test fails the
 * requirement; then `error` (could not tell); then `xfail` (a known gap is still a gap even if
 * other tests pass); `pass` needs at least one pass, and at least one passing test with evidence
 * (`evidenced`), else `weak`; all-`unsupported` is `unsupported`; all `out-of-scope` (no test
 * inside the declared scope checks it) is `out-of-scope`: never met.
 */
export function requirementVerdict(counts: VerdictCounts, evidenced: number): RequirementVerdict {
  if (counts.fail + counts.xpass > 0) return 'fail';
  if (counts.error > 0) return 'error';
  if (counts.xfail > 0) return 'xfail';
  if (counts.pass > 0) return evidenced > 0 ? 'pass' : 'weak';
  if (counts.unsupported > 0) return 'unsupported';
  if (counts['out-of-scope'] > 0) return 'out-of-scope';
  return 'untested';
}

/**
 * Reads a requirement registry in the shapes the registry file may take: an array of entries or
 * an object with a `requirements` array. Only `id`, `level`, `text` and `source` are used.
 * @throws TypeError when the data holds no usable entries list or an entry lacks id/level.
 */
export function normaliseRegistry(data: unknown): RequirementInfo[] {
  const list = Array.isArray(data)
    ? data
    : data !== null && typeof data === 'object' && Array.isArray((data as { requirements?: unknown }).requirements)
      ? (data as { requirements: unknown[] }).requirements
      : null;
  if (list === null) throw new TypeError('requirement registry: expected an array or {requirements: [...]}');
  return list.map((e, i) => {
    if (e === null || typeof e !== 'object') throw new TypeError(`requirement registry[${i}]: expected an object`);
    const r = e as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id === '') throw new TypeError(`requirement registry[${i}].id: expected a string`);
    if (!(LEVELS as readonly unknown[]).includes(r.level)) {
      throw new TypeError(`requirement registry[${i}].level: expected MUST/SHOULD/MAY, got ${JSON.stringify(r.level)}`);
    }
    const info: RequirementInfo = { id: r.id, level: r.level as Level };
    if (typeof r.text === 'string') info.text = r.text;
    if (typeof r.go_conforms === 'boolean') info.goConforms = r.go_conforms;
    const note = coverageNote(r.coverage);
    if (note !== undefined) info.coverageNote = note;
    if (typeof r.source === 'string') info.source = r.source;
    else if (r.source !== null && typeof r.source === 'object') info.source = sourceText(r.source as Record<string, unknown>);
    return info;
  });
}

/** The registry's coverage block (requirements_schema_v1.json) as the reason a requirement may go untested. */
function coverageNote(c: unknown): string | undefined {
  if (c === null || typeof c !== 'object') return undefined;
  const cov = c as { status?: unknown; reason?: unknown; kinds?: unknown; note?: unknown };
  if (cov.status === 'uncovered' && typeof cov.reason === 'string') return `uncovered: ${cov.reason}`;
  if (cov.status === 'planned') return `planned${Array.isArray(cov.kinds) ? ` (${cov.kinds.join(', ')})` : ''}${typeof cov.note === 'string' ? `: ${cov.note}` : ''}`;
  return undefined;
}

/**
 * A registry `source` object flattened to one line for reports. The registry
 * (requirements_schema_v1.json) writes `{spec: ["formats.md §4.3"], go: ["file.go:12"]}`;
 * spec references are shown as they are, other keys as `key: a, b`.
 */
function sourceText(src: Record<string, unknown>): string {
  const part = (v: unknown): string =>
    Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').join(', ') : typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  return Object.entries(src)
    .map(([k, v]) => [k, part(v)] as const)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => (k === 'spec' ? v : `${k}: ${v}`))
    .join('; ');
}

/** Level of a requirement id absent from the registry: guessed as MUST so a gap is never hidden. */
const UNKNOWN_LEVEL: Level = 'MUST';

export interface BuildInput {
  meta: RunMeta;
  tests: TestResult[];
  /** Requirement registry entries (see `normaliseRegistry`); may be empty. */
  registry: readonly RequirementInfo[];
  /** Problems and warnings from applying the expectations file (harness/expectations.ts). */
  expectationProblems?: ExpectationProblem[];
  warnings?: ReportWarning[];
  /** Profiles asked for that the target does not serve, and whether the run was `--strict-scope`. */
  scope?: { profilesOutOfScope?: string[]; strict?: boolean };
}

/**
 * Assembles a RunResult: sorts tests by name, aggregates per requirement (registry order, then
 * ids unknown to the registry), lists untested registry requirements (with the registry's
 * coverage reason) and computes the summary. Call it after applyExpectations.
 */
export function buildRunResult(input: BuildInput): RunResult {
  const warnings: ReportWarning[] = [...(input.warnings ?? [])];
  const tests = [...input.tests].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set<string>();
  for (const t of tests) {
    if (seen.has(t.name)) warnings.push({ kind: 'duplicate-test', message: `two results share the name "${t.name}"` });
    seen.add(t.name);
  }

  const reqs = new Map<string, RequirementResult>();
  for (const r of input.registry) {
    if (reqs.has(r.id)) continue;
    const rr: RequirementResult = { id: r.id, level: r.level, verdict: 'untested', tests: [], counts: emptyCounts(), evidenced: 0 };
    if (r.text !== undefined) rr.text = r.text;
    if (r.source !== undefined) rr.source = r.source;
    if (r.goConforms !== undefined) rr.goConforms = r.goConforms;
    reqs.set(r.id, rr);
  }
  const unknown = new Set<string>();
  for (const t of tests) {
    for (const id of new Set(t.requirementIds)) {
      let rr = reqs.get(id);
      if (rr === undefined) {
        rr = { id, level: UNKNOWN_LEVEL, verdict: 'untested', tests: [], counts: emptyCounts(), evidenced: 0 };
        reqs.set(id, rr);
        unknown.add(id);
      }
      rr.tests.push(t.name);
      rr.counts[t.verdict] += 1;
      if (t.verdict === 'pass' && t.evidence !== undefined) rr.evidenced += 1;
    }
  }
  if (input.registry.length > 0) {
    for (const id of [...unknown].sort()) {
      warnings.push({ kind: 'unknown-requirement', message: `a test names ${id}, which the requirement registry does not define (counted as MUST)` });
    }
  }
  const requirements = [...reqs.values()];
  for (const rr of requirements) rr.verdict = requirementVerdict(rr.counts, rr.evidenced);

  const verdicts = emptyCounts();
  for (const t of tests) verdicts[t.verdict] += 1;
  const levels = {} as Record<Level, LevelSummary>;
  for (const level of LEVELS) {
    levels[level] = { total: 0, passed: 0, failed: 0, errored: 0, unsupported: 0, xfailed: 0, outOfScope: 0, untested: 0, weak: 0 };
  }
  for (const rr of requirements) {
    const s = levels[rr.level];
    s.total += 1;
    switch (rr.verdict) {
      case 'pass': s.passed += 1; break;
      case 'fail': s.failed += 1; break;
      case 'error': s.errored += 1; break;
      case 'unsupported': s.unsupported += 1; break;
      case 'xfail': s.xfailed += 1; break;
      case 'untested': s.untested += 1; break;
      case 'weak': s.weak += 1; break;
      case 'out-of-scope': s.outOfScope += 1; break;
      case 'xpass': s.failed += 1; break; // not produced by requirementVerdict; kept for exhaustiveness
    }
  }
  const expectationProblems = input.expectationProblems ?? [];
  // A run that executed nothing proved nothing: never green (DESIGN.md contract 7); nor does one
  // whose every test lies outside what the target declares.
  const ok = tests.length > verdicts['out-of-scope'] && FAILING_VERDICTS.every((v) => verdicts[v] === 0) && !expectationProblems.some((p) => p.problem === 'expired' || p.problem === 'unmatched');
  const notes = new Map(input.registry.map((r) => [r.id, r.coverageNote] as const));

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    meta: input.meta,
    tests,
    requirements,
    untested: requirements
      .filter((r) => r.verdict === 'untested')
      .map((r) => ({ id: r.id, level: r.level, reason: notes.get(r.id) ?? 'not selected in this run' })),
    expectationProblems,
    warnings,
    summary: { tests: tests.length, verdicts, requirements: levels, ok },
    ...scopeOf(tests, requirements, input.scope),
  };
}

/**
 * The scope section: every unit (op) the tests name, in scope or not, with its verdict counts and,
 * for an out-of-scope unit, the requirements it leaves with no in-scope test.
 */
function scopeOf(tests: readonly TestResult[], requirements: readonly RequirementResult[], declared: BuildInput['scope']): { scope?: ScopeSummary } {
  const units = new Map<string, ScopeUnit>();
  const reqsOf = new Map<string, Set<string>>();
  for (const t of tests) {
    if (t.scope === undefined) continue;
    let u = units.get(t.scope);
    if (u === undefined) {
      u = { unit: t.scope, inScope: false, tests: 0, counts: emptyCounts(), requirementsLeftUntested: [] };
      units.set(t.scope, u);
      reqsOf.set(t.scope, new Set());
    }
    u.tests += 1;
    u.counts[t.verdict] += 1;
    const outside = t.verdict === 'out-of-scope' || t.expectation?.originalVerdict === 'out-of-scope';
    if (!outside) u.inScope = true;
    for (const id of t.requirementIds) reqsOf.get(t.scope)!.add(id);
  }
  const profilesOutOfScope = declared?.profilesOutOfScope ?? [];
  if (units.size === 0 && profilesOutOfScope.length === 0 && !declared?.strict) return {};
  const unmet = new Set(requirements.filter((q) => q.verdict === 'out-of-scope').map((q) => q.id));
  for (const u of units.values()) if (!u.inScope) u.requirementsLeftUntested = [...reqsOf.get(u.unit)!].filter((id) => unmet.has(id)).sort();
  const scope: ScopeSummary = { units: [...units.values()].sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0)) };
  if (profilesOutOfScope.length > 0) scope.profilesOutOfScope = [...profilesOutOfScope];
  if (declared?.strict) scope.strict = true;
  return { scope };
}

/**
 * One sentence on the declared scope, e.g. "2 ops in scope, all 74 cases pass; 30 ops out of
 * scope", for headlines; undefined when the run has no scope units.
 */
export function scopeHeadline(r: Pick<RunResult, 'scope'>): string | undefined {
  const units = r.scope?.units;
  if (units === undefined || units.length === 0) return undefined;
  const inside = units.filter((u) => u.inScope);
  const outside = units.length - inside.length;
  const cases = inside.reduce((n, u) => n + u.tests, 0);
  const passed = inside.reduce((n, u) => n + u.counts.pass, 0);
  const noun = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const how = inside.length === 0 ? 'nothing to run' : passed === cases ? `all ${cases} cases pass` : `${passed} of ${cases} cases pass`;
  return `${noun(inside.length, 'op')} in scope, ${how}; ${noun(outside, 'op')} out of scope`;
}

/** Every verdict count in one line, e.g. "74 pass, 0 fail, 0 error, 0 xfail, 0 unsupported, 1322 out of scope". */
export function verdictLine(v: VerdictCounts): string {
  const parts = [`${v.pass} pass`, `${v.fail} fail`, `${v.error} error`, `${v.xfail} xfail`, `${v.unsupported} unsupported`, `${v['out-of-scope']} out of scope`];
  if (v.xpass > 0) parts.splice(2, 0, `${v.xpass} xpass`);
  return parts.join(', ');
}

/** Requirement counts of one level, kept apart: met, not met in scope, out of scope, no test. */
export function requirementLine(level: Level, x: LevelSummary): string {
  const inScope = x.total - x.outOfScope - x.untested;
  return `${level}: ${x.passed} of ${inScope} in scope met${x.weak > 0 ? ` (${x.weak} weak)` : ''}; ${x.outOfScope} out of scope; ${x.untested} with no test in this run`;
}

/** Key/value metadata of a run (tool, seed, vector manifest hash, target identity), for the writers. */
export function runProperties(r: RunResult): [string, string][] {
  const m = r.meta;
  const p: [string, string][] = [
    ['tool', `${m.tool.name} ${m.tool.version} (node ${m.tool.node})`],
    ['run', m.runId],
    ['command', m.command.join(' ')],
    ['seed', m.seed],
    ['vectors', `${m.vectors.manifestPath} sha256:${m.vectors.manifestSha256}`],
    ['requirements', `sha256:${m.vectors.requirementsSha256}`],
    ['target.kind', m.target.kind],
  ];
  if (m.filter !== undefined) p.push(['filter', m.filter]);
  if (m.host !== undefined) p.push(['host', m.host]);
  if (m.target.url !== undefined) p.push(['target.url', m.target.url]);
  if (m.target.command !== undefined) p.push(['target.command', m.target.command.join(' ')]);
  if (m.target.image !== undefined) p.push(['target.image', m.target.image]);
  if (m.target.imageDigest !== undefined) p.push(['target.image_digest', m.target.imageDigest]);
  if (m.target.implementation !== undefined) {
    const i = m.target.implementation;
    p.push(['target.implementation', `${i.name} ${i.version} (${i.language})`]);
  }
  for (const f of m.expectationsFiles ?? (m.expectationsFile !== undefined ? [m.expectationsFile] : [])) p.push(['expectations', `${f.path} sha256:${f.sha256}`]);
  if (m.config !== undefined) p.push(['config', Object.entries(m.config).map(([k, v]) => `${k}=${v}`).join(',')]);
  return p;
}
