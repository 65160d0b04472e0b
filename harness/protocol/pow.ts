/**
 * Proof of work (spec/formats.md §9; Go `pkg/proofofwork/pow.go` at suite 95952d1).
 *
 * - Check (`IsValid`, pow.go:221-238): `h = SHA-256(SHA-256(data ‖ hexlower(proof)))`, valid iff
 *   `h < 2^(256−bits)` as a big-endian integer, i.e. the first `bits` bits of `h` are zero.
 *   `hexlower` is `strconv.FormatUint(proof, 16)`: lowercase, no leading zeros, `0` for zero.
 * - Search (`workOnCore`, pow.go:158-191): counter starts at `start` (0 on one core) and steps by 1;
 *   the "counter += 1 first" comment in the Go file is wrong (§15.10). The Go loop stops below
 *   `math.MaxInt64`; so does {@link solvePow}.
 * - Text form (`String`/`NewFromString`, pow.go:88-114,133-135): `"<bits>$<b64std(data)>$<proof>"`;
 *   JSON form is that string, quoted (pow.go:194-218).
 *
 * Proofs are uint64 in Go, so they are `bigint` here.
 * @module
 */
import { hash as nodeHash } from 'node:crypto';
import { InvalidInput, InvalidProof } from './errors.ts';
import { fromB64, toB64, utf8, fromUtf8, preview } from './bytes.ts';
import type { Rng } from './random.ts';
import { goQuote } from './gojson.ts';

/** A parsed proof of work. `data` is the exact work data; `dataText` its UTF-8 reading. */
export interface ProofOfWork {
  readonly bits: number;
  /** Work data bytes (Go keeps them in a `string`, which may hold any bytes). */
  readonly data: Uint8Array;
  /** `data` decoded as UTF-8 (lossy only when `data` is not UTF-8). */
  readonly dataText: string;
  readonly proof: bigint;
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function workData(data: unknown): Uint8Array {
  if (typeof data === 'string') return utf8(data);
  if (data instanceof Uint8Array) return data;
  throw new InvalidInput(`data: expected string or Uint8Array, got ${data === null ? 'null' : typeof data}`);
}

/**
 * Difficulty check. Go computes `1 << uint(256-bits)`: bits < 0 makes every proof valid and
 * bits > 256 makes Go try a gigantic shift (it runs out of memory). Neither is a difficulty,
 * so both are refused here as InvalidInput (deliberate deviation, documented).
 */
function checkBits(bits: unknown): number {
  if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 0 || bits > 256)
    throw new InvalidInput(`bits: expected integer 0..256, got ${preview(bits)}`);
  return bits;
}

function checkProof(proof: unknown): bigint {
  let p: bigint;
  if (typeof proof === 'bigint') p = proof;
  else if (typeof proof === 'number' && Number.isSafeInteger(proof)) p = BigInt(proof);
  else throw new InvalidInput(`proof: expected uint64 (bigint or safe integer), got ${preview(typeof proof === 'bigint' ? String(proof) : proof)}`);
  if (p < 0n || p > UINT64_MAX) throw new InvalidInput(`proof: expected uint64, got ${p}`);
  return p;
}

/** True iff the first `bits` bits of `h` are zero (≡ `h < 2^(256-bits)`). */
function meetsTarget(h: Uint8Array, full: number, rem: number): boolean {
  for (let i = 0; i < full; i++) if (h[i] !== 0) return false;
  return rem === 0 || h[full]! >> (8 - rem) === 0;
}

/**
 * Whether `proof` is a valid proof of work for `data` at difficulty `bits` (Go `IsValid`).
 * A proof of 0 is accepted here as in `IsValid`; Go's ticket check additionally requires
 * `proof > 0` (`HasDoneWork`, pow.go:128-130).
 * @param bits difficulty, 0..256
 * @param data work data: a string (its UTF-8 bytes are hashed) or raw bytes
 * @param proof uint64 counter
 * @throws InvalidInput when an argument has the wrong type or range (not a "false" answer)
 * @example verifyPow(8, 'jane@example!', 98n) // true (pow_test.go)
 */
export function verifyPow(bits: number, data: string | Uint8Array, proof: bigint | number): boolean {
  const b = checkBits(bits);
  const d = workData(data);
  const p = checkProof(proof);
  const hex = utf8(p.toString(16));
  const pre = new Uint8Array(d.length + hex.length);
  pre.set(d, 0);
  pre.set(hex, d.length);
  const h = nodeHash('sha256', nodeHash('sha256', pre, 'buffer'), 'buffer');
  return meetsTarget(h, b >> 3, b & 7);
}

// ASCII codes used by the in-place hex counter.
const C0 = 0x30, C9 = 0x39, CA = 0x61, CF = 0x66;

/**
 * Find the first proof ≥ `start` (step 1) that meets `bits`, as Go's single-core search.
 * The preimage `data ‖ hex(counter)` lives in one preallocated buffer and the hex digits are
 * incremented in place, so the loop does no string work; hashing is node's native SHA-256.
 * Cost is ~2^bits double hashes (≈ 3 µs each here): fine up to ~20 bits, slow beyond.
 * @param start first counter to try (uint64), default 0
 * @returns the proof, as a bigint
 * @throws InvalidInput on bad arguments, or when no proof exists below 2^63−1 (Go's loop bound;
 *   Go's worker would then block forever)
 * @example solvePow(8, 'john@example!') // 149n (pow_test.go)
 */
export function solvePow(bits: number, data: string | Uint8Array, start: bigint | number = 0n): bigint {
  return search(bits, data, start, Infinity)!;
}

/**
 * {@link solvePow} with a bound on the work: tries at most `maxTries` counters from `start` and
 * returns `undefined` when none of them meets `bits`. A caller with a deadline (the harness,
 * which must not spend longer than a test's timeout on a target's difficulty) searches in
 * slices: `searchPow(bits, data, next, slice) ?? …` with `next = start + slice`.
 * @param maxTries positive integer number of counters to try (Infinity = {@link solvePow})
 * @returns the first proof ≥ `start` among the tried counters, or `undefined`
 * @throws InvalidInput as {@link solvePow}, or when `maxTries` is not a positive integer
 * @example searchPow(8, 'john@example!', 0n, 100) // undefined (the first proof is 149)
 */
export function searchPow(bits: number, data: string | Uint8Array, start: bigint | number, maxTries: number): bigint | undefined {
  if (maxTries !== Infinity && (!Number.isSafeInteger(maxTries) || maxTries < 1)) throw new InvalidInput(`maxTries: expected a positive integer, got ${preview(maxTries)}`);
  return search(bits, data, start, maxTries);
}

function search(bits: number, data: string | Uint8Array, start: bigint | number, maxTries: number): bigint | undefined {
  const b = checkBits(bits);
  const d = workData(data);
  const s = checkProof(start);
  if (s >= INT64_MAX) throw new InvalidInput(`start: Go searches only below 2^63-1, got ${s}`);
  const full = b >> 3, rem = b & 7;
  const base = d.length;
  // 16 hex digits hold any uint64; one spare byte is never needed since counter < 2^63.
  const buf = Buffer.alloc(base + 16);
  buf.set(d, 0);
  let digits = buf.write(s.toString(16), base, 'latin1');
  let view = buf.subarray(0, base + digits);
  let counter = s;
  // Count iterations in a plain number and convert once at the end; bound by Go's loop limit.
  let n = 0;
  let tries = maxTries;
  const limit = INT64_MAX - s; // counters s .. INT64_MAX-1
  const fastLimit = limit > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(limit);
  for (;;) {
    const h = nodeHash('sha256', nodeHash('sha256', view, 'buffer'), 'buffer');
    if (meetsTarget(h, full, rem)) return counter + BigInt(n);
    n++;
    if (--tries <= 0) return undefined;
    if (n >= fastLimit) {
      if (BigInt(n) >= limit) throw new InvalidInput(`no proof of ${b} bits found below 2^63-1`);
      // Practically unreachable (2^53 hashes); rebase to keep `n` exact.
      counter += BigInt(n);
      n = 0;
    }
    // In-place lowercase-hex increment of the digits at buf[base .. base+digits).
    let i = base + digits - 1;
    for (;;) {
      const c = buf[i]!;
      if (c === CF) {
        buf[i] = C0;
        if (i === base) {
          // Carry out of the top digit: "fff" + 1 = "1000".
          buf[base] = 0x31;
          buf.fill(C0, base + 1, base + digits + 1);
          digits++;
          view = buf.subarray(0, base + digits);
          break;
        }
        i--;
        continue;
      }
      buf[i] = c === C9 ? CA : c + 1;
      break;
    }
  }
}

/** Go `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits, int64 range. */
function goAtoi(s: string, field: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new InvalidProof(`${field}: strconv.Atoi: parsing ${preview(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v > INT64_MAX || v < INT64_MIN) throw new InvalidProof(`${field}: strconv.Atoi: parsing ${preview(s)}: value out of range`);
  return v;
}

/**
 * Parse the text form `"<bits>$<b64std(data)>$<proof>"` (Go `NewFromString`, pow.go:88-114).
 * Go's quirks are kept, since Go decides what is accepted: `SplitN(s, "$", 3)` (a `$` inside the
 * third part then fails the number parse), `Atoi` allows a leading `+`/`-`, and a negative proof
 * becomes `uint64(proof)` (two's complement, e.g. `-1` → 2^64−1). Bits are not range-checked by
 * Go; here bits must lie within ±2^53 (a JS number), otherwise InvalidProof.
 * @throws InvalidInput when `s` is not a string; InvalidProof for any malformed text
 * @example parseProofOfWork('8$am9obkBleGFtcGxlIQ==$149') // {bits: 8, dataText: 'john@example!', proof: 149n, …}
 */
export function parseProofOfWork(s: string): ProofOfWork {
  if (typeof s !== 'string') throw new InvalidInput(`proof of work: expected string, got ${s === null ? 'null' : typeof s}`);
  const first = s.indexOf('$');
  const second = first < 0 ? -1 : s.indexOf('$', first + 1);
  if (second < 0) throw new InvalidProof(`proof of work: incorrect proof-of-work format (want bits$data$proof), got ${preview(s)}`);
  const bitsBig = goAtoi(s.slice(0, first), 'proof of work bits');
  if (bitsBig > BigInt(Number.MAX_SAFE_INTEGER) || bitsBig < BigInt(Number.MIN_SAFE_INTEGER))
    throw new InvalidProof(`proof of work bits: ${bitsBig} is out of range`);
  let data: Uint8Array;
  try {
    data = fromB64(s.slice(first + 1, second), 'proof of work data');
  } catch (e) {
    throw new InvalidProof((e as Error).message, { cause: e });
  }
  const proofSigned = goAtoi(s.slice(second + 1), 'proof of work proof');
  const proof = proofSigned < 0n ? proofSigned + (1n << 64n) : proofSigned;
  return { bits: Number(bitsBig), data, dataText: fromUtf8(data), proof };
}

/**
 * The text form `"<bits>$<b64std(data)>$<proof>"` (Go `String`, pow.go:133-135).
 * @example formatProofOfWork({ bits: 8, data: 'john@example!', proof: 149n }) // '8$am9obkBleGFtcGxlIQ==$149'
 */
export function formatProofOfWork(p: { bits: number; data: string | Uint8Array; proof: bigint | number }): string {
  if (typeof p !== 'object' || p === null) throw new InvalidInput(`proof of work: expected object, got ${p === null ? 'null' : typeof p}`);
  if (typeof p.bits !== 'number' || !Number.isSafeInteger(p.bits)) throw new InvalidInput(`bits: expected integer, got ${preview(p.bits)}`);
  const d = workData(p.data);
  const proof = checkProof(p.proof);
  return `${p.bits}$${toB64(d)}$${proof}`;
}

/**
 * Parse the JSON form (a JSON string holding the text form; Go `UnmarshalJSON`, pow.go:204-218).
 * @throws InvalidProof for anything that is not a JSON string holding a valid text form
 */
export function parseProofOfWorkJson(json: string): ProofOfWork {
  if (typeof json !== 'string') throw new InvalidInput(`proof of work JSON: expected string, got ${json === null ? 'null' : typeof json}`);
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new InvalidProof(`proof of work JSON: not JSON: ${preview(json)}`, { cause: e });
  }
  // Go unmarshals `null` into a string as a no-op, leaving "" — which then fails to parse.
  if (v === null) v = '';
  if (typeof v !== 'string') throw new InvalidProof(`proof of work JSON: expected a JSON string, got ${preview(json)}`);
  return parseProofOfWork(v);
}

/** The JSON form: the text form as a JSON string (Go `MarshalJSON`, pow.go:194-196). */
export function proofOfWorkToJson(p: { bits: number; data: string | Uint8Array; proof: bigint | number }): string {
  return goQuote(formatProofOfWork(p));
}

/**
 * Random work data for tickets: `b64std(32 random bytes)` (Go `GenerateWorkData`, pow.go:117-125).
 * Draws exactly 32 bytes from `rng`.
 * @example generateWorkData({ bytes: n => new Uint8Array(n).fill(1) }) // 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE='
 */
export function generateWorkData(rng: Rng): string {
  return toB64(rng.bytes(32));
}
