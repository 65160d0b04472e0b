/** The values the storage kill test's child writes (storage-crash-child.ts), checked by storage-kill.ts. */
export function crashValue(cycle: number, w: number, i: number, n: number): Uint8Array {
  const b = new Uint8Array(1024).fill((cycle * 31 + w * 7 + i) % 251);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, cycle);
  dv.setUint32(4, w);
  dv.setUint32(8, i);
  dv.setUint32(12, n);
  return b;
}
