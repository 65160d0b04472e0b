/**
 * Byte helpers and input asserters used at the edge of every public function.
 * Base64 is Go's `base64.StdEncoding` (standard alphabet, padding required, strict);
 * hex is lowercase. Decoders throw `InvalidInput` naming the field.
 * @module
 */
import { InvalidInput } from './errors.ts';

const utf8enc = new TextEncoder();
const utf8dec = new TextDecoder('utf-8', { fatal: false });

export function utf8(s: string): Uint8Array {
  return utf8enc.encode(s);
}
export function fromUtf8(b: Uint8Array): string {
  return utf8dec.decode(b);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
/** Strict hex decode (even length, hex digits only; either case accepted). */
export function fromHex(s: string, field = 'hex'): Uint8Array {
  astring(s, field);
  if (!HEX_RE.test(s)) throw new InvalidInput(`${field}: expected hex string, got ${preview(s)}`);
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function toB64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/**
 * Strict standard base64 with padding, as Go's `base64.StdEncoding.DecodeString`: Go skips
 * `\r` and `\n` anywhere in the input, so those are removed first; anything else that is not
 * canonical alphabet and padding is rejected.
 */
export function fromB64(s: string, field = 'base64'): Uint8Array {
  astring(s, field);
  const t = s.replace(/[\r\n]/g, '');
  if (!B64_RE.test(t)) throw new InvalidInput(`${field}: expected standard base64 with padding, got ${preview(s)}`);
  const out = new Uint8Array(Buffer.from(t, 'base64'));
  // StdEncoding is not .Strict(): non-zero padding bits in the last quantum are accepted, as here.
  return out;
}

/** base64url without padding (JWT segments). */
export function toB64url(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
}
const B64URL_RE = /^[A-Za-z0-9_-]*$/;
export function fromB64url(s: string, field = 'base64url'): Uint8Array {
  astring(s, field);
  if (!B64URL_RE.test(s) || s.length % 4 === 1) throw new InvalidInput(`${field}: expected unpadded base64url, got ${preview(s)}`);
  return new Uint8Array(Buffer.from(s, 'base64url'));
}

export function preview(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : v instanceof Uint8Array ? `Uint8Array(${v.length})` : String(JSON.stringify(v) ?? typeof v);
  } catch {
    s = typeof v;
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Assert a string field. */
export function astring(v: unknown, field: string): asserts v is string {
  if (typeof v !== 'string') throw new InvalidInput(`${field}: expected string, got ${v === null ? 'null' : typeof v}`);
}
/** Assert a Uint8Array field, optionally of one of the given lengths. */
export function abytes(v: unknown, field: string, ...lengths: number[]): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new InvalidInput(`${field}: expected Uint8Array, got ${v === null ? 'null' : typeof v}`);
  if (lengths.length > 0 && !lengths.includes(v.length))
    throw new InvalidInput(`${field}: expected ${lengths.join(' or ')} bytes, got ${v.length}`);
}
/** Assert a plain JSON object (not null, not an array). */
export function aobject(v: unknown, field: string): asserts v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InvalidInput(`${field}: expected object, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`);
}
/** Assert a safe non-negative integer. */
export function auint(v: unknown, field: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new InvalidInput(`${field}: expected non-negative integer, got ${preview(v)}`);
}
