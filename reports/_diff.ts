/**
 * Expected-vs-actual line diff shared by the report writers (internal).
 *
 * Values are any JSON; both sides are rendered the same way (strings as their own lines when
 * both sides are strings, otherwise 2-space JSON), then diffed by a longest-common-subsequence
 * over lines. Long unchanged runs collapse to a marker so a failure shows what differs.
 * @module
 */
import { jsonText } from '../harness/protocol/gojson.ts';

export type DiffOp = ' ' | '-' | '+' | '…';
export interface DiffLine {
  op: DiffOp;
  text: string;
}

/** Beyond this many lines per side the LCS table would be too big: fall back to "all removed, all added". */
const MAX_LCS_LINES = 2000;
/** Unchanged lines kept around each change when collapsing. */
const CONTEXT = 3;

/** Renders a JSON value for display; `undefined` (absent) renders as `(absent)`. */
export function renderValue(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (typeof v === 'string') return v;
  try {
    return jsonText(v, 2) ?? String(v);
  } catch {
    return String(v);
  }
}

function lines(v: unknown, bothStrings: boolean): string[] {
  const text = bothStrings ? (v as string) : v === undefined ? '(absent)' : renderValue(typeof v === 'string' ? JSON.stringify(v) : v);
  return text.split('\n');
}

/** True when the test has something to diff. */
export function hasComparison(t: { expected?: unknown; actual?: unknown }): boolean {
  return t.expected !== undefined || t.actual !== undefined;
}

/**
 * Line diff of expected (`-`) against actual (`+`).
 * @example diffValues({a: 1}, {a: 2}) // [{op:' ',text:'{'},{op:'-',text:'  "a": 1'},{op:'+',text:'  "a": 2'},{op:' ',text:'}'}]
 */
export function diffValues(expected: unknown, actual: unknown, collapse = true): DiffLine[] {
  const bothStrings = typeof expected === 'string' && typeof actual === 'string';
  const a = lines(expected, bothStrings);
  const b = lines(actual, bothStrings);
  let out: DiffLine[];
  if (a.length > MAX_LCS_LINES || b.length > MAX_LCS_LINES) {
    out = [...a.map((text): DiffLine => ({ op: '-', text })), ...b.map((text): DiffLine => ({ op: '+', text }))];
  } else {
    out = lcsDiff(a, b);
  }
  return collapse ? collapseUnchanged(out) : out;
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  // table[i][j] = LCS length of a[i..] and b[j..], flattened.
  const w = m + 1;
  const table = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * w + j] = a[i] === b[j] ? table[(i + 1) * w + j + 1]! + 1 : Math.max(table[(i + 1) * w + j]!, table[i * w + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (table[(i + 1) * w + j]! >= table[i * w + j + 1]!) {
      out.push({ op: '-', text: a[i++]! });
    } else {
      out.push({ op: '+', text: b[j++]! });
    }
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}

function collapseUnchanged(d: DiffLine[]): DiffLine[] {
  const keep = d.map((l) => l.op !== ' ');
  const near = new Array<boolean>(d.length).fill(false);
  for (let k = 0; k < d.length; k++) {
    if (!keep[k]) continue;
    for (let c = Math.max(0, k - CONTEXT); c <= Math.min(d.length - 1, k + CONTEXT); c++) near[c] = true;
  }
  if (!keep.some(Boolean)) return d; // identical: show everything
  const out: DiffLine[] = [];
  let skipped = 0;
  for (let k = 0; k < d.length; k++) {
    if (near[k]) {
      if (skipped > 0) out.push({ op: '…', text: `${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
      skipped = 0;
      out.push(d[k]!);
    } else {
      skipped++;
    }
  }
  if (skipped > 0) out.push({ op: '…', text: `${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
  return out;
}

/** Plain-text unified-style rendering: `--- expected`, `+++ actual`, then one prefixed line each. */
export function diffText(expected: unknown, actual: unknown): string {
  const body = diffValues(expected, actual).map((l) => (l.op === '…' ? `@@ ${l.text} @@` : `${l.op}${l.text}`));
  return ['--- expected', '+++ actual', ...body].join('\n');
}

/** Cuts a long text to `max` characters, saying how much was cut. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}\n… (${s.length - max} more characters in report.json)`;
}

/** Width past which a line is folded in the Markdown report. */
export const FOLD_WIDTH = 100;

/**
 * Folds lines longer than `width` onto continuation lines instead of cutting them: nothing is
 * lost, and a 2 kB base64 value reads as a block. With `diff`, a continuation keeps its line's
 * `-`/`+`/` ` marker so a diff stays a diff.
 */
export function foldLines(text: string, width = FOLD_WIDTH, diff = false): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (line.length <= width) return [line];
      const marker = diff && /^[-+ ]/.test(line) ? line[0]! : '';
      const body = marker === '' ? line : line.slice(1);
      const step = width - marker.length;
      const parts: string[] = [];
      for (let i = 0; i < body.length; i += step) parts.push(`${marker}${body.slice(i, i + step)}`);
      return parts;
    })
    .join('\n');
}
