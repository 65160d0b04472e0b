/**
 * The on-disk format of the durable storage (durable-storage.ts): the log directory
 * `<dir>/_log` of numbered segments `<16 digits>.seg`, each a header (magic + kind: log or
 * snapshot) and records (u32 payload length, u32 CRC-32, the ops of one write). A record cut
 * short or failing its CRC ends what is read of a segment. Also the one-time import of the
 * earlier file-per-key layout (`<dir>/<namespace>/<encoded key>` and a `_journal` directory).
 * @module
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { NS_RE, checkOps, type StorageOp } from './storage.ts';

/** Log directory: `_` keeps it apart from every namespace of the earlier file-per-key layout. */
export const LOG_DIR = '_log';
const OLD_JOURNAL = '_journal';
export const SEG_RE = /^(\d{16})\.seg$/;
/** Segment header: magic + kind. A snapshot segment starts with the whole live data. */
const MAGIC = Buffer.from('BMLOG1\n', 'latin1');
const KIND_LOG = 0;
export const KIND_SNAPSHOT = 1;
const HEADER_BYTES = MAGIC.length + 1;
const OP_PUT = 1;
const OP_DELETE = 2;
/** Record: u32 payload length, u32 CRC-32 of the payload, payload. */
const RECORD_HEAD = 8;
/** Snapshot records are cut at about this size. */
export const SNAPSHOT_RECORD_BYTES = 1 << 20;

export const segName = (n: number) => `${String(n).padStart(16, '0')}.seg`;

export function segmentHeader(kind: number): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([kind])]);
}

/** One log record holding `ops`, in order. */
export function encodeRecord(ops: readonly StorageOp[]): Buffer {
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
export function parseSegment(buf: Buffer, name: string): { kind: number; records: StorageOp[][]; goodEnd: number } {
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
export async function writeAllAt(h: fs.FileHandle, bufs: readonly Buffer[], pos: number): Promise<number> {
  const buf = bufs.length === 1 ? bufs[0]! : Buffer.concat(bufs);
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await h.write(buf, off, buf.length - off, pos + off);
    off += bytesWritten;
  }
  return buf.length;
}

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

/** The error says the file or directory does not exist. */
export function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/**
 * A data directory of the earlier file-per-key layout, read whole: every `<ns>/<encoded key>` file,
 * then the committed journals left by a crash applied on top. `undefined` if `dir` has none.
 */
export async function readOldLayout(dir: string): Promise<{ data: StorageOp[]; paths: string[] } | undefined> {
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
