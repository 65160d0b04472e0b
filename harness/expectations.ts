/**
 * Expectations files: the known failures of one implementation, as data
 * (DESIGN.md contract 6 "Reports"; schemas/expectations_schema_v1.json; STYLE.md "Harness and
 * adapters", after connectrpc/conformance `testing/*-known-failing.txt`). One file per
 * implementation, `implementations/<name>/expectations.json`:
 *
 * ```json
 * { "schema": "expectations_schema_v1.json",
 *   "implementation": "go-bitmaelum-suite-95952d1",
 *   "entries": [
 *     { "requirement": "BM-SRV-012", "reason": "…", "link": "spec/api.md §8.1", "expires": "2027-06-30" },
 *     { "test": "server › box › * › delete-*", "reason": "…", "verdict": "error" },
 *     { "case": "vectors/header_signature_test.json#12", "reason": "…" } ] }
 * ```
 *
 * An entry selects tests by any of `requirement` (one of the test's requirement ids, exactly),
 * `test` (a glob over the full stable name `profile › area › REQ-ID › case`: `*` is any run of
 * characters, `?` one character) and `case` (`<vector file>#<tcId>`, the file part may be a
 * glob); when several are given all must match. Listed tests still run. Applying the file:
 *
 * - a listed test that failed (`fail`, `error`, or `unsupported`: a feature the implementation
 *   says it does not do) becomes `xfail`, keeping its original verdict;
 * - a listed test that passed becomes `xpass`: the gap is fixed, remove the entry (run fails);
 * - an entry whose `expires` date (UTC, inclusive) has passed excuses nothing: matching failures
 *   stay failures, and the run fails even if the entry matches nothing;
 * - an entry that matches no test is reported (a typo, a renamed test, or a profile not run).
 * @module
 */

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { InvalidInput } from './protocol/errors.ts';
import { systemClock, type Clock } from './protocol/random.ts';
import type { ExpectationEntry, ExpectationProblem, ReportWarning, TestResult } from '../reports/model.ts';

export type { ExpectationEntry } from '../reports/model.ts';

export const EXPECTATIONS_SCHEMA_NAME = 'expectations_schema_v1.json';

export interface ExpectationsFile {
  schema: typeof EXPECTATIONS_SCHEMA_NAME;
  /** The implementation the file is for (its folder name under implementations/). */
  implementation: string;
  entries: ExpectationEntry[];
}

const TOP_KEYS = new Set(['schema', 'implementation', 'entries']);
const ENTRY_KEYS = new Set(['requirement', 'test', 'case', 'reason', 'link', 'expires', 'verdict']);
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
    for (const k of ENTRY_KEYS) {
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
    // Fixed key order (selectors, reason, link, expires, verdict) so rewriting a file is stable.
    const entry = {} as ExpectationEntry;
    for (const k of ['requirement', 'case', 'test', 'reason', 'link', 'expires'] as const) {
      if (r[k] !== undefined) entry[k] = r[k] as string;
    }
    if (r.verdict !== undefined) entry.verdict = r.verdict as ExpectationEntry['verdict'];
    out.entries.push(entry);
  });
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
    return { file: parseExpectations(data), sha256: createHash('sha256').update(bytes).digest('hex') };
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

/** Human label of an entry for messages: its selectors. */
export function describeEntry(e: ExpectationEntry, index: number): string {
  const sel = (['requirement', 'case', 'test'] as const).filter((k) => e[k] !== undefined).map((k) => `${k} "${e[k]}"`);
  return `entry #${index} (${sel.join(', ')})`;
}

export interface AppliedExpectations {
  tests: TestResult[];
  /** For report.json `expectations`: entries that matched a pass, expired, or matched nothing. */
  problems: ExpectationProblem[];
  /** The same problems in words, for report.md / report.html. */
  warnings: ReportWarning[];
}

/**
 * Applies an expectations file to raw test results (see the module doc for the rules).
 * The first matching entry (file order) decides a test's verdict; every matching entry counts
 * as used. Input results are not mutated.
 * @param clock today's date (UTC) decides expiry; injected so tests are deterministic.
 */
export function applyExpectations(tests: readonly TestResult[], file: ExpectationsFile, clock: Clock = systemClock): AppliedExpectations {
  const today = new Date(clock.now() * 1000).toISOString().slice(0, 10);
  const entries = file.entries;
  const compiled = entries.map(compile);
  const expired = new Set(entries.flatMap((e, i) => (e.expires !== undefined && e.expires < today ? [i] : [])));
  const used = new Set<number>();
  const xpassed = new Set<number>();

  const out = tests.map((t): TestResult => {
    const hits = compiled.flatMap((c, i) => (matches(c, t) ? [i] : []));
    if (hits.length === 0) return t;
    for (const i of hits) used.add(i);
    const index = hits[0]!;
    const entry = entries[index]!;
    // Already-applied results are left alone.
    if (t.expectation !== undefined || t.verdict === 'xfail' || t.verdict === 'xpass') return t;
    const expectation = { index, entry, originalVerdict: t.verdict };
    if (t.verdict === 'pass') {
      xpassed.add(index);
      return { ...t, verdict: 'xpass', expectation, message: `known failure now passes: remove it from the expectations file (${describeEntry(entry, index)}: ${entry.reason})` };
    }
    if (expired.has(index)) {
      const note = `expectations ${describeEntry(entry, index)} expired on ${entry.expires}; the failure is no longer excused`;
      return { ...t, expectation, message: t.message !== undefined ? `${t.message}\n${note}` : note };
    }
    const declared = entry.verdict ?? 'fail';
    if (declared !== t.verdict) {
      // Still a known failure, but say the failure mode changed: it may be a different defect.
      const note = `expectations ${describeEntry(entry, index)} expected ${declared}, got ${t.verdict}`;
      return { ...t, verdict: 'xfail', expectation, message: t.message !== undefined ? `${t.message}\n${note}` : note };
    }
    return { ...t, verdict: 'xfail', expectation };
  });

  const problems: ExpectationProblem[] = [];
  const warnings: ReportWarning[] = [];
  entries.forEach((entry, index) => {
    const label = `expectations ${describeEntry(entry, index)}`;
    if (xpassed.has(index)) {
      problems.push({ index, entry, problem: 'xpass' });
      warnings.push({ kind: 'other', message: `${label} matched a test that passes: remove it` });
    }
    if (expired.has(index)) {
      problems.push({ index, entry, problem: 'expired' });
      warnings.push({ kind: 'expired-expectation', message: `${label} expired on ${entry.expires}: fix the implementation or renew the entry; the run fails` });
    }
    if (!used.has(index)) {
      problems.push({ index, entry, problem: 'unmatched' });
      warnings.push({ kind: 'unmatched-expectation', message: `${label} matches no test (renamed test, typo, or profile not run)` });
    }
  });
  return { tests: out, problems, warnings };
}
