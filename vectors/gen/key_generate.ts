/**
 * vectors/key_generate_test.json: key pairs derived from seed bytes (ADAPTER.md `key.generate`
 * with `seed`; spec/formats.md §7.3; Go pkg/bmcrypto/key_ed25519.go:82-118).
 *
 * Ed25519: seed32 = HKDF-SHA256(IKM = the seed bytes, empty salt, empty info, 32), then
 * ed25519.NewKeyFromSeed. Go reads the seed through io.ReadFull into 32 bytes and accepts
 * exactly 24 or 32 bytes read. The Go-produced vector of §7.4 (the vault store_key) is imported;
 * the others are generated from the file's seeded stream.
 * RSA (rsa, rsa4096): Go's derivation of spec/formats.md §7.3 (harness/protocol/rsaseed.ts): the
 * two Go known answers of vectors/external/go-seeded-rsa are imported; the others are generated from
 * case seeds. ECDSA from a seed fails in Go (its P-384 generator runs out of seed bytes).
 * @module
 */
import type { CaseSpec, VectorFileSpec } from './_framework.ts';
import { toHex } from '../../harness/protocol/bytes.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { GO_CLIENT_LIBRARY, GO_SUITE } from './_cryptogen.ts';
import { GO_SEEDED_RSA_FILE, goSeededRsaCases } from '../../harness/protocol/gotestdata.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const REQ = ['BM-MNEM-006', 'BM-MNEM-007', 'BM-KEY-004', 'BM-KEY-011', 'BM-KEY-015'];

export const file: VectorFileSpec = {
  name: 'key_generate',
  area: 'MNEM',
  requirements: ['BM-MNEM-007'],
  source: { kind: 'generated', note: 'Ed25519 key pairs from 24- and 32-byte seeds (spec/formats.md §7.3), plus the Go-produced §7.4 vector' },
  header: [
    'key.generate with a seed: the seed bytes are the key entropy (the mnemonic entropy of spec/formats.md §7), not an RNG seed.',
    'ed25519: seed32 = HKDF-SHA256(entropy, salt = "", info = "", 32); private key = PKCS#8 of seed32, public key = SPKI; exactly 24 or 32 entropy bytes.',
    'rsa / rsa4096: Go reads the first 24 seed bytes; k = HKDF-SHA256(them, "", "", 32); the AES-256-CTR keystream of k (zero IV) drives Go 1.18 rand.Prime (sieve and delta stepping) in the old two-prime GenerateMultiPrimeKey loop, e = 65537, d = e^-1 mod (p-1)(q-1); PKCS#8 / SPKI as Go writes them (spec/formats.md §7.3).',
    'ecdsa from a seed fails: Go ecdsa.GenerateKey(P-384) reads 56 bytes from the seed reader (unexpected EOF).',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Seed → key pair produced by Go: the store_key of the real vault (spec/formats.md §6.3, §7.4).', links: ['spec/formats.md §7.4'] },
    Seed24: { bugType: 'LEGACY', description: '24-byte (192-bit) entropy of an 18-word phrase, still accepted for Ed25519.', effect: 'Refusing it locks out accounts created before 2021-03-26.', links: ['spec/formats.md §7.2'] },
    Seed32: { bugType: 'BASIC', description: '32-byte (256-bit) entropy of a current 24-word phrase.', links: ['spec/formats.md §7.2'] },
    HkdfNotSeed: { bugType: 'WRONG_PRIMITIVE', description: 'The entropy is stretched with HKDF-SHA256 before it becomes the Ed25519 seed, even when it is already 32 bytes.', effect: 'Using the entropy directly as the seed gives a different key; the account cannot be recovered.', links: ['pkg/bmcrypto/key_ed25519.go:82-118'] },
    SeedLength: { bugType: 'EDGE_CASE', description: 'Entropy whose length is neither 24 nor 32 bytes; Go returns an error (io.ReadFull reads fewer bytes than 24/32).', effect: 'Deriving a key from it creates a key no Go client can recover from its phrase.', links: ['pkg/bmcrypto/key_ed25519.go:85-96'] },
    UnknownType: { bugType: 'BASIC', description: 'Type that is not one of rsa, rsa4096, ed25519, ecdsa (case-sensitive).', links: ['spec/formats.md §1.1'] },
    GoSeededRsa: { bugType: 'BASIC', description: 'RSA key pair derived from a seed by Go (bitmaelum-suite 95952d1 CreateKeypair(type, seed)): vectors/external/go-seeded-rsa.', links: ['spec/formats.md §7.3'] },
    RsaPrimeSearch: { bugType: 'WRONG_PRIMITIVE', description: 'Go 1.18 rand.Prime over the AES-256-CTR stream of HKDF(first 24 seed bytes): read, mask the top bits, step past the small-prime sieve, ProbablyPrime(20); redraw both primes while p = q, the modulus is short or e has no inverse.', effect: 'Any other prime search (OpenSSL, a newer Go) gives another key; an RSA account cannot be recovered from its phrase.', links: ['spec/formats.md §7.3', 'pkg/bmcrypto/key_rsa.go:116-158'] },
    RsaSeedPrefix: { bugType: 'EDGE_CASE', description: 'Only the first 24 seed bytes count for RSA: a 32-byte seed gives the key of its first 24 bytes.', effect: 'Hashing all 32 bytes gives another key.', links: ['pkg/bmcrypto/key_rsa.go:116-158'] },
    EcdsaFromSeed: { bugType: 'EDGE_CASE', description: 'An ECDSA key cannot come from a seed: Go ecdsa.GenerateKey(P-384) needs 56 bytes and the seed reader holds 24 or 32, so Go fails (unexpected EOF).', effect: 'A key derived some other way cannot be recovered by Go from the phrase.', links: ['spec/formats.md §7.3'] },
  },
  build(ctx) {
    const m = F.MNEMONIC_ED25519;
    const kat: CaseSpec[] = [
      {
        key: 'go-vault-store-key',
        comment: 'Go-produced vector: generator 19831f82…3cf1 (24 bytes) → ed25519 MC4CAQAw…FkhH / MCowBQYD…P+XU=, fingerprint b124c619…2488',
        flags: ['GoKnownAnswer', 'Seed24', 'HkdfNotSeed'],
        inputs: { type: 'ed25519' },
        seed: m.entropyHex,
        result: 'valid',
        expected: { private_key: m.privateKey, public_key: m.publicKey, fingerprint: m.fingerprint },
        requirements: REQ,
      },
    ];
    const gen: CaseSpec[] = [];
    const seeds: [string, string, string[]][] = [
      ['zero-32', '00'.repeat(32), ['Seed32', 'HkdfNotSeed']],
      ['ff-32', 'ff'.repeat(32), ['Seed32', 'HkdfNotSeed']],
      ['zero-24', '00'.repeat(24), ['Seed24']],
      ['ff-24', 'ff'.repeat(24), ['Seed24']],
      // The §7.4 seed32 fed back as entropy: HKDF runs again, so this is NOT the vault key.
      ['hkdf-output-as-entropy', m.seedHex, ['Seed32', 'HkdfNotSeed']],
      // The §7.4 entropy padded to 32 bytes differs from the 24-byte entropy (no truncation to 24).
      ['store-key-entropy-padded-32', m.entropyHex + '00'.repeat(8), ['Seed32']],
    ];
    for (let i = 0; i < 6; i++) seeds.push([`random-32-${i}`, toHex(ctx.rng.bytes(32)), ['Seed32']]);
    for (let i = 0; i < 6; i++) seeds.push([`random-24-${i}`, toHex(ctx.rng.bytes(24)), ['Seed24']]);
    for (const [key, seed, flags] of seeds) {
      gen.push({
        key,
        comment: `ed25519 from ${seed.length / 2}-byte entropy ${seed.slice(0, 16)}…`,
        flags,
        inputs: { type: 'ed25519' },
        seed,
        result: 'valid',
        requirements: REQ,
      });
    }
    const bad: CaseSpec[] = [];
    for (const n of [1, 16, 20, 23, 25, 28, 31]) {
      bad.push({
        key: `seed-length-${n}`,
        comment: `ed25519 from ${n} bytes of entropy is refused (only 24 or 32)`,
        flags: ['SeedLength'],
        inputs: { type: 'ed25519' },
        seed: toHex(ctx.rng.bytes(n)),
        result: 'invalid',
        errorClass: 'InvalidInput',
        requirements: ['BM-MNEM-006'],
      });
    }
    for (const type of ['ED25519', 'Ed25519', 'x25519', 'dsa', '']) {
      bad.push({
        key: `type-${type || 'empty'}`,
        comment: `key type ${JSON.stringify(type)} is not supported`,
        flags: ['UnknownType'],
        inputs: { type },
        seed: toHex(ctx.rng.bytes(32)),
        result: 'invalid',
        errorClass: 'UnsupportedKeyType',
        requirements: ['BM-KEY-001'],
      });
    }
    // ---- RSA from a seed (appended; case seeds, so no earlier case moves) ---------------------
    const REQ_RSA = ['BM-KEY-028', 'BM-MNEM-009', 'BM-KEY-004', 'BM-KEY-011'];
    const goRsa: CaseSpec[] = goSeededRsaCases().map((c) => ({
      key: `go-seeded-${c.key_type}`,
      comment: `Go-produced: ${c.key_type} from seed ${c.seed_hex.slice(0, 16)}… → n ${c.raw.rsa_n_hex.slice(0, 12)}…, fingerprint ${c.fingerprint.slice(0, 8)}…`,
      flags: ['GoKnownAnswer', 'GoSeededRsa', 'RsaPrimeSearch', 'RsaSeedPrefix'],
      inputs: { type: c.key_type },
      seed: c.seed_hex,
      result: 'valid',
      expected: { private_key: c.private_key, public_key: c.public_key, fingerprint: c.fingerprint },
      requirements: REQ_RSA,
    }));
    const rsaGen: CaseSpec[] = [];
    const rsaSeeds: [string, 'rsa' | 'rsa4096', string, string[]][] = [
      ['rsa-seed-32-a', 'rsa', ctx.caseSeed('rsa-seed-32-a'), []],
      ['rsa-seed-32-b', 'rsa', ctx.caseSeed('rsa-seed-32-b'), []],
      ['rsa-seed-24', 'rsa', ctx.caseSeed('rsa-seed-24').slice(0, 48), []],
      ['rsa-zero-24', 'rsa', '00'.repeat(24), []],
      ['rsa4096-seed-32', 'rsa4096', ctx.caseSeed('rsa4096-seed-32'), []],
    ];
    // The same first 24 bytes with another tail: the key of rsa-seed-24 again.
    rsaSeeds.push(['rsa-seed-24-with-tail', 'rsa', ctx.caseSeed('rsa-seed-24').slice(0, 48) + 'ff'.repeat(8), ['RsaSeedPrefix']]);
    for (const [key, type, seed, flags] of rsaSeeds) {
      rsaGen.push({ key, comment: `${type} from ${seed.length / 2}-byte seed ${seed.slice(0, 16)}… (Go's derivation, spec/formats.md §7.3)`, flags: ['RsaPrimeSearch', ...flags], inputs: { type }, seed, result: 'valid', requirements: REQ_RSA });
    }
    const rsaBad: CaseSpec[] = [
      { key: 'rsa-seed-23', comment: 'rsa from 23 seed bytes: Go io.ReadFull of 24 bytes fails', flags: ['SeedLength'], inputs: { type: 'rsa' }, seed: ctx.caseSeed('rsa-seed-23').slice(0, 46), result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-MNEM-009'] },
      { key: 'rsa4096-seed-16', comment: 'rsa4096 from 16 seed bytes: Go io.ReadFull of 24 bytes fails', flags: ['SeedLength'], inputs: { type: 'rsa4096' }, seed: ctx.caseSeed('rsa4096-seed-16').slice(0, 32), result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-MNEM-009'] },
      ...[24, 32].map((n): CaseSpec => ({ key: `ecdsa-seed-${n}`, comment: `ecdsa from ${n} seed bytes: Go ecdsa.GenerateKey(P-384) needs 56 bytes and fails`, flags: ['EcdsaFromSeed'], inputs: { type: 'ecdsa' }, seed: ctx.caseSeed(`ecdsa-seed-${n}`).slice(0, n * 2), result: 'invalid', errorClass: 'InvalidInput', alsoAllowedErrorClasses: ['UnsupportedKeyType'], requirements: ['BM-MNEM-010'] })),
    ];
    const goRsaSource = {
      kind: 'imported' as const,
      ...GO_SUITE,
      path: 'vectors/external/go-seeded-rsa/seeded_rsa.json (output of pkg/bmcrypto CreateKeypair(type, seed))',
      sha256: createHash('sha256').update(readFileSync(GO_SEEDED_RSA_FILE)).digest('hex'),
      note: 'spec/formats.md §7.3; provenance in vectors/external/go-seeded-rsa.provenance.json',
    };
    return [
      { op: 'key.generate', comment: 'Go-produced seed → key pair', source: { kind: 'imported', ...GO_CLIENT_LIBRARY, path: 'library/vault_test.go:32-41 (branch client_library; the vault store_key generator and keys)', note: 'spec/formats.md §6.3, §7.4' }, cases: kat },
      { op: 'key.generate', comment: 'ed25519 from generated 24- and 32-byte entropy', cases: gen },
      { op: 'key.generate', comment: 'refused seeds and types', cases: bad },
      { op: 'key.generate', comment: 'Go-produced RSA key pairs from seeds', source: goRsaSource, cases: goRsa },
      { op: 'key.generate', comment: 'rsa and rsa4096 from generated seeds (Go\'s derivation)', cases: rsaGen },
      { op: 'key.generate', comment: 'seeds no RSA or ECDSA key comes from', cases: rsaBad },
    ];
  },
};
