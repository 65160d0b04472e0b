/**
 * Minimal DER reader/writer for the few ASN.1 shapes BitMaelum keys and ECDSA signatures use
 * (PKCS#8, SPKI, SEC1 ECPrivateKey, ECDSA-Sig-Value): keys.ts, signature.ts, jwt.ts and exchange.ts
 * read and write with it, and the vector generators build malformed encodings with it (so it is
 * a public module, not `_der`).
 *
 * The reader follows the rules of Go's `encoding/asn1` that decide acceptance, since Go decides
 * which bytes are valid: definite lengths only, lengths minimally encoded, INTEGERs minimally
 * encoded (two's complement), low tag numbers only (Go supports high tag numbers but no BitMaelum
 * structure uses one). Whether trailing bytes are tolerated is left to the caller, because Go
 * differs per structure (PKCS#8 and ECDSA signatures: ignored; SPKI, PKCS#1: error).
 * @module
 */

/** A DER decoding failure; callers translate it to their typed error. */
export class DerError extends Error {}

export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number together, e.g. 0x30). */
  readonly tag: number;
  readonly content: Uint8Array;
  /** Offset just after this element in the buffer it was read from. */
  readonly end: number;
}

export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;

/** Read one element at `off`. */
export function readTlv(buf: Uint8Array, off = 0): Tlv {
  if (off + 2 > buf.length) throw new DerError('truncated tag/length');
  const tag = buf[off]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  const b = buf[off + 1]!;
  let len: number;
  let hdr = 2;
  if (b < 0x80) {
    len = b;
  } else {
    const n = b & 0x7f;
    if (n === 0) throw new DerError('indefinite length (not DER)');
    if (n > 4) throw new DerError('length too large');
    if (off + 2 + n > buf.length) throw new DerError('truncated length');
    if (buf[off + 2] === 0) throw new DerError('non-minimal length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off + 2 + i]!;
    if (len < 0x80) throw new DerError('non-minimal length');
    hdr += n;
  }
  const start = off + hdr;
  if (start + len > buf.length) throw new DerError('data truncated');
  return { tag, content: buf.subarray(start, start + len), end: start + len };
}

/** Read one element of the expected tag. */
export function expectTlv(buf: Uint8Array, off: number, tag: number, what: string): Tlv {
  const t = readTlv(buf, off);
  if (t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  return t;
}

/** All elements of a constructed element's content, in order. */
export function children(content: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let off = 0;
  while (off < content.length) {
    const t = readTlv(content, off);
    out.push(t);
    off = t.end;
  }
  return out;
}

/** INTEGER content → bigint (two's complement), rejecting empty and non-minimal encodings like Go. */
export function integerValue(content: Uint8Array): bigint {
  if (content.length === 0) throw new DerError('empty integer');
  if (content.length > 1) {
    const a = content[0]!;
    const b = content[1]!;
    if ((a === 0x00 && (b & 0x80) === 0) || (a === 0xff && (b & 0x80) === 0x80))
      throw new DerError('integer not minimally-encoded');
  }
  let v = 0n;
  for (const x of content) v = (v << 8n) | BigInt(x);
  if (content[0]! & 0x80) v -= 1n << BigInt(8 * content.length);
  return v;
}

/** Encode a DER length. */
function encLen(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | bytes.length, ...bytes];
}

/** Encode one element from its tag and content. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const c of content) len += c.length;
  const head = [tag, ...encLen(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let off = head.length;
  for (const c of content) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** Non-negative bigint → minimal DER INTEGER content. */
export function integerContent(v: bigint): Uint8Array {
  if (v < 0n) throw new RangeError('negative integers are not needed here');
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return new Uint8Array(bytes);
}

/** Big-endian bytes → bigint (unsigned). */
export function bytesToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** bigint → big-endian bytes, left-zero-padded to `len` (throws if it does not fit). */
export function bigintToBytes(v: bigint, len: number): Uint8Array {
  if (v < 0n) throw new RangeError('negative');
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`value does not fit in ${len} bytes`);
  return out;
}
