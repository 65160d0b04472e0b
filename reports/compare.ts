/**
 * What changed between two runs (DESIGN.md contract 10: "`diff` compares two report.json
 * files"): per test and per requirement, what is newly failing, newly passing, added and removed,
 * and whether any of it is a regression. `bm-conformance diff` prints it as Markdown for a pull
 * request comment (harness/run/diff.ts); report.html shows it when a run is given a baseline.
 *
 * Both sides are read by name and verdict only, so a report.json document (snake_case) and an
 * in-memory RunResult compare alike.
 *
 * - A test or requirement is *failing* with a verdict that fails a run: fail, error, unsupported,
 *   xpass (reports/model.ts FAILING_VERDICTS). A requirement is *met* only with `pass`.
 * - *Newly failing*: failing now, not failing before (a test that is new and failing counts too).
 * - *Newly passing*: `pass` now, not `pass` before.
 * - *No longer met*: a requirement that was `pass` and now is `weak` or `untested` (not failing,
 *   but its evidence or its tests went away).
 * - A regression is any newly failing test, newly failing requirement or requirement no longer met.
 * @module
 */

import { escapeMarkdownInline as md } from './_escape.ts';
import { FAILING_VERDICTS } from './model.ts';

/** The part of a report both sides need: test names and requirement ids with their verdicts. */
export interface Comparable {
  tests: readonly { name: string; verdict: string }[];
  requirements: readonly { id: string; verdict: string }[];
}

/** One name whose verdict changed (or appeared, or went away: the missing side is undefined). */
export interface Change {
  name: string;
  before?: string;
  after?: string;
}

export interface ChangeSet {
  newlyFailing: Change[];
  newlyPassing: Change[];
  /** Other verdict changes (e.g. fail → error, pass → xfail, pass → weak). */
  changed: Change[];
  added: Change[];
  removed: Change[];
}

export interface Comparison {
  tests: ChangeSet;
  requirements: ChangeSet & { noLongerMet: Change[] };
  /** Newly failing tests, newly failing requirements and requirements no longer met. */
  regressions: number;
}

const failing = (v: string | undefined) => v !== undefined && (FAILING_VERDICTS as readonly string[]).includes(v);

function changeSet(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): ChangeSet {
  const s: ChangeSet = { newlyFailing: [], newlyPassing: [], changed: [], added: [], removed: [] };
  for (const [name, a] of after) {
    const b = before.get(name);
    if (b === undefined) s.added.push({ name, after: a });
    if (b === a) continue;
    if (failing(a) && !failing(b)) s.newlyFailing.push({ name, ...(b !== undefined ? { before: b } : {}), after: a });
    else if (a === 'pass' && b !== undefined) s.newlyPassing.push({ name, before: b, after: a });
    else if (b !== undefined) s.changed.push({ name, before: b, after: a });
  }
  for (const [name, b] of before) if (!after.has(name)) s.removed.push({ name, before: b });
  for (const list of Object.values(s) as Change[][]) list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return s;
}

/** Compares a baseline run with a later one. */
export function compareRuns(base: Comparable, head: Comparable): Comparison {
  const tests = changeSet(new Map(base.tests.map((t) => [t.name, t.verdict])), new Map(head.tests.map((t) => [t.name, t.verdict])));
  const reqs = changeSet(new Map(base.requirements.map((r) => [r.id, r.verdict])), new Map(head.requirements.map((r) => [r.id, r.verdict])));
  const noLongerMet = reqs.changed.filter((c) => c.before === 'pass');
  const requirements = { ...reqs, changed: reqs.changed.filter((c) => c.before !== 'pass'), noLongerMet };
  return { tests, requirements, regressions: tests.newlyFailing.length + requirements.newlyFailing.length + noLongerMet.length };
}

/** Longest list shown per section; the rest is counted. */
const SHOW = 50;

function section(title: string, list: readonly Change[], code: boolean): string[] {
  if (list.length === 0) return [];
  // A code span shows markup literally; a backtick or line break would end it, so they become a quote and a space.
  // eslint-disable-next-line no-control-regex
  const name = (n: string) => (code ? `\`${n.replace(/`/g, "'").replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')}\`` : md(n));
  const arrow = (c: Change) => (c.before !== undefined && c.after !== undefined ? ` — ${c.before} → **${c.after}**` : c.after !== undefined ? ` — ${c.after}` : c.before !== undefined ? ` — was ${c.before}` : '');
  const rows = list.slice(0, SHOW).map((c) => `- ${name(c.name)}${arrow(c)}`);
  if (list.length > SHOW) rows.push(`- … and ${list.length - SHOW} more`);
  return [`#### ${title} (${list.length})`, '', ...rows, ''];
}

/**
 * The comparison as Markdown for a pull-request comment: a one-line verdict, a count table, then
 * the lists (tests newly failing first). Names are code spans; nothing from the reports is raw HTML.
 */
export function comparisonMarkdown(c: Comparison, labels: { base: string; head: string } = { base: 'base', head: 'head' }): string {
  const t = c.tests;
  const r = c.requirements;
  const out: string[] = [];
  out.push(`### Conformance: ${md(labels.base)} → ${md(labels.head)}`, '');
  out.push(c.regressions > 0 ? `**❌ ${c.regressions} regression${c.regressions === 1 ? '' : 's'}**` : '**✅ No regression**', '');
  out.push('| | newly failing | newly passing | other changes | added | removed |', '| --- | --- | --- | --- | --- | --- |');
  out.push(`| tests | ${t.newlyFailing.length} | ${t.newlyPassing.length} | ${t.changed.length} | ${t.added.length} | ${t.removed.length} |`);
  out.push(`| requirements | ${r.newlyFailing.length + r.noLongerMet.length} | ${r.newlyPassing.length} | ${r.changed.length} | ${r.added.length} | ${r.removed.length} |`, '');
  out.push(
    ...section('Tests newly failing', t.newlyFailing, true),
    ...section('Requirements newly failing', r.newlyFailing, true),
    ...section('Requirements no longer met', r.noLongerMet, true),
    ...section('Tests newly passing', t.newlyPassing, true),
    ...section('Requirements newly passing', r.newlyPassing, true),
    ...section('Tests with another verdict change', t.changed, true),
    ...section('Requirements with another verdict change', r.changed, true),
    ...section('Tests added', t.added, true),
    ...section('Tests removed', t.removed, true),
    ...section('Requirements added', r.added, true),
    ...section('Requirements removed', r.removed, true),
  );
  return `${out.join('\n').trimEnd()}\n`;
}
