/**
 * Injected randomness and time. Every random byte the library draws comes from an `Rng`, every
 * clock read from a `Clock`, so that a seed and a frozen `now` give byte-identical outputs
 * (ADAPTER.md "seed"/"now"; DESIGN.md "Determinism").
 *
 * The seeded generator is specified so any implementation can reproduce it:
 * ChaCha20 (RFC 8439, 32-bit counter starting at 0, 12-byte zero nonce) keyed with
 * SHA-256(seed bytes); the output is its keystream, consumed front to back with no gaps.
 * @module
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from 'node:crypto';
import { abytes } from './bytes.ts';

export interface Rng {
  /** The next `n` bytes of the stream. */
  bytes(n: number): Uint8Array;
}

export interface Clock {
  /** Current time, unix seconds (integer). */
  now(): number;
}

const BLOCK = 64 * 64; // keystream produced in 4 KiB chunks

/** Deterministic stream: ChaCha20 keystream under SHA-256(seed). */
export function seededRng(seed: Uint8Array): Rng {
  abytes(seed, 'seed');
  const key = sha256(seed);
  const nonce = new Uint8Array(12);
  let buf = new Uint8Array(0);
  let pos = 0;
  let counter = 0;
  const zeros = new Uint8Array(BLOCK);
  return {
    bytes(n: number): Uint8Array {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`rng.bytes: expected non-negative integer, got ${n}`);
      const out = new Uint8Array(n);
      let off = 0;
      while (off < n) {
        if (pos === buf.length) {
          buf = chacha20(key, nonce, zeros, undefined, counter);
          counter += BLOCK / 64;
          pos = 0;
        }
        const take = Math.min(n - off, buf.length - pos);
        out.set(buf.subarray(pos, pos + take), off);
        off += take;
        pos += take;
      }
      return out;
    },
  };
}

/** The operating system's CSPRNG. */
export const systemRng: Rng = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };

/** The system clock, whole seconds. */
export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };

/** A clock frozen at `unix` seconds. */
export function fixedClock(unix: number): Clock {
  if (!Number.isSafeInteger(unix)) throw new RangeError(`fixedClock: expected integer seconds, got ${unix}`);
  return { now: () => unix };
}

/** A random UUIDv4 string from `rng` (16 bytes, version and variant bits set as RFC 4122). */
export function uuidv4(rng: Rng): string {
  const b = rng.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
