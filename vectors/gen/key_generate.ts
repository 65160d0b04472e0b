/**
 * vectors/key_generate_test.json: key pairs derived from seed bytes (ADAPTER.md `key.generate`
 * with `seed`; spec/formats.md §7.3; Go pkg/bmcrypto/key_ed25519.go:82-118).
 *
 * Ed25519: seed32 = HKDF-SHA256(IKM = the seed bytes, empty salt, empty info, 32), then
 * ed25519.NewKeyFromSeed. Go reads the seed through io.ReadFull into 32 bytes and accepts
 * exactly 24 or 32 bytes read. The Go-produced vector of §7.4 (the vault store_key) is imported;
 * the others are generated from the file's seeded stream.
 * RSA and ECDSA from a seed are not vectors: an implementation answers `unsupported` (RSA needs
 * Go's prime search; Go's ECDSA generation cannot work from 32 bytes), which is an adapter answer.
 * @module
 */
import type { CaseSpec, VectorFileSpec } from './_framework.ts';
import { toHex } from '../../harness/protocol/bytes.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { GO_CLIENT_LIBRARY } from './_cryptogen.ts';

const REQ = ['BM-MNEM-006', 'BM-MNEM-007', 'BM-KEY-004', 'BM-KEY-011', 'BM-KEY-015'];

export const file: VectorFileSpec = {
  name: 'key_generate',
  area: 'MNEM',
  requirements: ['BM-MNEM-007'],
  source: { kind: 'generated', note: 'Ed25519 key pairs from 24- and 32-byte seeds (spec/formats.md §7.3), plus the Go-produced §7.4 vector' },
  header: [
    'key.generate with a seed: the seed bytes are the key entropy (the mnemonic entropy of spec/formats.md §7), not an RNG seed.',
    'ed25519: seed32 = HKDF-SHA256(entropy, salt = "", info = "", 32); private key = PKCS#8 of seed32, public key = SPKI; exactly 24 or 32 entropy bytes.',
    'rsa, rsa4096 and ecdsa from a seed are not covered here (an implementation may answer unsupported; BM-KEY-028, BM-MNEM-009, BM-MNEM-010).',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Seed → key pair produced by Go: the store_key of the real vault (spec/formats.md §6.3, §7.4).', links: ['spec/formats.md §7.4'] },
    Seed24: { bugType: 'LEGACY', description: '24-byte (192-bit) entropy of an 18-word phrase, still accepted for Ed25519.', effect: 'Refusing it locks out accounts created before 2021-03-26.', links: ['spec/formats.md §7.2'] },
    Seed32: { bugType: 'BASIC', description: '32-byte (256-bit) entropy of a current 24-word phrase.', links: ['spec/formats.md §7.2'] },
    HkdfNotSeed: { bugType: 'WRONG_PRIMITIVE', description: 'The entropy is stretched with HKDF-SHA256 before it becomes the Ed25519 seed, even when it is already 32 bytes.', effect: 'Using the entropy directly as the seed gives a different key; the account cannot be recovered.', links: ['pkg/bmcrypto/key_ed25519.go:82-118'] },
    SeedLength: { bugType: 'EDGE_CASE', description: 'Entropy whose length is neither 24 nor 32 bytes; Go returns an error (io.ReadFull reads fewer bytes than 24/32).', effect: 'Deriving a key from it creates a key no Go client can recover from its phrase.', links: ['pkg/bmcrypto/key_ed25519.go:85-96'] },
    UnknownType: { bugType: 'BASIC', description: 'Type that is not one of rsa, rsa4096, ed25519, ecdsa (case-sensitive).', links: ['spec/formats.md §1.1'] },
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
    return [
      { op: 'key.generate', comment: 'Go-produced seed → key pair', source: { kind: 'imported', ...GO_CLIENT_LIBRARY, path: 'library/vault_test.go:32-41 (branch client_library; the vault store_key generator and keys)', note: 'spec/formats.md §6.3, §7.4' }, cases: kat },
      { op: 'key.generate', comment: 'ed25519 from generated 24- and 32-byte entropy', cases: gen },
      { op: 'key.generate', comment: 'refused seeds and types', cases: bad },
    ];
  },
};
