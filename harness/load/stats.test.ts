// The load run's figures (harness/load/stats.ts) against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { latencyHistogram, latencySummary, quantile, throughputPerSecond, type SendSample } from './stats.ts';

const ok = (startMs: number, ms: number): SendSample => ({ startMs, ms, outcome: 'ok', delivery: 'local' });

describe('load figures', () => {
  it('quantiles are nearest-rank: p50 of 1..100 is 50, p95 is 95, p99 is 99; none of an empty list', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([quantile(xs, 0.5), quantile(xs, 0.95), quantile(xs, 0.99), quantile(xs, 1)]).toEqual([50, 95, 99, 100]);
    expect(quantile([], 0.5)).toBeUndefined();
  });

  it('latency counts only acknowledged sends: a fast 503 does not lower p50', () => {
    const s = [ok(0, 100), ok(0, 200), ok(0, 300), { startMs: 0, ms: 1, outcome: 503, delivery: 'local' } as SendSample];
    expect(latencySummary(s)).toEqual({ count: 3, p50: 200, p95: 300, p99: 300, max: 300 });
  });

  it('the histogram has equal bins up to the maximum and holds every acknowledged send once', () => {
    const h = latencyHistogram([ok(0, 1), ok(0, 10), ok(0, 19), ok(0, 20)], 4);
    expect(h).toEqual([{ upToMs: 5, count: 1 }, { upToMs: 10, count: 0 }, { upToMs: 15, count: 1 }, { upToMs: 20, count: 2 }]);
  });

  it('throughput counts each send in the second it was acknowledged', () => {
    expect(throughputPerSecond([ok(0, 500), ok(900, 200), ok(1500, 100), ok(2990, 5)], 3000)).toEqual([1, 2, 1]);
  });
});
