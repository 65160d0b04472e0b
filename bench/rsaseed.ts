/**
 * Benchmark section "RSA keys from a seed": time per Go-exact derivation (harness/protocol/
 * rsaseed.ts) of the two Go known answers (2048 and 4096 bits), with the primality test the
 * library uses (OpenSSL through node `checkPrimeSync`) beside a pure-BigInt Miller-Rabin with the
 * same acceptance (the alternative the choice was measured against). The Go anchor is an estimate:
 * the number of primality tests the search makes (counted here) times what each costs at
 * OpenSSL's speed — Go rejects a sieved composite after one Miller-Rabin exponentiation and accepts
 * a prime after 21 plus a Lucas test, which is what the estimate charges.
 * @module
 */
import { checkPrimeSync } from 'node:crypto';
import type { Rendered, Section } from './_measure.ts';
import { goRsaKeyFromSeed, opensslIsPrime, type PrimalityTest } from '../harness/protocol/rsaseed.ts';
import { fromHex } from '../harness/protocol/bytes.ts';
import { goSeededRsaCases } from '../harness/protocol/gotestdata.ts';

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** Miller-Rabin with fixed bases (a prime passes every round; composites here fail the first). */
const bigintIsPrime: PrimalityTest = (n) => {
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  next: for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n]) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n - 1n) continue next;
    }
    return false;
  }
  return true;
};

function timeMs(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function fmt(ms: number): string {
  return ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1);
}

export const rsaSeedSection: Section = {
  title: 'RSA keys from a seed',
  description:
    'Median wall time of one Go-exact RSA derivation from a seed (harness/protocol/rsaseed.ts, spec/formats.md §7.3) for the two Go known answers of vectors/external/go-seeded-rsa, with each primality test. "tests" is how many candidates reached the primality test (the sieve removes the rest). The Go column is an estimate, not a measurement: each composite costs one OpenSSL Miller-Rabin round and each prime 22, at the per-round time measured here.',
  async run({ quick }) {
    const rows = ['| key | tests | OpenSSL checkPrime (used) | pure BigInt Miller-Rabin | Go estimate |', '|---|---:|---:|---:|---:|'];
    for (const c of goSeededRsaCases()) {
      const seed = fromHex(c.seed_hex);
      let tests = 0;
      const counting: PrimalityTest = (v) => {
        tests++;
        return opensslIsPrime(v);
      };
      goRsaKeyFromSeed(seed, c.raw.rsa_bits, counting);
      const runs = quick ? 1 : c.raw.rsa_bits === 2048 ? 5 : 3;
      const openssl = timeMs(() => void goRsaKeyFromSeed(seed, c.raw.rsa_bits), runs);
      const pure = timeMs(() => void goRsaKeyFromSeed(seed, c.raw.rsa_bits, bigintIsPrime), quick ? 1 : 2);
      // One Miller-Rabin round at OpenSSL speed: OpenSSL 3 tests a prime of up to 2048 bits with
      // 64 rounds (BN_check_prime), whatever `checks` asks for.
      const p = BigInt(`0x${c.raw.rsa_p_hex}`);
      const round = timeMs(() => void checkPrimeSync(p), 9) / 64;
      const goEstimate = (tests - 2) * round + 2 * 22 * round;
      rows.push(`| ${c.key_type} (${c.raw.rsa_bits} bits) | ${tests} | ${fmt(openssl)} ms | ${fmt(pure)} ms | ~${fmt(goEstimate)} ms |`);
    }
    return { markdown: rows.join('\n') } satisfies Rendered;
  },
};
