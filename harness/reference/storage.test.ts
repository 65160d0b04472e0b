// Tests of storage.ts: the same behaviour from the in-memory and the durable store, key encoding,
// and crash safety of the durable store (a child process killed with SIGKILL mid-write).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeKey, encodeKey, memoryStorage, openDurableStorage, type Storage } from './storage.ts';

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

  it('replays a committed journal left by a crash and removes stray temp files', async () => {
    const dir = await tempDir();
    const st = await openDurableStorage(dir);
    await st.put('j', 'old', bytes('o'));
    await st.close();
    // What a crash right after the commit point leaves: the journal, nothing applied; plus a temp file.
    const ops = [{ op: 'put', ns: 'j', key: 'new', value: Buffer.from('n').toString('base64') }, { op: 'delete', ns: 'j', key: 'old' }];
    await writeFile(join(dir, '_journal', '0000000000000007.json'), JSON.stringify(ops));
    await writeFile(join(dir, 'j', '.tmp-deadbeef'), 'partial');
    const st2 = await openDurableStorage(dir);
    expect(text(await st2.get('j', 'new'))).toBe('n');
    expect(await st2.has('j', 'old')).toBe(false);
    expect(await readdir(join(dir, '_journal'))).toEqual([]);
    expect((await readdir(join(dir, 'j'))).some((n) => n.startsWith('.tmp-'))).toBe(false);
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

describe('durable store under SIGKILL', () => {
  const child = fileURLToPath(new URL('./testdata/storage-crash-child.ts', import.meta.url));

  /** Run the writer child, kill it after `acks` acknowledgements plus `delayMs`; return the last ack. */
  function runAndKill(dir: string, acks: number, delayMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', child, dir], { stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() });
      let last = -1;
      let buf = '';
      let err = '';
      let killed = false;
      const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`child made no progress: ${err}`)); }, 20_000);
      p.stderr.on('data', (c) => { err += c; });
      p.stdout.on('data', (c) => {
        buf += c;
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) last = Number(l.split(' ')[1]);
        if (!killed && last >= acks - 1) {
          killed = true;
          setTimeout(() => p.kill('SIGKILL'), delayMs);
        }
      });
      p.on('exit', (_code, signal) => {
        clearTimeout(timer);
        if (signal !== 'SIGKILL') reject(new Error(`child exited without being killed: ${err}`));
        else resolve(last);
      });
    });
  }

  it('leaves every commit whole or absent and keeps everything acknowledged', async () => {
    const dir = await tempDir();
    for (const [acks, delay] of [[3, 0], [5, 7], [8, 23]] as const) {
      const lastAck = await runAndKill(dir, acks, delay);
      const st = await openDurableStorage(dir);
      const keys = await st.list('crash');
      const commits = new Map<number, number[]>();
      for (const k of keys) {
        const m = /^c(\d+)\/(\d)$/.exec(k)!;
        const i = Number(m[1]);
        commits.set(i, [...(commits.get(i) ?? []), Number(m[2])]);
        const v = (await st.get('crash', k))!;
        expect(v.length).toBe(64 * 1024);
        expect(new DataView(v.buffer).getUint32(0)).toBe(i);
        expect(v[v.length - 1]).toBe(i % 251);
      }
      for (const [i, parts] of commits) expect(parts.sort(), `commit ${i}`).toEqual([0, 1, 2, 3]);
      for (let i = 0; i <= lastAck; i++) expect(commits.has(i), `acknowledged commit ${i}`).toBe(true);
      const single = (await st.get('single', 'value'))!;
      expect(single.length).toBe(128 * 1024);
      expect(new DataView(single.buffer).getUint32(0)).toBeGreaterThanOrEqual(lastAck);
      await st.close();
      // Next round restarts the numbering: clear the namespace so indices stay unambiguous.
      const st2 = await openDurableStorage(dir);
      await st2.commit((await st2.list('crash')).map((k) => ({ op: 'delete' as const, ns: 'crash', key: k })));
      await st2.close();
    }
  }, 60_000);
});
