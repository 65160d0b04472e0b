/**
 * Kill cycles of the durable storage (storage.test.ts, storage.slow.test.ts): per cycle a child
 * (storage-crash-child.ts) runs concurrent writers on one data directory and is killed with
 * SIGKILL at a random point — after a random number of acknowledgements plus a random delay, with
 * every writer's next write queued or in a batch being written — then the directory is opened
 * here and checked:
 * - lost: an acknowledged commit or put that is not there (or an older value of `single/w<w>`);
 * - half-visible: a commit found with some of its four keys missing or any value not the one written.
 * Randomness comes from a seeded generator, so a failing seed can be run again.
 * @module
 */
import { spawn } from 'node:child_process';
import { openDurableStorage, type StorageFaults } from '../durable-storage.ts';
import { crashValue } from './crash-value.ts';

export interface KillCycleReport {
  cycles: number;
  /** Acknowledged writes (commit + put pairs) over all cycles. */
  acknowledged: number;
  lost: string[];
  halfVisible: string[];
  /** The most writes one batch carried (group commit at work when > 1). */
  largestBatch: number;
  /** Kills sent while a batch was being written, as far as the child's last line said. */
  midBatchKills: number;
}

/** mulberry32: a small seeded generator for kill points. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Run the child until `acks` acknowledgements, wait `delayMs`, SIGKILL; the last ack per writer. */
function runAndKill(child: string, dir: string, cycle: number, writers: number, faults: Partial<StorageFaults>, acks: number, delayMs: number): Promise<{ last: number[]; largestBatch: number; midBatch: boolean }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dir, String(cycle), String(writers), JSON.stringify(faults)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const last = Array.from({ length: writers }, () => -1);
    let seen = 0;
    let largestBatch = 0;
    let inBatch = false;
    let midBatch = false;
    let buf = '';
    let err = '';
    let killed = false;
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`storage child made no progress: ${err}`)); }, 30_000);
    p.stderr.on('data', (c) => { err += c; });
    p.stdout.on('data', (c) => {
      buf += c;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        const f = l.split(' ');
        if (f[0] === 'ack') {
          last[Number(f[1])] = Math.max(last[Number(f[1])]!, Number(f[2]));
          seen++;
        } else if (f[0] === 'start') inBatch = true;
        else if (f[0] === 'batch') {
          inBatch = false;
          largestBatch = Math.max(largestBatch, Number(f[1]));
        }
      }
      if (!killed && seen >= acks) {
        killed = true;
        setTimeout(() => {
          midBatch = inBatch;
          p.kill('SIGKILL');
        }, delayMs);
      }
    });
    p.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`storage child exited without being killed: ${err}`));
      else resolve({ last, largestBatch, midBatch });
    });
  });
}

const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a).equals(Buffer.from(b));

/**
 * `cycles` kill cycles on `dir` with `writers` concurrent writers, `child` the bundled
 * storage-crash-child.ts. Stops early once something was lost when `stopOnLoss` (the fault runs).
 */
export async function storageKillCycles(o: {
  child: string; dir: string; cycles: number; writers: number; seed: number; faults?: Partial<StorageFaults>; stopOnLoss?: boolean;
}): Promise<KillCycleReport> {
  const rnd = seeded(o.seed);
  const report: KillCycleReport = { cycles: 0, acknowledged: 0, lost: [], halfVisible: [], largestBatch: 0, midBatchKills: 0 };
  for (let cycle = 0; cycle < o.cycles; cycle++) {
    const acks = 1 + Math.floor(rnd() * 60);
    const delay = Math.floor(rnd() * 8);
    // Every ack line read before the exit counts, also those printed between the decision and the kill.
    const { last, largestBatch, midBatch } = await runAndKill(o.child, o.dir, cycle, o.writers, o.faults ?? {}, acks, delay);
    report.cycles++;
    report.largestBatch = Math.max(report.largestBatch, largestBatch);
    if (midBatch) report.midBatchKills++;
    const st = await openDurableStorage(o.dir);
    const keys = await st.list('crash', `k${cycle}/`);
    const commits = new Map<string, Set<number>>();
    for (const k of keys) {
      const m = /^k\d+\/w(\d+)\/c(\d+)\/(\d)$/.exec(k);
      if (!m) { report.halfVisible.push(`cycle ${cycle}: unexpected key ${k}`); continue; }
      const [w, i, n] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (!same(await st.get('crash', k), crashValue(cycle, w, i, n))) report.halfVisible.push(`cycle ${cycle}: ${k} holds other bytes`);
      const id = `w${w}/c${i}`;
      commits.set(id, (commits.get(id) ?? new Set()).add(n));
    }
    for (const [id, parts] of commits) if (parts.size !== 4) report.halfVisible.push(`cycle ${cycle}: commit ${id} has ${parts.size} of 4 keys`);
    for (let w = 0; w < o.writers; w++) {
      report.acknowledged += last[w]! + 1;
      for (let i = 0; i <= last[w]!; i++) if (!commits.has(`w${w}/c${i}`)) report.lost.push(`cycle ${cycle}: acknowledged commit w${w}/c${i}`);
      const single = await st.get('single', `w${w}`);
      if (last[w]! >= 0) {
        const i = single && new DataView(single.buffer, single.byteOffset).getUint32(8);
        const cyc = single && new DataView(single.buffer, single.byteOffset).getUint32(0);
        if (single === undefined || cyc !== cycle || i! < last[w]!) report.lost.push(`cycle ${cycle}: acknowledged put single/w${w} #${last[w]} (found ${cyc === cycle ? `#${i}` : 'an older cycle\'s'})`);
        else if (!same(single, crashValue(cycle, w, i!, 9))) report.halfVisible.push(`cycle ${cycle}: single/w${w} holds other bytes`);
      }
    }
    // Keep the directory small: the cycle's keys go (one more commit through the store).
    await st.commit(keys.map((key) => ({ op: 'delete' as const, ns: 'crash', key })));
    await st.close();
    if (o.stopOnLoss && report.lost.length > 0) break;
  }
  return report;
}
