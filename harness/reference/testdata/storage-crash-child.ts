/**
 * Child process of the storage kill tests (testdata/storage-kill.ts): opens a durable store and
 * runs concurrent writers until it is killed. Arguments: `<dir> <cycle> <writers> <faults JSON>`.
 *
 * Writer w, iteration i: one commit of four keys `k<cycle>/w<w>/c<i>/0..3` (1 KiB each, the
 * numbers in the first bytes, the rest filled with a byte of them), then a put that overwrites
 * `single/w<w>` with a value carrying i; then `ack <w> <i>` on stdout. Each batch prints `start <writes>` when its
 * write begins and `batch <writes>` when it is on disk.
 */
import { openDurableStorage } from '../durable-storage.ts';
import { crashValue } from './crash-value.ts';

const [dir, cycleArg, writersArg, faultsArg] = process.argv.slice(2);
const cycle = Number(cycleArg);
const writers = Number(writersArg);
const st = await openDurableStorage(dir!, {
  faults: JSON.parse(faultsArg ?? '{}') as Record<string, boolean>,
  onBatchStart: (n) => process.stdout.write(`start ${n}\n`),
  onBatch: (n) => process.stdout.write(`batch ${n}\n`),
});

async function writer(w: number): Promise<void> {
  for (let i = 0; ; i++) {
    await st.commit([0, 1, 2, 3].map((n) => ({ op: 'put' as const, ns: 'crash', key: `k${cycle}/w${w}/c${i}/${n}`, value: crashValue(cycle, w, i, n) })));
    await st.put('single', `w${w}`, crashValue(cycle, w, i, 9));
    process.stdout.write(`ack ${w} ${i}\n`);
    await new Promise((r) => setImmediate(r));
  }
}

await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
