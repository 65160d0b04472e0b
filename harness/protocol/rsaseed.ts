/**
 * RSA key pairs derived from a seed exactly as the Go BitMaelum code derives them (spec/formats.md
 * §7.3; Go `pkg/bmcrypto/key_rsa.go` `GenerateKeyPair(r)`, `cloudflare/gokey` v0.1.0 `rsa.GenerateKey`
 * built with Go 1.16–1.18, whose `crypto/rand.Prime` did the search).
 *
 * The derivation, as facts about Go's behaviour:
 * - Only the first 24 seed bytes are read; `k = HKDF-SHA256(those bytes, salt empty, info empty, 32)`.
 * - The random stream is the AES-256-CTR keystream of `k` from a 16-byte zero IV (the counter is
 *   the whole IV, big-endian: what `cipher.NewCTR` and OpenSSL's CTR both do).
 * - Two primes, drawn one after the other from that stream: the first of `bits/2` bits, the second
 *   of `bits − bitlen(first)` bits. A set is redrawn while p = q, while bitlen(p·q) ≠ bits, or while
 *   e = 65537 has no inverse modulo (p−1)(q−1).
 * - Go 1.18 `rand.Prime(bits)`: read ⌈bits/8⌉ bytes, clear the bits above `bits`, set the top two
 *   bits and the lowest bit; step the candidate up by the smallest even delta (< 2^20) that makes it
 *   coprime to the primes 3…53; accept when `ProbablyPrime(20)` holds and the bit length is still
 *   `bits`; otherwise read fresh bytes.
 * - d = e⁻¹ mod (p−1)(q−1) (Go's `ModInverse` on the totient, not on the Carmichael λ);
 *   Dp = d mod (p−1), Dq = d mod (q−1), Qinv = q⁻¹ mod p (`Precompute`).
 *
 * Why the primality test need not be Go's: `ProbablyPrime(20)` is 21 Miller-Rabin rounds (bases
 * from `math/rand` seeded with the candidate's low word, the last base 2) plus a strong Lucas test
 * (Baillie-PSW). A prime passes every such test, and no composite is known to pass Baillie-PSW, so
 * which candidates Go accepts is which candidates are prime. Any test with the same property gives
 * the same keys; OpenSSL's (node `checkPrimeSync`, trial division plus Miller-Rabin with random
 * bases, at least 64 rounds) is the fastest measured (`npm run bench`, BENCHMARKS.md). The test is
 * injectable so tests can show that a weaker one changes the result.
 * @module
 */
import { checkPrimeSync, createCipheriv } from 'node:crypto';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidInput } from './errors.ts';

/** The public exponent Go fixes (`priv.E = 65537`). */
export const RSA_E = 65537n;

/** The seed bytes Go reads (`key_rsa.go`: `make([]byte, 24)` + `io.ReadFull`). */
export const RSA_SEED_BYTES = 24;

/** The raw numbers of an RSA private key, as Go's `rsa.PrivateKey` holds them after `Precompute`. */
export interface RsaNumbers {
  readonly n: bigint;
  readonly e: bigint;
  readonly d: bigint;
  /** The first prime drawn (Go `Primes[0]`); not necessarily the larger one. */
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qinv: bigint;
}

/** A primality test: true for every prime, false for (practically) every composite. */
export type PrimalityTest = (candidate: bigint) => boolean;

/** OpenSSL's test through node: the fastest of those measured (bench/rsaseed.bench.ts). */
export const opensslIsPrime: PrimalityTest = (candidate) => checkPrimeSync(candidate);

/** The odd primes of Go 1.18's sieve (`crypto/rand/util.go` smallPrimes). */
const SIEVE_PRIMES = [3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n];
const SIEVE_PRODUCT = SIEVE_PRIMES.reduce((a, b) => a * b, 1n);
const MAX_DELTA = 1n << 20n;

/** A reader of the deterministic byte stream Go's key generation consumes. */
export type ByteStream = (length: number) => Uint8Array;

/** The AES-256-CTR keystream Go reads keys from: key = HKDF-SHA256(first 24 seed bytes), IV = 0. */
export function seedStream(seed: Uint8Array): ByteStream {
  if (!(seed instanceof Uint8Array)) throw new InvalidInput(`seed: expected Uint8Array, got ${seed === null ? 'null' : typeof seed}`);
  if (seed.length < RSA_SEED_BYTES)
    throw new InvalidInput(`seed: an RSA key is derived from the first ${RSA_SEED_BYTES} seed bytes, got ${seed.length} (Go's io.ReadFull fails)`);
  const key = hkdf(sha256, seed.subarray(0, RSA_SEED_BYTES), new Uint8Array(0), new Uint8Array(0), 32);
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return (length) => new Uint8Array(cipher.update(Buffer.alloc(length)));
}

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

function bytesToBigint(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`);
}

/** The candidate's first even step that clears the sieve (0 if none below 2^20, as in Go). */
function sieveDelta(candidate: bigint): bigint {
  const residue = candidate % SIEVE_PRODUCT;
  next: for (let delta = 0n; delta < MAX_DELTA; delta += 2n) {
    const m = residue + delta;
    for (const small of SIEVE_PRIMES) if (m % small === 0n) continue next;
    return delta;
  }
  return 0n;
}

/**
 * Go 1.18 `crypto/rand.Prime(stream, bits)` for bits ≥ 7 (the sieve's small-width exception
 * `m != prime` only matters below that, and RSA never asks for it).
 */
export function goPrime(read: ByteStream, bits: number, isPrime: PrimalityTest = opensslIsPrime): bigint {
  if (!Number.isInteger(bits) || bits < 7) throw new InvalidInput(`bits: expected an integer >= 7, got ${bits}`);
  const topBits = bits % 8 === 0 ? 8 : bits % 8;
  for (;;) {
    const bytes = read((bits + 7) >> 3);
    bytes[0]! &= (1 << topBits) - 1;
    if (topBits >= 2) {
      bytes[0]! |= 3 << (topBits - 2);
    } else {
      bytes[0]! |= 1;
      if (bytes.length > 1) bytes[1]! |= 0x80;
    }
    bytes[bytes.length - 1]! |= 1;
    const candidate = bytesToBigint(bytes);
    const stepped = candidate + sieveDelta(candidate);
    if (isPrime(stepped) && bitLength(stepped) === bits) return stepped;
  }
}

/** x⁻¹ mod m, or undefined when gcd(x, m) ≠ 1 (Go `ModInverse` returning nil). */
export function modInverse(x: bigint, m: bigint): bigint | undefined {
  let [oldR, r] = [((x % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) return undefined;
  return ((oldS % m) + m) % m;
}

/**
 * The old two-prime `GenerateMultiPrimeKey` loop (gokey's copy, no `MaybeReadByte`) on `read`.
 * @throws InvalidInput for a size other than an even number of at least 64 bits
 */
export function goRsaKeyFromStream(read: ByteStream, bits: number, isPrime: PrimalityTest = opensslIsPrime): RsaNumbers {
  if (!Number.isInteger(bits) || bits < 64 || bits % 2 !== 0) throw new InvalidInput(`bits: expected an even integer >= 64, got ${bits}`);
  for (;;) {
    const p = goPrime(read, bits / 2, isPrime);
    const q = goPrime(read, bits - bitLength(p), isPrime);
    if (p === q) continue;
    const n = p * q;
    if (bitLength(n) !== bits) continue;
    const d = modInverse(RSA_E, (p - 1n) * (q - 1n));
    if (d === undefined) continue;
    const qinv = modInverse(q, p)!;
    return { n, e: RSA_E, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qinv };
  }
}

/**
 * The RSA key Go derives from `seed` (`KeyRsa.GenerateKeyPair(bytes reader of seed)`).
 * @throws InvalidInput when the seed has fewer than 24 bytes or the size is not supported
 * @example goRsaKeyFromSeed(fromHex('bcb625a9…'), 2048).n // 0xe70c7634fd60…n (go-seeded-rsa case 1)
 */
export function goRsaKeyFromSeed(seed: Uint8Array, bits: number, isPrime: PrimalityTest = opensslIsPrime): RsaNumbers {
  return goRsaKeyFromStream(seedStream(seed), bits, isPrime);
}
