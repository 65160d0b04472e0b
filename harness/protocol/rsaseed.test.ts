/**
 * Tests for rsaseed.ts: the two Go known answers of vectors/external/go-seeded-rsa (2048 and 4096
 * bits) byte for byte, from the seed and from the phrase, and proofs that each step of the
 * derivation decides the result (a wrong step gives another key).
 */
import { describe, expect, it } from 'vitest';
import { goPrime, goRsaKeyFromSeed, goRsaKeyFromStream, modInverse, opensslIsPrime, seedStream, RSA_E, type ByteStream } from './rsaseed.ts';
import { fromHex } from './bytes.ts';
import { formatPrivateKey, formatPublicKey, fingerprint, rsaFromSeed } from './keys.ts';
import { phraseToKeyPair } from './mnemonic.ts';
import { goSeededRsaCases } from './gotestdata.ts';
import { classOf } from './_hostile.ts';

const CASES = goSeededRsaCases();
const hex = (v: bigint) => v.toString(16);

describe('Go seeded RSA known answers (vectors/external/go-seeded-rsa)', () => {
  it('holds one rsa and one rsa4096 case', () => {
    expect(CASES.map((c) => c.key_type)).toEqual(['rsa', 'rsa4096']);
  });
  for (const c of CASES) {
    describe(`${c.key_type} from seed ${c.seed_hex.slice(0, 16)}…`, () => {
      it('n, e, d, p and q are Go\'s', () => {
        const k = goRsaKeyFromSeed(fromHex(c.seed_hex), c.raw.rsa_bits);
        expect(hex(k.p)).toBe(c.raw.rsa_p_hex);
        expect(hex(k.q)).toBe(c.raw.rsa_q_hex);
        expect(hex(k.n)).toBe(c.raw.rsa_n_hex);
        expect(k.e).toBe(BigInt(c.raw.rsa_e));
        expect(hex(k.d)).toBe(c.raw.rsa_d_hex);
      });
      it('the key strings and fingerprint are Go\'s byte for byte', () => {
        const kp = rsaFromSeed(c.key_type, fromHex(c.seed_hex));
        expect(formatPrivateKey(kp.privateKey)).toBe(c.private_key);
        expect(formatPublicKey(kp.publicKey)).toBe(c.public_key);
        expect(fingerprint(kp.publicKey)).toBe(c.fingerprint);
      });
      it('the phrase recovers the same pair, with the generator as Go reports it', () => {
        const kp = phraseToKeyPair(c.mnemonic);
        expect(formatPrivateKey(kp.privateKey)).toBe(c.private_key);
        expect(formatPublicKey(kp.publicKey)).toBe(c.public_key);
        expect(kp.generator).toBe(c.generator);
        expect(kp.fingerprint).toBe(c.fingerprint);
      });
    });
  }
});

describe('each step of the derivation decides the key', () => {
  const c = CASES[0]!;
  const seed = fromHex(c.seed_hex);

  it('only the first 24 seed bytes count: changing byte 24..31 keeps the key, byte 23 changes it', () => {
    const tail = Uint8Array.from(seed);
    tail[31]! ^= 1;
    tail[24]! ^= 0x80;
    expect(hex(goRsaKeyFromSeed(tail, 2048).p)).toBe(c.raw.rsa_p_hex);
    const head = Uint8Array.from(seed);
    head[23]! ^= 1;
    expect(hex(goRsaKeyFromSeed(head, 2048).p)).not.toBe(c.raw.rsa_p_hex);
  });

  it('the stream is AES-256-CTR of HKDF(seed[0:24]) from a zero IV: its first block is fixed', () => {
    const first = seedStream(seed)(32);
    // Reading in pieces gives the same stream (Go's reader has no block boundaries either).
    const pieces = seedStream(seed);
    const joined = new Uint8Array([...pieces(5), ...pieces(27)]);
    expect(joined).toEqual(first);
    expect(first).not.toEqual(new Uint8Array(32));
  });

  it('without the sieve\'s delta stepping (fresh bytes for every composite) the first prime differs', () => {
    const read = seedStream(seed);
    const noSieve = (r: ByteStream, bits: number): bigint => {
      for (;;) {
        const b = r(bits / 8);
        b[0]! |= 0xc0;
        b[b.length - 1]! |= 1;
        const v = BigInt(`0x${Buffer.from(b).toString('hex')}`);
        if (opensslIsPrime(v)) return v;
      }
    };
    expect(hex(noSieve(read, 1024))).not.toBe(c.raw.rsa_p_hex);
    expect(hex(goPrime(seedStream(seed), 1024))).toBe(c.raw.rsa_p_hex);
  });

  it('a primality test that lets composites through gives another key', () => {
    const trialOnly = (v: bigint) => v % 3n !== 0n && v % 5n !== 0n && v % 7n !== 0n;
    expect(hex(goRsaKeyFromSeed(seed, 2048, trialOnly).p)).not.toBe(c.raw.rsa_p_hex);
  });

  it('d is the inverse modulo (p−1)(q−1), not modulo lcm(p−1, q−1) (the rsa4096 answer tells them apart)', () => {
    const big = CASES[1]!;
    const k = goRsaKeyFromSeed(fromHex(big.seed_hex), 4096);
    const phi = (k.p - 1n) * (k.q - 1n);
    const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
    const lambdaInverse = modInverse(RSA_E, phi / gcd(k.p - 1n, k.q - 1n))!;
    expect(hex(lambdaInverse)).not.toBe(big.raw.rsa_d_hex);
    expect(hex(k.d)).toBe(big.raw.rsa_d_hex);
    expect(k.dp).toBe(k.d % (k.p - 1n));
    expect(k.dq).toBe(k.d % (k.q - 1n));
    expect((k.qinv * k.q) % k.p).toBe(1n);
  });

  describe('the two-prime loop on a scripted stream (64-bit keys of 32-bit primes)', () => {
    // 32-bit primes with the top two bits set are drawn as 4 bytes each; primes above 53 pass
    // the sieve with delta 0, so the stream's words are the primes themselves.
    const primeFrom = (start: bigint, step: bigint): bigint => {
      for (let v = start; ; v += step) if (v >= 0xc0000000n && opensslIsPrime(v)) return v;
    };
    const k0 = 0xc0000000n / 65537n + 1n;
    const eSharing = primeFrom(k0 * 65537n + 1n, 65537n * 2n); // 65537 divides p − 1
    const p2 = primeFrom(0xd0000001n, 2n);
    const q2 = primeFrom(0xe0000001n, 2n);
    const other = primeFrom(0xf0000001n, 2n);
    const scripted = (...words: bigint[]): ByteStream => {
      const bytes = Buffer.concat(words.map((w) => Buffer.from(w.toString(16).padStart(8, '0'), 'hex')));
      let off = 0;
      return (n) => {
        if (off + n > bytes.length) throw new Error('scripted stream exhausted');
        const out = new Uint8Array(bytes.subarray(off, off + n));
        off += n;
        return out;
      };
    };
    it('takes the first two primes when nothing is wrong', () => {
      const k = goRsaKeyFromStream(scripted(p2, q2), 64);
      expect([k.p, k.q]).toEqual([p2, q2]);
    });
    it('redraws both primes while p = q', () => {
      const k = goRsaKeyFromStream(scripted(p2, p2, p2, q2), 64);
      expect([k.p, k.q]).toEqual([p2, q2]);
    });
    it('redraws both primes when e has no inverse modulo (p−1)(q−1)', () => {
      expect((eSharing - 1n) % 65537n).toBe(0n);
      const k = goRsaKeyFromStream(scripted(eSharing, other, p2, q2), 64);
      expect([k.p, k.q]).toEqual([p2, q2]);
    });
  });

  it('refuses seeds shorter than 24 bytes and odd or tiny sizes, typed', () => {
    expect(classOf(() => goRsaKeyFromSeed(new Uint8Array(23), 2048))).toBe('InvalidInput');
    expect(classOf(() => goRsaKeyFromStream(seedStream(seed), 63))).toBe('InvalidInput');
    expect(classOf(() => goPrime(seedStream(seed), 6))).toBe('InvalidInput');
  });
});
