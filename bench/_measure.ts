/**
 * Shared pieces of the benchmark sections: a timing loop, the row shape every section returns,
 * and the Markdown rendering run.ts prints and writes to BENCHMARKS.md.
 *
 * A section is a module under bench/ exporting a {@link Section}; run.ts runs them in order.
 * New sections (server throughput, harness wall time) are added as new modules, not edits here.
 * @module
 */

/** One measured operation, ours beside Node's native equivalent where one exists. */
export interface Row {
  /** What was measured, e.g. "Ed25519 sign (32 B)". */
  op: string;
  /** The unit of `ours` and `native`: "ops/s", "MB/s", "hashes/s". */
  unit: string;
  /** Rate of the protocol library (harness/protocol). */
  ours: number;
  /** Rate of the same operation with node:crypto / node:zlib, when there is one. */
  native?: number;
  /** What the native column does, when it is not obvious. */
  note?: string;
}

/** A section's own Markdown (a table whose columns do not fit {@link Row}), printed as is. */
export interface Rendered {
  markdown: string;
}

export interface Section {
  /** Heading in the report. */
  title: string;
  /** One paragraph: what the rows measure and how. */
  description: string;
  /** Rows for the common table, or the section's own Markdown. */
  run(opts: { quick: boolean }): Promise<Row[] | Rendered>;
}

/**
 * Run `fn` repeatedly for about `ms` milliseconds (after a short warm-up) and return calls per
 * second. `fn` may return a number of units per call (bytes, hashes); the rate is then units/s.
 */
export function rate(fn: () => number | void, ms: number): number {
  const warmEnd = performance.now() + Math.min(200, ms / 5);
  while (performance.now() < warmEnd) fn();
  let units = 0;
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    const u = fn();
    units += typeof u === 'number' ? u : 1;
    calls++;
    t = performance.now();
  } while (t - t0 < ms || calls < 3);
  return units / ((t - t0) / 1000);
}

function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** A Markdown table of `rows`; the ratio column is ours ÷ native (1.00 = as fast as native). */
export function renderRows(rows: readonly Row[]): string {
  const head = '| operation | unit | protocol library | node native | ours ÷ native |\n|---|---|---:|---:|---:|';
  const body = rows.map((r) => {
    const native = r.native === undefined ? '—' : fmt(r.native);
    const ratio = r.native === undefined ? '—' : (r.ours / r.native).toFixed(2);
    return `| ${r.op}${r.note ? ` (${r.note})` : ''} | ${r.unit} | ${fmt(r.ours)} | ${native} | ${ratio} |`;
  });
  return [head, ...body].join('\n');
}
