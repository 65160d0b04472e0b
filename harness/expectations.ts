/**
 * Expectations files: the known failures of one implementation, as data
 * (DESIGN.md contracts 6 "Reports" and 9 "Expectations"; schemas/expectations_schema_v1.json;
 * STYLE.md "Harness and adapters", after connectrpc/conformance `testing/*-known-failing.txt`).
 * One file per implementation, `implementations/<name>/expectations.json`:
 *
 * ```json
 * { "schema": "expectations_schema_v1.json",
 *   "implementation": "go-bitmaelum-suite-95952d1",
 *   "entries": [
 *     { "requirement": "BM-SRV-012", "reason": "…", "link": "spec/api.md §8.1", "expires": "2027-06-30" },
 *     { "test": "server › box › * › delete-*", "reason": "…", "verdict": "error" },
 *     { "test": "server › APIKEY › *", "reason": "…", "config": { "storage": "bolt" } },
 *     { "case": "vectors/header_signature_test.json#12", "reason": "…" } ] }
 * ```
 *
 * An entry selects tests by any of `requirement` (one of the test's requirement ids, exactly),
 * `test` (a glob over the full stable name `profile › area › REQ-ID › case`: `*` is any run of
 * characters, `?` one character) and `case` (`<vector file>#<tcId>`, the file part may be a
 * glob); when several are given all must match. An entry with `config` applies only to a run
 * that declares every one of those settings (`--config storage=bolt`); in any other run it is
 * not used at all. A run may apply several files (`--expect` given more than once, e.g. a server
 * file and a resolver file); entries keep their file and index. Listed tests still run. Applying:
 *
 * - a listed test whose verdict is the one the entry names (`verdict`, default `fail`; `error`;
 *   `unsupported`: a feature the implementation says it does not do) becomes `xfail`, keeping its
 *   original verdict;
 * - a listed test with another non-pass verdict keeps it — an entry excuses only the verdict it
 *   names, so a crash or a time-out on a test listed as `fail` stays `error` — and the report
 *   cites the entry in the test's message;
 * - a listed test that passed becomes `xpass`: the gap is fixed, remove the entry (run fails);
 * - an entry whose `expires` date (UTC, inclusive) has passed excuses nothing: matching failures
 *   stay failures, and the run fails even if the entry matches nothing;
 * - an entry that matches no test is `unmatched`, which fails the run, when the run included the
 *   tests it is about (a typo or a renamed test); otherwise it is `not-run` (its profile was not
 *   run, `--only` filtered, or it names only a requirement no test of the run checks), a note.
 * @module
 */

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { InvalidInput } from './protocol/errors.ts';
import { systemClock, type Clock } from './protocol/random.ts';
import { NAME_SEPARATOR, type AppliedExpectation, type ExpectationEntry, type ExpectationProblem, type ReportWarning, type TestResult } from '../reports/index.ts';

export type { ExpectationEntry } from '../reports/index.ts';

export const EXPECTATIONS_SCHEMA_NAME = 'expectations_schema_v1.json';

export interface ExpectationsFile {
  schema: typeof EXPECTATIONS_SCHEMA_NAME;
  /** The implementation the file is for (its folder name under implementations/). */
  implementation: string;
  entries: ExpectationEntry[];
  /** Where the file was read from (set by {@link loadExpectations}; not part of the JSON). */
  path?: string;
}

/** A run's declared configuration (`--config key=value`): what an entry's `config` is matched against. */
export type RunConfig = Readonly<Record<string, string>>;

/** A configuration key (`storage`, `resolver`, `mgmt.key`): lowercase, as `--config` takes it. */
export const CONFIG_KEY = /^[a-z][a-z0-9_.-]*$/;

const TOP_KEYS = new Set(['schema', 'implementation', 'entries']);
const ENTRY_KEYS = new Set(['requirement', 'test', 'case', 'reason', 'link', 'expires', 'verdict', 'config']);
const STRING_KEYS = ['requirement', 'test', 'case', 'reason', 'link', 'expires', 'verdict'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const REQUIREMENT_ID = /^BM-[A-Z]{2,8}-[0-9]{3}$/;
const CASE_REF = /^[^#]+#[A-Za-z0-9_.:-]+$/;
const ENTRY_VERDICTS = new Set(['fail', 'error', 'unsupported']);

function isValidDate(s: string): boolean {
  const m = DATE.exec(s);
  if (m === null) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/**
 * Checks parsed expectations JSON against the rules of expectations_schema_v1.json (same
 * fields, same patterns), so a bad file stops the run before any test starts.
 * @throws InvalidInput naming the field (unknown key, missing selector or reason, bad id/date).
 */
export function parseExpectations(data: unknown): ExpectationsFile {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new InvalidInput('expectations: expected a JSON object');
  const obj = data as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!TOP_KEYS.has(k)) throw new InvalidInput(`expectations: unknown field "${k}"`);
  if (obj.schema !== EXPECTATIONS_SCHEMA_NAME) throw new InvalidInput(`expectations.schema: expected "${EXPECTATIONS_SCHEMA_NAME}"`);
  if (typeof obj.implementation !== 'string' || obj.implementation === '') throw new InvalidInput('expectations.implementation: expected a non-empty string');
  if (!Array.isArray(obj.entries)) throw new InvalidInput('expectations.entries: expected an array');
  const out: ExpectationsFile = { schema: EXPECTATIONS_SCHEMA_NAME, implementation: obj.implementation, entries: [] };
  obj.entries.forEach((e, i) => {
    const where = `expectations.entries[${i}]`;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new InvalidInput(`${where}: expected an object`);
    const r = e as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!ENTRY_KEYS.has(k)) throw new InvalidInput(`${where}: unknown field "${k}"`);
    for (const k of STRING_KEYS) {
      if (r[k] !== undefined && (typeof r[k] !== 'string' || r[k] === '')) throw new InvalidInput(`${where}.${k}: expected a non-empty string`);
    }
    if (r.requirement === undefined && r.test === undefined && r.case === undefined) {
      throw new InvalidInput(`${where}: needs at least one of requirement, case, test`);
    }
    if (r.requirement !== undefined && !REQUIREMENT_ID.test(r.requirement as string)) {
      throw new InvalidInput(`${where}.requirement: expected an id BM-<AREA>-<NNN>, got ${JSON.stringify(r.requirement)}`);
    }
    if (r.case !== undefined && !CASE_REF.test(r.case as string)) {
      throw new InvalidInput(`${where}.case: expected "<vector file>#<tcId>", got ${JSON.stringify(r.case)}`);
    }
    if (r.reason === undefined || (r.reason as string).length < 5) throw new InvalidInput(`${where}.reason: required, at least 5 characters`);
    if (r.expires !== undefined && !isValidDate(r.expires as string)) {
      throw new InvalidInput(`${where}.expires: expected a date YYYY-MM-DD, got ${JSON.stringify(r.expires)}`);
    }
    if (r.verdict !== undefined && !ENTRY_VERDICTS.has(r.verdict as string)) {
      throw new InvalidInput(`${where}.verdict: expected fail, error or unsupported, got ${JSON.stringify(r.verdict)}`);
    }
    const config = r.config === undefined ? undefined : parseConfig(r.config, `${where}.config`);
    // Fixed key order (selectors, reason, link, expires, verdict, config) so rewriting a file is stable.
    const entry = {} as ExpectationEntry;
    for (const k of ['requirement', 'case', 'test', 'reason', 'link', 'expires'] as const) {
      if (r[k] !== undefined) entry[k] = r[k] as string;
    }
    if (r.verdict !== undefined) entry.verdict = r.verdict as ExpectationEntry['verdict'];
    if (config !== undefined) entry.config = config;
    out.entries.push(entry);
  });
  return out;
}

/**
 * Checks an entry's `config`: a non-empty object of setting name → value, both non-empty strings.
 * @throws InvalidInput naming the field.
 */
function parseConfig(v: unknown, where: string): Record<string, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidInput(`${where}: expected an object of setting → value, e.g. {"storage": "bolt"}`);
  const out: Record<string, string> = {};
  const keys = Object.keys(v).sort();
  if (keys.length === 0) throw new InvalidInput(`${where}: expected at least one setting (leave config out for an entry that always applies)`);
  for (const k of keys) {
    if (!CONFIG_KEY.test(k)) throw new InvalidInput(`${where}: setting name ${JSON.stringify(k)} must match ${CONFIG_KEY.source}`);
    const val = (v as Record<string, unknown>)[k];
    if (typeof val !== 'string' || val === '') throw new InvalidInput(`${where}.${k}: expected a non-empty string`);
    out[k] = val;
  }
  return out;
}

/**
 * Parses `--config` values (`key=value`, repeatable) into a run configuration.
 * @throws InvalidInput for a value without `=`, a bad key, an empty value, or one key given twice
 *   with different values.
 * @example parseRunConfig(['storage=bolt']) // { storage: 'bolt' }
 */
export function parseRunConfig(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of values) {
    const i = kv.indexOf('=');
    const k = i < 0 ? kv : kv.slice(0, i);
    const val = i < 0 ? '' : kv.slice(i + 1);
    if (i < 0 || !CONFIG_KEY.test(k) || val === '') throw new InvalidInput(`--config: expected key=value with a key matching ${CONFIG_KEY.source}, got ${JSON.stringify(kv)}`);
    if (out[k] !== undefined && out[k] !== val) throw new InvalidInput(`--config: ${k} given twice (${out[k]}, ${val})`);
    out[k] = val;
  }
  return out;
}

/**
 * Reads and checks an expectations file.
 * @returns the parsed file and the SHA-256 (hex) of its bytes, for the report's run metadata.
 * @throws InvalidInput on bad JSON or a bad entry (the message names the file and field).
 */
export function loadExpectations(path: string): { file: ExpectationsFile; sha256: string } {
  const bytes = readFileSync(path);
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new InvalidInput(`${path}: not valid JSON (${(err as Error).message})`);
  }
  try {
    return { file: { ...parseExpectations(data), path }, sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch (err) {
    throw new InvalidInput(`${path}: ${(err as Error).message}`);
  }
}

/** Compiles a glob (`*` any run, `?` one character, everything else literal) to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '[\\s\\S]*';
    else if (ch === '?') src += '[\\s\\S]';
    else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'u');
}

interface Compiled {
  requirement?: RegExp;
  test?: RegExp;
  case?: RegExp;
}

function compile(e: ExpectationEntry): Compiled {
  const c: Compiled = {};
  if (e.requirement !== undefined) c.requirement = globToRegExp(e.requirement); // an id has no glob characters: exact match
  if (e.test !== undefined) c.test = globToRegExp(e.test);
  if (e.case !== undefined) c.case = globToRegExp(e.case);
  return c;
}

function matches(c: Compiled, t: TestResult): boolean {
  if (c.requirement !== undefined && !t.requirementIds.some((id) => c.requirement!.test(id))) return false;
  if (c.test !== undefined && !c.test.test(t.name)) return false;
  if (c.case !== undefined && (t.vector === undefined || !c.case.test(`${t.vector.file}#${t.vector.tcId}`))) return false;
  return true;
}

/**
 * The names of this run nearest to what an unmatched entry wrote (edit distance), so a missing
 * `vectors/` prefix or a renamed test is one look away: `case` entries against the tests' vector
 * cases, `test` entries against test names, `requirement` entries against requirement ids.
 */
export function closestTo(e: ExpectationEntry, tests: readonly TestResult[], n = 3): string[] {
  const [wrote, names] =
    e.case !== undefined
      ? [e.case, tests.flatMap((t) => (t.vector !== undefined ? [`${t.vector.file}#${t.vector.tcId}`] : []))]
      : e.test !== undefined
        ? [e.test, tests.map((t) => t.name)]
        : [e.requirement ?? '', tests.flatMap((t) => t.requirementIds)];
  const scored = [...new Set(names)].map((name) => ({ name, d: editDistance(wrote, name) }));
  scored.sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1));
  return scored.slice(0, n).map((x) => x.name);
}

/** Levenshtein distance (insert, delete, substitute), one row at a time. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Human label of an entry for messages: its selectors and configuration (and its file, when given). */
export function describeEntry(e: ExpectationEntry, index: number, file?: string): string {
  const sel = (['requirement', 'case', 'test'] as const).filter((k) => e[k] !== undefined).map((k) => `${k} "${e[k]}"`);
  if (e.config !== undefined) sel.push(`config ${Object.entries(e.config).map(([k, v]) => `${k}=${v}`).join(',')}`);
  return `${file !== undefined ? `${file} ` : ''}entry #${index} (${sel.join(', ')})`;
}

/** What a run included, which decides whether an entry that matched nothing is a mistake. */
export interface RunScope {
  /** The run's declared configuration (`--config`); an entry's `config` must be a subset. */
  config?: RunConfig;
  /** Profiles the run ran. Unknown (undefined): every unmatched entry counts as in scope. */
  profiles?: readonly string[];
  /** The run was narrowed by `--only`: an unmatched entry may just have been filtered out. */
  filtered?: boolean;
  /** Requirement ids of the registry: an entry naming another id is a mistake in any run. */
  knownRequirements?: ReadonlySet<string>;
}

export interface AppliedExpectations {
  tests: TestResult[];
  /**
   * For report.json `expectations`: entries that matched a pass, expired, matched nothing
   * although the run included their tests (`unmatched`, fails the run) or were about tests the
   * run did not include (`not-run`, a note).
   */
  problems: ExpectationProblem[];
  /** The same problems in words, for report.md / report.html. */
  warnings: ReportWarning[];
}

/** The literal profile an entry's test glob starts with (`server › …` → `server`), if any. */
function globProfile(glob: string): string | undefined {
  const head = glob.split(NAME_SEPARATOR)[0]!;
  return head !== glob && !/[*?]/.test(head) ? head : undefined;
}

/**
 * Whether the run included the tests an entry is about, so that matching none of them means the
 * entry is wrong (DESIGN.md contract 9) rather than about another profile or configuration.
 */
function inScope(e: ExpectationEntry, scope: RunScope): boolean {
  if (e.requirement !== undefined && scope.knownRequirements !== undefined && !scope.knownRequirements.has(e.requirement)) return true;
  if (scope.profiles === undefined) return true;
  if (scope.filtered) return false;
  if (e.case !== undefined) return scope.profiles.includes('library');
  if (e.test !== undefined) {
    const p = globProfile(e.test);
    return p === undefined || scope.profiles.includes(p);
  }
  // A requirement alone: had a test of this run named it, the entry would have matched.
  return false;
}

function configApplies(e: ExpectationEntry, config: RunConfig): boolean {
  return Object.entries(e.config ?? {}).every(([k, v]) => config[k] === v);
}

interface LoadedEntry {
  entry: ExpectationEntry;
  index: number;
  file?: string;
  label: string;
  compiled: Compiled;
}

/**
 * Applies one or more expectations files to raw test results (see the module doc for the rules).
 * The first matching entry (files in order, then file order) decides a test's verdict; every
 * matching entry counts as used. Input results are not mutated.
 * @param clock today's date (UTC) decides expiry; injected so tests are deterministic.
 * @param scope the run's configuration and what it included (see {@link RunScope}).
 */
export function applyExpectations(tests: readonly TestResult[], files: ExpectationsFile | readonly ExpectationsFile[], clock: Clock = systemClock, scope: RunScope = {}): AppliedExpectations {
  const list = Array.isArray(files) ? (files as readonly ExpectationsFile[]) : [files as ExpectationsFile];
  const today = new Date(clock.now() * 1000).toISOString().slice(0, 10);
  const config = scope.config ?? {};
  // With several files an entry is named by its file too; with one, by its index as before.
  const named = list.length > 1;
  const all: LoadedEntry[] = list.flatMap((f) =>
    f.entries.map((entry, index) => {
      const file = named ? (f.path ?? f.implementation) : undefined;
      return { entry, index, label: `expectations ${describeEntry(entry, index, file)}`, compiled: compile(entry), ...(file !== undefined ? { file } : {}) };
    }),
  );
  const active = all.filter((l) => configApplies(l.entry, config));
  const expired = new Set(active.filter((l) => l.entry.expires !== undefined && l.entry.expires < today));
  const used = new Set<LoadedEntry>();
  const xpassed = new Set<LoadedEntry>();

  const out = tests.map((t): TestResult => {
    const hits = active.filter((l) => matches(l.compiled, t));
    if (hits.length === 0) return t;
    for (const l of hits) used.add(l);
    const first = hits[0]!;
    const { entry, index, label } = first;
    // Already-applied results are left alone.
    if (t.expectation !== undefined || t.verdict === 'xfail' || t.verdict === 'xpass') return t;
    const expectation: AppliedExpectation = { index, entry, originalVerdict: t.verdict, ...(first.file !== undefined ? { file: first.file } : {}) };
    const note = (text: string) => (t.message !== undefined ? `${t.message}\n${text}` : text);
    if (t.verdict === 'pass') {
      xpassed.add(first);
      return { ...t, verdict: 'xpass', expectation, message: `known failure now passes: remove it from the expectations file (${label.replace(/^expectations /, '')}: ${entry.reason})` };
    }
    if (expired.has(first)) {
      return { ...t, expectation, message: note(`${label} expired on ${entry.expires}; the failure is no longer excused`) };
    }
    const declared = entry.verdict ?? 'fail';
    if (declared !== t.verdict) {
      // An entry excuses only the verdict it names: a listed `fail` that now errors (a crash, a
      // time-out, a dead target) or is unsupported is a different finding, reported as such.
      return { ...t, expectation, message: note(`${label} excuses ${declared}, but this test's verdict is ${t.verdict}: not excused (${entry.reason})`) };
    }
    return { ...t, verdict: 'xfail', expectation };
  });

  const problems: ExpectationProblem[] = [];
  const warnings: ReportWarning[] = [];
  for (const l of active) {
    const { entry, index, label } = l;
    const where = l.file !== undefined ? { file: l.file } : {};
    if (xpassed.has(l)) {
      problems.push({ index, entry, problem: 'xpass', ...where });
      warnings.push({ kind: 'other', message: `${label} matched a test that passes: remove it` });
    }
    if (expired.has(l)) {
      problems.push({ index, entry, problem: 'expired', ...where });
      warnings.push({ kind: 'expired-expectation', message: `${label} expired on ${entry.expires}: fix the implementation or renew the entry; the run fails` });
    }
    if (!used.has(l)) {
      if (inScope(entry, scope)) {
        problems.push({ index, entry, problem: 'unmatched', ...where });
        const why = entry.requirement !== undefined && scope.knownRequirements !== undefined && !scope.knownRequirements.has(entry.requirement) ? `names ${entry.requirement}, which the requirement registry does not define` : 'matches no test although the run included its tests (a typo or a renamed test)';
        const near = closestTo(entry, tests);
        warnings.push({ kind: 'unmatched-expectation', message: `${label} ${why}: fix the entry; the run fails${near.length > 0 ? `. Closest: ${near.map((n) => `"${n}"`).join(', ')}` : ''}` });
      } else {
        problems.push({ index, entry, problem: 'not-run', ...where });
        warnings.push({ kind: 'unmatched-expectation', message: `${label} matches no test of this run (its tests were not run: another profile, --only, or no test of these profiles checks it)` });
      }
    }
  }
  const other = all.length - active.length;
  if (other > 0) {
    const declared = Object.entries(config).map(([k, v]) => `${k}=${v}`).join(',') || 'none';
    warnings.push({ kind: 'other', message: `${other} expectations ${other === 1 ? 'entry applies' : 'entries apply'} to another configuration than this run's (--config: ${declared}) and ${other === 1 ? 'was' : 'were'} not used` });
  }
  return { tests: out, problems, warnings };
}
