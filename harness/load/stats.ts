/**
 * Figures of a load run (harness/load): latency percentiles, a latency histogram and throughput
 * per second, from the per-message samples. Pure functions: the HTML and Markdown reports and
 * bench/ read the same numbers.
 * @module
 */

/** One full send: when it started (ms since the run began), how long it took, and how it ended. */
export interface SendSample {
  startMs: number;
  ms: number;
  /** `ok` (2xx from `POST /incoming`), an HTTP status of a refused step, or `no-answer`. */
  outcome: 'ok' | number | 'no-answer';
  /** Delivered to the target's own account, or relayed to the peer server. */
  delivery: 'local' | 'remote';
}

/** The value at quantile `q` (0..1) of sorted `xs`, nearest rank; undefined when empty. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export interface LatencySummary {
  count: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

export function latencySummary(samples: readonly SendSample[]): LatencySummary {
  const ms = samples.filter((s) => s.outcome === 'ok').map((s) => s.ms).sort((a, b) => a - b);
  const out: LatencySummary = { count: ms.length };
  const put = (k: 'p50' | 'p95' | 'p99' | 'max', v: number | undefined) => {
    if (v !== undefined) out[k] = Math.round(v * 10) / 10;
  };
  put('p50', quantile(ms, 0.5));
  put('p95', quantile(ms, 0.95));
  put('p99', quantile(ms, 0.99));
  put('max', ms.at(-1));
  return out;
}

/** Histogram of acknowledged sends' latency: `bins` equal-width bins from 0 to the maximum. */
export function latencyHistogram(samples: readonly SendSample[], bins = 20): { upToMs: number; count: number }[] {
  const ms = samples.filter((s) => s.outcome === 'ok').map((s) => s.ms);
  if (ms.length === 0) return [];
  const max = Math.max(...ms);
  const width = Math.max(1, Math.ceil(max / bins));
  const out = Array.from({ length: bins }, (_, i) => ({ upToMs: (i + 1) * width, count: 0 }));
  for (const v of ms) out[Math.min(bins - 1, Math.floor(v / width))]!.count++;
  return out;
}

/** Acknowledged sends completed in each second of the run. */
export function throughputPerSecond(samples: readonly SendSample[], durationMs: number): number[] {
  const seconds = Math.max(1, Math.ceil(durationMs / 1000));
  const out = new Array<number>(seconds).fill(0);
  for (const s of samples) if (s.outcome === 'ok') out[Math.min(seconds - 1, Math.floor((s.startMs + s.ms) / 1000))]!++;
  return out;
}
