/**
 * report.md writer: a Markdown page for CI job summaries and pull-request comments. Sections:
 * run (target, seed, vector manifest), summary table, requirements by level, per-requirement
 * table, failures (message, expected-vs-actual diff, replay command), known failures,
 * untested requirements, warnings.
 *
 * Untrusted text (names, messages, values) is shown literally: inline as code spans
 * (markdownCode), longer text in fences longer than any backtick run inside, long lines folded,
 * never cut; so the raw Markdown holds no HTML entity and no backslash escape. A failure shows
 * the test's own sentence, its stable id, its message, the fields that differ (expected against
 * the same fields of the answer), the request and answer lines, and its replay command.
 * @module
 */

import { diffText, foldLines, hasComparison, truncate } from './_diff.ts';
import { markdownCode as code, markdownFence, markdownText as md } from './_escape.ts';
import { LEVELS, VERDICTS, VERDICT_MEANING, requirementLine, runProperties, scopeHeadline, verdictLine, type RunResult, type TestResult } from './model.ts';

/** Longest trace excerpt shown inline; report.json keeps all of it. */
const TRACE_MAX = 4000;

const ICON: Record<string, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  error: '⚠️ error',
  unsupported: '➖ unsupported',
  xfail: '🟡 xfail',
  xpass: '❌ xpass',
  untested: '◻️ untested',
  'out-of-scope': '▫️ out of scope',
  weak: '🔸 weak',
};

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function failure(t: TestResult): string {
  const heading = t.title !== undefined ? t.title.replace(/\s+/g, ' ') : t.name;
  const out = [`### ${code(heading)}`, '', `**${ICON[t.verdict]}** · id ${code(t.name)} · requirements: ${t.requirementIds.join(', ') || '—'} · ${t.durationMs} ms`];
  if (t.message !== undefined) out.push('', markdownFence(foldLines(t.message), 'text'));
  if (hasComparison(t)) out.push('', markdownFence(foldLines(diffText(t.expected, t.actual), undefined, true), 'diff'));
  if (t.trace !== undefined) out.push('', '<details><summary>input and answer</summary>', '', markdownFence(foldLines(truncate(t.trace.join('\n'), TRACE_MAX)), 'text'), '', '</details>');
  if (t.replay !== undefined) out.push('', 'Replay:', '', markdownFence(t.replay, 'sh'));
  return out.join('\n');
}

/** The scope section: the declared scope in one sentence, then every op in it and out of it. */
function scopeSection(r: RunResult): string {
  const sc = r.scope!;
  const out = ['## Scope', ''];
  const headline = scopeHeadline(r);
  if (headline !== undefined) out.push(`${headline}.`, '');
  if (sc.strict) out.push('`--strict-scope`: tests outside the declared scope count as unsupported and fail the run.', '');
  if (sc.profilesOutOfScope !== undefined) out.push(`Profiles out of scope (the target does not serve them): ${sc.profilesOutOfScope.join(', ')}.`, '');
  const inside = sc.units.filter((u) => u.inScope);
  const outside = sc.units.filter((u) => !u.inScope);
  if (inside.length > 0) {
    out.push(table(['in scope', 'tests', 'pass', 'fail', 'error', 'unsupported', 'xfail'], inside.map((u) => [code(u.unit), String(u.tests), String(u.counts.pass), String(u.counts.fail + u.counts.xpass), String(u.counts.error), String(u.counts.unsupported), String(u.counts.xfail)])), '');
  }
  if (outside.length > 0) {
    out.push(table(['out of scope', 'tests', 'requirements it leaves untested'], outside.map((u) => [code(u.unit), String(u.tests), u.requirementsLeftUntested.join(', ') || '—'])), '');
  }
  return out.join('\n');
}

/** Renders report.md for a run. */
export function reportMarkdown(r: RunResult): string {
  const s = r.summary;
  const out: string[] = [];
  out.push('# BitMaelum conformance report', '');
  const scope = scopeHeadline(r);
  out.push(`**Result: ${s.ok ? 'PASS' : 'FAIL'}** — ${s.tests} tests: ${verdictLine(s.verdicts)}.${scope !== undefined ? ` ${scope}.` : ''}`, '');
  out.push(LEVELS.map((l) => `- ${requirementLine(l, s.requirements[l])}`).join('\n'), '');
  out.push(
    table(
      ['run', ''],
      [
        ['started', md(r.meta.startedAt)],
        ['duration', `${(r.meta.durationMs / 1000).toFixed(1)} s`],
        ['profiles', md(r.meta.profiles.join(', '))],
        ...runProperties(r).map(([k, v]) => [md(k), code(v)]),
      ],
    ),
    '',
  );

  out.push('## Summary', '');
  out.push(table(['verdict', 'tests'], VERDICTS.map((v) => [ICON[v]!, String(s.verdicts[v])])), '');
  out.push(
    table(
      ['level', 'requirements', 'pass', 'weak', 'fail', 'error', 'xfail', 'unsupported', 'out of scope', 'untested'],
      LEVELS.map((l) => {
        const x = s.requirements[l];
        return [l, String(x.total), String(x.passed), String(x.weak), String(x.failed), String(x.errored), String(x.xfailed), String(x.unsupported), String(x.outOfScope), String(x.untested)];
      }),
    ),
    '',
  );
  if (LEVELS.some((l) => s.requirements[l].weak > 0)) out.push(`*weak*: ${VERDICT_MEANING.weak}.`, '');

  if (r.scope !== undefined) out.push(scopeSection(r));

  const failing = r.tests.filter((t) => t.verdict === 'fail' || t.verdict === 'xpass' || t.verdict === 'error');
  out.push(`## Failures (${failing.length})`, '');
  out.push(failing.length === 0 ? 'None.' : failing.map(failure).join('\n\n'), '');

  const xfail = r.tests.filter((t) => t.verdict === 'xfail');
  if (xfail.length > 0) {
    out.push(`## Known failures (${xfail.length})`, '');
    out.push(
      table(
        ['test', 'was', 'reason', 'link', 'expires'],
        xfail.map((t) => {
          const e = t.expectation?.entry;
          return [code(t.name), t.expectation?.originalVerdict ?? '', md(e?.reason ?? ''), e?.link !== undefined ? code(e.link) : '', e?.expires ?? ''];
        }),
      ),
      '',
    );
  }

  out.push('## Requirements', '');
  out.push(
    r.requirements.length === 0
      ? 'No requirements.'
      : table(
          ['id', 'level', 'verdict', 'tests', 'requirement'],
          r.requirements.map((q) => [q.id, q.level, ICON[q.verdict]!, String(q.tests.length), md(q.text ?? '')]),
        ),
    '',
  );

  if (r.untested.length > 0) {
    out.push(`## Requirements with no test (${r.untested.length})`, '', table(['id', 'level', 'why'], r.untested.map((u) => [u.id, u.level, md(u.reason)])), '');
  }
  if (r.warnings.length > 0) {
    out.push(`## Warnings (${r.warnings.length})`, '', r.warnings.map((w) => `- **${w.kind}**: ${code(w.message)}`).join('\n'), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
