/**
 * Turns vitest's finished test cases into report TestResults (reports/model.ts).
 *
 * - profile: the suite folder (`suites/<profile>/…`);
 * - requirement ids: `meta.requirements` if the test set it, else every `BM-<AREA>-<NNN>` in its title;
 * - case id: `meta.caseId` (vector cases: `<file>#<tcId>`), else a slug of the title without ids;
 * - verdict: a test never sets its own verdict: it passes, fails, or declares `meta.unsupported`
 *   (→ unsupported) or `meta.outOfScope` (it needs an op the target's hello does not list →
 *   out-of-scope, DESIGN.md contract 8); a failure whose error means there was no answer to judge
 *   (a CouldNotRun: the adapter died, hung or printed garbage, the target refused, reset or was
 *   declared dead; or a foreign socket error or test timeout, {@link isNoAnswer}) → error,
 *   because "could not run" is not "failed"; otherwise fail. A test vitest did not run (still
 *   pending when the run ended: a crashed worker, an aborted run) → error: it is never dropped.
 * @module
 */
import { relative, sep } from 'node:path';
import type { TestCase } from 'vitest/node';
import { testName, type Profile, type TestResult, type Verdict } from '../../reports/index.ts';
import { isCouldNotRun } from '../adapter/index.ts';

const REQ_RE = /\bBM-[A-Z]+-\d{3}\b/g;

/**
 * Errors from outside our code that also mean "no answer to judge". Ours extend CouldNotRun
 * (harness/adapter/couldnotrun.ts) and are known by its mark; these carry none, so they are known
 * by what node, undici and vitest put on them, and the list holds nothing of ours:
 * - a socket error of node or undici, by its `code` (or its cause's), for a request that did not
 *   go through the suites' HTTP wrapper (suites/_support/http.ts turns those into HarnessError):
 *   refused, reset, broken pipe, undici's socket and time-out errors;
 * - vitest's own time-out of a test or a hook, by its message (it sets no code).
 */
const FOREIGN_NO_ANSWER_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const VITEST_TIMEOUT = /\b(?:Test|Hook) timed out in \d+ ?ms/;

/** Whether a test's (serialised) error means the harness could not run it: an `error` verdict, not `fail`. */
export function isNoAnswer(err: { message?: unknown; code?: unknown; cause?: unknown }): boolean {
  if (isCouldNotRun(err)) return true;
  const codeOf = (e: unknown) => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined);
  const code = codeOf(err) ?? codeOf(err.cause);
  if (typeof code === 'string' && FOREIGN_NO_ANSWER_CODES.has(code)) return true;
  return typeof err.message === 'string' && VITEST_TIMEOUT.test(err.message);
}

/** Longest slug; a longer title is cut at the last word boundary before it, never mid-word. */
const SLUG_MAX = 80;

export function slug(s: string): string {
  const full = s.replace(REQ_RE, '').toLowerCase().replace(/[^a-z0-9#]+/g, '-').replace(/^-+|-+$/g, '');
  if (full.length <= SLUG_MAX) return full || 'test';
  const cut = full.slice(0, SLUG_MAX + 1);
  const end = cut.lastIndexOf('-');
  return (end > 0 ? cut.slice(0, end) : full.slice(0, SLUG_MAX)) || 'test';
}

export interface CollectOptions {
  root: string;
  replay: (t: { profile: string; caseId: string; name: string }) => string;
}

/** A test's stable identity in reports. */
export interface TestIdentity {
  name: string;
  profile: Profile;
  area: string;
  caseId: string;
  requirementIds: string[];
  /** The test's own sentence (its vitest title), in full. */
  title: string;
  /** Unit of declared scope (`meta.scope`), e.g. `op hash.string`. */
  scope?: string;
}

/**
 * The report name of a test, from what is known once its file is collected (title, enclosing
 * describe, declared meta: suites/_support/meta.ts), so `--list` and `--only` need no test run.
 */
export function describeTest(tc: TestCase, root: string): TestIdentity {
  const file = relative(root, tc.module.moduleId).split(sep);
  const profile = (file[0] === 'suites' ? file[1] : 'library') as Profile;
  const meta = tc.meta();
  const title = tc.name;
  const requirementIds = Array.isArray(meta.requirements) ? meta.requirements : [...new Set(title.match(REQ_RE) ?? [])];
  const caseId = typeof meta.caseId === 'string' ? meta.caseId : slug(title);
  const area = typeof meta.area === 'string' ? meta.area : areaOf(tc, requirementIds);
  return { name: testName(profile, area, requirementIds, caseId), profile, area, caseId, requirementIds, title, ...(typeof meta.scope === 'string' ? { scope: meta.scope } : {}) };
}

export function toTestResult(tc: TestCase, opts: CollectOptions): TestResult {
  const res = tc.result();
  const { name, profile, area, caseId, requirementIds: reqs, title, scope } = describeTest(tc, opts.root);
  const meta = tc.meta() as Record<string, unknown>;
  let verdict: Verdict;
  let message: string | undefined;
  if (res.state === 'pending') {
    verdict = 'error';
    message = 'the test did not run: vitest ended the run with it still pending (a worker crashed or the run was aborted)';
  } else if (res.state === 'skipped') {
    // A test is skipped when a beforeAll hook failed (the target could not be set up: the
    // harness could not run it → error), or when the test itself declared the target does not
    // support the feature. Suites never skip to get green, so any other skip is an error too.
    const hookError = hookErrorOf(tc);
    if (meta.outOfScope) {
      verdict = 'out-of-scope';
      message = res.note ?? 'out of scope';
    } else if (meta.unsupported || /^unsupported/i.test(res.note ?? '')) {
      verdict = 'unsupported';
      message = res.note ?? 'unsupported';
    } else {
      verdict = 'error';
      message = hookError ? `setup failed, test not run: ${hookError}` : `test was skipped${res.note ? `: ${res.note}` : ''}`;
    }
  } else if (res.state === 'passed') {
    verdict = 'pass';
  } else {
    const err = res.errors?.[0];
    // A test's own failure message stands alone: no generic runner prefix (AssertionError, Error).
    message = err ? `${err.name && err.name !== 'Error' && err.name !== 'AssertionError' ? `${err.name}: ` : ''}${err.message}` : 'failed';
    if (meta.outOfScope) verdict = 'out-of-scope';
    else if (meta.unsupported) verdict = 'unsupported';
    else if (err && isNoAnswer(err)) verdict = 'error';
    else verdict = 'fail';
  }
  const out: TestResult = {
    name,
    profile,
    area,
    caseId,
    requirementIds: reqs,
    verdict,
    durationMs: Math.round(tc.diagnostic()?.duration ?? 0),
    title,
    ...(scope !== undefined ? { scope } : {}),
  };
  // eslint-disable-next-line no-control-regex
  if (message !== undefined) out.message = message.replace(/\x1b\[[0-9;]*m/g, '').slice(0, 4000);
  if (verdict !== 'pass' && verdict !== 'out-of-scope') {
    const err = res.state === 'failed' ? res.errors?.[0] : undefined;
    if (meta.expected !== undefined) out.expected = meta.expected;
    else if (err?.expected !== undefined) out.expected = err.expected;
    if (meta.actual !== undefined) out.actual = meta.actual;
    else if (err?.actual !== undefined) out.actual = err.actual;
    if (Array.isArray(meta.trace)) out.trace = (meta.trace as string[]).slice(-40);
    out.replay = opts.replay({ profile, caseId, name });
  }
  if (typeof meta.vectorFile === 'string') out.vector = { file: meta.vectorFile, tcId: meta.tcId as number, result: meta.vectorResult as 'valid' };
  return out;
}

function areaOf(tc: TestCase, reqs: string[]): string {
  if (reqs[0]) return reqs[0].split('-')[1]!;
  // the innermost describe name's last part, e.g. "server › tickets" → "tickets"
  const parent = tc.parent;
  const name = 'name' in parent && typeof parent.name === 'string' ? parent.name : 'general';
  return (name.split('›').pop() ?? name).trim() || 'general';
}

/** The first error of an enclosing suite or the module (a failed beforeAll/afterAll hook). */
function hookErrorOf(tc: TestCase): string | undefined {
  let p: TestCase['parent'] | undefined = tc.parent;
  while (p) {
    const errs = p.errors();
    if (errs.length > 0) return errs[0]!.message;
    p = p.type === 'suite' ? p.parent : undefined;
  }
  return undefined;
}
