/**
 * vectors/authorization_test.json: authorized (on-behalf) key signatures (op `authorization.sign`;
 * spec/formats.md §4.4, §10.3; Go internal/key/auth_key.go:54-64, checked at
 * internal/message/signature.go:173-180).
 *
 * signature = b64(Sign(origin key, ASCII of hash.New(authorizedKey.String()))) — the 64 lowercase
 * hex characters, not the raw digest; String() is TrimSpace("<type> <b64> <description>").
 * Imported: the auth_key_test.go known answer and the authorized_by signature of testdata
 * header-003.json. Generated: origins of every key type, authorized keys with descriptions and odd
 * text. There is no verify op for authorizations, so the header-independent check is expressed
 * with the `verify` op over the exact signed bytes, with mutants of message and signature.
 * @module
 */
import type { CaseSpec, GroupSpec, VectorFileSpec } from './_framework.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { fromB64, toB64, utf8 } from '../../harness/protocol/bytes.ts';
import { GO_SUITE, flip, goTestdataSource, keyB64, sha256bytes, sha256hex } from './_cryptogen.ts';

/** auth_key_test.go: key-ed25519-1 signs key-ed25519-2's public key string. */
const KAT_SIG = 'GRlSsdrkcciQSOiZNPHO0e0emRAv9x0rhB+eARdarkHeCJL9YOIHghen5C8+8IAaNGe0qHVPal+EcdXCKjQVBg==';
/** testdata/header-003.json authorized_by.signature: key-3 (RSA) signs key-ed25519-2's public key string. */
const HEADER_003_SIG =
  'V/cdCpxF6Ktv7hDvvDzJm9okoJMo8ikx1lnaWyFNbkKGAWADQVexdMLtP2OeqMa8f9EVqWFimb3uznzeJ9EfHKvjg33vzfOfsYRmsRVtMyDyypb9ilFCzI2px3IevsWut8TQ78aQ7eNTUe++LCGQgKOyAwNuUR9ctQqh88KlCS2udFw0FF9P94xZrAaxiA0LSDigAyMzANQGG55BxKg+PSdPZDBh+zNLBfG2fTS4zKa4hzhycE4pVexQPqmsBgnHws9YQqQTouxDovym/7FRRAc8bqxzrWS0F0OCZcj0twS8qXSFwof/FGJTKrE1Kr4nNXNdqxHnFonWaWRwOv/uUA==';

/** The bytes an authorization signs: ASCII hex of SHA-256 of the key string (already in Go String() form). */
function signedBytes(keyString: string): Uint8Array {
  return utf8(sha256hex(keyString));
}

const REQ = ['BM-SIG-007', 'BM-HASH-002'];

export const file: VectorFileSpec = {
  name: 'authorization',
  area: 'AUTHKEY',
  requirements: ['BM-SIG-007'],
  source: { kind: 'imported', ...GO_SUITE, path: 'internal/key/auth_key_test.go, testdata/header-003.json', note: 'Go known answers (spec/formats.md §10.3, §11) plus generated authorizations and verify mutants' },
  header: [
    'Authorization of an on-behalf key: signature = b64(Sign(origin private key, ASCII hex of SHA-256 of the authorized public key string)).',
    'The key string is Go PubKey.String(): TrimSpace("<type> <b64> <description>") — the description is covered, surrounding white space is not, the base64 text is taken as given.',
    'The per-type signing rule applies to the 64 ASCII bytes (RSA hashes them again, Ed25519 signs them, ECDSA uses the first 48 as its digest).',
    'authorization.sign cases give the exact signature; verify cases check the same bytes without a header (public key of the origin, message = the 64 hex characters).',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Signature produced by Go: auth_key_test.go, or the authorized_by block of testdata/header-003.json.', links: ['spec/formats.md §10.3', 'spec/formats.md §11'] },
    Generated: { bugType: 'BASIC', description: 'Authorization made by the reference from fixed keys (ECDSA origins from the case seed).' },
    Description: { bugType: 'EDGE_CASE', description: 'The authorized key carries a description: it is part of String() and so of the signed hash.', effect: 'Dropping or re-spacing the description gives a signature Go does not accept.', links: ['pkg/bmcrypto/keytype.go:200-208'] },
    KeyTextForm: { bugType: 'EDGE_CASE', description: 'The authorized key text has surrounding white space (trimmed by String(), same signature) or a line break inside its base64 (kept by String(), different signature).', links: ['pkg/bmcrypto/keytype.go:241-283'] },
    HexNotDigest: { bugType: 'WRONG_PRIMITIVE', description: 'Signature over the raw 32-byte digest instead of its 64 ASCII hex characters (or checked against the wrong one of the two).', effect: 'An implementation that signs the digest bytes produces authorizations Go rejects.', links: ['spec/formats.md §4.4'] },
    WrongText: { bugType: 'INTEGRITY', description: 'Signature over another text of the key (no description, only the base64, upper-case hex).', effect: 'Accepting it detaches the authorization from the exact key string.' },
    BitFlip: { bugType: 'INTEGRITY', description: 'One bit of a valid authorization signature flipped.' },
    WrongSigner: { bugType: 'AUTH_BYPASS', description: 'Authorization signed by another key (e.g. the authorized key signing itself).', effect: 'Accepting it lets any key authorize itself.' },
    BadKey: { bugType: 'BASIC', description: 'An argument that is not a key of the expected kind.' },
  },
  async build(ctx) {
    const ed2 = F.GO_ED25519_2.publicKey;
    const kat: CaseSpec[] = [
      { key: 'go-auth-key-test', comment: 'auth_key_test.go: key-ed25519-1 authorizes key-ed25519-2 → GRlSsdrk…QVBg==', flags: ['GoKnownAnswer'], inputs: { private_key: F.GO_ED25519_1.privateKey, public_key: ed2 }, result: 'valid', expected: { signature_b64: KAT_SIG }, requirements: [...REQ, 'BM-AUTHKEY-002'] },
    ];
    const kat003: CaseSpec[] = [
      { key: 'go-header-003', comment: 'header-003.json authorized_by: key-3 (RSA) authorizes key-ed25519-2 → V/cdCpxF…uUA==', flags: ['GoKnownAnswer'], inputs: { private_key: F.GO_KEY_3.privateKey, public_key: ed2 }, result: 'valid', expected: { signature_b64: HEADER_003_SIG }, requirements: REQ },
    ];

    // Generated authorizations.
    const gen: CaseSpec[] = [];
    const ecdsaSeeded = (priv: string) => priv.startsWith('ecdsa ');
    const plan: [string, string, string, string, string[]][] = [
      ['rsa-key-1-ed25519-3', F.GO_KEY_1.privateKey, F.GO_ED25519_3.publicKey, 'key-1 (rsa) authorizes key-ed25519-3', []],
      ['rsa-key-2-rsa-key-4', F.GO_KEY_2.privateKey, F.GO_KEY_4.publicKey, 'key-2 (rsa) authorizes key-4 (rsa)', []],
      ['rsa4096-ed25519-4', F.RSA4096_FIXTURE.privateKey, F.GO_ED25519_4.publicKey, 'the rsa4096 fixture authorizes key-ed25519-4', []],
      ['ed25519-1-ecdsa', F.GO_ED25519_1.privateKey, F.GO_PRIVKEY_ECDSA.publicKey, 'key-ed25519-1 authorizes the testdata P-384 key', []],
      ['ed25519-3-rsa-key-5', F.GO_ED25519_3.privateKey, F.GO_KEY_5.publicKey, 'key-ed25519-3 authorizes key-5 (rsa)', []],
      ['ecdsa-ed25519-2', F.GO_PRIVKEY_ECDSA.privateKey, ed2, 'the testdata P-384 key authorizes key-ed25519-2 (ECDSA signature from the case seed)', []],
      ['ecdsa-alice-rsa-key-6', F.ALICE_ECDSA.privateKey, F.GO_KEY_6.publicKey, 'alice (P-384) authorizes key-6 (rsa)', []],
      ['ed25519-1-description', F.GO_ED25519_1.privateKey, `${ed2} my phone`, 'key-ed25519-1 authorizes key-ed25519-2 described "my phone" (the description is signed)', ['Description']],
      ['ed25519-1-description-spaces', F.GO_ED25519_1.privateKey, `${ed2} my  laptop  key`, 'description with runs of spaces, signed verbatim', ['Description']],
      ['ed25519-1-trailing-newline', F.GO_ED25519_1.privateKey, `${ed2}\n`, 'authorized key text with a trailing newline: String() trims it, same signature as the clean text', ['KeyTextForm']],
      ['ed25519-1-trailing-space', F.GO_ED25519_1.privateKey, `${ed2} `, 'authorized key text with a trailing space (empty description): same signature as the clean text', ['KeyTextForm']],
      ['ed25519-1-crlf-in-b64', F.GO_ED25519_1.privateKey, `ed25519 ${keyB64(ed2).slice(0, 20)}\r\n${keyB64(ed2).slice(20)}`, 'CR LF inside the authorized key base64: Go keeps the text, so the signed hash differs from the clean key', ['KeyTextForm']],
    ];
    const sigs = new Map<string, string>();
    for (const [key, priv, pubText, comment, flags] of plan) {
      const seed = ecdsaSeeded(priv) ? ctx.caseSeed(key) : undefined;
      const r = await ctx.must('authorization.sign', { private_key: priv, public_key: pubText }, seed ? { seed } : {});
      sigs.set(key, r.signature_b64 as string);
      gen.push({ key, comment, flags: ['Generated', ...flags], inputs: { private_key: priv, public_key: pubText }, ...(seed ? { seed } : {}), result: 'valid', expected: r, requirements: REQ });
    }
    if (sigs.get('ed25519-1-trailing-newline') !== KAT_SIG || sigs.get('ed25519-1-trailing-space') !== KAT_SIG) throw new Error('authorization: trimmed key text must sign like the clean text');
    if (sigs.get('ed25519-1-crlf-in-b64') === KAT_SIG) throw new Error('authorization: a CR LF inside the base64 must change the signed text');
    const bad: CaseSpec[] = [
      { key: 'bad-authorized-not-a-key', comment: 'authorized public key "foo"', flags: ['BadKey'], inputs: { private_key: F.GO_ED25519_1.privateKey, public_key: 'foo' }, result: 'invalid', errorClass: 'InvalidKey', requirements: ['BM-SIG-007'] },
      { key: 'bad-authorized-unknown-type', comment: 'authorized public key with type word "x25519"', flags: ['BadKey'], inputs: { private_key: F.GO_ED25519_1.privateKey, public_key: `x25519 ${keyB64(ed2)}` }, result: 'invalid', errorClass: 'UnsupportedKeyType', requirements: ['BM-SIG-007'] },
      { key: 'bad-authorized-is-private', comment: 'a private key string as the authorized key', flags: ['BadKey'], inputs: { private_key: F.GO_ED25519_1.privateKey, public_key: F.GO_ED25519_2.privateKey }, result: 'invalid', errorClass: 'InvalidKey', requirements: ['BM-SIG-007'] },
      { key: 'bad-origin-is-public', comment: 'a public key string as the origin private key', flags: ['BadKey'], inputs: { private_key: F.GO_ED25519_1.publicKey, public_key: ed2 }, result: 'invalid', errorClass: 'InvalidKey', requirements: ['BM-SIG-007'] },
    ];

    // Header-independent check through `verify`.
    const msg = signedBytes(ed2);
    const katSig = fromB64(KAT_SIG);
    const sig003 = fromB64(HEADER_003_SIG);
    const rawDigestSig = fromB64((await ctx.must('sign', { private_key: F.GO_ED25519_1.privateKey, message_b64: toB64(sha256bytes(ed2)) })).signature_b64 as string);
    const noDescSig = fromB64((await ctx.must('sign', { private_key: F.GO_ED25519_1.privateKey, message_b64: toB64(signedBytes(ed2)) })).signature_b64 as string);
    const selfSig = fromB64((await ctx.must('sign', { private_key: F.GO_ED25519_2.privateKey, message_b64: toB64(msg) })).signature_b64 as string);
    const b64OnlySig = fromB64((await ctx.must('sign', { private_key: F.GO_ED25519_1.privateKey, message_b64: toB64(signedBytes(keyB64(ed2))) })).signature_b64 as string);
    const ver = (key: string, comment: string, flags: string[], pub: string, m: Uint8Array, s: Uint8Array, valid: boolean, reqs = REQ, mutant = false): CaseSpec => ({
      key,
      ...(mutant ? { mutant: true } : {}),
      comment,
      flags,
      inputs: { public_key: pub, message_b64: toB64(m), signature_b64: toB64(s) },
      result: valid ? 'valid' : 'invalid',
      expected: { valid },
      requirements: reqs,
    });
    const descSig = fromB64(sigs.get('ed25519-1-description')!);
    const verify: CaseSpec[] = [
      ver('verify-go-auth-key-test', 'the auth_key_test.go signature verifies over the ASCII hex of hash.New(key string)', ['GoKnownAnswer'], F.GO_ED25519_1.publicKey, msg, katSig, true, [...REQ, 'BM-AUTHKEY-002']),
      ver('verify-go-header-003', 'the header-003.json authorized_by signature verifies with key-3 over the same 64 characters', ['GoKnownAnswer'], F.GO_KEY_3.publicKey, msg, sig003, true),
      ver('verify-description', 'an authorization of a described key verifies over the hash of the string with its description', ['Generated', 'Description'], F.GO_ED25519_1.publicKey, signedBytes(`${ed2} my phone`), descSig, true),
      ver('verify-raw-digest-signed', 'signature over the raw 32-byte digest, checked against the 64 hex characters', ['HexNotDigest'], F.GO_ED25519_1.publicKey, msg, rawDigestSig, false, REQ, true),
      ver('verify-checked-against-raw-digest', 'the Go signature checked against the raw 32-byte digest instead of its hex', ['HexNotDigest'], F.GO_ED25519_1.publicKey, sha256bytes(ed2), katSig, false, REQ, true),
      ver('verify-rsa-checked-against-raw-digest', 'the header-003 RSA signature checked against the raw digest', ['HexNotDigest'], F.GO_KEY_3.publicKey, sha256bytes(ed2), sig003, false, REQ, true),
      ver('verify-description-dropped', 'the signature of the key without description checked for the described key', ['Description', 'WrongText'], F.GO_ED25519_1.publicKey, signedBytes(`${ed2} my phone`), noDescSig, false, REQ, true),
      ver('verify-description-added', 'the signature of the described key checked for the key without description', ['Description', 'WrongText'], F.GO_ED25519_1.publicKey, msg, descSig, false, REQ, true),
      ver('verify-b64-only', 'signature over the hash of the base64 text only (no type word)', ['WrongText'], F.GO_ED25519_1.publicKey, msg, b64OnlySig, false, REQ, true),
      ver('verify-upper-case-hex', 'the Go signature checked against the upper-case hex of the digest', ['WrongText'], F.GO_ED25519_1.publicKey, utf8(sha256hex(ed2).toUpperCase()), katSig, false, REQ, true),
      ver('verify-flip-first', 'the Go signature with bit 0x80 of byte 0 flipped', ['BitFlip'], F.GO_ED25519_1.publicKey, msg, flip(katSig, 0, 0x80), false, [...REQ, 'BM-KEY-020'], true),
      ver('verify-flip-last', 'the header-003 signature with its last bit flipped', ['BitFlip'], F.GO_KEY_3.publicKey, msg, flip(sig003, -1, 0x01), false, [...REQ, 'BM-KEY-020'], true),
      ver('verify-self-signed', 'the authorized key signing itself, checked with the origin key', ['WrongSigner'], F.GO_ED25519_1.publicKey, msg, selfSig, false, REQ, true),
      ver('verify-wrong-origin', 'the Go signature checked with another origin key (key-ed25519-3)', ['WrongSigner'], F.GO_ED25519_3.publicKey, msg, katSig, false, REQ, true),
    ];
    const groups: GroupSpec[] = [
      { op: 'authorization.sign', comment: 'auth_key_test.go known answer', source: { kind: 'imported', ...GO_SUITE, path: 'internal/key/auth_key_test.go' }, cases: kat },
      { op: 'authorization.sign', comment: 'testdata/header-003.json authorized_by', source: goTestdataSource('header-003.json', [HEADER_003_SIG]), cases: kat003 },
      { op: 'authorization.sign', comment: 'generated authorizations', source: { kind: 'generated' }, cases: gen },
      { op: 'authorization.sign', comment: 'arguments that are not keys of the right kind', source: { kind: 'generated' }, cases: bad },
      { op: 'verify', comment: 'header-independent check of the signed bytes (ASCII hex of hash.New(key string))', source: { kind: 'derived' }, cases: verify },
    ];
    return groups;
  },
};
