// Tests of storage.ts and durable-storage.ts (its log: storage-log.ts): the same behaviour from
// the in-memory and the durable store, key encoding, and crash safety of the durable store: its
// log (torn records, corruption, compaction, the earlier layout), group commit with concurrent
// writers, and a child process killed with SIGKILL while eight writers write.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage, type Storage } from './storage.ts';
import { openDurableStorage } from './durable-storage.ts';
import { decodeKey, encodeKey } from './storage-log.ts';
import { bundleChild, type BundledChild } from './testdata/bundle-child.ts';
import { storageKillCycles } from './testdata/storage-kill.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'bm-storage-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString());

const impls: [string, () => Promise<Storage>][] = [
  ['memory', async () => memoryStorage()],
  ['durable', async () => openDurableStorage(await tempDir())],
];

describe.each(impls)('Storage contract (%s)', (_name, open) => {
  it('returns what was put, undefined for absent keys, and copies values', async () => {
    const st = await open();
    const v = bytes('hello');
    await st.put('ns1', 'k', v);
    v[0] = 0;
    expect(text(await st.get('ns1', 'k'))).toBe('hello');
    expect(await st.get('ns1', 'other')).toBeUndefined();
    expect(await st.get('ns2', 'k')).toBeUndefined();
    expect(await st.has('ns1', 'k')).toBe(true);
    await st.close();
  });

  it('replaces on put and reports whether delete removed something', async () => {
    const st = await open();
    await st.put('ns', 'k', bytes('1'));
    await st.put('ns', 'k', bytes('2'));
    expect(text(await st.get('ns', 'k'))).toBe('2');
    expect(await st.delete('ns', 'k')).toBe(true);
    expect(await st.delete('ns', 'k')).toBe(false);
    expect(await st.has('ns', 'k')).toBe(false);
    await st.close();
  });

  it('lists keys by prefix, sorted, without crossing namespaces', async () => {
    const st = await open();
    for (const k of ['acct/b/2', 'acct/a/1', 'acct/a/10', 'other', 'acct/a']) await st.put('m', k, bytes(k));
    await st.put('n', 'acct/a/1', bytes('x'));
    expect(await st.list('m', 'acct/a/')).toEqual(['acct/a/1', 'acct/a/10']);
    expect(await st.list('m')).toEqual(['acct/a', 'acct/a/1', 'acct/a/10', 'acct/b/2', 'other']);
    expect(await st.list('empty')).toEqual([]);
    await st.close();
  });

  it('commits puts and deletes together, in order', async () => {
    const st = await open();
    await st.put('t', 'gone', bytes('x'));
    await st.commit([
      { op: 'put', ns: 't', key: 'a', value: bytes('1') },
      { op: 'put', ns: 'u', key: 'b', value: bytes('2') },
      { op: 'delete', ns: 't', key: 'gone' },
      { op: 'put', ns: 't', key: 'a', value: bytes('3') },
    ]);
    expect(text(await st.get('t', 'a'))).toBe('3');
    expect(text(await st.get('u', 'b'))).toBe('2');
    expect(await st.has('t', 'gone')).toBe(false);
    await st.close();
  });

  it('round-trips keys with separators, dots, percent signs and non-ASCII', async () => {
    const st = await open();
    const keys = ['../../etc/passwd', '.', '..', 'a%2Fb', 'ü/😀', 'with space', '.tmp-x', 'LOCK'];
    for (const k of keys) await st.put('keys', k, bytes(k));
    for (const k of keys) expect(text(await st.get('keys', k))).toBe(k);
    expect(await st.list('keys')).toEqual([...keys].sort());
    await st.close();
  });

  it('refuses bad namespaces and keys with RangeError and a bad value with TypeError', async () => {
    const st = await open();
    for (const ns of ['', 'A', '../x', '_journal', 'a/b', 'x'.repeat(65)]) await expect(st.get(ns, 'k'), ns).rejects.toThrow(RangeError);
    await expect(st.put('ns', '', bytes('x'))).rejects.toThrow(RangeError);
    await expect(st.put('ns', 'x'.repeat(201), bytes('x'))).rejects.toThrow(RangeError);
    await expect(st.put('ns', '\ud800', bytes('x'))).rejects.toThrow(RangeError);
    await expect(st.put('ns', 'k', 'str' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(st.commit([{ op: 'nope', ns: 'a', key: 'b' } as never])).rejects.toThrow(RangeError);
    await st.close();
  });
});

describe('key encoding of the durable store', () => {
  it('maps every key to one safe file name and back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), (k) => {
        const name = encodeKey(k);
        expect(name).toMatch(/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})+$/);
        expect(decodeKey(name)).toBe(k);
      }),
      { numRuns: 300 },
    );
  });
  it('does not decode temp-file names as keys', () => {
    expect(decodeKey('.tmp-0123')).toBeUndefined();
  });
});

describe('durable store across restarts', () => {
  it('finds every acknowledged write after close and reopen', async () => {
    const dir = await tempDir();
    let st = await openDurableStorage(dir);
    await st.put('a', 'x', bytes('1'));
    await st.commit([{ op: 'put', ns: 'a', key: 'y', value: bytes('2') }, { op: 'put', ns: 'b', key: 'z', value: bytes('3') }]);
    await st.delete('a', 'x');
    await st.close();
    st = await openDurableStorage(dir);
    expect(await st.has('a', 'x')).toBe(false);
    expect(text(await st.get('a', 'y'))).toBe('2');
    expect(text(await st.get('b', 'z'))).toBe('3');
    await st.close();
  });

  it('imports a data directory of the earlier file-per-key layout, a committed journal applied on top, once', async () => {
    const dir = await tempDir();
    // The earlier layout: <ns>/<encoded key> files, a journal a crash left behind, a stray temp file.
    await mkdir(join(dir, 'j'), { recursive: true });
    await mkdir(join(dir, '_journal'));
    await writeFile(join(dir, 'j', encodeKey('old')), 'o');
    await writeFile(join(dir, 'j', encodeKey('a/b')), 'ab');
    await writeFile(join(dir, 'j', '.tmp-deadbeef'), 'partial');
    const ops = [{ op: 'put', ns: 'j', key: 'new', value: Buffer.from('n').toString('base64') }, { op: 'delete', ns: 'j', key: 'old' }];
    await writeFile(join(dir, '_journal', '0000000000000007.json'), JSON.stringify(ops));
    const st = await openDurableStorage(dir);
    expect(await st.list('j')).toEqual(['a/b', 'new']);
    expect(text(await st.get('j', 'a/b'))).toBe('ab');
    expect((await readdir(dir)).sort()).toEqual(['LOCK', '_log']);
    await st.put('j', 'later', bytes('l'));
    await st.close();
    const st2 = await openDurableStorage(dir);
    expect(await st2.list('j')).toEqual(['a/b', 'later', 'new']);
    await st2.close();
  });

  it('cuts off a record torn by a crash at the end of the log, keeps every record before it, and removes stray temp files', async () => {
    const dir = await tempDir();
    const st = await openDurableStorage(dir);
    await st.put('t', 'a', bytes('1'));
    await st.commit([{ op: 'put', ns: 't', key: 'b', value: bytes('2') }, { op: 'put', ns: 't', key: 'c', value: bytes('3') }]);
    await st.close();
    const [seg] = await readdir(join(dir, '_log'));
    const path = join(dir, '_log', seg!);
    const whole = await readFile(path);
    // The last record (the commit of b and c) loses its last byte: a torn append. And temp files
    // of an interrupted LOCK write and snapshot are left behind.
    await writeFile(path, whole.subarray(0, whole.length - 1));
    await writeFile(join(dir, '.tmp-lock'), 'x');
    await writeFile(join(dir, '_log', '.tmp-0000000000000002.seg'), 'x');
    const st2 = await openDurableStorage(dir);
    expect(await st2.list('t')).toEqual(['a']);
    expect((await readdir(dir)).concat(await readdir(join(dir, '_log'))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    await st2.put('t', 'd', bytes('4'));
    await st2.close();
    const st3 = await openDurableStorage(dir);
    expect(await st3.list('t')).toEqual(['a', 'd']);
    await st3.close();
  });

  it('refuses to open a log whose segment is corrupt before its end, naming the segment', async () => {
    const dir = await tempDir();
    const st = await openDurableStorage(dir);
    await st.put('t', 'a', bytes('first'));
    await st.put('t', 'b', bytes('second'));
    await st.close();
    const [seg] = await readdir(join(dir, '_log'));
    const path = join(dir, '_log', seg!);
    const buf = await readFile(path);
    buf[buf.indexOf('first') + 1] ^= 0xff; // a flipped bit in the first record, a good one after it
    await writeFile(path, buf);
    // A second segment after it makes the damaged one "not the end".
    await writeFile(join(dir, '_log', '9999999999999999.seg'), Buffer.concat([Buffer.from('BMLOG1\n', 'latin1'), Buffer.from([0])]));
    await expect(openDurableStorage(dir)).rejects.toThrow(new RegExp(`log segment ${seg} is corrupt`));
  });

  it('compacts the log into a snapshot, drops older segments, and finds every live key after reopen', async () => {
    const dir = await tempDir();
    const st = await openDurableStorage(dir, { segmentBytes: 64 * 1024 });
    for (let i = 0; i < 200; i++) {
      await st.put('c', `k${i % 20}`, new Uint8Array(2000).fill(i % 251));
      if (i % 7 === 0) await st.delete('c', `k${(i + 3) % 20}`);
    }
    await st.close();
    const segs = await readdir(join(dir, '_log'));
    expect(segs.length).toBe(1);
    expect((await stat(join(dir, '_log', segs[0]!))).size).toBeLessThan(200 * 2000);
    const mem = memoryStorage();
    for (let i = 0; i < 200; i++) {
      await mem.put('c', `k${i % 20}`, new Uint8Array(2000).fill(i % 251));
      if (i % 7 === 0) await mem.delete('c', `k${(i + 3) % 20}`);
    }
    const st2 = await openDurableStorage(dir);
    expect(await st2.list('c')).toEqual(await mem.list('c'));
    for (const k of await mem.list('c')) expect(await st2.get('c', k)).toEqual(await mem.get('c', k));
    await st2.close();
  });

  it('refuses a data directory held by another live process', async () => {
    const dir = await tempDir();
    const st = await openDurableStorage(dir);
    await st.close();
    await writeFile(join(dir, 'LOCK'), `${process.ppid}\n`);
    await expect(openDurableStorage(dir)).rejects.toThrow(/in use by process/);
  });
});

describe('durable store: group commit', () => {
  it('lets concurrent writers share batches, one sync each, and keeps every commit whole across batches', async () => {
    const dir = await tempDir();
    const batches: number[] = [];
    const st = await openDurableStorage(dir, { onBatch: (n) => batches.push(n) });
    const writers = 16;
    const rounds = 12;
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < rounds; i++) {
        await st.commit([0, 1, 2].map((n) => ({ op: 'put' as const, ns: 'g', key: `w${w}/c${i}/${n}`, value: bytes(`${w}.${i}.${n}`) })));
        if (i % 3 === 0) await st.delete('g', `w${w}/c${i - 3}/1`);
      }
    }));
    const writes = writers * rounds + writers * Math.ceil(rounds / 3);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(writes);
    expect(Math.max(...batches), 'some batch carries several writers').toBeGreaterThan(1);
    expect(batches.length).toBeLessThan(writes);
    await st.close();
    const st2 = await openDurableStorage(dir);
    for (let w = 0; w < writers; w++) {
      for (let i = 0; i < rounds; i++) {
        const deleted = i % 3 === 0 && i + 3 < rounds;
        expect(text(await st2.get('g', `w${w}/c${i}/0`))).toBe(`${w}.${i}.0`);
        expect(text(await st2.get('g', `w${w}/c${i}/1`))).toBe(deleted ? undefined : `${w}.${i}.1`);
        expect(text(await st2.get('g', `w${w}/c${i}/2`))).toBe(`${w}.${i}.2`);
      }
    }
    await st2.close();
  });

  it('acknowledges and shows a write only after its batch is on disk (and the acknowledgeBeforeSync fault does not)', async () => {
    const observe = async (faults: { acknowledgeBeforeSync: boolean }) => {
      let synced = 0;
      const st = await openDurableStorage(await tempDir(), { faults, onBatch: () => { synced++; } });
      const put = st.put('o', 'k', bytes('v'));
      const visibleAtOnce = await st.has('o', 'k');
      await put;
      const syncedAtAck = synced;
      await st.close();
      return { visibleAtOnce, syncedAtAck };
    };
    expect(await observe({ acknowledgeBeforeSync: false })).toEqual({ visibleAtOnce: false, syncedAtAck: 1 });
    expect(await observe({ acknowledgeBeforeSync: true })).toEqual({ visibleAtOnce: true, syncedAtAck: 0 });
  });
});

describe('durable store under SIGKILL (8 concurrent writers)', () => {
  let child: BundledChild;
  beforeAll(async () => {
    child = await bundleChild(fileURLToPath(new URL('./testdata/storage-crash-child.ts', import.meta.url)));
  }, 60_000);
  afterAll(async () => child?.remove());

  // The 50-cycle run is in storage.slow.test.ts (npm run test:slow).
  it('leaves every commit whole or absent and keeps everything acknowledged over 4 kill cycles', async () => {
    const r = await storageKillCycles({ child: child.file, dir: await tempDir(), cycles: 4, writers: 8, seed: 18 });
    expect(r.lost).toEqual([]);
    expect(r.halfVisible).toEqual([]);
    expect(r.acknowledged).toBeGreaterThan(0);
  }, 60_000);

  it('catches the acknowledgeBeforeSync fault: acknowledged writes are lost', async () => {
    const r = await storageKillCycles({ child: child.file, dir: await tempDir(), cycles: 10, writers: 8, seed: 19, faults: { acknowledgeBeforeSync: true }, stopOnLoss: true });
    expect(r.lost.length).toBeGreaterThan(0);
  }, 60_000);
});
