/**
 * Report entry point: `writeReports(result, outDir)` writes the five report files of a run
 * (DESIGN.md contract 6): report.json, junit.xml, report.md, report.html, badge.svg.
 * @module
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportBadge } from './badge.ts';
import { reportHtml, type Baseline } from './html.ts';
import { reportJson } from './json.ts';
import { reportJunit } from './junit.ts';
import { reportMarkdown } from './markdown.ts';
import type { RunResult } from './model.ts';

export { reportBadge, reportHtml, reportJson, reportJunit, reportMarkdown, type Baseline };
export * from './model.ts';
export { compareRuns, comparisonMarkdown } from './compare.ts';
// The escapes the harness writes into its own HTML pages and replay commands.
export { escapeHtml, shellQuote } from './_escape.ts';

export const REPORT_FILES = {
  json: 'report.json',
  junit: 'junit.xml',
  markdown: 'report.md',
  html: 'report.html',
  badge: 'badge.svg',
} as const;

/**
 * Writes all five report files into `outDir` (created if missing; existing files replaced).
 * With a baseline (an earlier run's report.json) report.html also shows what changed since.
 * @returns the absolute-or-as-given paths written, by kind.
 */
export function writeReports(result: RunResult, outDir: string, opts: { baseline?: Baseline } = {}): Record<keyof typeof REPORT_FILES, string> {
  mkdirSync(outDir, { recursive: true });
  const render: Record<keyof typeof REPORT_FILES, (r: RunResult) => string> = {
    json: reportJson,
    junit: reportJunit,
    markdown: reportMarkdown,
    html: (r) => reportHtml(r, opts),
    badge: reportBadge,
  };
  const out = {} as Record<keyof typeof REPORT_FILES, string>;
  for (const kind of Object.keys(REPORT_FILES) as (keyof typeof REPORT_FILES)[]) {
    const path = join(outDir, REPORT_FILES[kind]);
    writeFileSync(path, render[kind](result), 'utf8');
    out[kind] = path;
  }
  return out;
}
