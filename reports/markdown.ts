/**
 * report.md writer: a Markdown page for CI job summaries and pull-request comments. Sections:
 * run (target, seed, vector manifest), summary table, requirements by level, per-requirement
 * table, failures (message, expected-vs-actual diff, replay command), known failures,
 * untested requirements, warnings.
 *
 * Untrusted text is escaped for both Markdown and the inline HTML GitHub renders
 * (escapeMarkdownInline); diffs and traces sit in fences longer than any backtick run inside.
 * @module
 */

import { diffText, hasComparison, truncate } from './_diff.ts';
import { escapeMarkdownInline as md, markdownFence } from './_escape.ts';
import { LEVELS, VERDICTS, VERDICT_MEANING, runProperties, type RunResult, type TestResult } from './model.ts';

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
  weak: '🔸 weak',
};

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function failure(t: TestResult): string {
  const out = [`### ${md(t.name)}`, '', `**${ICON[t.verdict]}** · requirements: ${t.requirementIds.map(md).join(', ') || '—'} · ${t.durationMs} ms`];
  if (t.message !== undefined) out.push('', md(t.message));
  if (hasComparison(t)) out.push('', markdownFence(diffText(t.expected, t.actual), 'diff'));
  if (t.trace !== undefined) out.push('', '<details><summary>trace</summary>', '', markdownFence(truncate(t.trace.join('\n'), TRACE_MAX), 'text'), '', '</details>');
  if (t.replay !== undefined) out.push('', 'Replay:', '', markdownFence(t.replay, 'sh'));
  return out.join('\n');
}

/** Renders report.md for a run. */
export function reportMarkdown(r: RunResult): string {
  const s = r.summary;
  const out: string[] = [];
  out.push('# BitMaelum conformance report', '');
  out.push(`**Result: ${s.ok ? 'PASS' : 'FAIL'}** — ${s.tests} tests, ${s.verdicts.pass} passed, ${s.verdicts.fail + s.verdicts.xpass} failed, ${s.verdicts.error} could not run, ${s.verdicts.xfail} known failures.`, '');
  out.push(
    table(
      ['run', ''],
      [
        ['started', md(r.meta.startedAt)],
        ['duration', `${(r.meta.durationMs / 1000).toFixed(1)} s`],
        ['profiles', md(r.meta.profiles.join(', '))],
        ...runProperties(r).map(([k, v]) => [md(k), md(v)]),
      ],
    ),
    '',
  );

  out.push('## Summary', '');
  out.push(table(['verdict', 'tests'], VERDICTS.map((v) => [ICON[v]!, String(s.verdicts[v])])), '');
  out.push(
    table(
      ['level', 'requirements', 'pass', 'weak', 'fail', 'error', 'xfail', 'unsupported', 'untested'],
      LEVELS.map((l) => {
        const x = s.requirements[l];
        return [l, String(x.total), String(x.passed), String(x.weak), String(x.failed), String(x.errored), String(x.xfailed), String(x.unsupported), String(x.untested)];
      }),
    ),
    '',
  );
  if (LEVELS.some((l) => s.requirements[l].weak > 0)) out.push(`*weak*: ${VERDICT_MEANING.weak}.`, '');

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
          return [md(t.name), t.expectation?.originalVerdict ?? '', md(e?.reason ?? ''), md(e?.link ?? ''), md(e?.expires ?? '')];
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
          r.requirements.map((q) => [md(q.id), q.level, ICON[q.verdict]!, String(q.tests.length), md(q.text ?? '')]),
        ),
    '',
  );

  if (r.untested.length > 0) {
    out.push(`## Requirements with no test (${r.untested.length})`, '', table(['id', 'level', 'why'], r.untested.map((u) => [md(u.id), u.level, md(u.reason)])), '');
  }
  if (r.warnings.length > 0) {
    out.push(`## Warnings (${r.warnings.length})`, '', r.warnings.map((w) => `- **${w.kind}**: ${md(w.message)}`).join('\n'), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
