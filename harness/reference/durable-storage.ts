/**
 * The durable storage of the reference servers ({@link openDurableStorage}): every value held in
 * memory, every write appended to a log in a data directory (format: storage-log.ts) before it
 * is acknowledged. The interface and the in-memory storage are in storage.ts.
 *
 * Durable design (group commit). Every value is held in memory, as in storage.ts `memoryStorage`; the
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
 * @module
 */
import { promises as fs, constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import { checkKey, checkNs, checkOps, checkValue, mapReader, type Storage, type StorageOp } from './storage.ts';
import {
  KIND_SNAPSHOT, LOG_DIR, SEG_RE, SNAPSHOT_RECORD_BYTES, encodeRecord, isMissing, parseSegment, readOldLayout, segName, segmentHeader, writeAllAt,
} from './storage-log.ts';
import { atomicWrite, fsyncDir } from './atomic-file.ts';

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
