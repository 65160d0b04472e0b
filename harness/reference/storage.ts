/**
 * Storage for the reference mail server and key resolver: namespaced keys → bytes, with an
 * atomic multi-key commit. Two implementations behind one interface:
 *
 * - {@link memoryStorage}: a Map, for tests.
 * - {@link openDurableStorage}: files in a data directory, crash-safe. What a call has
 *   acknowledged (its promise resolved) survives a kill at any moment and a restart; a
 *   {@link Storage.commit} of several keys is found after a crash either whole or not at all.
 *
 * Model. A namespace is `[a-z0-9][a-z0-9_-]*` (e.g. `accounts`, `messages`, `tickets`). A key is
 * any non-empty string up to 200 bytes (UTF-8); use `/` to build hierarchies
 * (`<account>/box/1/<msgid>`) and {@link Storage.list} with a prefix to walk them. Values are
 * bytes; the caller owns the encoding (`goMarshalBytes` for JSON).
 *
 * Durable layout (`<dir>/<namespace>/<encoded key>`): a key is encoded to one file name
 * (`[A-Za-z0-9_-]` kept, every other byte `%XX`, so `/` and `.` can never walk the tree).
 * - put: write `<ns>/.tmp-<random>`, fsync it, rename over the target, fsync the directory.
 * - delete: unlink, fsync the directory.
 * - commit(ops): the ops (values base64) are first written as one journal file
 *   `_journal/<seq>.json` by the same temp+fsync+rename+fsync-dir sequence — that rename is the
 *   commit point — then applied one by one as above, then the journal is removed. Opening the
 *   store replays any journal left behind (puts and deletes are idempotent) and removes stray
 *   temp files. So after a crash a commit is either absent (journal not yet renamed) or whole.
 * Writes are serialised inside one process; one data directory must be opened by one process
 * at a time (a `LOCK` file holding the pid refuses a second live opener).
 *
 * @example
 * ```ts
 * const st = await openDurableStorage('/var/tmp/bm-ref');       // or memoryStorage()
 * await st.put('accounts', hash, goMarshalBytes(account));
 * await st.commit([
 *   { op: 'put', ns: 'messages', key: `${id}/header`, value: headerBytes },
 *   { op: 'put', ns: 'messages', key: `${id}/catalog`, value: catalogBytes },
 *   { op: 'delete', ns: 'tickets', key: id },
 * ]);
 * const ids = await st.list('messages', `${id}/`);             // sorted keys with that prefix
 * await st.close();
 * ```
 * @module
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type StorageOp =
  | { op: 'put'; ns: string; key: string; value: Uint8Array }
  | { op: 'delete'; ns: string; key: string };

export interface Storage {
  /** The value, or `undefined` if absent. */
  get(ns: string, key: string): Promise<Uint8Array | undefined>;
  has(ns: string, key: string): Promise<boolean>;
  /** Create or replace; durable when resolved. */
  put(ns: string, key: string, value: Uint8Array): Promise<void>;
  /** Remove; resolves `true` if the key existed. */
  delete(ns: string, key: string): Promise<boolean>;
  /** Keys of `ns` starting with `prefix` (default all), sorted by UTF-16 code unit order. */
  list(ns: string, prefix?: string): Promise<string[]>;
  /** Apply all ops atomically (all or none after a crash), in order; durable when resolved. */
  commit(ops: readonly StorageOp[]): Promise<void>;
  close(): Promise<void>;
}

const NS_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_KEY_BYTES = 200;

function checkNs(ns: unknown): asserts ns is string {
  if (typeof ns !== 'string' || !NS_RE.test(ns)) throw new RangeError(`storage: namespace: expected [a-z0-9][a-z0-9_-]*, got ${JSON.stringify(ns)}`);
}
function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new RangeError(`storage: key: expected non-empty string, got ${JSON.stringify(key)}`);
  const n = Buffer.byteLength(key, 'utf8');
  if (n > MAX_KEY_BYTES) throw new RangeError(`storage: key: expected at most ${MAX_KEY_BYTES} bytes, got ${n}`);
  if (!(key as unknown as { isWellFormed(): boolean }).isWellFormed()) throw new RangeError('storage: key: lone surrogate');
}
function checkValue(v: unknown): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError('storage: value: expected Uint8Array');
}
function checkOps(ops: readonly StorageOp[]): void {
  if (!Array.isArray(ops)) throw new TypeError('storage: commit: expected an array of ops');
  for (const o of ops) {
    checkNs(o.ns);
    checkKey(o.key);
    if (o.op === 'put') checkValue(o.value);
    else if (o.op !== 'delete') throw new RangeError(`storage: commit: unknown op ${JSON.stringify((o as { op: unknown }).op)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// In memory

/** Non-durable storage for tests. Values are copied in and out. */
export function memoryStorage(): Storage {
  const data = new Map<string, Map<string, Uint8Array>>();
  const nsMap = (ns: string) => {
    let m = data.get(ns);
    if (!m) data.set(ns, (m = new Map()));
    return m;
  };
  return {
    async get(ns, key) {
      checkNs(ns); checkKey(key);
      const v = data.get(ns)?.get(key);
      return v && new Uint8Array(v);
    },
    async has(ns, key) {
      checkNs(ns); checkKey(key);
      return data.get(ns)?.has(key) ?? false;
    },
    async put(ns, key, value) {
      checkNs(ns); checkKey(key); checkValue(value);
      nsMap(ns).set(key, new Uint8Array(value));
    },
    async delete(ns, key) {
      checkNs(ns); checkKey(key);
      return data.get(ns)?.delete(key) ?? false;
    },
    async list(ns, prefix = '') {
      checkNs(ns);
      return [...(data.get(ns)?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
    },
    async commit(ops) {
      checkOps(ops);
      for (const o of ops) {
        if (o.op === 'put') nsMap(o.ns).set(o.key, new Uint8Array(o.value));
        else data.get(o.ns)?.delete(o.key);
      }
    },
    async close() { /* nothing to release */ },
  };
}

// ---------------------------------------------------------------------------------------------
// Durable

/** Key → file name: keep [A-Za-z0-9_-], escape every other UTF-8 byte as %XX (uppercase). */
export function encodeKey(key: string): string {
  let out = '';
  for (const b of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_-]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Inverse of {@link encodeKey}; `undefined` for names that are not encoded keys (temp files). */
export function decodeKey(name: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})+$/.test(name)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '%') { bytes.push(parseInt(name.slice(i + 1, i + 3), 16)); i += 2; }
    else bytes.push(name.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

const JOURNAL = '_journal';

async function fsyncDir(dir: string): Promise<void> {
  const h = await fs.open(dir, fsConstants.O_RDONLY);
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Write `data` to `dir/name` atomically and durably. */
async function atomicWrite(dir: string, name: string, data: Uint8Array, mode = 0o600): Promise<void> {
  const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  const h = await fs.open(tmp, 'wx', mode);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  await fs.rename(tmp, join(dir, name));
  await fsyncDir(dir);
}

/**
 * Replace the file at `path` atomically and durably (temp file, fsync, rename, fsync dir): after
 * a crash it holds the old or the new content, never a mix. For single config-like files.
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await atomicWrite(dirname(path), basename(path), typeof data === 'string' ? Buffer.from(data, 'utf8') : data, mode);
}

function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT';
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Open (creating if needed) a durable store in `dir`. Replays committed journals left by a
 * crash and removes temp files before it resolves.
 * @throws Error if another live process holds the directory's LOCK.
 */
export async function openDurableStorage(dir: string): Promise<Storage> {
  await fs.mkdir(join(dir, JOURNAL), { recursive: true });
  const lockPath = join(dir, 'LOCK');
  try {
    const pid = Number((await fs.readFile(lockPath, 'utf8')).trim());
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
      throw new Error(`storage: ${dir} is in use by process ${pid}`);
    }
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  await atomicWrite(dir, 'LOCK', Buffer.from(`${process.pid}\n`));

  const created = new Set<string>();
  const nsDir = async (ns: string) => {
    const d = join(dir, ns);
    if (!created.has(ns)) {
      await fs.mkdir(d, { recursive: true });
      created.add(ns);
    }
    return d;
  };

  const putFile = async (ns: string, key: string, value: Uint8Array) => atomicWrite(await nsDir(ns), encodeKey(key), value);
  const deleteFile = async (ns: string, key: string): Promise<boolean> => {
    const d = join(dir, ns);
    try {
      await fs.unlink(join(d, encodeKey(key)));
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
    await fsyncDir(d);
    return true;
  };
  const applyOps = async (ops: readonly StorageOp[]) => {
    for (const o of ops) {
      if (o.op === 'put') await putFile(o.ns, o.key, o.value);
      else await deleteFile(o.ns, o.key);
    }
  };

  // Recovery: remove temp files everywhere, replay committed journals in sequence order.
  for (const ent of await fs.readdir(dir, { withFileTypes: true })) {
    if (!ent.isDirectory()) continue;
    for (const name of await fs.readdir(join(dir, ent.name))) {
      if (name.startsWith('.tmp-')) await fs.rm(join(dir, ent.name, name), { force: true });
    }
  }
  const journalDir = join(dir, JOURNAL);
  const pending = (await fs.readdir(journalDir)).filter((n) => /^\d{16}\.json$/.test(n)).sort();
  let seq = 0;
  for (const name of pending) {
    const raw = JSON.parse(await fs.readFile(join(journalDir, name), 'utf8')) as { op: 'put' | 'delete'; ns: string; key: string; value?: string }[];
    const ops: StorageOp[] = raw.map((o) => (o.op === 'put' ? { op: 'put', ns: o.ns, key: o.key, value: new Uint8Array(Buffer.from(o.value ?? '', 'base64')) } : { op: 'delete', ns: o.ns, key: o.key }));
    checkOps(ops);
    await applyOps(ops);
    await fs.unlink(join(journalDir, name));
    seq = Math.max(seq, Number(name.slice(0, 16)));
  }
  if (pending.length > 0) await fsyncDir(journalDir);

  // One writer at a time: a promise chain.
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new Error('storage: closed'));
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  return {
    async get(ns, key) {
      checkNs(ns); checkKey(key);
      try {
        return new Uint8Array(await fs.readFile(join(dir, ns, encodeKey(key))));
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async has(ns, key) {
      checkNs(ns); checkKey(key);
      try {
        await fs.access(join(dir, ns, encodeKey(key)));
        return true;
      } catch {
        return false;
      }
    },
    async put(ns, key, value) {
      checkNs(ns); checkKey(key); checkValue(value);
      const copy = new Uint8Array(value);
      return exclusive(() => putFile(ns, key, copy));
    },
    async delete(ns, key) {
      checkNs(ns); checkKey(key);
      return exclusive(() => deleteFile(ns, key));
    },
    async list(ns, prefix = '') {
      checkNs(ns);
      let names: string[];
      try {
        names = await fs.readdir(join(dir, ns));
      } catch (e) {
        if (isMissing(e)) return [];
        throw e;
      }
      const keys: string[] = [];
      for (const n of names) {
        const k = decodeKey(n);
        if (k !== undefined && k.startsWith(prefix)) keys.push(k);
      }
      return keys.sort();
    },
    async commit(ops) {
      checkOps(ops);
      const copy: StorageOp[] = ops.map((o) => (o.op === 'put' ? { ...o, value: new Uint8Array(o.value) } : { ...o }));
      return exclusive(async () => {
        if (copy.length === 0) return;
        if (copy.length === 1) return void (await applyOps(copy));
        seq += 1;
        const name = `${String(seq).padStart(16, '0')}.json`;
        const text = JSON.stringify(copy.map((o) => (o.op === 'put' ? { op: 'put', ns: o.ns, key: o.key, value: Buffer.from(o.value).toString('base64') } : o)));
        await atomicWrite(journalDir, name, Buffer.from(text, 'utf8')); // commit point
        await applyOps(copy);
        await fs.unlink(join(journalDir, name));
        // The removal must be durable too: a journal replayed after later writes to the same
        // keys would roll those back.
        await fsyncDir(journalDir);
      });
    },
    async close() {
      if (closed) return;
      await exclusive(async () => undefined);
      closed = true;
      await fs.rm(lockPath, { force: true });
    },
  };
}
