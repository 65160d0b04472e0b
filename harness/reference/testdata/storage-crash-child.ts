/**
 * Child process for storage.test.ts's crash test: opens a durable store in argv[2] and writes
 * multi-key commits forever, printing `ack <i>` after each commit resolves, until it is killed.
 * Commit i puts keys `c<i>/0..3` (values 64 KiB of byte i%251, with the index in the first
 * bytes) and overwrites `single` with a 128 KiB value that carries i.
 */
import { openDurableStorage } from '../storage.ts';

const dir = process.argv[2]!;
const st = await openDurableStorage(dir);
for (let i = 0; ; i++) {
  const v = (n: number, size: number) => {
    const b = new Uint8Array(size).fill(i % 251);
    new DataView(b.buffer).setUint32(0, i);
    new DataView(b.buffer).setUint32(4, n);
    return b;
  };
  await st.commit([0, 1, 2, 3].map((n) => ({ op: 'put' as const, ns: 'crash', key: `c${i}/${n}`, value: v(n, 64 * 1024) })));
  await st.put('single', 'value', v(9, 128 * 1024));
  process.stdout.write(`ack ${i}\n`);
}
