/**
 * vectors/key_exchange_test.json: the plain key exchange `KeyExchange(priv, pub)` (op
 * `key.exchange`; spec/formats.md §1.6, §1.9; Go pkg/bmcrypto/keyexchange.go, key_ed25519.go:194-199
 * with jorrizza/ed2curve25519, key_ecdsa.go:188-213).
 *
 * - ed25519: X25519(clamp(SHA-512(seed)[0:32]), u(pub)), u = (1+y)/(1−y) without point validation,
 *   raw 32-byte output; Go's curve25519.X25519 refuses an all-zero result (low-order input).
 * - ecdsa: x-coordinate of d·Q, 48 bytes big-endian.
 * - rsa / rsa4096: "cannot exchange with RSA"; keys of different families cannot be exchanged.
 * Imported: the keyexchange_test.go known answers in both directions. Generated: more pairs in both
 * directions (the generator checks that both directions agree), low-order and off-curve points.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import type { CaseSpec, VectorFileSpec } from './_framework.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { bytesToBigint } from '../../harness/protocol/der.ts';
import { ecdsaFromScalar, ed25519FromSeed, ed25519PublicDer, formatPrivateKey, formatPublicKey } from '../../harness/protocol/keys.ts';
import { GO_SUITE, keyText } from './_cryptogen.ts';

const P384_N = BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973');

/** Ed25519 public key encodings of small order (libsodium's list plus non-canonical forms). */
const SMALL_ORDER: [string, string][] = [
  ['identity', '0100000000000000000000000000000000000000000000000000000000000000'],
  ['order-2', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
  ['order-4-a', '0000000000000000000000000000000000000000000000000000000000000000'],
  ['order-4-b', '0000000000000000000000000000000000000000000000000000000000000080'],
  ['order-8-a', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
  ['order-8-b', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa'],
  ['order-8-c', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'],
  ['order-8-d', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85'],
  ['identity-non-canonical', 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
  ['order-4-non-canonical', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
];

export const file: VectorFileSpec = {
  name: 'key_exchange',
  area: 'KEY',
  requirements: ['BM-KEY-021', 'BM-KEY-022', 'BM-KEY-023'],
  source: { kind: 'imported', ...GO_SUITE, path: 'pkg/bmcrypto/keyexchange_test.go:28-89', note: 'Go known answers (spec/formats.md §1.9) plus generated pairs and invalid points' },
  header: [
    'KeyExchange(priv, pub) → raw shared secret, no KDF (used for OTP, spec/formats.md §10.7).',
    'ed25519: X25519 of the clamped SHA-512(seed)[0:32] with u = (1+y)/(1−y) of the peer key (no validation), 32 bytes; an all-zero result (low-order point) is an error.',
    'ecdsa (P-384): x-coordinate of d·Q, big-endian, 48 bytes. rsa/rsa4096 and mixed key families: UnsupportedKeyType.',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Shared secret asserted by keyexchange_test.go (both directions).', links: ['spec/formats.md §1.9'] },
    Symmetric: { bugType: 'BASIC', description: 'Generated pair, exchanged in both directions; the two cases have the same secret.', links: ['spec/formats.md §1.6'] },
    SelfExchange: { bugType: 'EDGE_CASE', description: 'A key exchanged with its own public key.' },
    RsaNoExchange: { bugType: 'BASIC', description: 'RSA keys cannot be used for key exchange ("cannot exchange with RSA").', effect: 'Returning a value invents a primitive Go does not have.', links: ['pkg/bmcrypto/key_rsa.go (KeyExchange)'] },
    MixedFamilies: { bugType: 'WRONG_PRIMITIVE', description: 'Private and public key of different families (ed25519 with ecdsa).', effect: 'An implementation that converts one into the other computes a secret nobody else can.' },
    LowOrderPoint: { bugType: 'CONFIDENTIALITY', description: 'Ed25519 public key of small order (including non-canonical encodings and the sign-bit variants): its Montgomery u is a low-order point, X25519 gives all zeros and Go refuses it.', effect: 'Accepting it yields a shared secret known to everyone (all zeros).', links: ['golang.org/x/crypto/curve25519 X25519 ("bad input point: low order point")'] },
    OffCurvePoint: { bugType: 'GO_QUIRK', description: 'Ed25519 public key bytes that are not a point on the curve: Go parses the SPKI (length check only) and converts y to u without validation, so X25519 runs on the twist and returns a value. Refusing the key is also conformant.', effect: 'Accepting twist points leaks scalar bits in protocols that reuse the private key (here: OTP).', links: ['jorrizza/ed2curve25519'] },
    CurveMismatch: { bugType: 'GO_QUIRK', description: 'P-384 private key with a P-256 public key: Go multiplies the P-256 point by D; the x-coordinate (at most 32 bytes) is shorter than the 48 bytes of P-384 and KeyExchange panics instead of refusing. Refusing (UnsupportedKeyType or InvalidKey) is the answer.', links: ['pkg/bmcrypto/key_ecdsa.go KeyExchange'] },
    LeadingZeroSecret: { bugType: 'EDGE_CASE', description: 'A P-384 shared x-coordinate below 2^376 (first byte zero, about one pair in 256): the secret is still 48 bytes, zero-padded on the left. Go panics on it ("key length is larger…": the branch that should pad is the one that panics).', effect: 'An implementation that strips the zero byte derives a 47-byte secret nobody else has; Go crashes.', links: ['pkg/bmcrypto/key_ecdsa.go KeyExchange'] },
  },
  async build(ctx) {
    const kat: CaseSpec[] = [
      { key: 'go-ed25519-alice-bob', comment: 'keyexchange_test.go: alice private × bob public (ed25519)', flags: ['GoKnownAnswer'], inputs: { private_key: F.ALICE_ED25519.privateKey, public_key: F.BOB_ED25519.publicKey }, result: 'valid', expected: { secret_hex: F.ED25519_EXCHANGE_SECRET_HEX }, requirements: ['BM-KEY-021', 'BM-KEY-027'] },
      { key: 'go-ed25519-bob-alice', comment: 'keyexchange_test.go: bob private × alice public (ed25519)', flags: ['GoKnownAnswer'], inputs: { private_key: F.BOB_ED25519.privateKey, public_key: F.ALICE_ED25519.publicKey }, result: 'valid', expected: { secret_hex: F.ED25519_EXCHANGE_SECRET_HEX }, requirements: ['BM-KEY-021', 'BM-KEY-027'] },
      { key: 'go-ecdsa-alice-bob', comment: 'keyexchange_test.go: alice private × bob public (P-384)', flags: ['GoKnownAnswer'], inputs: { private_key: F.ALICE_ECDSA.privateKey, public_key: F.BOB_ECDSA.publicKey }, result: 'valid', expected: { secret_hex: F.ECDSA_EXCHANGE_SECRET_HEX }, requirements: ['BM-KEY-022', 'BM-KEY-027'] },
      { key: 'go-ecdsa-bob-alice', comment: 'keyexchange_test.go: bob private × alice public (P-384)', flags: ['GoKnownAnswer'], inputs: { private_key: F.BOB_ECDSA.privateKey, public_key: F.ALICE_ECDSA.publicKey }, result: 'valid', expected: { secret_hex: F.ECDSA_EXCHANGE_SECRET_HEX }, requirements: ['BM-KEY-022', 'BM-KEY-027'] },
      { key: 'go-rsa', comment: 'keyexchange_test.go: RSA key exchange → error', flags: ['GoKnownAnswer', 'RsaNoExchange'], inputs: { private_key: F.GO_KEY_1.privateKey, public_key: F.GO_KEY_2.publicKey }, result: 'invalid', errorClass: 'UnsupportedKeyType', requirements: ['BM-KEY-023'] },
    ];

    // Generated pairs, both directions, checked to agree.
    const pairs: [string, F.KeyPairText, F.KeyPairText, string][] = [
      ['ed25519-1-2', F.GO_ED25519_1, F.GO_ED25519_2, 'BM-KEY-021'],
      ['ed25519-3-4', F.GO_ED25519_3, F.GO_ED25519_4, 'BM-KEY-021'],
      ['ed25519-dke-other', F.DKE_RECIPIENT_ED25519, F.DKE_OTHER_ED25519, 'BM-KEY-021'],
    ];
    for (let i = 0; i < 3; i++) {
      const a = ed25519FromSeed(ctx.rng.bytes(32));
      const b = ed25519FromSeed(ctx.rng.bytes(32));
      pairs.push([`ed25519-random-${i}`, { privateKey: formatPrivateKey(a.privateKey), publicKey: formatPublicKey(a.publicKey) }, { privateKey: formatPrivateKey(b.privateKey), publicKey: formatPublicKey(b.publicKey) }, 'BM-KEY-021']);
    }
    pairs.push(['ecdsa-testdata-alice', F.GO_PRIVKEY_ECDSA, F.ALICE_ECDSA, 'BM-KEY-022']);
    for (let i = 0; i < 3; i++) {
      const a = ecdsaFromScalar((bytesToBigint(ctx.rng.bytes(56)) % (P384_N - 1n)) + 1n);
      const b = ecdsaFromScalar((bytesToBigint(ctx.rng.bytes(56)) % (P384_N - 1n)) + 1n);
      pairs.push([`ecdsa-random-${i}`, { privateKey: formatPrivateKey(a.privateKey), publicKey: formatPublicKey(a.publicKey) }, { privateKey: formatPrivateKey(b.privateKey), publicKey: formatPublicKey(b.publicKey) }, 'BM-KEY-022']);
    }
    const gen: CaseSpec[] = [];
    for (const [label, a, b, req] of pairs) {
      const ab = await ctx.must('key.exchange', { private_key: a.privateKey, public_key: b.publicKey });
      const ba = await ctx.must('key.exchange', { private_key: b.privateKey, public_key: a.publicKey });
      if (ab.secret_hex !== ba.secret_hex) throw new Error(`key_exchange: ${label} is not symmetric`);
      gen.push({ key: `${label}-ab`, comment: `${label}: first private × second public`, flags: ['Symmetric'], inputs: { private_key: a.privateKey, public_key: b.publicKey }, result: 'valid', expected: ab, requirements: [req] });
      gen.push({ key: `${label}-ba`, comment: `${label}: second private × first public (same secret)`, flags: ['Symmetric'], inputs: { private_key: b.privateKey, public_key: a.publicKey }, result: 'valid', expected: ba, requirements: [req] });
    }
    gen.push({ key: 'ed25519-self', comment: 'key-ed25519-1 with its own public key', flags: ['SelfExchange'], inputs: { private_key: F.GO_ED25519_1.privateKey, public_key: F.GO_ED25519_1.publicKey }, result: 'valid', requirements: ['BM-KEY-021'] });
    gen.push({ key: 'ecdsa-self', comment: 'privkey.ecdsa with its own public key', flags: ['SelfExchange'], inputs: { private_key: F.GO_PRIVKEY_ECDSA.privateKey, public_key: F.GO_PRIVKEY_ECDSA.publicKey }, result: 'valid', requirements: ['BM-KEY-022'] });
    // ALICE_ECDSA x (LEADING_ZERO_K·G): 312 is the smallest k whose shared x-coordinate has a
    // zero first byte (searched once; checked here).
    const LEADING_ZERO_K = 312n;
    const small = ecdsaFromScalar(LEADING_ZERO_K);
    const smallPair = { privateKey: formatPrivateKey(small.privateKey), publicKey: formatPublicKey(small.publicKey) };
    const lz = await ctx.must('key.exchange', { private_key: F.ALICE_ECDSA.privateKey, public_key: smallPair.publicKey });
    if (typeof lz.secret_hex !== 'string' || lz.secret_hex.length !== 96 || !lz.secret_hex.startsWith('00')) throw new Error(`key_exchange: the leading-zero pair gives ${String(lz.secret_hex)}`);
    gen.push({ key: 'ecdsa-leading-zero-ab', comment: 'P-384 secret whose first byte is zero (alice private × 312·G): still 48 bytes', flags: ['LeadingZeroSecret'], inputs: { private_key: F.ALICE_ECDSA.privateKey, public_key: smallPair.publicKey }, result: 'valid', expected: lz, requirements: ['BM-KEY-022'] });
    gen.push({ key: 'ecdsa-leading-zero-ba', comment: 'the same secret the other way (private scalar 312 × alice public)', flags: ['LeadingZeroSecret', 'Symmetric'], inputs: { private_key: smallPair.privateKey, public_key: F.ALICE_ECDSA.publicKey }, result: 'valid', expected: lz, requirements: ['BM-KEY-022'] });
    gen.push({ key: 'ed25519-description', comment: 'a description on the public key does not change the secret', flags: ['GoKnownAnswer'], inputs: { private_key: F.ALICE_ED25519.privateKey, public_key: `${F.BOB_ED25519.publicKey} bob's key` }, result: 'valid', expected: { secret_hex: F.ED25519_EXCHANGE_SECRET_HEX }, requirements: ['BM-KEY-021'] });

    const refused: CaseSpec[] = [
      { key: 'rsa4096-rsa4096', comment: 'rsa4096 private × rsa4096 public', flags: ['RsaNoExchange'], inputs: { private_key: F.RSA4096_FIXTURE.privateKey, public_key: F.RSA4096_FIXTURE.publicKey }, result: 'invalid', errorClass: 'UnsupportedKeyType', requirements: ['BM-KEY-023'] },
      { key: 'rsa-private-ed25519-public', comment: 'rsa private × ed25519 public', flags: ['RsaNoExchange', 'MixedFamilies'], inputs: { private_key: F.GO_KEY_1.privateKey, public_key: F.GO_ED25519_1.publicKey }, result: 'invalid', errorClass: 'UnsupportedKeyType', requirements: ['BM-KEY-023'] },
      { key: 'ed25519-private-rsa-public', comment: 'ed25519 private × rsa public', flags: ['RsaNoExchange', 'MixedFamilies'], inputs: { private_key: F.GO_ED25519_1.privateKey, public_key: F.GO_KEY_1.publicKey }, result: 'invalid', errorClass: 'UnsupportedKeyType', requirements: ['BM-KEY-023'] },
      { key: 'ed25519-private-ecdsa-public', comment: 'ed25519 private × ecdsa public', flags: ['MixedFamilies'], inputs: { private_key: F.ALICE_ED25519.privateKey, public_key: F.BOB_ECDSA.publicKey }, result: 'invalid', errorClass: 'UnsupportedKeyType', alsoAllowedErrorClasses: ['InvalidKey'], requirements: ['BM-KEY-021'] },
      { key: 'ecdsa-private-ed25519-public', comment: 'ecdsa private × ed25519 public', flags: ['MixedFamilies'], inputs: { private_key: F.ALICE_ECDSA.privateKey, public_key: F.BOB_ED25519.publicKey }, result: 'invalid', errorClass: 'UnsupportedKeyType', alsoAllowedErrorClasses: ['InvalidKey'], requirements: ['BM-KEY-022'] },
    ];
    const p256 = ecdsaFromScalar((bytesToBigint(ctx.rng.bytes(40)) % (1n << 250n)) + 1n, 'P-256');
    refused.push({ key: 'ecdsa-p384-private-p256-public', comment: 'P-384 private × P-256 public: Go panics (its result is 32 bytes, shorter than the 48 of P-384, and that branch of KeyExchange panics), refusing is the answer', flags: ['CurveMismatch'], inputs: { private_key: F.ALICE_ECDSA.privateKey, public_key: formatPublicKey(p256.publicKey) }, result: 'acceptable', requirements: ['BM-KEY-022'] });

    const points: CaseSpec[] = [];
    for (const [label, hex] of SMALL_ORDER) {
      points.push({ key: `ed25519-low-order-${label}`, comment: `ed25519 public key ${hex.slice(0, 8)}…${hex.slice(-4)} (${label}): X25519 result is all zeros → refused`, flags: ['LowOrderPoint'], inputs: { private_key: F.ALICE_ED25519.privateKey, public_key: keyText('ed25519', ed25519PublicDer(Buffer.from(hex, 'hex'))) }, result: 'invalid', errorClass: 'InvalidKey', alsoAllowedErrorClasses: ['InvalidInput'], requirements: ['BM-KEY-021'] });
    }
    // Off-curve keys: y values for which x² has no square root (found with noble's strict decoder).
    let found = 0;
    for (let y = 2; found < 2 && y < 100; y++) {
      const enc = new Uint8Array(32);
      enc[0] = y;
      let onCurve = true;
      try {
        ed25519.Point.fromBytes(enc);
      } catch {
        onCurve = false;
      }
      if (onCurve) continue;
      found++;
      const pub = keyText('ed25519', ed25519PublicDer(enc));
      const r = await ctx.must('key.exchange', { private_key: F.ALICE_ED25519.privateKey, public_key: pub });
      points.push({ key: `ed25519-off-curve-y${y}`, comment: `ed25519 public key with y = ${y}, not on the curve: Go converts it anyway and X25519 returns a value on the twist`, flags: ['OffCurvePoint'], inputs: { private_key: F.ALICE_ED25519.privateKey, public_key: pub }, result: 'acceptable', expected: r, requirements: ['BM-KEY-021'] });
    }
    return [
      { op: 'key.exchange', comment: 'keyexchange_test.go known answers', source: { kind: 'imported', ...GO_SUITE, path: 'pkg/bmcrypto/keyexchange_test.go:28-89' }, cases: kat },
      { op: 'key.exchange', comment: 'generated pairs, both directions', source: { kind: 'generated' }, cases: gen },
      { op: 'key.exchange', comment: 'key types that cannot be exchanged', source: { kind: 'generated' }, cases: refused },
      { op: 'key.exchange', comment: 'low-order and off-curve Ed25519 public keys', source: { kind: 'generated' }, cases: points },
    ];
  },
};
