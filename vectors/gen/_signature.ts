/**
 * The shared builder of the four signature vector files (vectors/gen/signature_<type>.ts →
 * vectors/signature_<type>_test.json), ops `sign` and `verify` (spec/formats.md §1.5, §1.9;
 * Go pkg/bmcrypto/key_rsa.go, key_ed25519.go, key_ecdsa.go, sign_test.go).
 *
 * Per key type: Go known answers (RSA and Ed25519 signatures of sign_test.go), generated sign
 * cases (RSA and Ed25519 are deterministic; ECDSA is deterministic under the case seed), a verify
 * case for each of them, and mutants of one signature over a 32-byte digest (the message every
 * BitMaelum signing call passes): bit flips at the first, middle and last byte, truncation,
 * extension, the empty and all-zero signature, another message, another key, another key type,
 * and the type's own malleability and encoding traps. Every mutant is judged by the reference
 * before it is kept.
 * @module
 */
import { constants, createHash, createPrivateKey, privateEncrypt, sign as nodeSign } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p384 } from '@noble/curves/nist.js';
import { sha512 } from '@noble/hashes/sha2.js';
import type { CaseSpec, GenContext, GroupSpec, Note, VectorFileSpec } from './_framework.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { fromB64, toB64, toHex, utf8 } from '../../harness/protocol/bytes.ts';
import { ecdsaFromScalar, ed25519PublicDer, formatPublicKey, type KeyType } from '../../harness/protocol/keys.ts';
import { parseEcdsaSignature } from '../../harness/protocol/signature.ts';
import { TAG_INTEGER, TAG_SEQUENCE, bytesToBigint, integerContent, tlv } from '../../harness/protocol/der.ts';
import { GO_SUITE, bigintToLe, cat, flip, keyDer, keyText, leToBigint, sha256bytes } from './_cryptogen.ts';

/** The message of the Go signature tests (sign_test.go), as ASCII. */
export const GO_SIGN_MESSAGE = 'b2d31086f098254d32314438a863e61e';

const ED_L = (1n << 252n) + 27742317777372353535851937790883648493n;
const P384_N = p384.Point.Fn.ORDER;

export interface SignatureFileConfig {
  type: KeyType;
  /** Key pairs; the first one is the subject of the mutants. */
  keys: { label: string; pair: F.KeyPairText }[];
  /** Go-produced signatures: [key label, message (ASCII), signature hex, Go file:line]. */
  kats: [string, string, string, string][];
  /** A key of the same type for "wrong key". */
  other: F.KeyPairText;
  /** A public key of another type for "wrong key type". */
  otherType: F.KeyPairText;
  header: string[];
}

const REQ_RULE: Record<KeyType, string> = { rsa: 'BM-KEY-017', rsa4096: 'BM-KEY-017', ed25519: 'BM-KEY-018', ecdsa: 'BM-KEY-019' };

const COMMON_NOTES: Record<string, Note> = {
  GoKnownAnswer: { bugType: 'BASIC', description: 'Signature asserted byte for byte by a Go test (sign_test.go) at bitmaelum-suite 95952d1.', links: ['spec/formats.md §1.9'] },
  Generated: { bugType: 'BASIC', description: 'Signature made by the reference from a fixed key (deterministic, or from the case seed for ECDSA); the verify case checks it.', links: ['spec/formats.md §1.5'] },
  DigestMessage: { bugType: 'FUNCTIONALITY', description: 'The message is a 32-byte SHA-256 digest, as in every BitMaelum signing call (header hashes, resolver bearers); it is signed under the per-type rule, not re-interpreted.', links: ['spec/formats.md §1.5'] },
  EmptyMessage: { bugType: 'EDGE_CASE', description: 'The empty message.' },
  BitFlip: { bugType: 'INTEGRITY', description: 'One bit of a valid signature flipped (first, middle or last byte).', effect: 'Accepting it means signatures are not checked at all or only partly.', links: ['pkg/bmcrypto/sign_test.go (bit 0x80 of byte 0)'] },
  Truncated: { bugType: 'INTEGRITY', description: 'A valid signature with bytes removed.', effect: 'Accepting it suggests a length-tolerant parser that ignores part of the signature.' },
  Extended: { bugType: 'MALLEABILITY', description: 'A valid signature with bytes added before or after it.', effect: 'Accepting it makes signatures malleable (several encodings of one signature).' },
  EmptySignature: { bugType: 'AUTH_BYPASS', description: 'The empty signature.', effect: 'Accepting it lets anyone forge every signature.' },
  ZeroSignature: { bugType: 'AUTH_BYPASS', description: 'A signature of the right length made of zero (or 0xff) bytes.', effect: 'Accepting it lets anyone forge every signature.' },
  WrongMessage: { bugType: 'INTEGRITY', description: 'A valid signature checked against a different message (one bit changed, a byte added, empty, or another signed message).', effect: 'Accepting it detaches signatures from what they sign.' },
  WrongKey: { bugType: 'AUTH_BYPASS', description: 'A valid signature checked with another key of the same type.', effect: 'Accepting it lets one key sign for another.' },
  WrongKeyType: { bugType: 'AUTH_BYPASS', description: 'A valid signature checked with a key of another type.', effect: 'An implementation that picks the algorithm from the signature instead of the key is open to algorithm confusion.' },
};

const TYPE_NOTES: Record<string, Record<string, Note>> = {
  rsa: {
    RsaNoRehash: { bugType: 'WRONG_PRIMITIVE', description: 'PKCS#1 v1.5 signature whose DigestInfo holds the 32-byte message itself (the digest signed as a prehash) instead of SHA-256(message). BitMaelum RSA signs SHA-256 of the already hashed message.', effect: 'An implementation that signs this way cannot interoperate with Go and accepts signatures Go rejects.', links: ['pkg/bmcrypto/key_rsa.go:172-188', 'spec/formats.md §15 item 7'] },
    RsaWrongHash: { bugType: 'WRONG_PRIMITIVE', description: 'PKCS#1 v1.5 signature with a SHA-1 DigestInfo, or without any DigestInfo.', effect: 'Accepting other hash identifiers invites downgrade and forgery attacks.' },
    RsaPss: { bugType: 'WRONG_PRIMITIVE', description: 'RSA-PSS (SHA-256, salt length 0) instead of PKCS#1 v1.5.', effect: 'Go only verifies PKCS#1 v1.5.' },
    RsaModulus: { bugType: 'MODIFIED_PARAMETER', description: 'Signature value not below the modulus (the modulus itself, or signature + modulus).', effect: 'Accepting values ≥ n makes signatures malleable.' },
  },
  ed25519: {
    NonCanonicalS: { bugType: 'MALLEABILITY', description: 'Ed25519 signature with S replaced by S + ℓ (still below 2^253): Go requires S < ℓ (RFC 8032 §5.1.7).', effect: 'Accepting it makes every signature malleable.', links: ['crypto/ed25519 Verify (Go)'] },
    HighBitsS: { bugType: 'MALLEABILITY', description: 'Ed25519 signature with one of the top three bits of the last byte set.', effect: 'Accepting it makes signatures malleable.' },
    SwappedRS: { bugType: 'INTEGRITY', description: 'R and S halves exchanged.' },
    IdentityR: { bugType: 'AUTH_BYPASS', description: 'R replaced by the encoding of the identity point.', effect: 'Accepting it suggests the equation is not checked against R.' },
    SmallOrderKey: { bugType: 'GO_QUIRK', description: 'Public key of small order (the identity, or the point of order 2, possibly non-canonically encoded) and a signature (R = [S]B, S) that Go\'s cofactorless check accepts for any message. Go accepts these; rejecting small-order keys (as libsodium and noble strict mode do) is also conformant.', effect: 'An implementation that accepts them lets a malicious key "sign" everything; harmless only as long as such keys are never trusted.', links: ['crypto/ed25519 Verify (Go ≥ 1.17, filippo.io/edwards25519)', 'https://hdevalence.ca/blog/2020-10-04-its-25519am'] },
  },
  ecdsa: {
    EcdsaHighS: { bugType: 'MALLEABILITY', description: 'The same signature with s replaced by n − s. Go neither produces low-S only nor rejects high S, so both forms verify; an implementation that requires low S rejects half of Go\'s signatures.', effect: 'Rejecting it breaks interop with Go; accepting it is the Go behaviour (signatures are malleable).', links: ['crypto/ecdsa Verify (Go)'] },
    SwappedRS: { bugType: 'INTEGRITY', description: 'r and s exchanged.' },
    RangeRS: { bugType: 'MODIFIED_PARAMETER', description: 'r or s equal to 0, equal to n, or r + n: outside [1, n−1].', effect: 'Accepting them enables trivial forgeries.', links: ['crypto/ecdsa Verify (Go)'] },
    DerNonMinimal: { bugType: 'MALLEABILITY', description: 'DER that Go encoding/asn1 refuses: an INTEGER with a superfluous leading zero, a long-form length where the short form fits, a negative r, a SET tag, an indefinite length.', effect: 'Accepting BER variants makes signatures malleable.', links: ['encoding/asn1 (Go): "integer not minimally-encoded"'] },
    DerTrailingData: { bugType: 'GO_QUIRK', description: 'Valid DER followed by extra bytes, or a SEQUENCE with a third element: Go asn1.Unmarshal into {R, S} ignores both, so Go accepts the signature. Rejecting it is also conformant.', effect: 'Accepting it makes signatures malleable (not a forgery).', links: ['pkg/bmcrypto/key_ecdsa.go Verify (asn1.Unmarshal, rest ignored)'] },
    RawSignature: { bugType: 'WRONG_PRIMITIVE', description: 'The same (r, s) as 96 raw bytes r‖s (IEEE P1363 / JWS form) instead of DER.', effect: 'BitMaelum signatures are DER; JWT ES384 is the only raw use.' },
    HashedMessage: { bugType: 'WRONG_PRIMITIVE', description: 'Signature over SHA-256(message) (or SHA-384(message)) instead of the message as the digest: what WebCrypto-style APIs produce.', effect: 'An implementation that hashes again cannot verify Go signatures.', links: ['spec/formats.md §1.5 "TS note"'] },
    Truncation: { bugType: 'EDGE_CASE', description: 'Message longer than 48 bytes: Go uses its leftmost 48 bytes as the digest (hashToInt).', effect: 'An implementation that rejects long digests, or uses the rightmost bytes, disagrees with Go.', links: ['crypto/ecdsa hashToInt (Go)'] },
    CurveMismatch: { bugType: 'WRONG_PRIMITIVE', description: 'P-384 signature checked with a P-256 key.' },
  },
};

function notesFor(type: KeyType, withKats: boolean): Record<string, Note> {
  const notes: Record<string, Note> = { ...COMMON_NOTES, ...(TYPE_NOTES[type === 'rsa4096' ? 'rsa' : type] ?? {}) };
  if (!withKats) delete notes.GoKnownAnswer; // a flag is defined only where a case uses it
  return notes;
}

export function signatureFile(name: string, cfg: SignatureFileConfig): VectorFileSpec {
  const rule = REQ_RULE[cfg.type];
  return {
    name,
    area: 'KEY',
    requirements: [rule],
    source: { kind: 'generated', note: 'Go sign_test.go known answers where they exist, signatures made by the reference from fixed keys, and mutants judged by the reference' },
    header: cfg.header,
    notes: notesFor(cfg.type, cfg.kats.length > 0),
    build: (ctx) => build(ctx, cfg, rule),
  };
}

const b64 = toB64;

async function build(ctx: GenContext, cfg: SignatureFileConfig, rule: string): Promise<GroupSpec[]> {
  const type = cfg.type;
  const seeded = type === 'ecdsa';
  const pubOf = new Map(cfg.keys.map((k) => [k.label, k.pair.publicKey]));
  const privOf = new Map(cfg.keys.map((k) => [k.label, k.pair.privateKey]));

  const signArgs = (label: string, msg: Uint8Array) => ({ private_key: privOf.get(label)!, message_b64: b64(msg) });
  const seedFor = (key: string) => (seeded ? { seed: ctx.caseSeed(key) } : {});
  const doSign = async (key: string, label: string, msg: Uint8Array): Promise<Uint8Array> =>
    fromB64((await ctx.must('sign', signArgs(label, msg), seeded ? { seed: ctx.caseSeed(key) } : {})).signature_b64 as string);

  // --- Go known answers ---
  const katCases: CaseSpec[] = [];
  for (const [label, msgText, sigHex, where] of cfg.kats) {
    const msg = utf8(msgText);
    const sig = Buffer.from(sigHex, 'hex');
    katCases.push({ key: `go-sign-${label}`, op: 'sign', comment: `Go known answer (${where}): ${label} signs ASCII ${msgText}`, flags: ['GoKnownAnswer'], inputs: signArgs(label, msg), result: 'valid', expected: { signature_b64: b64(sig) }, requirements: [rule, 'BM-KEY-026'] });
    katCases.push({ key: `go-verify-${label}`, comment: `Go known answer (${where}) verifies`, flags: ['GoKnownAnswer'], inputs: { public_key: pubOf.get(label)!, message_b64: b64(msg), signature_b64: b64(sig) }, result: 'valid', expected: { valid: true }, requirements: [rule, 'BM-KEY-026'] });
    katCases.push({ key: `go-verify-${label}-flip-0x80`, mutant: true, comment: `Go test: bit 0x80 of byte 0 of the known-answer signature flipped → invalid (${where})`, flags: ['GoKnownAnswer', 'BitFlip'], inputs: { public_key: pubOf.get(label)!, message_b64: b64(msg), signature_b64: b64(flip(sig, 0, 0x80)) }, result: 'invalid', expected: { valid: false }, requirements: [rule, 'BM-KEY-020'] });
  }

  // --- generated sign + verify ---
  const primary = cfg.keys[0]!.label;
  const digest = ctx.rng.bytes(32);
  const messages: [string, Uint8Array, string, string[]][] = [
    ['digest', digest, 'a 32-byte SHA-256 digest', ['DigestMessage']],
    ['go-message', utf8(GO_SIGN_MESSAGE), `the ASCII message of sign_test.go`, []],
    ['empty', new Uint8Array(0), 'the empty message', ['EmptyMessage']],
    ['one-zero-byte', Uint8Array.of(0), 'one zero byte', []],
    ['hex-digest', utf8(toHex(sha256bytes(digest))), 'the 64 ASCII hex characters of a digest (what authorization signatures sign)', []],
    ['random-200', ctx.rng.bytes(200), '200 random bytes', []],
  ];
  if (type === 'ecdsa') {
    messages.push(['len-47', ctx.rng.bytes(47), '47 bytes (shorter than the P-384 order)', []]);
    messages.push(['len-48', ctx.rng.bytes(48), '48 bytes (exactly the P-384 order length)', []]);
    messages.push(['len-49', ctx.rng.bytes(49), '49 bytes: Go uses the leftmost 48 as the digest', ['Truncation']]);
    messages.push(['len-64', ctx.rng.bytes(64), '64 bytes (a SHA-512 digest size): Go uses the leftmost 48', ['Truncation']]);
  }
  const signCases: CaseSpec[] = [];
  const verifyCases: CaseSpec[] = [];
  const signed = new Map<string, Uint8Array>();
  const plan: [string, string, Uint8Array, string, string[]][] = [];
  for (const [mk, msg, desc, flags] of messages) plan.push([primary, mk, msg, desc, flags]);
  for (const k of cfg.keys.slice(1)) plan.push([k.label, 'digest', digest, 'a 32-byte SHA-256 digest', ['DigestMessage']]);
  for (const [label, mk, msg, desc, flags] of plan) {
    const key = `sign-${label}-${mk}`;
    const sig = await doSign(key, label, msg);
    signed.set(`${label}/${mk}`, sig);
    signCases.push({ key, comment: `${label} signs ${desc}${seeded ? ' (ECDSA nonce from the case seed)' : ''}`, flags: ['Generated', ...flags], inputs: signArgs(label, msg), ...seedFor(key), result: 'valid', expected: { signature_b64: b64(sig) }, requirements: [rule] });
    verifyCases.push({ key: `verify-${label}-${mk}`, comment: `${label} verifies its signature over ${desc}`, flags: ['Generated', ...flags], inputs: { public_key: pubOf.get(label)!, message_b64: b64(msg), signature_b64: b64(sig) }, result: 'valid', expected: { valid: true }, requirements: [rule] });
  }

  // --- mutants of the primary key's digest signature ---
  const pub = pubOf.get(primary)!;
  const sig = signed.get(`${primary}/digest`)!;
  const otherSig = signed.get(`${primary}/go-message`)!;
  const mutants: CaseSpec[] = [];
  const inv = (key: string, comment: string, flags: string[], s: Uint8Array, opts: { msg?: Uint8Array; pub?: string; reqs?: string[]; malformed?: boolean } = {}): CaseSpec => ({
    key,
    mutant: true,
    comment,
    flags,
    inputs: { public_key: opts.pub ?? pub, message_b64: b64(opts.msg ?? digest), signature_b64: b64(s) },
    result: 'invalid',
    expected: { valid: false },
    ...(opts.malformed ? { alsoAllowedErrorClasses: ['BadSignature'] } : {}),
    requirements: opts.reqs ?? [rule],
  });
  const L = sig.length;
  const mid = L >> 1;
  for (const [i, mask, where] of [
    [0, 0x80, 'byte 0, bit 0x80'],
    [0, 0x01, 'byte 0, bit 0x01'],
    [mid, 0x10, `middle byte ${mid}, bit 0x10`],
    [L - 1, 0x01, 'last byte, bit 0x01'],
    [L - 1, 0x80, 'last byte, bit 0x80'],
  ] as [number, number, string][]) {
    mutants.push(inv(`flip-${i === 0 ? 'first' : i === L - 1 ? 'last' : 'middle'}-${mask.toString(16)}`, `signature with ${where} flipped`, ['BitFlip'], flip(sig, i, mask), { reqs: [rule, 'BM-KEY-020'] }));
  }
  mutants.push(inv('truncated-last-byte', 'signature without its last byte', ['Truncated'], sig.subarray(0, L - 1), { malformed: true }));
  mutants.push(inv('truncated-first-byte', 'signature without its first byte', ['Truncated'], sig.subarray(1), { malformed: true }));
  mutants.push(inv('truncated-half', 'the first half of the signature', ['Truncated'], sig.subarray(0, mid), { malformed: true }));
  if (type !== 'ecdsa') mutants.push(inv('extended-zero-byte', 'signature followed by a zero byte', ['Extended'], cat(sig, Uint8Array.of(0)), { malformed: true }));
  mutants.push(inv('prepended-zero-byte', 'signature preceded by a zero byte', ['Extended'], cat(Uint8Array.of(0), sig), { malformed: true }));
  mutants.push(inv('empty-signature', 'the empty signature', ['EmptySignature'], new Uint8Array(0), { malformed: true }));
  mutants.push(inv('all-zero', `${L} zero bytes`, ['ZeroSignature'], new Uint8Array(L), { malformed: type === 'ecdsa' }));
  mutants.push(inv('all-ff', `${L} 0xff bytes`, ['ZeroSignature'], new Uint8Array(L).fill(0xff), { malformed: true }));
  mutants.push(inv('message-bit-flipped', 'valid signature, message with its last bit flipped', ['WrongMessage'], sig, { msg: flip(digest, -1, 0x01) }));
  mutants.push(inv('message-extended', 'valid signature, message with a zero byte appended', ['WrongMessage'], sig, { msg: cat(digest, Uint8Array.of(0)) }));
  mutants.push(inv('message-empty', 'valid signature, empty message', ['WrongMessage'], sig, { msg: new Uint8Array(0) }));
  mutants.push(inv('signature-of-other-message', 'the signature of another message (the sign_test.go message)', ['WrongMessage'], otherSig));
  mutants.push(inv('wrong-key', 'valid signature checked with another key of the same type', ['WrongKey'], sig, { pub: cfg.other.publicKey }));
  mutants.push(inv('wrong-key-type', `valid signature checked with a ${cfg.otherType.publicKey.split(' ')[0]} key`, ['WrongKeyType'], sig, { pub: cfg.otherType.publicKey, malformed: true }));

  const extra: CaseSpec[] = [];
  if (type === 'rsa' || type === 'rsa4096') extra.push(...rsaMutants(privOf.get(primary)!, digest, sig, inv));
  if (type === 'ed25519') extra.push(...ed25519Mutants(ctx, sig, inv, rule));
  if (type === 'ecdsa') extra.push(...(await ecdsaMutants(ctx, cfg, digest, sig, inv, signed, primary, messages)));

  const groups: GroupSpec[] = [];
  if (katCases.length) groups.push({ op: 'verify', comment: 'Go known answers (sign_test.go)', source: { kind: 'imported', ...GO_SUITE, path: 'pkg/bmcrypto/sign_test.go', note: 'spec/formats.md §1.9' }, cases: katCases });
  groups.push({ op: 'sign', comment: `${type} signatures made from fixed keys`, source: { kind: 'generated' }, cases: signCases });
  groups.push({ op: 'verify', comment: 'each generated signature verifies', source: { kind: 'generated' }, cases: verifyCases });
  groups.push({ op: 'verify', comment: `mutants of ${primary}'s signature over a 32-byte digest`, source: { kind: 'derived' }, cases: mutants });
  if (extra.length) groups.push({ op: 'verify', comment: `${type}-specific encodings and malleability`, source: { kind: 'derived' }, cases: extra });
  return groups;
}

type Inv = (key: string, comment: string, flags: string[], s: Uint8Array, opts?: { msg?: Uint8Array; pub?: string; reqs?: string[]; malformed?: boolean }) => CaseSpec;

const DIGEST_INFO_SHA256 = Buffer.from('3031300d060960864801650304020105000420', 'hex');

function rsaMutants(privText: string, digest: Uint8Array, sig: Uint8Array, inv: Inv): CaseSpec[] {
  const der = keyDer(privText);
  let key;
  try {
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' });
  } catch {
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  }
  const pe = (data: Uint8Array) => new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(data)));
  const n = BigInt('0x' + Buffer.from(key.export({ format: 'jwk' }).n as string, 'base64url').toString('hex'));
  const k = sig.length;
  const nBytes = Uint8Array.from(Buffer.from(n.toString(16).padStart(k * 2, '0'), 'hex'));
  const sPlusN = bytesToBigint(sig) + n;
  const sPlusNBytes = Uint8Array.from(Buffer.from(sPlusN.toString(16).padStart((k + 1) * 2, '0'), 'hex'));
  const out: CaseSpec[] = [
    inv('rsa-no-rehash', 'PKCS#1 v1.5 with DigestInfo(SHA-256) holding the 32-byte message itself: the digest is not hashed again', ['RsaNoRehash'], pe(cat(DIGEST_INFO_SHA256, digest))),
    inv('rsa-sha1-digestinfo', 'PKCS#1 v1.5 signature with SHA-1 of the message', ['RsaWrongHash'], new Uint8Array(nodeSign('sha1', digest, { key, padding: constants.RSA_PKCS1_PADDING }))),
    inv('rsa-no-digestinfo', 'PKCS#1 v1.5 padding around the bare SHA-256 of the message (no DigestInfo)', ['RsaWrongHash'], pe(sha256bytes(digest))),
    inv('rsa-pss-salt-0', 'RSA-PSS with SHA-256 and an empty salt over the same message', ['RsaPss'], new Uint8Array(nodeSign('sha256', digest, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 0 }))),
    inv('rsa-modulus-as-signature', 'the modulus n itself as the signature', ['RsaModulus'], nBytes, { malformed: true }),
    inv('rsa-signature-plus-modulus', 'signature + n (one byte longer)', ['RsaModulus', 'Extended'], sPlusNBytes, { malformed: true }),
  ];
  return out;
}

function ed25519Mutants(ctx: GenContext, sig: Uint8Array, inv: Inv, rule: string): CaseSpec[] {
  const R = sig.subarray(0, 32);
  const S = leToBigint(sig.subarray(32));
  const sPlusL = cat(R, bigintToLe(S + ED_L, 32));
  const high = flip(sig, 63, 0x80);
  const high20 = flip(sig, 63, 0x20);
  const swapped = cat(sig.subarray(32), R);
  const out: CaseSpec[] = [
    inv('ed25519-s-plus-l', 'S replaced by S + ℓ (non-canonical scalar, same value mod ℓ)', ['NonCanonicalS'], sPlusL, { reqs: [rule] }),
    inv('ed25519-s-high-bit-0x80', 'top bit of the last byte set', ['HighBitsS'], high),
    inv('ed25519-s-bit-0x20', 'bit 0x20 of the last byte set (S ≥ 2^253)', ['HighBitsS'], high20),
    inv('ed25519-swapped-r-s', 'R and S exchanged', ['SwappedRS'], swapped),
    inv('ed25519-r-identity', 'R replaced by the identity encoding 01 00…00', ['IdentityR'], cat(Uint8Array.from([1, ...new Uint8Array(31)]), sig.subarray(32))),
  ];
  // Small-order public keys: with A of order 1 (or 2 and an even k), [S]B − [k]A = [S]B, so
  // (R = enc([S]B), S) verifies for any message under Go's cofactorless equation.
  const smallOrder = (label: string, comment: string, a: Uint8Array, needEvenK: boolean): CaseSpec => {
    const msg = ctx.rng.bytes(32);
    for (let tries = 0; ; tries++) {
      if (tries > 64) throw new Error('signature_ed25519: no even k found');
      const s = leToBigint(ctx.rng.bytes(32)) % ED_L;
      const r = ed25519.Point.BASE.multiply(s).toBytes();
      const k = leToBigint(sha512(cat(r, a, msg))) % ED_L;
      if (needEvenK && k % 2n !== 0n) continue;
      return {
        key: `ed25519-small-order-${label}`,
        mutant: true,
        comment,
        flags: ['SmallOrderKey'],
        inputs: { public_key: keyText('ed25519', ed25519PublicDer(a)), message_b64: b64(msg), signature_b64: b64(cat(r, bigintToLe(s, 32))) },
        result: 'acceptable',
        expected: { valid: true },
        requirements: [rule],
      };
    }
  };
  const identity = Uint8Array.from([1, ...new Uint8Array(31)]);
  const order2 = Uint8Array.from([0xec, ...new Uint8Array(30).fill(0xff), 0x7f]); // y = p − 1 = −1
  const identityNonCanonical = Uint8Array.from([0xee, ...new Uint8Array(30).fill(0xff), 0x7f]); // y = p + 1
  out.push(smallOrder('identity', 'public key = the identity point; (enc([S]B), S) verifies for any message under Go\'s cofactorless check', identity, false));
  out.push(smallOrder('order-2', 'public key = (0, −1), order 2; with an even k the forged signature verifies', order2, true));
  out.push(smallOrder('identity-non-canonical', 'public key = the identity encoded non-canonically (y = p + 1), which Go decodes', identityNonCanonical, false));
  return out;
}

async function ecdsaMutants(
  ctx: GenContext,
  cfg: SignatureFileConfig,
  digest: Uint8Array,
  sig: Uint8Array,
  inv: Inv,
  signed: Map<string, Uint8Array>,
  primary: string,
  messages: [string, Uint8Array, string, string[]][],
): Promise<CaseSpec[]> {
  const { r, s } = parseEcdsaSignature(sig);
  const n = P384_N;
  const int = (v: bigint) => tlv(TAG_INTEGER, integerContent(v));
  const seq = (...parts: Uint8Array[]) => tlv(TAG_SEQUENCE, ...parts);
  const der = (a: bigint, b: bigint) => seq(int(a), int(b));
  const padInt = (v: bigint) => tlv(TAG_INTEGER, cat(Uint8Array.of(0), integerContent(v)));
  const raw = (v: bigint) => Uint8Array.from(Buffer.from(v.toString(16).padStart(96, '0'), 'hex'));
  // r read as a negative INTEGER: drop its sign byte, or put a byte with the high bit in front.
  const rMin = integerContent(r);
  const negR = seq(tlv(TAG_INTEGER, rMin[0] === 0 ? rMin.subarray(1) : cat(Uint8Array.of(0x80), rMin)), int(s));
  const longForm = (() => {
    const body = cat(int(r), int(s));
    if (body.length >= 0x80) throw new Error('signature_ecdsa: unexpected long signature');
    return cat(Uint8Array.of(0x30, 0x81, body.length), body);
  })();
  const indefinite = cat(Uint8Array.of(0x30, 0x80), int(r), int(s), Uint8Array.of(0, 0));
  const asSet = cat(Uint8Array.of(0x31), sig.subarray(1));
  const out: CaseSpec[] = [
    { ...inv('ecdsa-high-s', 's replaced by n − s (the other valid form of the same signature)', ['EcdsaHighS'], der(r, n - s)), result: 'valid', expected: { valid: true } },
    inv('ecdsa-swapped-r-s', 'r and s exchanged', ['SwappedRS'], der(s, r)),
    inv('ecdsa-r-zero', 'r = 0', ['RangeRS'], der(0n, s), { malformed: true }),
    inv('ecdsa-s-zero', 's = 0', ['RangeRS'], der(r, 0n), { malformed: true }),
    inv('ecdsa-r-n', 'r = n', ['RangeRS'], der(n, s), { malformed: true }),
    inv('ecdsa-s-n', 's = n', ['RangeRS'], der(r, n), { malformed: true }),
    inv('ecdsa-r-plus-n', 'r + n (same value mod n, out of range)', ['RangeRS'], der(r + n, s), { malformed: true }),
    inv('ecdsa-s-plus-n', 's + n', ['RangeRS'], der(r, s + n), { malformed: true }),
    inv('ecdsa-der-padded-r', 'r encoded with a superfluous leading zero byte', ['DerNonMinimal'], seq(padInt(r), int(s)), { malformed: true }),
    inv('ecdsa-der-padded-s', 's encoded with a superfluous leading zero byte', ['DerNonMinimal'], seq(int(r), padInt(s)), { malformed: true }),
    inv('ecdsa-der-long-form-length', 'SEQUENCE length in long form (0x81 xx) although it is below 128', ['DerNonMinimal'], longForm, { malformed: true }),
    inv('ecdsa-der-indefinite-length', 'BER indefinite length with end-of-contents', ['DerNonMinimal'], indefinite, { malformed: true }),
    inv('ecdsa-der-negative-r', 'r with its high bit set and no sign byte (a negative INTEGER)', ['DerNonMinimal'], negR, { malformed: true }),
    inv('ecdsa-der-set-tag', 'SET (0x31) instead of SEQUENCE', ['DerNonMinimal'], asSet, { malformed: true }),
    inv('ecdsa-raw-r-s', '96-byte raw r‖s instead of DER', ['RawSignature'], cat(raw(r), raw(s)), { malformed: true }),
    { ...inv('ecdsa-der-trailing-byte', 'valid DER followed by a zero byte (Go ignores what follows the SEQUENCE)', ['DerTrailingData'], cat(sig, Uint8Array.of(0))), result: 'acceptable', expected: { valid: true } },
    { ...inv('ecdsa-der-third-element', 'SEQUENCE {r, s, INTEGER 0} (Go ignores extra elements)', ['DerTrailingData'], seq(int(r), int(s), int(0n))), result: 'acceptable', expected: { valid: true } },
  ];
  // WebCrypto-style hashed signatures: sign SHA-256(msg) / SHA-384(msg) as the digest.
  const sha = await ctx.must('sign', { private_key: cfg.keys[0]!.pair.privateKey, message_b64: b64(sha256bytes(digest)) }, { seed: ctx.caseSeed('hashed-sha256') });
  out.push(inv('ecdsa-signed-sha256-of-message', 'signature whose digest is SHA-256(message) instead of the message', ['HashedMessage'], fromB64(sha.signature_b64 as string)));
  const d384 = new Uint8Array(createHash('sha384').update(digest).digest());
  const sha384 = await ctx.must('sign', { private_key: cfg.keys[0]!.pair.privateKey, message_b64: b64(d384) }, { seed: ctx.caseSeed('hashed-sha384') });
  out.push(inv('ecdsa-signed-sha384-of-message', 'signature whose digest is SHA-384(message) (ES384-style) instead of the message', ['HashedMessage'], fromB64(sha384.signature_b64 as string)));
  // Truncation: a 64-byte message is signed as its leftmost 48 bytes.
  const m64 = messages.find((m) => m[0] === 'len-64')![1];
  const s64 = signed.get(`${primary}/len-64`)!;
  out.push({ ...inv('ecdsa-truncation-leftmost-48', 'the signature of a 64-byte message verifies for its leftmost 48 bytes (Go hashToInt truncation)', ['Truncation'], s64, { msg: m64.subarray(0, 48) }), result: 'valid', expected: { valid: true } });
  out.push(inv('ecdsa-truncation-rightmost-48', 'the signature of a 64-byte message does not verify for its rightmost 48 bytes', ['Truncation'], s64, { msg: m64.subarray(16) }));
  out.push({ ...inv('ecdsa-truncation-different-tail', 'a 64-byte message with a changed byte beyond the first 48 still verifies (only 48 bytes are signed)', ['Truncation'], s64, { msg: flip(m64, 60, 0xff) }), result: 'valid', expected: { valid: true } });
  // A P-256 key (the curve Go would also parse under "ecdsa").
  const p256 = ecdsaFromScalar((bytesToBigint(ctx.rng.bytes(40)) % (1n << 250n)) + 1n, 'P-256');
  out.push(inv('ecdsa-p256-key', 'P-384 signature checked with a P-256 key', ['CurveMismatch'], sig, { pub: formatPublicKey(p256.publicKey), malformed: true }));
  return out;
}
