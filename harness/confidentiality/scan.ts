/**
 * Finding a canary in bytes a server kept (issue 12 item 3): the scanner of the confidentiality
 * check. A message whose subject, blocks, attachment names and bytes carry a fresh random canary
 * is sent; afterwards every file the server changed and its log are searched for that canary in
 * the forms a careless implementation stores text in:
 *
 * - raw bytes, lower- and upper-case hex;
 * - base64 and base64url, at each of the three alignments a byte string can start at inside a
 *   longer encoded value (only the characters that depend on canary bytes alone are searched);
 * - UTF-16 little- and big-endian (the canary is ASCII);
 * - any of these inside a zlib or gzip stream found in the data (inflated, and searched again,
 *   nested up to {@link MAX_DEPTH} deep).
 *
 * A hit names the file (or `log`), the byte offset, the encoding, and the compressed streams it
 * was found inside.
 * @module
 */
import { inflateRawSync, inflateSync } from 'node:zlib';

export interface Needle {
  encoding: string;
  bytes: Buffer;
}

export interface Hit {
  /** File path, or a label such as `container log`. */
  where: string;
  /** Byte offset of the hit in the (innermost inflated) data. */
  offset: number;
  encoding: string;
  /** Compressed streams it was found inside, outermost first (`zlib@<offset>`). */
  inside: string[];
}

/** Deepest nesting of compressed streams searched. */
export const MAX_DEPTH = 3;
/** Largest inflated stream searched (bytes): a zip bomb in a target's files must not stop the check. */
const MAX_INFLATED = 64 * 1024 * 1024;

/** The base64 characters that depend only on `bytes` when it starts `align` bytes into a 3-byte group. */
function base64Core(bytes: Buffer, align: number, url: boolean): Buffer {
  const enc = Buffer.concat([Buffer.alloc(align), bytes]).toString(url ? 'base64url' : 'base64');
  const start = Math.ceil((align * 4) / 3);
  const end = Math.floor(((align + bytes.length) * 4) / 3);
  return Buffer.from(enc.slice(start, end), 'latin1');
}

/** Every form of `canary` the scanner looks for. */
export function canaryNeedles(canary: string): Needle[] {
  if (!/^[\x20-\x7e]{12,}$/.test(canary)) throw new RangeError(`canary: expected at least 12 printable ASCII characters, got ${JSON.stringify(canary)}`);
  const raw = Buffer.from(canary, 'latin1');
  const out: Needle[] = [
    { encoding: 'raw', bytes: raw },
    { encoding: 'hex', bytes: Buffer.from(raw.toString('hex'), 'latin1') },
    { encoding: 'HEX', bytes: Buffer.from(raw.toString('hex').toUpperCase(), 'latin1') },
    { encoding: 'utf-16le', bytes: Buffer.from(canary, 'utf16le') },
    { encoding: 'utf-16be', bytes: Buffer.from(canary, 'utf16le').swap16() },
  ];
  for (const align of [0, 1, 2]) {
    out.push({ encoding: `base64+${align}`, bytes: base64Core(raw, align, false) });
    out.push({ encoding: `base64url+${align}`, bytes: base64Core(raw, align, true) });
  }
  // base64 and base64url agree where the canary's encoding has no + or /: keep one of each form.
  const seen = new Set<string>();
  return out.filter((n) => (seen.has(n.bytes.toString('latin1')) ? false : (seen.add(n.bytes.toString('latin1')), true)));
}

/** Offsets where a zlib (78 01/5e/9c/da) or gzip (1f 8b 08) stream may start. */
function streamStarts(data: Buffer): { offset: number; kind: 'zlib' | 'gzip' }[] {
  const out: { offset: number; kind: 'zlib' | 'gzip' }[] = [];
  for (let i = 0; i + 2 < data.length; i++) {
    const a = data[i]!;
    const b = data[i + 1]!;
    if (a === 0x78 && (b === 0x01 || b === 0x5e || b === 0x9c || b === 0xda)) out.push({ offset: i, kind: 'zlib' });
    else if (a === 0x1f && b === 0x8b && data[i + 2] === 0x08) out.push({ offset: i, kind: 'gzip' });
  }
  return out;
}

/**
 * Length of the gzip member header at the start of `d` (RFC 1952 §2.3), so the deflate data after
 * it can be inflated on its own: gunzip refuses a member followed by other bytes, as in a file.
 */
function gzipHeaderLength(d: Buffer): number {
  const flags = d[3] ?? 0;
  let n = 10;
  if (flags & 4) n += 2 + (d.readUInt16LE(n) || 0);
  if (flags & 8) n = d.indexOf(0, n) + 1;
  if (flags & 16) n = d.indexOf(0, n) + 1;
  if (flags & 2) n += 2;
  if (n <= 0 || n > d.length) throw new RangeError('gzip header runs past the data');
  return n;
}

/** Every hit of `needles` in `data` (and in the compressed streams inside it). */
export function scanBytes(data: Buffer, needles: readonly Needle[], where: string, inside: string[] = []): Hit[] {
  const hits: Hit[] = [];
  for (const n of needles) {
    for (let at = data.indexOf(n.bytes); at >= 0; at = data.indexOf(n.bytes, at + 1)) hits.push({ where, offset: at, encoding: n.encoding, inside });
  }
  if (inside.length >= MAX_DEPTH) return hits;
  for (const s of streamStarts(data)) {
    let inflated: Buffer;
    try {
      const opts = { maxOutputLength: MAX_INFLATED, finishFlush: 2 /* Z_SYNC_FLUSH: a stream cut short still yields what it has */ };
      inflated = s.kind === 'zlib' ? inflateSync(data.subarray(s.offset), opts) : inflateRawSync(data.subarray(s.offset + gzipHeaderLength(data.subarray(s.offset))), opts);
    } catch {
      continue;
    }
    if (inflated.length === 0) continue;
    hits.push(...scanBytes(inflated, needles, where, [...inside, `${s.kind}@${s.offset}`]));
  }
  return hits;
}

/** One line per hit: `<where> offset <n> (<encoding>[, inside zlib@…])`. */
export function describeHit(h: Hit): string {
  return `${h.where} offset ${h.offset} (${h.encoding}${h.inside.length > 0 ? `, inside ${h.inside.join(' > ')}` : ''})`;
}

/** Regular files of a tar archive (ustar / GNU long names), as `docker cp <container>:<path> -` writes. */
export function tarFiles(tar: Buffer): { path: string; data: Buffer }[] {
  const out: { path: string; data: Buffer }[] = [];
  let longName: string | undefined;
  for (let off = 0; off + 512 <= tar.length; ) {
    // An unset name override (no path record) falls back to the header's own name.
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const prefix = str(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    const body = tar.subarray(off + 512, off + 512 + size);
    longName = undefined;
    // Long names: a GNU 'L' entry, or a PAX 'x' header with a path record ("<len> path=<name>\n").
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    else if (type === '0' || type === '\0') out.push({ path: name, data: Buffer.from(body) });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
