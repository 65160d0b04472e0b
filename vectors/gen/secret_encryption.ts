/**
 * vectors/secret_encryption_test.json: encryption of a short secret (the catalog key) to a public
 * key and its decryption (ops `secret.encrypt` / `secret.decrypt`; spec/formats.md §1.7, §1.8,
 * §13.3, §14; Go pkg/bmcrypto/key_rsa.go:191-213, key_ed25519.go:142-176, dual_keyexchange.go).
 *
 * - rsa/oaep: RSAES-OAEP-SHA256 (seeded: the 32-byte OAEP seed comes from the case seed, so the
 *   ciphertext is byte-comparable).
 * - ed25519+aes: dual key exchange + AES-256-GCM under the raw shared secret (seeded).
 * - Legacy: crypto "rsa", "", absent or unknown → RSAES-PKCS1-v1_5 for RSA keys; the PKCS#1 v1.5
 *   ciphertexts are built here (padding bytes from the file stream, then a raw RSA operation), since
 *   node's PKCS#1 v1.5 encryption is randomized. Ed25519 without crypto is refused by Go (§14).
 * - The §13.3 dual-key-exchange vectors (computed from the description, not by Go).
 * - Mutants: flipped bits in ciphertext, nonce and tag; truncated and malformed txids; a txid for
 *   another recipient; wrong crypto strings; ECDSA keys.
 * @module
 */
import { constants, createCipheriv, publicEncrypt } from 'node:crypto';
import type { CaseSpec, GenContext, GroupSpec, VectorFileSpec } from './_framework.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { fromB64, toB64 } from '../../harness/protocol/bytes.ts';
import { parsePublicKey, rsaPublicKeyObject } from '../../harness/protocol/keys.ts';
import { cat, flip } from './_cryptogen.ts';

const seq = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => from + i);
/** §13.3: catalog key 0x01..0x20, GCM nonce 0x01..0x0c. */
const CATALOG_KEY = seq(1, 32);
const NONCE = seq(1, 12);
const TXID_01 = 'a4e9fc6f3b7760ec6d3095907d2bbb3e50456a83cc207df0b635536dbf2cd3908a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c';
const ENCRYPTED_KEY_01 = 'AQIDBAUGBwgJCgsMxQyQQXiEduVTnsTk+bzDCgZ38bsHDz+CgJbResIQFtBwSpFHihwZ3X9m1rpjH0iw';
const TXID_FF = 'fa3a83c9f07e68453c98ed566d7a3af11a24e83f4e0ea838bea8f2d4424f3743' + 'c451fc93f80329d3649b39a166fd775a246b53eb3668e97b8a2eb05a890f7f92';
const D_FF = '3a5cee27e85849a82f195b870ead00e0a2e613266d3d6dac80cc957108a33b00';

function gcmBlob(keyHex: string, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), nonce);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return cat(nonce, ct, c.getAuthTag());
}

/** RSAES-PKCS1-v1_5 encryption with padding bytes from `rng` (RFC 8017 §7.2.1), then raw RSA. */
function pkcs1v15Encrypt(pubText: string, msg: Uint8Array, ctx: GenContext, opts: { psLen?: number; blockType?: number; noSeparator?: boolean } = {}): Uint8Array {
  const key = rsaPublicKeyObject(parsePublicKey(pubText));
  const k = Math.ceil(key.asymmetricKeyDetails!.modulusLength! / 8);
  const psLen = opts.psLen ?? k - 3 - msg.length;
  const ps = new Uint8Array(psLen);
  for (let i = 0; i < psLen; i++) {
    let b = 0;
    while (b === 0) b = ctx.rng.bytes(1)[0]!;
    ps[i] = b;
  }
  let em = cat(Uint8Array.of(0x00, opts.blockType ?? 0x02), ps, opts.noSeparator ? new Uint8Array(0) : Uint8Array.of(0x00), msg);
  if (em.length < k) em = cat(em, new Uint8Array(k - em.length)); // only for the short-PS mutant: pad at the end
  if (em.length !== k) throw new Error(`pkcs1v15Encrypt: EM is ${em.length} bytes, modulus ${k}`);
  return new Uint8Array(publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, em));
}

export const file: VectorFileSpec = {
  name: 'secret_encryption',
  area: 'SEC',
  requirements: ['BM-SEC-001', 'BM-SEC-003', 'BM-SEC-004'],
  source: { kind: 'generated', note: 'seeded encryptions to fixture keys, PKCS#1 v1.5 legacy ciphertexts built from the file stream, the spec/formats.md §13.3 vectors, and mutants' },
  header: [
    'Encrypt(pub, secret) → ciphertext, crypto, txid (the header catalog.encrypted_key / crypto / txid).',
    'rsa, rsa4096: RSAES-OAEP with SHA-256 and MGF1-SHA-256, empty label; crypto "rsa/oaep", txid "". Decrypt: "rsa/oaep" → OAEP, anything else (rsa, "", absent, unknown) → RSAES-PKCS1-v1_5.',
    'ed25519: dual key exchange (txid = hex(P‖R)) then AES-256-GCM nonce12‖ct‖tag16 under the raw 32-byte shared secret; crypto "ed25519+aes"; decrypt requires exactly that crypto string.',
    'ecdsa public keys cannot be encrypted to (UnsupportedKeyType). Every data-dependent decryption failure is DecryptionFailed; a malformed txid may also be InvalidInput.',
  ],
  notes: {
    Seeded: { bugType: 'BASIC', description: 'Encryption with the randomness drawn from the case seed (OAEP seed, or r then the GCM nonce), so the output is byte-comparable; an adapter that cannot reproduce it is checked by decrypting its output.', links: ['ADAPTER.md "seed"'] },
    RoundTrip: { bugType: 'BASIC', description: 'Decryption of a ciphertext made by the reference for a fixture key.' },
    MaxLength: { bugType: 'EDGE_CASE', description: 'Secret at (or one byte over) the RSA-OAEP-SHA256 limit k − 66 bytes.', effect: 'Off-by-one limits make valid secrets fail or let too-long ones be truncated.' },
    EmptySecret: { bugType: 'EDGE_CASE', description: 'The empty secret.' },
    DerivedVector: { bugType: 'DEFINED', description: 'Dual key exchange vector of spec/formats.md §13.3, computed from the §1.8 description with @noble when the digest was written — NOT produced by Go (Go draws fresh randomness).', links: ['spec/formats.md §13.3'] },
    GoKnownAnswer: { bugType: 'BASIC', description: 'Behaviour asserted by encrypt_test.go / dual_keyexchange_test.go.', links: ['spec/formats.md §1.9'] },
    LegacyPkcs1: { bugType: 'LEGACY', description: 'RSAES-PKCS1-v1_5 ciphertext of a pre-OAEP message (crypto "rsa", empty, absent or any unknown value: Go falls through to PKCS#1 v1.5).', effect: 'Refusing it makes RSA messages written before 2021-04-15 unreadable.', links: ['spec/formats.md §1.7', 'spec/formats.md §14'] },
    Pkcs1Padding: { bugType: 'MODIFIED_PARAMETER', description: 'PKCS#1 v1.5 encryption block that Go DecryptPKCS1v15 refuses: padding string shorter than 8 bytes, block type 01, no zero separator.', effect: 'A lenient unpadder is a padding oracle and accepts forged blocks.', links: ['crypto/rsa DecryptPKCS1v15 (Go)'] },
    PaddingConfusion: { bugType: 'WRONG_PRIMITIVE', description: 'Ciphertext decrypted under the other RSA padding (OAEP as PKCS#1 v1.5 or the reverse).', effect: 'Trying both paddings turns the decryptor into a padding oracle.', links: ['pkg/bmcrypto/encrypt_test.go:29-51'] },
    CryptoString: { bugType: 'MODIFIED_PARAMETER', description: 'crypto value other than exactly "ed25519+aes" for an Ed25519 key (other scheme, other case, extra space).', effect: 'Accepting look-alike strings hides downgrade attempts.', links: ['pkg/bmcrypto/key_ed25519.go:142-176'] },
    NoCryptoEd25519: { bugType: 'LEGACY', description: 'Ed25519 catalog key with crypto absent or empty (messages of 2021-01-27…2021-04-15). Go at 95952d1 refuses it; a reader MAY accept it (BM-SEC-006).', links: ['spec/formats.md §14'] },
    CiphertextBitFlip: { bugType: 'INTEGRITY', description: 'One bit flipped in the RSA ciphertext or in the GCM blob (nonce, ciphertext body or tag).', effect: 'Accepting it means the catalog key is not authenticated.', links: ['spec/formats.md §3.1'] },
    CiphertextLength: { bugType: 'INTEGRITY', description: 'Ciphertext truncated, extended, emptied, or longer than the RSA modulus.', effect: 'Accepting it suggests a length-tolerant parser.' },
    TxidFormat: { bugType: 'MODIFIED_PARAMETER', description: 'txid that is not hex of exactly 64 bytes (truncated, odd length, too long, non-hex, 0x prefix, empty).', effect: 'A lenient parser reads a different P or R.', links: ['pkg/bmcrypto/dual_keyexchange.go:54-68'] },
    TxidUpperCase: { bugType: 'EDGE_CASE', description: 'txid in upper-case hex: Go hex.DecodeString accepts it.', effect: 'Rejecting it loses messages from writers that upper-case hex.' },
    NotForMe: { bugType: 'CONFIDENTIALITY', description: 'txid whose P does not match the recipient (made for another key, or P/R altered): the key confirmation fails and there is no secret. (Go\'s KeyEd25519.Decrypt returns no secret and no error here, so the failure surfaces when the catalog is opened; the op must report DecryptionFailed.)', effect: 'An implementation that skips the P check derives a wrong key and reports a GCM failure instead, or worse uses it.', links: ['pkg/bmcrypto/dual_keyexchange.go:83-106'] },
    GoShortBlob: { bugType: 'KNOWN_BUG', description: 'GCM blob shorter than the 12-byte nonce: Go MessageDecrypt returns (nil, nil) — no plaintext and no error — instead of failing (aes_256_gcm.go:94-96 at 95952d1). The intended answer is DecryptionFailed (BM-SYM-002).', effect: 'A caller that trusts the nil error continues with an empty catalog key.', links: ['pkg/bmcrypto/aes_256_gcm.go:81-100'] },
    LowOrderR: { bugType: 'CONFIDENTIALITY', description: 'txid whose R is a small-order point: X25519 gives all zeros and Go refuses it.', effect: 'Accepting it derives the all-zero shared secret.' },
    WrongKey: { bugType: 'CONFIDENTIALITY', description: 'Ciphertext decrypted with another recipient key of the same type.' },
    EcdsaRecipient: { bugType: 'BASIC', description: 'ECDSA keys cannot receive encrypted secrets: Go labels the path ecdsa+aes but its dual key exchange refuses ecdsa keys.', links: ['spec/formats.md §1.7', 'spec/formats.md §15 item 6'] },
    TxidIgnoredForRsa: { bugType: 'EDGE_CASE', description: 'RSA decryption ignores the txid.' },
  },
  async build(ctx) {
    const groups: GroupSpec[] = [];

    // ----- encrypt (seeded) -----
    const encrypted = new Map<string, { pub: string; priv: string; secret: Uint8Array; out: Record<string, JsonValue> }>();
    const enc: CaseSpec[] = [];
    const encPlan: [string, F.KeyPairText, Uint8Array, string, string[], string[]][] = [
      ['rsa-key-1-catalog-key', F.GO_KEY_1, ctx.rng.bytes(32), 'a 32-byte catalog key to testdata key-1', ['Seeded'], ['BM-SEC-001']],
      ['rsa-key-1-foobar', F.GO_KEY_1, new TextEncoder().encode('foobar'), '"foobar" (encrypt_test.go) to testdata key-1', ['Seeded'], ['BM-SEC-001']],
      ['rsa-key-1-empty', F.GO_KEY_1, new Uint8Array(0), 'the empty secret to testdata key-1', ['Seeded', 'EmptySecret'], ['BM-SEC-001']],
      ['rsa-key-1-max', F.GO_KEY_1, ctx.rng.bytes(190), '190 bytes (the OAEP-SHA256 maximum for 2048 bits) to testdata key-1', ['Seeded', 'MaxLength'], ['BM-SEC-001']],
      ['rsa-key-2-catalog-key', F.GO_KEY_2, ctx.rng.bytes(32), 'a 32-byte catalog key to testdata key-2', ['Seeded'], ['BM-SEC-001']],
      ['rsa-1024-foobar', F.GO_PRIVKEY_RSA_1024, new TextEncoder().encode('foobar'), '"foobar" to the 1024-bit pubkey.rsa (encrypt_test.go)', ['Seeded', 'GoKnownAnswer'], ['BM-SEC-001']],
      ['rsa-1024-max', F.GO_PRIVKEY_RSA_1024, ctx.rng.bytes(62), '62 bytes (the OAEP-SHA256 maximum for 1024 bits) to pubkey.rsa', ['Seeded', 'MaxLength'], ['BM-SEC-001']],
      ['rsa4096-catalog-key', F.RSA4096_FIXTURE, ctx.rng.bytes(32), 'a 32-byte catalog key to the rsa4096 fixture', ['Seeded'], ['BM-SEC-001']],
      ['ed25519-dke-catalog-key', F.DKE_RECIPIENT_ED25519, ctx.rng.bytes(32), 'a 32-byte catalog key to the dual_keyexchange_test.go recipient', ['Seeded'], ['BM-SEC-004', 'BM-SEC-008']],
      ['ed25519-dke-empty', F.DKE_RECIPIENT_ED25519, new Uint8Array(0), 'the empty secret to the dual_keyexchange_test.go recipient', ['Seeded', 'EmptySecret'], ['BM-SEC-004']],
      ['ed25519-dke-100', F.DKE_RECIPIENT_ED25519, ctx.rng.bytes(100), '100 bytes to the dual_keyexchange_test.go recipient (no length limit)', ['Seeded'], ['BM-SEC-004']],
      ['ed25519-key-2-catalog-key', F.GO_ED25519_2, ctx.rng.bytes(32), 'a 32-byte catalog key to testdata key-ed25519-2 (compose_test.go recipient)', ['Seeded'], ['BM-SEC-004', 'BM-SEC-008']],
      ['ed25519-alice-catalog-key', F.ALICE_ED25519, ctx.rng.bytes(32), 'a 32-byte catalog key to alice (keyexchange_test.go)', ['Seeded'], ['BM-SEC-004', 'BM-SEC-008']],
    ];
    for (const [key, pair, secret, desc, flags, reqs] of encPlan) {
      const seed = ctx.caseSeed(key);
      const out = await ctx.must('secret.encrypt', { public_key: pair.publicKey, secret_b64: toB64(secret) }, { seed });
      const want = pair.publicKey.startsWith('ed25519') ? 'ed25519+aes' : 'rsa/oaep';
      if (out.crypto !== want || (want === 'rsa/oaep') !== (out.txid === '')) throw new Error(`secret_encryption: ${key}: unexpected crypto/txid ${out.crypto}/${out.txid}`);
      encrypted.set(key, { pub: pair.publicKey, priv: pair.privateKey, secret, out });
      enc.push({ key: `encrypt-${key}`, comment: `encrypt ${desc}`, flags, inputs: { public_key: pair.publicKey, secret_b64: toB64(secret) }, seed, result: 'valid', expected: out, requirements: reqs });
    }
    enc.push({ key: 'encrypt-rsa-key-1-too-long', comment: '191 bytes to a 2048-bit key: one over the OAEP-SHA256 limit', flags: ['MaxLength'], inputs: { public_key: F.GO_KEY_1.publicKey, secret_b64: toB64(ctx.rng.bytes(191)) }, seed: ctx.caseSeed('too-long-2048'), result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-SEC-001'] });
    enc.push({ key: 'encrypt-rsa-1024-too-long', comment: '63 bytes to the 1024-bit key: one over the OAEP-SHA256 limit', flags: ['MaxLength'], inputs: { public_key: F.GO_PRIVKEY_RSA_1024.publicKey, secret_b64: toB64(ctx.rng.bytes(63)) }, seed: ctx.caseSeed('too-long-1024'), result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-SEC-001'] });
    enc.push({ key: 'encrypt-ecdsa', comment: 'encrypt to an ECDSA public key (testdata pubkey.ecdsa)', flags: ['EcdsaRecipient'], inputs: { public_key: F.GO_PRIVKEY_ECDSA.publicKey, secret_b64: toB64(CATALOG_KEY) }, seed: ctx.caseSeed('encrypt-ecdsa'), result: 'invalid', errorClass: 'UnsupportedKeyType', requirements: ['BM-SEC-007'] });
    enc.push({ key: 'encrypt-ecdsa-keytype-test', comment: 'encrypt to the keytype_test.go P-384 public key', flags: ['EcdsaRecipient'], inputs: { public_key: F.KEYTYPE_TEST.ecdsaPublic, secret_b64: toB64(CATALOG_KEY) }, seed: ctx.caseSeed('encrypt-ecdsa-2'), result: 'invalid', errorClass: 'UnsupportedKeyType', requirements: ['BM-SEC-007'] });
    groups.push({ op: 'secret.encrypt', comment: 'seeded encryption to fixture keys', source: { kind: 'generated' }, cases: enc });

    // ----- decrypt round trips -----
    const dec: CaseSpec[] = [];
    const decArgs = (e: { priv: string; out: Record<string, JsonValue> }, over: Record<string, JsonValue> = {}) => ({ private_key: e.priv, ciphertext_b64: e.out.ciphertext_b64!, crypto: e.out.crypto!, txid: e.out.txid!, ...over });
    for (const [key, e] of encrypted) {
      const isEd = e.pub.startsWith('ed25519');
      dec.push({ key: `decrypt-${key}`, comment: `decrypt the ${key} ciphertext`, flags: ['RoundTrip'], inputs: decArgs(e), result: 'valid', expected: { secret_b64: toB64(e.secret) }, requirements: isEd ? ['BM-SEC-004', 'BM-SEC-011'] : ['BM-SEC-002'] });
    }
    const ed = encrypted.get('ed25519-dke-catalog-key')!;
    const rsa = encrypted.get('rsa-key-1-catalog-key')!;
    dec.push({ key: 'decrypt-txid-upper-case', mutant: true, comment: 'the txid in upper-case hex (Go hex.DecodeString accepts it)', flags: ['TxidUpperCase'], inputs: decArgs(ed, { txid: (ed.out.txid as string).toUpperCase() }), result: 'valid', expected: { secret_b64: toB64(ed.secret) }, requirements: ['BM-SEC-010'] });
    dec.push({ key: 'decrypt-rsa-txid-ignored', comment: 'RSA decryption with a non-empty txid: the txid is ignored', flags: ['TxidIgnoredForRsa'], inputs: decArgs(rsa, { txid: ed.out.txid! }), result: 'valid', expected: { secret_b64: toB64(rsa.secret) }, requirements: ['BM-SEC-002'] });
    groups.push({ op: 'secret.decrypt', comment: 'decryption of the seeded ciphertexts', source: { kind: 'generated' }, cases: dec });

    // ----- §13.3 derived vectors -----
    const blobFf = gcmBlob(D_FF, NONCE, CATALOG_KEY);
    const derived: CaseSpec[] = [
      { key: 'spec-13.3-r-01', comment: '§13.3: r = 01…01, catalog key 0x01..0x20 sealed under D = 21e26fd1…730d with nonce 0x01..0x0c', flags: ['DerivedVector'], inputs: { private_key: F.DKE_RECIPIENT_ED25519.privateKey, ciphertext_b64: ENCRYPTED_KEY_01, crypto: 'ed25519+aes', txid: TXID_01 }, result: 'valid', expected: { secret_b64: toB64(CATALOG_KEY) }, requirements: ['BM-SEC-004', 'BM-SEC-008', 'BM-SEC-009', 'BM-SEC-011'] },
      { key: 'spec-13.3-r-ff', comment: '§13.3: r = sc_reduce32(ff…ff) (reduction matters), D = 3a5cee27…3b00; the same catalog key sealed here under D with nonce 0x01..0x0c', flags: ['DerivedVector'], inputs: { private_key: F.DKE_RECIPIENT_ED25519.privateKey, ciphertext_b64: toB64(blobFf), crypto: 'ed25519+aes', txid: TXID_FF }, result: 'valid', expected: { secret_b64: toB64(CATALOG_KEY) }, requirements: ['BM-SEC-004', 'BM-SEC-008', 'BM-SEC-009', 'BM-SEC-011'] },
      { key: 'spec-13.3-other-recipient', comment: 'dual_keyexchange_test.go: the other key gets "not for me" for the §13.3 txid', flags: ['DerivedVector', 'NotForMe', 'GoKnownAnswer'], inputs: { private_key: F.DKE_OTHER_ED25519.privateKey, ciphertext_b64: ENCRYPTED_KEY_01, crypto: 'ed25519+aes', txid: TXID_01 }, result: 'invalid', errorClass: 'DecryptionFailed', requirements: ['BM-SEC-011'] },
      { key: 'spec-13.3-txid-swapped-halves', comment: '§13.3 txid with P and R exchanged (hex(R‖P))', flags: ['DerivedVector', 'NotForMe'], inputs: { private_key: F.DKE_RECIPIENT_ED25519.privateKey, ciphertext_b64: ENCRYPTED_KEY_01, crypto: 'ed25519+aes', txid: TXID_01.slice(64) + TXID_01.slice(0, 64) }, result: 'invalid', errorClass: 'DecryptionFailed', requirements: ['BM-SEC-010', 'BM-SEC-011'] },
      { key: 'spec-13.3-wrong-txid', comment: '§13.3 ciphertext of r = 01…01 with the txid of r = ff…ff: P matches, D differs → GCM fails', flags: ['DerivedVector', 'CiphertextBitFlip'], inputs: { private_key: F.DKE_RECIPIENT_ED25519.privateKey, ciphertext_b64: ENCRYPTED_KEY_01, crypto: 'ed25519+aes', txid: TXID_FF }, result: 'invalid', errorClass: 'DecryptionFailed', requirements: ['BM-SYM-002'] },
    ];
    groups.push({ op: 'secret.decrypt', comment: 'spec/formats.md §13.3 dual key exchange vectors (derived, not Go-produced)', source: { kind: 'derived', note: 'spec/formats.md §13.3; the r = ff…ff ciphertext is sealed by this generator with node AES-256-GCM' }, cases: derived });

    // ----- legacy PKCS#1 v1.5 -----
    const legacy: CaseSpec[] = [];
    const k1 = F.GO_KEY_1;
    const lsecret = ctx.rng.bytes(32);
    const lct = toB64(pkcs1v15Encrypt(k1.publicKey, lsecret, ctx));
    const lreq = ['BM-SEC-003'];
    const lvalid = (key: string, comment: string, crypto: string | undefined, flags: string[] = ['LegacyPkcs1']): CaseSpec => ({ key, comment, flags, inputs: { private_key: k1.privateKey, ciphertext_b64: lct, ...(crypto === undefined ? {} : { crypto }), txid: '' }, result: 'valid', expected: { secret_b64: toB64(lsecret) }, requirements: lreq });
    legacy.push(lvalid('legacy-crypto-rsa', 'PKCS#1 v1.5 ciphertext, crypto "rsa" (v0.1.0 headers)', 'rsa'));
    legacy.push(lvalid('legacy-crypto-empty', 'PKCS#1 v1.5 ciphertext, crypto "" ', ''));
    legacy.push({ ...lvalid('legacy-crypto-absent', 'PKCS#1 v1.5 ciphertext, no crypto and no txid field (headers of 2021-01-27…2021-04-15)', undefined), inputs: { private_key: k1.privateKey, ciphertext_b64: lct } });
    legacy.push(lvalid('legacy-crypto-unknown', 'PKCS#1 v1.5 ciphertext, unknown crypto "foo": Go falls through to PKCS#1 v1.5', 'foo'));
    legacy.push(lvalid('legacy-crypto-ed25519-aes', 'PKCS#1 v1.5 ciphertext with crypto "ed25519+aes" on an RSA key: not rsa/oaep, so PKCS#1 v1.5', 'ed25519+aes'));
    legacy.push(lvalid('legacy-crypto-oaep-upper', 'PKCS#1 v1.5 ciphertext with crypto "RSA/OAEP": not exactly rsa/oaep, so PKCS#1 v1.5', 'RSA/OAEP'));
    const l1024secret = new TextEncoder().encode('foobar');
    legacy.push({ key: 'legacy-1024-foobar', comment: 'PKCS#1 v1.5 "foobar" to the 1024-bit privkey.rsa (PKCS#1 private key)', flags: ['LegacyPkcs1'], inputs: { private_key: F.GO_PRIVKEY_RSA_1024.privateKey, ciphertext_b64: toB64(pkcs1v15Encrypt(F.GO_PRIVKEY_RSA_1024.publicKey, l1024secret, ctx)), crypto: 'rsa', txid: '' }, result: 'valid', expected: { secret_b64: toB64(l1024secret) }, requirements: lreq });
    const l4096 = ctx.rng.bytes(32);
    legacy.push({ key: 'legacy-rsa4096', comment: 'PKCS#1 v1.5 catalog key to the rsa4096 fixture', flags: ['LegacyPkcs1'], inputs: { private_key: F.RSA4096_FIXTURE.privateKey, ciphertext_b64: toB64(pkcs1v15Encrypt(F.RSA4096_FIXTURE.publicKey, l4096, ctx)), crypto: 'rsa', txid: '' }, result: 'valid', expected: { secret_b64: toB64(l4096) }, requirements: lreq });
    legacy.push({ key: 'legacy-empty-message', comment: 'PKCS#1 v1.5 block with an empty message (padding fills the block)', flags: ['LegacyPkcs1', 'EmptySecret'], inputs: { private_key: k1.privateKey, ciphertext_b64: toB64(pkcs1v15Encrypt(k1.publicKey, new Uint8Array(0), ctx)), crypto: 'rsa', txid: '' }, result: 'valid', expected: { secret_b64: '' }, requirements: lreq });
    const ps8msg = ctx.rng.bytes(256 - 11);
    legacy.push({ key: 'legacy-ps-8', comment: 'PKCS#1 v1.5 block with the shortest allowed padding string (8 bytes)', flags: ['LegacyPkcs1', 'Pkcs1Padding'], inputs: { private_key: k1.privateKey, ciphertext_b64: toB64(pkcs1v15Encrypt(k1.publicKey, ps8msg, ctx, { psLen: 8 })), crypto: 'rsa', txid: '' }, result: 'valid', expected: { secret_b64: toB64(ps8msg) }, requirements: lreq });
    const lbad = (key: string, comment: string, ct: Uint8Array, flags: string[]): CaseSpec => ({ key, comment, flags, inputs: { private_key: k1.privateKey, ciphertext_b64: toB64(ct), crypto: 'rsa', txid: '' }, result: 'invalid', errorClass: 'DecryptionFailed', requirements: lreq });
    legacy.push(lbad('legacy-ps-7', 'PKCS#1 v1.5 block with a 7-byte padding string (minimum is 8)', pkcs1v15Encrypt(k1.publicKey, ctx.rng.bytes(256 - 10), ctx, { psLen: 7 }), ['Pkcs1Padding']));
    legacy.push(lbad('legacy-block-type-1', 'block type 01 (signature padding) instead of 02', pkcs1v15Encrypt(k1.publicKey, lsecret, ctx, { blockType: 0x01 }), ['Pkcs1Padding']));
    legacy.push(lbad('legacy-no-separator', 'no zero byte between padding and message', pkcs1v15Encrypt(k1.publicKey, new Uint8Array(0), ctx, { noSeparator: true, psLen: 254 }), ['Pkcs1Padding']));
    legacy.push({ key: 'legacy-as-oaep', comment: 'PKCS#1 v1.5 ciphertext declared crypto "rsa/oaep"', flags: ['PaddingConfusion'], inputs: { private_key: k1.privateKey, ciphertext_b64: lct, crypto: 'rsa/oaep', txid: '' }, result: 'invalid', errorClass: 'DecryptionFailed', requirements: ['BM-SEC-002'] });
    legacy.push({ key: 'oaep-as-rsa', comment: 'encrypt_test.go: an OAEP ciphertext decrypted with crypto forced to "rsa" (PKCS#1 v1.5) must fail', flags: ['PaddingConfusion', 'GoKnownAnswer'], inputs: decArgs(encrypted.get('rsa-1024-foobar')!, { crypto: 'rsa' }), result: 'invalid', errorClass: 'DecryptionFailed', requirements: ['BM-SEC-002'] });
    legacy.push({ key: 'oaep-as-absent', comment: 'an OAEP ciphertext with no crypto field (legacy fallthrough) must fail', flags: ['PaddingConfusion'], inputs: { private_key: rsa.priv, ciphertext_b64: rsa.out.ciphertext_b64! }, result: 'invalid', errorClass: 'DecryptionFailed', requirements: ['BM-SEC-002', 'BM-SEC-003'] });
    legacy.push({ key: 'oaep-as-upper-case', comment: 'an OAEP ciphertext with crypto "RSA/OAEP" (falls through to PKCS#1 v1.5) must fail', flags: ['PaddingConfusion', 'CryptoString'], inputs: decArgs(rsa, { crypto: 'RSA/OAEP' }), result: 'invalid', errorClass: 'DecryptionFailed', requirements: ['BM-SEC-002'] });
    groups.push({ op: 'secret.decrypt', comment: 'legacy RSAES-PKCS1-v1_5 (crypto rsa, empty, absent, unknown) and padding confusion', source: { kind: 'generated', note: 'PKCS#1 v1.5 blocks built from the file stream and encrypted with a raw RSA operation' }, cases: legacy });

    // ----- ed25519: crypto strings -----
    const cryptoCases: CaseSpec[] = [];
    for (const [key, crypto] of [['rsa', 'rsa'], ['rsa-oaep', 'rsa/oaep'], ['ecdsa-aes', 'ecdsa+aes'], ['upper-case', 'ED25519+AES'], ['trailing-space', 'ed25519+aes '], ['ed25519', 'ed25519']] as const) {
      cryptoCases.push({ key: `ed25519-crypto-${key}`, comment: `Ed25519 ciphertext with crypto ${JSON.stringify(crypto)}`, flags: ['CryptoString'], inputs: decArgs(ed, { crypto }), result: 'invalid', errorClass: 'DecryptionFailed', requirements: ['BM-SEC-005'] });
    }
    cryptoCases.push({ key: 'ed25519-crypto-empty', comment: 'Ed25519 ciphertext with crypto "": Go refuses it, a reader MAY accept it (BM-SEC-006)', flags: ['NoCryptoEd25519'], inputs: decArgs(ed, { crypto: '' }), result: 'acceptable', expected: { secret_b64: toB64(ed.secret) }, requirements: ['BM-SEC-005', 'BM-SEC-006'] });
    cryptoCases.push({ key: 'ed25519-crypto-absent', comment: 'Ed25519 ciphertext with no crypto field: Go refuses it, a reader MAY accept it (BM-SEC-006)', flags: ['NoCryptoEd25519'], inputs: { private_key: ed.priv, ciphertext_b64: ed.out.ciphertext_b64!, txid: ed.out.txid! }, result: 'acceptable', expected: { secret_b64: toB64(ed.secret) }, requirements: ['BM-SEC-005', 'BM-SEC-006'] });
    // A reader that accepts the legacy form still authenticates it: tampered legacy ciphertext is refused.
    cryptoCases.push({ key: 'ed25519-crypto-absent-bit-flip', comment: 'Ed25519 ciphertext with no crypto field and one bit of the GCM blob flipped: refused by Go (no crypto) and by a legacy reader (the tag fails)', flags: ['NoCryptoEd25519', 'CiphertextBitFlip'], inputs: { private_key: ed.priv, ciphertext_b64: toB64(flip(fromB64(ed.out.ciphertext_b64 as string), 12 + 5, 0x40)), txid: ed.out.txid! }, result: 'invalid', errorClass: 'DecryptionFailed', requirements: ['BM-SEC-005', 'BM-SEC-006'] });
    groups.push({ op: 'secret.decrypt', comment: 'Ed25519 requires crypto exactly "ed25519+aes"', source: { kind: 'generated' }, cases: cryptoCases });

    // ----- mutants -----
    const m: CaseSpec[] = [];
    const edCt = fromB64(ed.out.ciphertext_b64 as string);
    const edTx = ed.out.txid as string;
    const rsaCt = fromB64(rsa.out.ciphertext_b64 as string);
    const mut = (key: string, comment: string, flags: string[], inputs: Record<string, JsonValue>, reqs: string[], also?: string[]): CaseSpec => ({ key, mutant: true, comment, flags, inputs, result: 'invalid', errorClass: 'DecryptionFailed', ...(also ? { alsoAllowedErrorClasses: also } : {}), requirements: reqs });
    const edc = (ct: Uint8Array, over: Record<string, JsonValue> = {}) => decArgs(ed, { ciphertext_b64: toB64(ct), ...over });
    m.push(mut('ed25519-flip-nonce', 'GCM blob with bit 0x01 of the first nonce byte flipped', ['CiphertextBitFlip'], edc(flip(edCt, 0)), ['BM-SYM-002']));
    m.push(mut('ed25519-flip-body', 'GCM blob with a bit of the ciphertext body flipped', ['CiphertextBitFlip'], edc(flip(edCt, 12 + 5, 0x40)), ['BM-SYM-002']));
    m.push(mut('ed25519-flip-tag', 'GCM blob with the last tag bit flipped', ['CiphertextBitFlip'], edc(flip(edCt, -1, 0x80)), ['BM-SYM-002']));
    m.push(mut('ed25519-truncated', 'GCM blob without its last byte', ['CiphertextLength'], edc(edCt.subarray(0, edCt.length - 1)), ['BM-SYM-002']));
    m.push(mut('ed25519-extended', 'GCM blob with a zero byte appended', ['CiphertextLength'], edc(cat(edCt, Uint8Array.of(0))), ['BM-SYM-002']));
    m.push(mut('ed25519-shorter-than-nonce-and-tag', 'GCM blob of 27 bytes (less than nonce + tag)', ['CiphertextLength'], edc(edCt.subarray(0, 27)), ['BM-SYM-002']));
    m.push(mut('ed25519-empty-ciphertext', 'empty ciphertext (Go: no plaintext and no error)', ['CiphertextLength', 'GoShortBlob'], edc(new Uint8Array(0)), ['BM-SYM-002']));
    m.push(mut('ed25519-shorter-than-nonce', 'GCM blob of 11 bytes, shorter than the nonce (Go: no plaintext and no error)', ['CiphertextLength', 'GoShortBlob'], edc(edCt.subarray(0, 11)), ['BM-SYM-002']));
    m.push(mut('ed25519-other-ciphertext', 'the ciphertext of another encryption to the same key with this txid (D differs)', ['CiphertextBitFlip'], edc(fromB64(encrypted.get('ed25519-dke-100')!.out.ciphertext_b64 as string)), ['BM-SYM-002']));
    const tx = (key: string, comment: string, txid: string, flags: string[], reqs: string[] = ['BM-SEC-010']) => m.push(mut(key, comment, flags, decArgs(ed, { txid }), reqs, flags.includes('TxidFormat') ? ['InvalidInput'] : undefined));
    tx('txid-truncated-126', 'txid of 126 hex characters (63 bytes)', edTx.slice(0, 126), ['TxidFormat']);
    tx('txid-odd-127', 'txid of 127 hex characters', edTx.slice(0, 127), ['TxidFormat']);
    tx('txid-long-130', 'txid of 130 hex characters (65 bytes)', edTx + '00', ['TxidFormat']);
    tx('txid-40-bytes', 'the 80-hex-character txid of dual_keyexchange_test.go length check (40 bytes)', edTx.slice(0, 80), ['TxidFormat', 'GoKnownAnswer']);
    tx('txid-non-hex', 'txid with XXXX in place of four hex digits (dual_keyexchange_test.go)', 'XXXX' + edTx.slice(4), ['TxidFormat', 'GoKnownAnswer']);
    tx('txid-0x-prefix', 'txid with a 0x prefix', '0x' + edTx, ['TxidFormat']);
    tx('txid-empty', 'empty txid', '', ['TxidFormat']);
    tx('txid-space', 'txid with a space between P and R', edTx.slice(0, 64) + ' ' + edTx.slice(64), ['TxidFormat']);
    tx('txid-flip-p', 'txid with a bit of P flipped: key confirmation fails (not for me)', flipHex(edTx, 0), ['NotForMe'], ['BM-SEC-011']);
    tx('txid-flip-p-last', 'txid with the last bit of P flipped', flipHex(edTx, 31), ['NotForMe'], ['BM-SEC-011']);
    tx('txid-flip-r', 'txid with a bit of R flipped: D\' changes, P no longer matches', flipHex(edTx, 32), ['NotForMe'], ['BM-SEC-011']);
    tx('txid-swapped', 'txid hex(R‖P) instead of hex(P‖R)', edTx.slice(64) + edTx.slice(0, 64), ['NotForMe'], ['BM-SEC-010', 'BM-SEC-011']);
    tx('txid-r-identity', 'txid whose R is the identity point (low order)', edTx.slice(0, 64) + '01' + '00'.repeat(31), ['LowOrderR'], ['BM-SEC-011']);
    tx('txid-r-zero', 'txid whose R is all zeros (a point of order 4)', edTx.slice(0, 64) + '00'.repeat(32), ['LowOrderR'], ['BM-SEC-011']);
    tx('txid-of-other-encryption', 'the txid of another encryption to the same key (P valid, D differs)', encrypted.get('ed25519-dke-100')!.out.txid as string, ['CiphertextBitFlip'], ['BM-SYM-002']);
    m.push(mut('ed25519-not-for-me', 'a ciphertext for the dual_keyexchange_test.go recipient opened by the other key of that test', ['NotForMe', 'GoKnownAnswer'], decArgs(ed, { private_key: F.DKE_OTHER_ED25519.privateKey }), ['BM-SEC-011']));
    m.push(mut('ed25519-wrong-key', 'the same ciphertext opened by testdata key-ed25519-1', ['NotForMe', 'WrongKey'], decArgs(ed, { private_key: F.GO_ED25519_1.privateKey }), ['BM-SEC-011']));
    const rsac = (ct: Uint8Array, over: Record<string, JsonValue> = {}) => decArgs(rsa, { ciphertext_b64: toB64(ct), ...over });
    m.push(mut('rsa-flip-first', 'OAEP ciphertext with bit 0x01 of the first byte flipped', ['CiphertextBitFlip'], rsac(flip(rsaCt, 0)), ['BM-SEC-002']));
    m.push(mut('rsa-flip-last', 'OAEP ciphertext with bit 0x80 of the last byte flipped', ['CiphertextBitFlip'], rsac(flip(rsaCt, -1, 0x80)), ['BM-SEC-002']));
    m.push(mut('rsa-flip-middle', 'OAEP ciphertext with a middle bit flipped', ['CiphertextBitFlip'], rsac(flip(rsaCt, 128, 0x10)), ['BM-SEC-002']));
    m.push(mut('rsa-truncated', 'OAEP ciphertext without its last byte', ['CiphertextLength'], rsac(rsaCt.subarray(0, rsaCt.length - 1)), ['BM-SEC-002']));
    m.push(mut('rsa-extended', 'OAEP ciphertext with a zero byte appended (longer than the modulus)', ['CiphertextLength'], rsac(cat(rsaCt, Uint8Array.of(0))), ['BM-SEC-002']));
    m.push(mut('rsa-empty', 'empty RSA ciphertext', ['CiphertextLength'], rsac(new Uint8Array(0)), ['BM-SEC-002']));
    m.push(mut('rsa-wrong-key', 'key-1 OAEP ciphertext decrypted with key-2', ['WrongKey'], decArgs(rsa, { private_key: F.GO_KEY_2.privateKey }), ['BM-SEC-002']));
    m.push(mut('rsa-1024-ct-to-2048-key', '1024-bit OAEP ciphertext decrypted with a 2048-bit key', ['WrongKey'], decArgs(encrypted.get('rsa-1024-foobar')!, { private_key: F.GO_KEY_1.privateKey }), ['BM-SEC-002']));
    m.push({ key: 'ecdsa-decrypt', comment: 'decryption with an ECDSA private key (crypto ecdsa+aes)', flags: ['EcdsaRecipient'], inputs: { private_key: F.GO_PRIVKEY_ECDSA.privateKey, ciphertext_b64: ed.out.ciphertext_b64!, crypto: 'ecdsa+aes', txid: edTx }, result: 'invalid', errorClass: 'UnsupportedKeyType', alsoAllowedErrorClasses: ['DecryptionFailed'], requirements: ['BM-SEC-007'] });
    groups.push({ op: 'secret.decrypt', comment: 'mutated ciphertexts and txids, wrong keys', source: { kind: 'derived' }, cases: m });
    return groups;
  },
};

/** Flip bit 0x01 of byte `i` of a hex string. */
function flipHex(hex: string, i: number): string {
  const b = Buffer.from(hex, 'hex');
  b[i]! ^= 0x01;
  return b.toString('hex');
}
