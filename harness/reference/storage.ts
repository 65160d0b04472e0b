/**
 * Storage for the reference mail server and key resolver: namespaced keys → bytes, with an
 * atomic multi-key commit. Two implementations behind one interface:
 *
 * - {@link memoryStorage}: a Map, for tests.
 * - {@link openDurableStorage}: a log in a data directory, crash-safe. What a call has
 *   acknowledged (its promise resolved) survives a kill at any moment and a restart; a
 *   {@link Storage.commit} of several keys is found after a crash either whole or not at all.
 *
 * Model. A namespace is `[a-z0-9][a-z0-9_-]*` (e.g. `accounts`, `messages`, `tickets`). A key is
 * any non-empty string up to 200 bytes (UTF-8); use `/` to build hierarchies
 * (`<account>/box/1/<msgid>`) and {@link Storage.list} with a prefix to walk them. Values are
 * bytes; the caller owns the encoding (`goMarshalBytes` for JSON).
 *
 * Durable design (group commit). Every value is held in memory, as in {@link memoryStorage}; the
 * data directory holds an append-only log of the writes (`<dir>/_log/<16-digit number>.seg`).
 * - Writes queue up. The writer takes everything queued and appends it, one record per write
 *   (length, CRC-32, the ops), to the active segment in one write to a file opened with O_DSYNC
 *   (the write returns when its bytes are on disk, as write + fdatasync would): one sync per
 *   batch, however many writers it carries. Writes that arrive while a sync is in flight join
 *   the next batch. Only then are the batch's ops applied to memory, in arrival order, and the
 *   callers' promises resolved: nothing is acknowledged (and nothing is readable) before its
 *   batch is on disk. A commit's ops always sit in one record, so a torn record (its CRC fails)
 *   drops the whole commit and nothing else of it is applied.
 * - Opening replays the segments. A record cut short at the end of the last segment (a crash
 *   mid-append) is cut off the file; a bad record anywhere else is corruption and refuses to open.
 * - Compaction: when the active segment has grown past max(`segmentBytes`, the live data), the
 *   live data is written as a snapshot segment (temp file, sync, rename, directory sync), which
 *   becomes the active segment; older segments are then removed. On open the newest snapshot
 *   makes every older segment obsolete.
 * A data directory from the earlier file-per-key layout (`<dir>/<namespace>/<encoded key>`, a
 * `_journal` directory) is imported into the log once, on first open, then removed.
 * One data directory must be opened by one process at a time (a `LOCK` file holding the pid
 * refuses a second live opener).
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
import { crc32 } from 'node:zlib';

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

/**
 * The reads of a storage that keeps every value in memory (both storages below: the durable one
 * serves reads from memory and writes through to its log). Values are copied out, so a caller
 * cannot change what is stored.
 */
function mapReader(data: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>): Pick<Storage, 'get' | 'has' | 'list'> {
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
    async list(ns, prefix = '') {
      checkNs(ns);
      return [...(data.get(ns)?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
    },
  };
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
    ...mapReader(data),
    async put(ns, key, value) {
      checkNs(ns); checkKey(key); checkValue(value);
      nsMap(ns).set(key, new Uint8Array(value));
    },
    async delete(ns, key) {
      checkNs(ns); checkKey(key);
      return data.get(ns)?.delete(key) ?? false;
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

/** Key → file name of the earlier file-per-key layout: [A-Za-z0-9_-] kept, every other UTF-8 byte %XX. */
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
 * Deliberate defects of the durable store. They exist so the crash tests can show they catch
 * the defect (storage.test.ts, mailserver/durability.slow.test.ts); every switch defaults to false.
 */
export interface StorageFaults {
  /**
   * Acknowledge a write (resolve its promise, make it readable) as soon as it is queued, and
   * write the queue behind: the writer waits 50 ms before it takes each batch (a write-behind
   * cache, as Redis' `appendfsync everysec`). A SIGKILL then loses what was acknowledged in the
   * last 50 ms or so: the process dies with it still in its memory. (An acknowledgement between write(2) and the sync would survive a
   * SIGKILL, the kernel keeps the written pages; only a power cut shows that one.)
   */
  acknowledgeBeforeSync: boolean;
}

/** How long the acknowledgeBeforeSync fault holds each batch back before writing it. */
const WRITE_BEHIND_MS = 50;

export const NO_STORAGE_FAULTS: Readonly<StorageFaults> = Object.freeze({ acknowledgeBeforeSync: false });

export interface DurableStorageOptions {
  /** Compact once the active segment has grown by this many bytes, or by the live data if more. Default 64 MiB. */
  segmentBytes?: number;
  faults?: Partial<StorageFaults>;
  /** Called when a batch starts being written: how many writes (put, delete or commit calls) it carries. */
  onBatchStart?: (writes: number) => void;
  /** Called when a batch is on disk, before its writes are acknowledged: how many writes it carried. */
  onBatch?: (writes: number) => void;
}

/** Log directory: `_` keeps it apart from every namespace of the earlier file-per-key layout. */
const LOG_DIR = '_log';
const OLD_JOURNAL = '_journal';
const SEG_RE = /^(\d{16})\.seg$/;
/** Segment header: magic + kind. A snapshot segment starts with the whole live data. */
const MAGIC = Buffer.from('BMLOG1\n', 'latin1');
const KIND_LOG = 0;
const KIND_SNAPSHOT = 1;
const HEADER_BYTES = MAGIC.length + 1;
const OP_PUT = 1;
const OP_DELETE = 2;
/** Record: u32 payload length, u32 CRC-32 of the payload, payload. */
const RECORD_HEAD = 8;
/** Snapshot records are cut at about this size. */
const SNAPSHOT_RECORD_BYTES = 1 << 20;

const segName = (n: number) => `${String(n).padStart(16, '0')}.seg`;

function segmentHeader(kind: number): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([kind])]);
}

/** One log record holding `ops`, in order. */
function encodeRecord(ops: readonly StorageOp[]): Buffer {
  const parts = ops.map((o) => ({ o, ns: Buffer.from(o.ns, 'latin1'), key: Buffer.from(o.key, 'utf8') }));
  let size = 0;
  for (const p of parts) size += 4 + p.ns.length + p.key.length + (p.o.op === 'put' ? 4 + p.o.value.length : 0);
  const rec = Buffer.allocUnsafe(RECORD_HEAD + size);
  let at = RECORD_HEAD;
  for (const { o, ns, key } of parts) {
    rec[at++] = o.op === 'put' ? OP_PUT : OP_DELETE;
    rec[at++] = ns.length;
    at += ns.copy(rec, at);
    rec.writeUInt16BE(key.length, at);
    at += 2;
    at += key.copy(rec, at);
    if (o.op === 'put') {
      rec.writeUInt32BE(o.value.length, at);
      at += 4;
      rec.set(o.value, at);
      at += o.value.length;
    }
  }
  rec.writeUInt32BE(size, 0);
  rec.writeUInt32BE(crc32(rec.subarray(RECORD_HEAD)), 4);
  return rec;
}

function decodePayload(p: Buffer): StorageOp[] {
  const ops: StorageOp[] = [];
  let at = 0;
  const need = (n: number) => {
    if (at + n > p.length) throw new Error('record overruns its payload');
  };
  while (at < p.length) {
    need(2);
    const op = p[at++]!;
    const nsLen = p[at++]!;
    need(nsLen + 2);
    const ns = p.toString('latin1', at, at + nsLen);
    at += nsLen;
    const keyLen = p.readUInt16BE(at);
    at += 2;
    need(keyLen);
    const key = p.toString('utf8', at, at + keyLen);
    at += keyLen;
    if (op === OP_PUT) {
      need(4);
      const len = p.readUInt32BE(at);
      at += 4;
      need(len);
      ops.push({ op: 'put', ns, key, value: new Uint8Array(p.subarray(at, at + len)) });
      at += len;
    } else if (op === OP_DELETE) {
      ops.push({ op: 'delete', ns, key });
    } else {
      throw new Error(`unknown op ${op}`);
    }
  }
  checkOps(ops);
  return ops;
}

/** The records of a segment file up to the first one that is cut short or fails its CRC. */
function parseSegment(buf: Buffer, name: string): { kind: number; records: StorageOp[][]; goodEnd: number } {
  if (buf.length < HEADER_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`storage: log segment ${name} has no valid header`);
  const kind = buf[MAGIC.length]!;
  const records: StorageOp[][] = [];
  let at = HEADER_BYTES;
  while (at + RECORD_HEAD <= buf.length) {
    const len = buf.readUInt32BE(at);
    const end = at + RECORD_HEAD + len;
    if (end > buf.length) break;
    const payload = buf.subarray(at + RECORD_HEAD, end);
    if (crc32(payload) !== buf.readUInt32BE(at + 4)) break;
    let ops: StorageOp[];
    try {
      ops = decodePayload(payload);
    } catch {
      break;
    }
    records.push(ops);
    at = end;
  }
  return { kind, records, goodEnd: at };
}

/** Write `bufs` at `pos` of `h`, however the kernel splits the write. */
async function writeAllAt(h: fs.FileHandle, bufs: readonly Buffer[], pos: number): Promise<number> {
  const buf = bufs.length === 1 ? bufs[0]! : Buffer.concat(bufs);
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await h.write(buf, off, buf.length - off, pos + off);
    off += bytesWritten;
  }
  return buf.length;
}

/**
 * A data directory of the earlier file-per-key layout, read whole: every `<ns>/<encoded key>` file,
 * then the committed journals left by a crash applied on top. `undefined` if `dir` has none.
 */
async function readOldLayout(dir: string): Promise<{ data: StorageOp[]; paths: string[] } | undefined> {
  const journalDir = join(dir, OLD_JOURNAL);
  let journals: string[];
  try {
    journals = (await fs.readdir(journalDir)).filter((n) => /^\d{16}\.json$/.test(n)).sort();
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
  const data: StorageOp[] = [];
  const paths: string[] = [];
  for (const ent of await fs.readdir(dir, { withFileTypes: true })) {
    if (!ent.isDirectory() || !NS_RE.test(ent.name)) continue;
    paths.push(join(dir, ent.name));
    for (const name of await fs.readdir(join(dir, ent.name))) {
      const key = decodeKey(name);
      if (key === undefined) continue;
      data.push({ op: 'put', ns: ent.name, key, value: new Uint8Array(await fs.readFile(join(dir, ent.name, name))) });
    }
  }
  for (const name of journals) {
    const raw = JSON.parse(await fs.readFile(join(journalDir, name), 'utf8')) as { op: 'put' | 'delete'; ns: string; key: string; value?: string }[];
    for (const o of raw) data.push(o.op === 'put' ? { op: 'put', ns: o.ns, key: o.key, value: new Uint8Array(Buffer.from(o.value ?? '', 'base64')) } : { op: 'delete', ns: o.ns, key: o.key });
  }
  checkOps(data);
  paths.push(journalDir); // last: its presence marks an import not yet finished
  return { data, paths };
}

interface QueuedWrite {
  record: Buffer;
  ops: readonly StorageOp[];
  /** Set when the write was acknowledged at once (the acknowledgeBeforeSync fault). */
  early: boolean;
  resolve(existed: boolean[]): void;
  reject(e: Error): void;
}

/**
 * Open (creating if needed) a durable store in `dir`. Replays the log (cutting off a record torn
 * by a crash) before it resolves.
 * @throws Error if another live process holds the directory's LOCK, or a log segment is corrupt
 *   anywhere but at its end.
 */
export async function openDurableStorage(dir: string, options: DurableStorageOptions = {}): Promise<Storage> {
  const faults: StorageFaults = { ...NO_STORAGE_FAULTS, ...(options.faults ?? {}) };
  const segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
  await fs.mkdir(dir, { recursive: true });
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

  const data = new Map<string, Map<string, Uint8Array>>();
  let liveBytes = 0;
  /** Apply ops to memory in order; per op, whether the key existed before. */
  const apply = (ops: readonly StorageOp[]): boolean[] =>
    ops.map((o) => {
      let m = data.get(o.ns);
      const old = m?.get(o.key);
      if (old) liveBytes -= old.length + o.key.length;
      if (o.op === 'put') {
        if (!m) data.set(o.ns, (m = new Map()));
        m.set(o.key, o.value);
        liveBytes += o.value.length + o.key.length;
      } else {
        m?.delete(o.key);
      }
      return old !== undefined;
    });

  const logDir = join(dir, LOG_DIR);
  await fs.mkdir(logDir, { recursive: true });
  // Temp files of an interrupted LOCK write or snapshot.
  for (const d of [dir, logDir]) for (const name of await fs.readdir(d)) if (name.startsWith('.tmp-')) await fs.rm(join(d, name), { force: true });
  let segments = (await fs.readdir(logDir)).filter((n) => SEG_RE.test(n)).sort();

  /** Write the live data as snapshot segment `n` (temp, sync, rename, dir sync); returns its size. */
  const writeSnapshot = async (n: number): Promise<number> => {
    const tmp = join(logDir, `.tmp-${segName(n)}`);
    const h = await fs.open(tmp, 'wx+', 0o600);
    try {
      let size = await writeAllAt(h, [segmentHeader(KIND_SNAPSHOT)], 0);
      let chunk: StorageOp[] = [];
      let chunkBytes = 0;
      const flush = async () => {
        if (chunk.length === 0) return;
        size += await writeAllAt(h, [encodeRecord(chunk)], size);
        chunk = [];
        chunkBytes = 0;
      };
      for (const [ns, m] of data) {
        for (const [key, value] of m) {
          chunk.push({ op: 'put', ns, key, value });
          chunkBytes += value.length + key.length;
          if (chunkBytes >= SNAPSHOT_RECORD_BYTES) await flush();
        }
      }
      await flush();
      await h.datasync();
      await fs.rename(tmp, join(logDir, segName(n)));
      await fsyncDir(logDir);
      return size;
    } finally {
      await h.close().catch(() => undefined);
    }
  };
  // O_DSYNC: each append returns once its bytes are on disk, the sync of write + fdatasync in one call.
  const openForAppend = (n: number) => fs.open(join(logDir, segName(n)), fsConstants.O_RDWR | fsConstants.O_DSYNC);

  // The earlier layout: imported as the first snapshot, then removed (the journal directory last).
  const old = await readOldLayout(dir);
  if (old && segments.length === 0) {
    apply(old.data);
    await writeSnapshot(1);
    segments = [segName(1)];
    data.clear();
    liveBytes = 0;
  }
  if (old) {
    for (const p of old.paths) await fs.rm(p, { recursive: true, force: true });
    await fsyncDir(dir);
  }

  // Replay from the newest snapshot on; older segments are obsolete.
  const parsed: { name: string; seg: ReturnType<typeof parseSegment>; size: number }[] = [];
  for (const name of segments) {
    const buf = await fs.readFile(join(logDir, name));
    parsed.push({ name, seg: parseSegment(buf, name), size: buf.length });
  }
  let from = 0;
  parsed.forEach((p, i) => { if (p.seg.kind === KIND_SNAPSHOT) from = i; });
  for (let i = 0; i < parsed.length; i++) {
    const { name, seg, size } = parsed[i]!;
    if (i >= from && seg.goodEnd < size && i < parsed.length - 1) {
      throw new Error(`storage: log segment ${name} is corrupt at byte ${seg.goodEnd} of ${size} (not its end: refusing to open ${dir})`);
    }
  }
  for (const p of parsed.slice(from)) for (const r of p.seg.records) apply(r);
  if (from > 0) {
    for (const p of parsed.slice(0, from)) await fs.rm(join(logDir, p.name), { force: true });
    await fsyncDir(logDir);
  }

  // The active segment: the last one, a torn record at its end cut off; or a fresh snapshot.
  let handle: fs.FileHandle;
  let activeSeq: number;
  let activeSize: number;
  /** Size of the active segment when it became active (its snapshot part). */
  let activeBase: number;
  const last = parsed[parsed.length - 1];
  if (last) {
    activeSeq = Number(SEG_RE.exec(last.name)![1]);
    handle = await openForAppend(activeSeq);
    if (last.seg.goodEnd < last.size) {
      await handle.truncate(last.seg.goodEnd);
      await handle.datasync();
    }
    activeSize = last.seg.goodEnd;
    activeBase = last.seg.kind === KIND_SNAPSHOT ? activeSize : 0;
  } else {
    activeSeq = 1;
    activeSize = activeBase = await writeSnapshot(activeSeq);
    handle = await openForAppend(activeSeq);
  }

  /** Snapshot the live data into the next segment, make it the active one, drop the older ones. */
  const compact = async () => {
    const n = activeSeq + 1;
    const size = await writeSnapshot(n);
    const prev = handle;
    handle = await openForAppend(n);
    activeSeq = n;
    activeSize = activeBase = size;
    await prev.close();
    for (const name of await fs.readdir(logDir)) {
      const m = SEG_RE.exec(name);
      if (m && Number(m[1]) < n) await fs.rm(join(logDir, name), { force: true });
    }
    await fsyncDir(logDir);
  };

  // Group commit: one writer drains the queue, one synchronous (O_DSYNC) append per batch.
  let queue: QueuedWrite[] = [];
  let writing = false;
  let broken: Error | undefined;
  let closed = false;
  let idle: (() => void)[] = [];
  const drain = async () => {
    while (queue.length > 0 && !broken) {
      // The fault writes behind: every batch waits, as in a cache flushed now and then.
      if (faults.acknowledgeBeforeSync) await new Promise((r) => setTimeout(r, WRITE_BEHIND_MS));
      const batch = queue;
      queue = [];
      options.onBatchStart?.(batch.length);
      try {
        activeSize += await writeAllAt(handle, batch.map((w) => w.record), activeSize);
      } catch (e) {
        broken = new Error(`storage: writing the log of ${dir} failed: ${(e as Error).message}`, { cause: e });
        for (const w of [...batch, ...queue]) w.reject(broken);
        queue = [];
        break;
      }
      options.onBatch?.(batch.length);
      for (const w of batch) if (!w.early) w.resolve(apply(w.ops));
      if (activeSize - activeBase > Math.max(segmentBytes, liveBytes)) {
        try {
          await compact();
        } catch (e) {
          broken = new Error(`storage: compacting the log of ${dir} failed: ${(e as Error).message}`, { cause: e });
        }
      }
    }
    writing = false;
    const waiting = idle;
    idle = [];
    for (const f of waiting) f();
  };
  const enqueue = (ops: readonly StorageOp[]): Promise<boolean[]> => {
    if (closed) return Promise.reject(new Error('storage: closed'));
    if (broken) return Promise.reject(broken);
    const record = encodeRecord(ops);
    const p = new Promise<boolean[]>((resolve, reject) => {
      if (faults.acknowledgeBeforeSync) {
        queue.push({ record, ops, early: true, resolve: () => undefined, reject: () => undefined });
        resolve(apply(ops));
      } else {
        queue.push({ record, ops, early: false, resolve, reject });
      }
    });
    if (!writing) {
      writing = true;
      // After the current task: writes started by the same event share the first batch, later
      // ones the next.
      queueMicrotask(() => void drain());
    }
    return p;
  };

  return {
    ...mapReader(data),
    async put(ns, key, value) {
      checkNs(ns); checkKey(key); checkValue(value);
      await enqueue([{ op: 'put', ns, key, value: new Uint8Array(value) }]);
    },
    async delete(ns, key) {
      checkNs(ns); checkKey(key);
      return (await enqueue([{ op: 'delete', ns, key }]))[0]!;
    },
    async commit(ops) {
      checkOps(ops);
      if (ops.length === 0) return;
      await enqueue(ops.map((o) => (o.op === 'put' ? { ...o, value: new Uint8Array(o.value) } : { ...o })));
    },
    async close() {
      if (closed) return;
      closed = true;
      if (writing) await new Promise<void>((r) => idle.push(r));
      await handle.close();
      await fs.rm(lockPath, { force: true });
    },
  };
}
