/**
 * Benchmark section "adapter process": what the harness pays per `command` target — starting
 * `bin/bm-conformance.mjs adapter` until hello is answered (tsx registration included), and
 * small requests round-tripped over stdin/stdout through AdapterClient. No native column:
 * there is no native equivalent of the protocol.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { AdapterClient } from '../harness/adapter/client.ts';
import type { Row, Section } from './_measure.ts';

const BIN = fileURLToPath(new URL('../bin/bm-conformance.mjs', import.meta.url));

async function startOnce(): Promise<{ ms: number; client: AdapterClient }> {
  const t0 = performance.now();
  const client = await AdapterClient.start({ command: process.execPath, args: [BIN, 'adapter'], helloTimeoutMs: 60_000 });
  return { ms: performance.now() - t0, client };
}

export const adapterSection: Section = {
  title: 'Adapter process',
  description:
    'Start-up is the wall time from spawning `node bin/bm-conformance.mjs adapter` to its hello answer ' +
    '(best of 5; includes registering tsx). Round trips are sequential requests through AdapterClient ' +
    'over the pipes of one running adapter.',
  async run({ quick }) {
    const starts: number[] = [];
    let client: AdapterClient | undefined;
    for (let i = 0; i < (quick ? 2 : 5); i++) {
      const s = await startOnce();
      starts.push(s.ms);
      if (client) await client.stop();
      client = s.client;
    }
    const c = client!;
    const ms = quick ? 250 : 1_000;
    async function roundTrips(op: string, args: Record<string, unknown>): Promise<number> {
      for (let i = 0; i < 20; i++) await c.request(op, args);
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < ms) {
        const r = await c.request(op, args);
        if (!('ok' in r) || !r.ok) throw new Error(`${op} failed: ${JSON.stringify(r)}`);
        n++;
      }
      return n / ((performance.now() - t0) / 1000);
    }
    const rows: Row[] = [
      { op: 'start → hello answered (best of runs)', unit: 'ms', ours: Math.min(...starts) },
      { op: 'hash.string round trip', unit: 'req/s', ours: await roundTrips('hash.string', { value: 'joshua!' }) },
      { op: 'pow.verify round trip', unit: 'req/s', ours: await roundTrips('pow.verify', { bits: 8, data: 'john@example!', proof: 149 }) },
    ];
    await c.stop();
    return rows;
  },
};
