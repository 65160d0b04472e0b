/**
 * vectors/header_signature_test.json: client and server signatures on a message header and the
 * on-behalf (authorized_by) chain (spec/formats.md §4.4; Go internal/message/signature.go:36-198,
 * internal/key/auth_key.go:54-64).
 *
 * - Imported: the signature_test.go known answers (header-001 client signature with key-3,
 *   header-002 server signature with key-1, the server-type signature "Dpgm8T…" with
 *   key-ed25519-3, the header-003 on-behalf chain) and the Go test's negative cases.
 * - Generated: signing and verifying with every key type (rsa 2048 PKCS#8, rsa 1024 PKCS#1,
 *   rsa4096, ed25519, ecdsa P-384 seeded), then mutants: every hashed header field changed after
 *   signing, signatures flipped / truncated / extended / empty / not base64 / stripped, signed_by
 *   switched, the authorized_by chain broken at each link, and the server signature's coverage.
 *
 * `header.verify_client` takes the key the resolver holds for from.address (the account key; the
 * routing key when signed_by is server); `header.verify_server` the sending server's routing key.
 * Verify ops answer `{"valid": false}` for a bad signature; where a mutant makes the header leave
 * header_schema_v1.json (a signature that is not base64, a non-hash address) an implementation may
 * instead refuse to parse it (InvalidInput is also allowed).
 * @module
 */
import type { CaseSpec, GenContext, GroupSpec, VectorFileSpec } from './_framework.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import {
  GO_ED25519_1, GO_ED25519_2, GO_ED25519_3, GO_ED25519_4, GO_KEY_1, GO_KEY_2, GO_KEY_3, GO_KEY_4, GO_KEY_5,
  GO_PRIVKEY_ECDSA, GO_PRIVKEY_RSA_1024, ALICE_ECDSA, RSA4096_FIXTURE, type KeyPairText,
} from '../../harness/protocol/fixtures.ts';
import { fromB64, toB64, utf8 } from '../../harness/protocol/bytes.ts';
import { parsePrivateKey } from '../../harness/protocol/keys.ts';
import { parseEcdsaSignature, sign } from '../../harness/protocol/signature.ts';
import { TAG_INTEGER, TAG_SEQUENCE, integerContent, tlv } from '../../harness/protocol/der.ts';
import { GO_SUITE, clone, flipB64, flipHex, goHeader, goHeaderSource, setAt, sha256hex } from './_msgfamily.ts';
import { createHash, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { clientHash, headerJson, parseHeader, serverHash } from '../../harness/protocol/header.ts';
import { parseJsonLossless } from '../../harness/protocol/gojson.ts';

type H = Record<string, JsonValue>;

const A1 = '000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc';
const T1 = '000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350';
const A2 = '111100000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc';
const T2 = '111100000000000000000000000097026f0daeaec1aeb8351b096637679cf350';
const CHECKSUM = { ripemd160: 'cc83e77af0fae70c3b655f36f110ec4d2eebaf1c', sha256: '79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a' };

/** signature_test.go:37 — header-001 signed with key-3. */
const KAT_CLIENT_001 =
  'YbV7YXt9yRxPmsyEjqTciQXO6X+Kwib+WeysG/e5AV+zD68bSrA1z25SqXcDz7/vsXANWFyhEUyqCiiTgpPX6IeJWfaagyjoLs8qPIMb9MtPDUtWNc115g/nNHzSeS7vxNAXW77bMbltMTCphj0uJNXxx7mrh1iZh3Bx6VQ0Gdk1Kl4o6iC0MOYT8hwEyDQBYsexrIxciqEq1bFeEzsJOszD6H9ff62HarMTiY3dBci3ofDuuGdyP9g+sk4RqtpDv2+htnNPi4Rat7X4pBWDzEltjrfEYjkgi1/+tRERYfCr0JFzfDyf4XKXJOJBQSuxiy7plsRcHHTg1BGGzCD2sg==';
/** signature_test.go:36 — header-002 signed with key-1 (server). */
const KAT_SERVER_002 =
  'cR2RjqQSxCw08G0nsAoa/8DQdjmZzTUtP0Qh41zs//DqHdeW4KoONq9gsHZE6cJVGaOj54EM43JondFX1HOfhK1fpeaS/kZE8dHF3K05n077T59+0gi4/Uz+hlMj2AmaOQ/uwjwSl29AHekMUxVHjzsMQhT1+SC27Q4wZT+GiYFGliIVEkVEsPYQmhGVBarHdwM0U5JuzDROdAJg8nnisw+oqCyTUjdv7TC2P7yib5n18xxQlqEIV3l9J2FBYXneMfFrml7QsvRigpz6GFvgjs4xOH7c7VHKkAHNhoOT9Oxf87DcwjcIdboQr7oe0YHaRMeCMTzfvf2xXNtZ6H93Kw==';
/** signature_test.go:161-199 — header-001 as signed_by server from routing ID 12345678, key-ed25519-3. */
const KAT_SERVER_TYPE = 'Dpgm8TJzjmGmkWLDDjkj2Ibh0VdWt3Rx3ap2Xq0P2jz9m17PmkJyAwb1AuzNxjCDHCMguoCL0uhYajlb3NM+Bg==';
/** header-003 signatures.client, = Sign(key-ed25519-2, client hash) (§13.2). */
const KAT_CLIENT_003 = 'hviVRC4zb+RK7f1iHc8Cu/acH1QyI4uIrjqm4OukfGb/z3zFSvLS2G0bDmkBt1kPiSZYTgR33zZRC/kIV1YGAw==';

const R = {
  clientSig: 'BM-SIG-005',
  serverSig: 'BM-SIG-006',
  authSig: 'BM-SIG-007',
  badB64: 'BM-SIG-008',
  origin: 'BM-SIG-009',
  serverType: 'BM-SIG-010',
  authorized: 'BM-SIG-011',
  authBroken: 'BM-SIG-012',
  serverVerify: 'BM-SIG-013',
  serverSkip: 'BM-SIG-014',
  kats: 'BM-SIG-015',
  clientHash: 'BM-SIG-001',
  serverHash: 'BM-SIG-003',
  notHashed: 'BM-SIG-004',
  signedByOther: 'BM-HDR-003',
} as const;

type Verdict = 'valid' | 'invalid' | 'acceptable';
interface V {
  key: string;
  comment: string;
  op: 'header.verify_client' | 'header.verify_server';
  header: H;
  pub: string;
  valid: boolean;
  flags: string[];
  reqs: string[];
  /** The header leaves header_schema_v1.json: an implementation may refuse to parse it. */
  unparseable?: boolean;
  result?: Verdict;
  mutant?: boolean;
}
function verifyCase(v: V): CaseSpec {
  const result: Verdict = v.result ?? (v.valid ? 'valid' : 'invalid');
  return {
    key: v.key,
    comment: v.comment,
    op: v.op,
    flags: v.flags,
    inputs: { header: v.header, public_key: v.pub },
    result,
    expected: { valid: v.valid },
    ...(result === 'invalid' && v.unparseable ? { alsoAllowedErrorClasses: ['InvalidInput'] } : {}),
    requirements: v.reqs,
    ...(v.mutant ? { mutant: true } : {}),
  };
}

/** A signed header as Go writes it after decoding header-00N (txid "" dropped, signed_by written). */
function goShape(from: string, to: string, signedBy: string, sigs: { server?: string; client?: string }, extra: H = {}): H {
  return {
    from: { address: from, signed_by: signedBy },
    to: { address: to },
    catalog: { size: 983, checksum: CHECKSUM, encrypted_key: 'Zm9vYmFy' },
    ...extra,
    signatures: { server: sigs.server ?? '', client: sigs.client ?? '' },
  };
}

// ---------------------------------------------------------------------------------------------
// Imported known answers and the Go test's own negative cases

function importedGroups(): GroupSpec[] {
  const h1 = goHeader('header-001.json');
  const h1signed = goShape(A1, T1, '', { client: KAT_CLIENT_001 });
  const serverType = setAt(setAt(h1, 'from.address', '12345678'), 'from.signed_by', 'server');
  const serverTypeSigned = goShape('12345678', T1, 'server', { client: KAT_SERVER_TYPE });
  const h2 = goHeader('header-002.json');
  const h2signed = goShape(A2, T2, '', { server: KAT_SERVER_002 });
  const h3 = goHeader('header-003.json');
  const h3unsigned = setAt(h3, 'signatures.client', '');
  const h3Auth = (h3.authorized_by as H);
  const h3expected = goShape(A1, T1, 'authorized', { client: KAT_CLIENT_003, server: (h3.signatures as H).server as string }, { authorized_by: { public_key: h3Auth.public_key!, signature: h3Auth.signature! } });
  const k3 = GO_KEY_3.publicKey;
  const C = 'header.verify_client' as const;
  const S = 'header.verify_server' as const;
  const go = ['GoKnownAnswer'];
  return [
    {
      op: 'header.sign_client', comment: 'header-001: client signature with key-3 (signature_test.go:37) and its negative cases', source: goHeaderSource('header-001.json'),
      cases: [
        { key: 'go-sign-client-001', comment: 'SignClientHeader(header-001, key-3) = expectedClientSignature', flags: go, inputs: { header: h1, private_key: GO_KEY_3.privateKey }, result: 'valid', expected: { header: h1signed }, requirements: [R.clientSig, R.kats] },
        verifyCase({ key: 'go-verify-client-001', comment: 'header-001 with expectedClientSignature verifies with key-3', op: C, header: h1signed, pub: k3, valid: true, flags: go, reqs: [R.origin, R.kats] }),
        verifyCase({ key: 'go-verify-client-001-wrong-key', comment: 'header-001 client signature does not verify with key-2 (another account key)', op: C, header: h1signed, pub: GO_KEY_2.publicKey, valid: false, flags: ['WrongKey'], reqs: [R.origin] }),
        verifyCase({ key: 'go-client-sig-A', comment: 'client signature "A" (not base64) → false (signature_test.go)', op: C, header: setAt(h1signed, 'signatures.client', 'A'), pub: k3, valid: false, flags: ['GoKnownAnswer', 'SignatureEncoding'], reqs: [R.badB64], unparseable: true }),
        verifyCase({ key: 'go-client-sig-empty', comment: 'empty client signature → false (signature_test.go)', op: C, header: setAt(h1signed, 'signatures.client', ''), pub: k3, valid: false, flags: ['GoKnownAnswer', 'SignatureStripped'], reqs: [R.badB64] }),
        verifyCase({ key: 'go-client-sig-foobar', comment: 'client signature "Zm9vYmFy" (base64 of foobar) → false (signature_test.go)', op: C, header: setAt(h1signed, 'signatures.client', 'Zm9vYmFy'), pub: k3, valid: false, flags: ['GoKnownAnswer', 'SignatureTruncated'], reqs: [R.origin] }),
        { key: 'go-sign-client-server-type', op: 'header.sign_client', comment: 'header-001 as signed_by server from routing ID 12345678, signed with key-ed25519-3 (signature_test.go:161-199)', flags: ['GoKnownAnswer'], inputs: { header: serverType, private_key: GO_ED25519_3.privateKey }, result: 'valid', expected: { header: serverTypeSigned }, requirements: [R.clientSig, R.serverType, R.kats] },
        verifyCase({ key: 'go-verify-client-server-type', comment: 'the server-type signature verifies with the routing key (key-ed25519-3)', op: C, header: serverTypeSigned, pub: GO_ED25519_3.publicKey, valid: true, flags: ['GoKnownAnswer'], reqs: [R.serverType, R.kats] }),
        verifyCase({ key: 'go-server-type-routing-44444444', comment: 'routing ID changed to 44444444: the client hash changes → false', op: C, header: setAt(serverTypeSigned, 'from.address', '44444444'), pub: GO_ED25519_3.publicKey, valid: false, flags: ['GoKnownAnswer', 'FieldChanged'], reqs: [R.serverType] }),
        verifyCase({ key: 'go-server-type-empty-sig', comment: 'server-type header with an empty client signature → false', op: C, header: setAt(serverTypeSigned, 'signatures.client', ''), pub: GO_ED25519_3.publicKey, valid: false, flags: ['GoKnownAnswer', 'SignatureStripped'], reqs: [R.serverType, R.badB64] }),
        verifyCase({ key: 'go-server-type-empty-from', comment: 'server-type header with an empty from.address → false', op: C, header: setAt(serverTypeSigned, 'from.address', ''), pub: GO_ED25519_3.publicKey, valid: false, flags: ['GoKnownAnswer', 'FieldChanged'], reqs: [R.serverType], unparseable: true }),
        verifyCase({ key: 'go-server-type-address-from', comment: 'server-type signature on a header whose from.address is an account hash, not the routing ID → false', op: C, header: setAt(serverTypeSigned, 'from.address', A1), pub: GO_ED25519_3.publicKey, valid: false, flags: ['GoKnownAnswer', 'FieldChanged'], reqs: [R.serverType] }),
      ],
    },
    {
      op: 'header.sign_server', comment: 'header-002: server signature with key-1 (signature_test.go:36) and its negative cases', source: goHeaderSource('header-002.json'),
      cases: [
        { key: 'go-sign-server-002', comment: 'SignServerHeader(header-002, key-1) = expectedServerSignature', flags: go, inputs: { header: h2, private_key: GO_KEY_1.privateKey }, result: 'valid', expected: { header: h2signed }, requirements: [R.serverSig, R.kats] },
        verifyCase({ key: 'go-verify-server-002', comment: 'header-002 with expectedServerSignature verifies with routing key key-1', op: S, header: h2signed, pub: GO_KEY_1.publicKey, valid: true, flags: go, reqs: [R.serverVerify, R.kats] }),
        verifyCase({ key: 'go-server-sig-A', comment: 'server signature "A" (not base64) → false', op: S, header: setAt(h2signed, 'signatures.server', 'A'), pub: GO_KEY_1.publicKey, valid: false, flags: ['GoKnownAnswer', 'SignatureEncoding'], reqs: [R.serverVerify], unparseable: true }),
        verifyCase({ key: 'go-server-sig-empty', comment: 'empty server signature → false (signed_by origin: the check that only signed_by server skips, see go-server-signed-by-server-empty)', op: S, header: setAt(h2signed, 'signatures.server', ''), pub: GO_KEY_1.publicKey, valid: false, flags: ['GoKnownAnswer', 'SignatureStripped'], reqs: [R.serverVerify, R.serverSkip] }),
        verifyCase({ key: 'go-server-sig-foobar', comment: 'server signature "Zm9vYmFy" → false (signed_by origin: the check that only signed_by server skips, see go-server-signed-by-server-garbage)', op: S, header: setAt(h2signed, 'signatures.server', 'Zm9vYmFy'), pub: GO_KEY_1.publicKey, valid: false, flags: ['GoKnownAnswer', 'SignatureTruncated'], reqs: [R.serverVerify, R.serverSkip] }),
        verifyCase({ key: 'go-server-sig-wrong-routing-key', comment: 'header-002 server signature does not verify with key-2', op: S, header: h2signed, pub: GO_KEY_2.publicKey, valid: false, flags: ['WrongKey'], reqs: [R.serverVerify] }),
        verifyCase({ key: 'go-server-signed-by-server-garbage', comment: 'signed_by server with server signature "Zm9vYmFy": Go accepts without any check (signature_test.go)', op: S, header: setAt(setAt(h2signed, 'from.signed_by', 'server'), 'signatures.server', 'Zm9vYmFy'), pub: GO_KEY_1.publicKey, valid: true, flags: ['GoKnownAnswer', 'ServerSignatureNotChecked'], reqs: [R.serverSkip] }),
        verifyCase({ key: 'go-server-signed-by-server-empty', comment: 'signed_by server with an empty server signature: accepted without a check', op: S, header: setAt(h2signed, 'from.signed_by', 'server'), pub: GO_KEY_1.publicKey, valid: true, flags: ['ServerSignatureNotChecked'], reqs: [R.serverSkip] }),
        verifyCase({ key: 'go-server-signed-by-server-not-b64', comment: 'signed_by server with server signature "A" (not base64): Go accepts without decoding it', op: S, header: setAt(setAt(h2signed, 'from.signed_by', 'server'), 'signatures.server', 'A'), pub: GO_KEY_1.publicKey, valid: true, flags: ['ServerSignatureNotChecked', 'OutsideSchema'], reqs: [R.serverSkip], result: 'acceptable' }),
      ],
    },
    {
      op: 'header.verify_client', comment: 'header-003: the on-behalf chain (signature_test.go:201-233)', source: goHeaderSource('header-003.json'),
      cases: [
        verifyCase({ key: 'go-verify-onbehalf-003', comment: 'header-003: authorized_by.signature verifies with key-3 and the client signature with the authorized key-ed25519-2', op: C, header: h3, pub: k3, valid: true, flags: go, reqs: [R.authorized, R.authSig, R.kats] }),
        { key: 'go-sign-client-003', op: 'header.sign_client', comment: 'SignClientHeader(header-003 without its client signature, key-ed25519-2) = the file\'s signatures.client (§13.2)', flags: ['Derived'], inputs: { header: h3unsigned, private_key: GO_ED25519_2.privateKey }, result: 'valid', expected: { header: h3expected }, requirements: [R.clientSig, R.kats] },
        verifyCase({ key: 'go-onbehalf-auth-sig-foobar-b64', comment: 'authorized_by.signature "Zm9vYmFy" → false (signature_test.go)', op: C, header: setAt(h3, 'authorized_by.signature', 'Zm9vYmFy'), pub: k3, valid: false, flags: ['GoKnownAnswer', 'AuthorizationBroken'], reqs: [R.authBroken] }),
        verifyCase({ key: 'go-onbehalf-auth-sig-foobar', comment: 'authorized_by.signature "foobar" (not base64) → false (signature_test.go)', op: C, header: setAt(h3, 'authorized_by.signature', 'foobar'), pub: k3, valid: false, flags: ['GoKnownAnswer', 'AuthorizationBroken', 'SignatureEncoding'], reqs: [R.authBroken], unparseable: true }),
        verifyCase({ key: 'go-onbehalf-no-authorized-by', comment: 'header-003 with authorized_by removed → false (signature_test.go)', op: C, header: setAt(h3, 'authorized_by', undefined), pub: k3, valid: false, flags: ['GoKnownAnswer', 'AuthorizationBroken'], reqs: [R.authBroken] }),
        verifyCase({ key: 'go-onbehalf-authorized-key-as-resolver-key', comment: 'verifying header-003 with the authorized key itself as the account key → false (the chain must start at the account key)', op: C, header: h3, pub: GO_ED25519_2.publicKey, valid: false, flags: ['AuthorizationBroken', 'WrongKey'], reqs: [R.authorized] }),
      ],
    },
    {
      op: 'header.verify_client', comment: 'header-004: header-003 without authorized_by', source: goHeaderSource('header-004.json'),
      cases: [verifyCase({ key: 'go-verify-onbehalf-004', comment: 'header-004 (signed_by authorized, no authorized_by) → false', op: C, header: goHeader('header-004.json'), pub: k3, valid: false, flags: ['GoKnownAnswer', 'AuthorizationBroken'], reqs: [R.authBroken] })],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Generated

interface Signer {
  name: string;
  pair: KeyPairText;
  /** Another key of the same type (wrong-key cases). */
  other: KeyPairText;
}
const SIGNERS: Signer[] = [
  { name: 'rsa', pair: GO_KEY_4, other: GO_KEY_5 },
  { name: 'rsa1024-pkcs1', pair: GO_PRIVKEY_RSA_1024, other: GO_KEY_5 },
  { name: 'rsa4096', pair: RSA4096_FIXTURE, other: GO_KEY_5 },
  { name: 'ed25519', pair: GO_ED25519_1, other: GO_ED25519_4 },
  { name: 'ecdsa', pair: GO_PRIVKEY_ECDSA, other: ALICE_ECDSA },
];

/** An unsigned header addressed to `recipient` with a real encrypted catalog key section. */
async function baseHeader(ctx: GenContext, label: string, sender: string, recipient: string, recipientPub: string): Promise<H> {
  const from = (await ctx.must('address.hash', { address: sender })).hash as string;
  const to = (await ctx.must('address.hash', { address: recipient })).hash as string;
  const fp = (await ctx.must('key.parse', { key: recipientPub })).fingerprint as string;
  const blob = ctx.rng.bytes(400 + (ctx.rng.bytes(1)[0]! % 200));
  const enc = await ctx.must('secret.encrypt', { public_key: recipientPub, secret_b64: toB64(ctx.rng.bytes(32)) }, { seed: ctx.caseSeed(`${label}-secret`) });
  const catalog: H = {
    size: blob.length,
    checksum: { ripemd160: createHash('ripemd160').update(blob).digest('hex'), sha256: sha256hex(blob) },
    crypto: enc.crypto as string,
    ...(enc.txid ? { txid: enc.txid as string } : {}),
    encrypted_key: enc.ciphertext_b64 as string,
  };
  return { from: { address: from, signed_by: 'origin' }, to: { address: to, fingerprint: fp }, catalog, signatures: { server: '', client: '' } };
}

/**
 * A signed copy of `header`. RSA and Ed25519 signatures are deterministic, so they are made here
 * with node:crypto over the reference's hash (fast; the frame then checks every case against the
 * reference anyway); ecdsa goes through the reference with the seed.
 */
async function signWith(ctx: GenContext, op: 'header.sign_client' | 'header.sign_server', header: H, priv: string, seed: string): Promise<H> {
  const [type, b64] = priv.split(' ') as [string, string];
  if (type === 'ecdsa') return (await ctx.must(op, { header, private_key: priv }, { seed })).header as H;
  const der = Buffer.from(b64, 'base64');
  let key;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  }
  const h = parseHeader(header);
  const digest = op === 'header.sign_client' ? clientHash(h) : serverHash(h);
  const sig = toB64(nodeSign(type === 'ed25519' ? null : 'sha256', digest, key));
  const signed = { ...h, signatures: { ...h.signatures, [op === 'header.sign_client' ? 'client' : 'server']: sig } };
  return parseJsonLossless(headerJson(signed)) as H;
}

/** The ECDSA signature with s replaced by n − s (Go's ecdsa.Verify accepts both). */
function ecdsaHighS(sigB64: string): string {
  const N384 = 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n;
  const { r, s } = parseEcdsaSignature(fromB64(sigB64));
  return toB64(tlv(TAG_SEQUENCE, tlv(TAG_INTEGER, integerContent(r)), tlv(TAG_INTEGER, integerContent(N384 - s))));
}
/** The Ed25519 signature with S replaced by S + ℓ (Go requires S < ℓ). */
function ed25519SPlusL(sigB64: string): string {
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  const b = fromB64(sigB64);
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(b[i]!);
  s += L;
  for (let i = 32; i < 64; i++) {
    b[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return toB64(b);
}

async function perKeyType(ctx: GenContext, compact: H, rsaBase: H): Promise<GroupSpec> {
  const cases: CaseSpec[] = [];
  for (const s of SIGNERS) {
    const base = s.name === 'rsa' ? rsaBase : compact;
    const recipient = base === compact ? 'a test' : 'an RSA';
    const seedC = ctx.caseSeed(`sign-client-${s.name}`);
    const seedS = ctx.caseSeed(`sign-server-${s.name}`);
    const deterministic = s.name !== 'ecdsa';
    cases.push({ key: `sign-client-${s.name}`, op: 'header.sign_client', comment: `client signature with a ${s.name} sender key over the client hash (header to ${recipient} recipient)`, flags: deterministic ? [] : ['SeededEcdsa'], inputs: { header: base, private_key: s.pair.privateKey }, ...(deterministic ? {} : { seed: seedC }), result: 'valid', requirements: [R.clientSig] });
    const signed = await signWith(ctx, 'header.sign_client', base, s.pair.privateKey, seedC);
    cases.push(verifyCase({ key: `verify-client-${s.name}`, comment: `${s.name} client signature verifies with the sender's public key`, op: 'header.verify_client', header: signed, pub: s.pair.publicKey, valid: true, flags: [], reqs: [R.origin] }));
    if (s.name === 'rsa' || s.name === 'ecdsa') cases.push(verifyCase({ key: `verify-client-${s.name}-other-key`, comment: `${s.name} client signature does not verify with another ${s.name === 'ecdsa' ? 'ecdsa' : s.name.startsWith('rsa') ? 'RSA' : 'ed25519'} key`, op: 'header.verify_client', header: signed, pub: s.other.publicKey, valid: false, flags: ['WrongKey'], reqs: [R.origin], mutant: true }));
    if (s.name === 'rsa1024-pkcs1' || s.name === 'rsa4096') continue; // routing keys are rsa (2048), ed25519 or ecdsa in practice; keeps the file short
    cases.push({ key: `sign-server-${s.name}`, op: 'header.sign_server', comment: `server signature with a ${s.name} routing key over the server hash of a client-signed header`, flags: deterministic ? [] : ['SeededEcdsa'], inputs: { header: signed, private_key: s.pair.privateKey }, ...(deterministic ? {} : { seed: seedS }), result: 'valid', requirements: [R.serverSig] });
    const both = await signWith(ctx, 'header.sign_server', signed, s.pair.privateKey, seedS);
    if (deterministic && s.name !== 'ed25519') continue; // the exact sign_server bytes already pin the deterministic types
    cases.push(verifyCase({ key: `verify-server-${s.name}`, comment: `${s.name} server signature verifies with the routing key`, op: 'header.verify_server', header: both, pub: s.pair.publicKey, valid: true, flags: [], reqs: [R.serverVerify] }));
    if (s.name === 'ecdsa') {
      const sig = (signed.signatures as H).client as string;
      cases.push(verifyCase({ key: 'ecdsa-trailing-byte', comment: 'ECDSA client signature with a zero byte appended after the DER SEQUENCE: Go (asn1.Unmarshal, rest ignored, key_ecdsa.go Verify) accepts it', op: 'header.verify_client', header: setAt(signed, 'signatures.client', toB64(Uint8Array.from([...fromB64(sig), 0]))), pub: s.pair.publicKey, valid: true, flags: ['SignatureMalleability'], reqs: [R.origin] }));
      cases.push(verifyCase({ key: 'ecdsa-high-s', comment: 'ECDSA client signature with s replaced by n − s: Go (crypto/ecdsa) accepts both, so must an implementation (about half of Go\'s signatures are high-S)', op: 'header.verify_client', header: setAt(signed, 'signatures.client', ecdsaHighS(sig)), pub: s.pair.publicKey, valid: true, flags: ['SignatureMalleability'], reqs: [R.origin] }));
    }
    if (s.name === 'ed25519') {
      const sig = (signed.signatures as H).client as string;
      cases.push(verifyCase({ key: 'ed25519-s-plus-l', comment: 'Ed25519 client signature with S replaced by S + ℓ: Go requires S < ℓ → false', op: 'header.verify_client', header: setAt(signed, 'signatures.client', ed25519SPlusL(sig)), pub: s.pair.publicKey, valid: false, flags: ['SignatureMalleability'], reqs: [R.origin], mutant: true }));
    }
  }
  // signed_by values other than the three constants select the account key, like origin (HDR-003).
  const odd = setAt(compact, 'from.signed_by', 'postmaster');
  const oddSigned = await signWith(ctx, 'header.sign_client', odd, GO_ED25519_1.privateKey, ctx.caseSeed('odd'));
  cases.push(verifyCase({ key: 'signed-by-unknown-value', comment: 'signed_by "postmaster" (not a SignedByType): the account key is used, as for origin → true', op: 'header.verify_client', header: oddSigned, pub: GO_ED25519_1.publicKey, valid: true, flags: ['OutsideSchema'], reqs: [R.signedByOther, R.origin], result: 'acceptable' }));
  const empty = setAt(compact, 'from.signed_by', '');
  const emptySigned = await signWith(ctx, 'header.sign_client', empty, GO_ED25519_1.privateKey, ctx.caseSeed('empty'));
  cases.push(verifyCase({ key: 'signed-by-empty', comment: 'signed_by "" (unset): the account key is used → true', op: 'header.verify_client', header: emptySigned, pub: GO_ED25519_1.publicKey, valid: true, flags: [], reqs: [R.origin] }));
  // Re-signing replaces the signature and gives the same bytes (signatures are not hashed).
  const resigned = setAt(emptySigned, 'signatures.client', toB64(ctx.rng.bytes(64)));
  cases.push({ key: 'resign-replaces-signature', op: 'header.sign_client', comment: 'signing a header that already carries a (wrong) client signature replaces it; the signature is not part of the hash', flags: ['SignaturesNotHashed'], inputs: { header: resigned, private_key: GO_ED25519_1.privateKey }, result: 'valid', expected: { header: emptySigned }, requirements: [R.clientSig, R.notHashed] });
  return { op: 'header.sign_client', comment: 'signing and verifying with every key type (rsa 2048 PKCS#8, rsa 1024 PKCS#1, rsa4096, ed25519, ecdsa P-384 with a seed)', source: { kind: 'generated' }, cases };
}

/** Every hashed field of a client-signed header changed after signing → false. */
function clientMutants(signed: H, pub: string, label: string, otherPub: string, otherSigned: H, rsa: boolean): CaseSpec[] {
  const C = 'header.verify_client' as const;
  const cat = signed.catalog as H;
  const sig = (signed.signatures as H).client as string;
  const raw = fromB64(sig);
  const m = (key: string, comment: string, header: H, flags: string[], reqs: string[] = [R.origin, R.clientHash], unparseable = false) =>
    verifyCase({ key: `${label}-${key}`, comment: `${label}: ${comment}`, op: C, header, pub, valid: false, flags, reqs, unparseable, mutant: true });
  const out: CaseSpec[] = [
    m('from-address', 'from.address changed after signing', setAt(signed, 'from.address', flipHex((signed.from as H).address as string, 5)), ['FieldChanged']),
    m('signed-by-origin-to-empty', 'signed_by "origin" → "" after signing (same key selected, but signed_by is hashed)', setAt(signed, 'from.signed_by', ''), ['FieldChanged', 'SignedBySwitched']),
    m('to-address', 'to.address changed (message redirected to another recipient)', setAt(signed, 'to.address', flipHex((signed.to as H).address as string, 63)), ['FieldChanged']),
    m('to-fingerprint', 'to.fingerprint changed', setAt(signed, 'to.fingerprint', flipHex((signed.to as H).fingerprint as string, 0)), ['FieldChanged']),
    m('to-fingerprint-removed', 'to.fingerprint removed (omitempty: the preimage loses the key)', setAt(signed, 'to.fingerprint', undefined), ['FieldChanged']),
    m('catalog-size', 'catalog.size + 1', setAt(signed, 'catalog.size', (cat.size as number) + 1), ['FieldChanged']),
    m('catalog-size-zero', 'catalog.size set to 0', setAt(signed, 'catalog.size', 0), ['FieldChanged']),
    m('checksum-sha256', 'catalog.checksum.sha256 changed (catalog swapped)', setAt(signed, 'catalog.checksum.sha256', flipHex((cat.checksum as H).sha256 as string, 10)), ['FieldChanged']),
    m('checksum-ripemd160', 'catalog.checksum.ripemd160 changed', setAt(signed, 'catalog.checksum.ripemd160', flipHex((cat.checksum as H).ripemd160 as string, 39)), ['FieldChanged']),
    m('checksum-null', 'catalog.checksum set to null', setAt(signed, 'catalog.checksum', null), ['FieldChanged']),
    m('checksum-added-key', 'an extra checksum entry added', setAt(signed, 'catalog.checksum.md5', 'd41d8cd98f00b204e9800998ecf8427e'), ['FieldChanged'], [R.origin, R.clientHash], true),
    m('crypto-removed', 'catalog.crypto removed (downgrade to the legacy decryption path)', setAt(signed, 'catalog.crypto', undefined), ['FieldChanged', 'Downgrade']),
    m('crypto-changed', `catalog.crypto changed to ${rsa ? '"rsa" (PKCS#1 v1.5)' : '"rsa/oaep"'}`, setAt(signed, 'catalog.crypto', rsa ? 'rsa' : 'rsa/oaep'), ['FieldChanged', 'Downgrade']),
    m('encrypted-key-bit', 'one bit of catalog.encrypted_key flipped', setAt(signed, 'catalog.encrypted_key', flipB64(cat.encrypted_key as string, 2)), ['FieldChanged']),
    m('encrypted-key-null', 'catalog.encrypted_key set to null', setAt(signed, 'catalog.encrypted_key', null), ['FieldChanged']),
  ];
  if (typeof cat.txid === 'string') {
    out.push(
      m('txid', 'one hex digit of catalog.txid changed', setAt(signed, 'catalog.txid', flipHex(cat.txid as string, 64)), ['FieldChanged']),
      m('txid-removed', 'catalog.txid removed', setAt(signed, 'catalog.txid', undefined), ['FieldChanged']),
    );
  }
  // The signature itself.
  const trunc = toB64(raw.subarray(0, raw.length - 1));
  const ext = toB64(Uint8Array.from([...raw, 0]));
  out.push(
    m('sig-bit-first', 'first byte of the client signature flipped', setAt(signed, 'signatures.client', flipB64(sig, 0)), ['SignatureBitFlip'], [R.origin, R.clientSig]),
    m('sig-bit-middle', 'a middle byte of the client signature flipped', setAt(signed, 'signatures.client', flipB64(sig, raw.length >> 1, 0x80)), ['SignatureBitFlip'], [R.origin, R.clientSig]),
    m('sig-bit-last', 'last byte of the client signature flipped', setAt(signed, 'signatures.client', flipB64(sig, -1)), ['SignatureBitFlip'], [R.origin, R.clientSig]),
    m('sig-truncated', 'client signature missing its last byte', setAt(signed, 'signatures.client', trunc), ['SignatureTruncated'], [R.origin, R.clientSig]),
    m('sig-extended', 'client signature with a zero byte appended', setAt(signed, 'signatures.client', ext), ['SignatureTruncated'], [R.origin, R.clientSig]),
    m('sig-empty', 'client signature stripped ("")', setAt(signed, 'signatures.client', ''), ['SignatureStripped'], [R.badB64]),
    m('sig-object-removed', 'the whole signatures object removed', setAt(signed, 'signatures', undefined), ['SignatureStripped'], [R.badB64]),
    m('sig-not-base64', 'client signature with a character outside the base64 alphabet', setAt(signed, 'signatures.client', '!' + sig.slice(1)), ['SignatureEncoding'], [R.badB64], true),
    m('sig-unpadded', 'client signature without its = padding (Go StdEncoding requires it)', setAt(signed, 'signatures.client', sig.replace(/=+$/, '')), ['SignatureEncoding'], [R.badB64], true),
    m('sig-of-other-header', 'a valid signature by the same key over another header', setAt(signed, 'signatures.client', (otherSigned.signatures as H).client!), ['SignatureSwapped'], [R.origin, R.clientSig]),
    m('sig-in-server-field', 'client signature moved to signatures.server, client empty', setAt(setAt(signed, 'signatures.server', sig), 'signatures.client', ''), ['SignatureStripped'], [R.badB64]),
    m('signed-by-to-server', 'signed_by switched origin → server (the routing-key path) and verified with the same key', setAt(signed, 'from.signed_by', 'server'), ['SignedBySwitched'], [R.serverType, R.clientHash]),
    m('signed-by-to-authorized', 'signed_by switched origin → authorized without authorized_by', setAt(signed, 'from.signed_by', 'authorized'), ['SignedBySwitched', 'AuthorizationBroken'], [R.authBroken]),
  );
  out.push(verifyCase({ key: `${label}-other-type-key`, comment: `${label}: verified with a key of another type`, op: C, header: signed, pub: otherPub, valid: false, flags: ['WrongKey'], reqs: [R.origin], mutant: true }));
  if (!/=$/.test(sig)) out.splice(out.findIndex((c) => c.key === `${label}-sig-unpadded`), 1);
  return out;
}

/** Server signature coverage: what it protects (client hash, authorized_by) and what it does not (signatures.client). */
function serverMutants(both: H, routingPub: string, withAuth: H, withAuthBoth: H): CaseSpec[] {
  const S = 'header.verify_server' as const;
  const sig = (both.signatures as H).server as string;
  const raw = fromB64(sig);
  const m = (key: string, comment: string, header: H, flags: string[], reqs: string[] = [R.serverVerify, R.serverHash], unparseable = false) =>
    verifyCase({ key: `server-${key}`, comment, op: S, header, pub: routingPub, valid: false, flags, reqs, unparseable, mutant: true });
  return [
    m('from-address', 'from.address changed after the server signed', setAt(both, 'from.address', flipHex((both.from as H).address as string, 2)), ['FieldChanged']),
    m('to-address', 'to.address changed after the server signed', setAt(both, 'to.address', flipHex((both.to as H).address as string, 2)), ['FieldChanged']),
    m('catalog-size', 'catalog.size changed after the server signed', setAt(both, 'catalog.size', ((both.catalog as H).size as number) - 1), ['FieldChanged']),
    m('encrypted-key', 'catalog.encrypted_key changed after the server signed', setAt(both, 'catalog.encrypted_key', flipB64((both.catalog as H).encrypted_key as string, 0)), ['FieldChanged']),
    m('authorized-by-added', 'authorized_by added after the server signed (server hash had null)', { ...clone(both), authorized_by: withAuth.authorized_by! }, ['FieldChanged', 'AuthorizedByCoverage'], [R.serverVerify, R.serverHash]),
    m('authorized-by-removed', 'authorized_by removed after the server signed', setAt(withAuthBoth, 'authorized_by', undefined), ['FieldChanged', 'AuthorizedByCoverage'], [R.serverVerify, R.serverHash]),
    m('authorized-by-signature', 'authorized_by.signature changed after the server signed', setAt(withAuthBoth, 'authorized_by.signature', flipB64((withAuthBoth.authorized_by as H).signature as string, 3)), ['FieldChanged', 'AuthorizedByCoverage'], [R.serverVerify, R.serverHash]),
    m('sig-bit', 'one bit of the server signature flipped', setAt(both, 'signatures.server', flipB64(sig, 9)), ['SignatureBitFlip']),
    m('sig-truncated', 'server signature missing its last byte', setAt(both, 'signatures.server', toB64(raw.subarray(0, raw.length - 1))), ['SignatureTruncated']),
    m('sig-empty', 'server signature stripped', setAt(both, 'signatures.server', ''), ['SignatureStripped']),
    m('sig-is-client-sig', 'the client signature copied into signatures.server', setAt(both, 'signatures.server', (both.signatures as H).client!), ['SignatureSwapped']),
    verifyCase({ key: 'server-client-sig-not-covered', comment: 'signatures.client changed after the server signed: the server hash does not cover it → still true', op: S, header: setAt(both, 'signatures.client', flipB64((both.signatures as H).client as string, 0)), pub: routingPub, valid: true, flags: ['SignaturesNotHashed'], reqs: [R.serverHash, R.notHashed] }),
    verifyCase({ key: 'server-authorized-by-verifies', comment: 'server signature over a header with authorized_by verifies', op: S, header: withAuthBoth, pub: routingPub, valid: true, flags: ['AuthorizedByCoverage'], reqs: [R.serverVerify, R.serverHash] }),
    verifyCase({ key: 'server-signed-by-switched-to-server', comment: 'signed_by switched to server after signing: verify_server accepts without a check (Go) — only the client signature, which now fails, protects the header', op: S, header: setAt(both, 'from.signed_by', 'server'), pub: routingPub, valid: true, flags: ['ServerSignatureNotChecked', 'SignedBySwitched'], reqs: [R.serverSkip] }),
    verifyCase({ key: 'server-signed-by-switched-client-fails', comment: 'the same header (signed_by switched to server) fails client verification with the routing key', op: 'header.verify_client', header: setAt(both, 'from.signed_by', 'server'), pub: routingPub, valid: false, flags: ['SignedBySwitched'], reqs: [R.serverType], mutant: true }),
  ];
}

interface Chain {
  label: string;
  origin: KeyPairText;
  authorized: KeyPairText;
  other: KeyPairText;
}

async function chainCases(ctx: GenContext, base: H, c: Chain): Promise<{ cases: CaseSpec[]; valid: H }> {
  const C = 'header.verify_client' as const;
  const authSig = async (signer: KeyPairText, pub: string, label: string) =>
    (await ctx.must('authorization.sign', { private_key: signer.privateKey, public_key: pub }, { seed: ctx.caseSeed(`${c.label}-${label}`) })).signature_b64 as string;
  const onBehalf = (pub: string, sig: string): H => ({ ...setAt(base, 'from.signed_by', 'authorized'), authorized_by: { public_key: pub, signature: sig } });
  const good = onBehalf(c.authorized.publicKey, await authSig(c.origin, c.authorized.publicKey, 'auth'));
  const signedBy = async (h: H, k: KeyPairText, label: string) => signWith(ctx, 'header.sign_client', h, k.privateKey, ctx.caseSeed(`${c.label}-${label}`));
  const valid = await signedBy(good, c.authorized, 'client');
  const L = c.label;
  const m = (key: string, comment: string, header: H, flags: string[], reqs: string[] = [R.authorized, R.authBroken], pub = c.origin.publicKey, unparseable = false) =>
    verifyCase({ key: `${L}-${key}`, comment: `${L}: ${comment}`, op: C, header, pub, valid: false, flags, reqs, unparseable, mutant: true });

  const byWrongKey = await signedBy(onBehalf(c.authorized.publicKey, await authSig(c.other, c.authorized.publicKey, 'auth-wrong-key')), c.authorized, 'client-wrong-key');
  const overOtherKey = await signedBy(onBehalf(c.authorized.publicKey, await authSig(c.origin, c.other.publicKey, 'auth-other-pub')), c.authorized, 'client-other-pub');
  const swapped = await signedBy(onBehalf(c.other.publicKey, (good.authorized_by as H).signature as string), c.other, 'client-swapped');
  const byOrigin = await signedBy(good, c.origin, 'client-by-origin');
  const withDescription = await signedBy(onBehalf(`${c.authorized.publicKey} laptop`, (good.authorized_by as H).signature as string), c.authorized, 'client-description');
  // SIG-007: the origin signs the 64 ASCII hex characters; signing the 32 raw digest bytes is a different message.
  const rawDigest = createHash('sha256').update(c.authorized.publicKey).digest();
  const rawSig = toB64(sign(parsePrivateKey(c.origin.privateKey), new Uint8Array(rawDigest)));
  const overRawDigest = await signedBy(onBehalf(c.authorized.publicKey, rawSig), c.authorized, 'client-raw-digest');
  const overFullText = toB64(sign(parsePrivateKey(c.origin.privateKey), utf8(c.authorized.publicKey)));
  const overKeyText = await signedBy(onBehalf(c.authorized.publicKey, overFullText), c.authorized, 'client-key-text');
  // HDR-003: a signed_by outside the three constants selects the account key, as origin does, so
  // a valid authorized_by must not lend its key to it.
  const unknownSignedBy = await signedBy(setAt(good, 'from.signed_by', 'postmaster'), c.authorized, 'client-unknown-signed-by');

  const cases: CaseSpec[] = [
    verifyCase({ key: `${L}-valid`, comment: `${L}: origin key signs the authorized key (ASCII hex of its hash), the authorized key signs the client hash → true`, op: C, header: valid, pub: c.origin.publicKey, valid: true, flags: [], reqs: [R.authorized, R.authSig] }),
    m('auth-by-wrong-key', 'authorized_by.signature made by a key that is not the account key', byWrongKey, ['AuthorizationBroken']),
    m('auth-over-other-key', 'authorized_by.signature by the account key, but over a different public key', overOtherKey, ['AuthorizationBroken']),
    m('auth-sig-empty', 'authorized_by.signature ""', setAt(valid, 'authorized_by.signature', ''), ['AuthorizationBroken']),
    m('auth-sig-bit', 'one bit of authorized_by.signature flipped', setAt(valid, 'authorized_by.signature', flipB64((valid.authorized_by as H).signature as string, 1)), ['AuthorizationBroken']),
    m('authorized-by-missing', 'authorized_by removed (signed_by still authorized)', setAt(valid, 'authorized_by', undefined), ['AuthorizationBroken']),
    m('public-key-swapped', 'authorized_by.public_key swapped for another key that signed the client hash; the authorization is for the original key', swapped, ['AuthorizationBroken']),
    m('client-by-origin-key', 'client hash signed by the origin (account) key instead of the authorized key', byOrigin, ['AuthorizationBroken']),
    m('key-description-added', 'a description appended to authorized_by.public_key: the authorization covered the key string without it', withDescription, ['AuthorizationBroken', 'PublicKeyNormalisation']),
    m('auth-over-raw-digest', 'authorized_by.signature over the 32 raw SHA-256 bytes instead of their 64 ASCII hex characters', overRawDigest, ['AuthorizationBroken', 'WrongMessage'], [R.authSig, R.authBroken]),
    m('auth-over-key-text', 'authorized_by.signature over the key string itself instead of the hex of its hash', overKeyText, ['AuthorizationBroken', 'WrongMessage'], [R.authSig, R.authBroken]),
    m('verify-with-authorized-key', 'verified with the authorized key as the account key', valid, ['AuthorizationBroken', 'WrongKey'], [R.authorized], c.authorized.publicKey),
    m('verify-with-other-key', 'verified with an unrelated account key', valid, ['WrongKey'], [R.authorized], c.other.publicKey),
    m('signed-by-to-origin', 'signed_by switched authorized → origin: the account key is then used for the client signature', setAt(valid, 'from.signed_by', 'origin'), ['SignedBySwitched'], [R.origin, R.authorized]),
    verifyCase({ key: `${L}-signed-by-unknown-with-authorized-by`, comment: `${L}: signed_by "postmaster" (not a SignedByType) with a valid authorized_by and the client hash signed by the authorized key: an unknown value selects the account key, as origin does, never the authorized key → false`, op: C, header: unknownSignedBy, pub: c.origin.publicKey, valid: false, flags: ['SignedBySwitched', 'OutsideSchema'], reqs: [R.signedByOther], unparseable: true }),
  ];
  return { cases, valid };
}

export const file: VectorFileSpec = {
  name: 'header_signature',
  area: 'SIG',
  requirements: [R.clientSig, R.serverSig],
  source: { kind: 'imported', ...GO_SUITE, path: 'internal/message/signature_test.go, testdata/header-001.json … header-004.json', note: 'Go known-answer signatures (spec/formats.md §4.4) plus generated signing for every key type and mutants' },
  header: [
    'signatures.client = base64(Sign(signer, client hash bytes)), the signer being the account key (origin/""), the authorized key (authorized) or the routing key (server).',
    'signatures.server = base64(Sign(routing key, server hash bytes)); verify_server accepts signed_by server without any check (Go).',
    'authorized_by.signature = base64(Sign(account key, ASCII of hash.New(authorized_by.public_key))).',
    'verify_client takes the key a resolver holds for from.address; verify_server the sending server\'s routing key. A bad signature is {"valid": false}, not an error.',
    'Mutant cases change one thing after signing; InvalidInput is also allowed where the change takes the header outside header_schema_v1.json.',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Signature or verdict asserted by Go signature_test.go at bitmaelum-suite 95952d1.', effect: 'Disagreeing with a Go known answer means signatures do not interoperate with Go clients and servers.', links: ['spec/formats.md §4.4'] },
    Derived: { bugType: 'BASIC', description: 'A signature in a Go testdata file that spec/formats.md §13.2 verified (header-003 client signature by key-ed25519-2).', effect: 'A different signature means header-003 does not verify as Go verifies it.', links: ['spec/formats.md §13.2'] },
    SeededEcdsa: { bugType: 'FUNCTIONALITY', description: 'ECDSA signing draws randomness (Go: crypto/rand); the case seed fixes it so outputs are byte-comparable. A non-deterministic adapter is checked by verifying its signature instead.', effect: 'Without the seed the signature bytes differ from the vector (verification still must succeed).', links: ['ADAPTER.md "seed"'] },
    WrongKey: { bugType: 'BASIC', description: 'The signature is verified with a key that did not make it.', effect: 'Accepting it lets anyone send mail as any address.', links: ['spec/formats.md §4.4'] },
    FieldChanged: { bugType: 'INTEGRITY', description: 'A field covered by the hash was changed after signing.', effect: 'Accepting it lets a relay redirect the message, swap the catalog or its key, or downgrade its encryption.', links: ['spec/formats.md §4.3'] },
    Downgrade: { bugType: 'MODIFIED_PARAMETER', description: 'catalog.crypto removed or changed to another scheme (e.g. the legacy PKCS#1 v1.5 path) after signing.', effect: 'Accepting it opens the door to a padding-oracle downgrade of the catalog key encryption.', links: ['spec/formats.md §14'] },
    SignatureBitFlip: { bugType: 'BASIC', description: 'One bit of the signature flipped.', effect: 'A verifier that accepts it does not check signatures.', links: ['spec/formats.md §1.5'] },
    SignatureTruncated: { bugType: 'EDGE_CASE', description: 'Signature shorter or longer than a real one (a byte removed or added, or a short base64 string).', effect: 'Lenient length handling can accept forged or malleable signatures.', links: ['spec/formats.md §1.5'] },
    SignatureStripped: { bugType: 'AUTH_BYPASS', description: 'The signature is empty or absent.', effect: 'Accepting it makes signatures optional.', links: ['internal/message/signature.go:124-127'] },
    SignatureEncoding: { bugType: 'EDGE_CASE', description: 'The signature is not strict padded standard base64 (Go base64.StdEncoding fails).', effect: 'Decoding leniently (URL alphabet, no padding) accepts strings Go refuses.', links: ['spec/formats.md §4.4'] },
    SignatureSwapped: { bugType: 'BASIC', description: 'A genuine signature, but over another message or from another slot.', effect: 'Accepting it allows replaying signatures between headers or between the client and server slots.', links: ['spec/formats.md §4.3', 'spec/formats.md §4.4'] },
    SignatureMalleability: { bugType: 'MALLEABILITY', description: 'A second encoding of a valid signature: ECDSA (r, n−s), which Go accepts; Ed25519 S+ℓ, which Go rejects (S < ℓ).', effect: 'Rejecting high-S ECDSA rejects about half of Go\'s signatures; accepting S+ℓ Ed25519 differs from Go.', links: ['https://pkg.go.dev/crypto/ecdsa#Verify', 'https://pkg.go.dev/crypto/ed25519#Verify'] },
    SignedBySwitched: { bugType: 'AUTH_BYPASS', description: 'from.signed_by changed after signing (origin ↔ server ↔ authorized), which changes the key the verifier selects.', effect: 'Accepting it lets a sender pick the key its signature is checked with.', links: ['internal/message/signature.go:118-198'] },
    ServerSignatureNotChecked: { bugType: 'GO_QUIRK', description: 'VerifyServerHeader returns true for signed_by server without looking at signatures.server (postmaster mail has no separate server signature). Valid per Go and BM-SIG-014; the only protection left is the client signature by the routing key.', effect: 'An implementation that checks it rejects postmaster mail Go delivers; an auditor should note that a forged signed_by server header passes this check.', links: ['internal/message/signature.go:53-60'] },
    AuthorizationBroken: { bugType: 'AUTH_BYPASS', description: 'One link of the on-behalf chain is broken: the authorization signature (by the account key over the authorized key) or the client signature (by the authorized key), or authorized_by is missing.', effect: 'Accepting it lets any key send mail on behalf of an address.', links: ['internal/message/signature.go:160-190', 'internal/key/auth_key.go:54-64'] },
    WrongMessage: { bugType: 'WRONG_PRIMITIVE', description: 'The authorization signature is over the wrong bytes (raw digest or the key text) instead of the 64 ASCII hex characters of hash.New(public_key).', effect: 'An implementation signing the raw digest produces authorizations Go rejects.', links: ['spec/formats.md §4.4'] },
    PublicKeyNormalisation: { bugType: 'GO_QUIRK', description: 'The authorization covers Go PubKey.String() of the key, description included.', effect: 'Hashing another text form of the key makes valid on-behalf authorizations fail (or lets a changed description pass).', links: ['pkg/bmcrypto/keytype.go:200-283'] },
    AuthorizedByCoverage: { bugType: 'INTEGRITY', description: 'authorized_by is covered by the server hash: adding, removing or changing it after the server signed breaks the server signature.', effect: 'A relay could attach an on-behalf key to a header the server signed without one.', links: ['spec/formats.md §4.3'] },
    SignaturesNotHashed: { bugType: 'DEFINED', description: 'Signatures are not part of either hash: re-signing replaces a signature, and the server signature does not cover signatures.client.', effect: 'Hashing the signatures makes re-signing change the hash and server signatures fail after any client-signature change.', links: ['spec/formats.md §4.3'] },
    OutsideSchema: { bugType: 'GO_QUIRK', description: 'The header is outside header_schema_v1.json (a signed_by outside the enum, a non-base64 signature) but Go processes it; an implementation may refuse it, and if it accepts it must answer as Go.', effect: 'Answering differently from Go when accepting such a header makes verification results depend on the implementation.', links: ['schemas/header_schema_v1.json'] },
  },
  async build(ctx) {
    const edBase = await baseHeader(ctx, 'ed', 'alice@acme!', 'bob!', GO_ED25519_2.publicKey);
    const rsaBase = await baseHeader(ctx, 'rsa', 'carol!', 'dave@example!', GO_KEY_2.publicKey);
    // A small header (header-001's catalog section, real address hashes) keeps the file short where the catalog section does not matter.
    const compact = setAt(goShape((edBase.from as H).address as string, (edBase.to as H).address as string, 'origin', {}), 'to.fingerprint', (edBase.to as H).fingerprint!);
    const groups: GroupSpec[] = [...importedGroups(), await perKeyType(ctx, compact, rsaBase)];

    // Client-field mutants: ed25519 sender to an ed25519 recipient, RSA sender to an RSA recipient, one ecdsa set of signature mutants.
    const edSigned = await signWith(ctx, 'header.sign_client', edBase, GO_ED25519_1.privateKey, ctx.caseSeed('m-ed'));
    const edOther = await signWith(ctx, 'header.sign_client', setAt(edBase, 'catalog.size', 1), GO_ED25519_1.privateKey, ctx.caseSeed('m-ed-other'));
    const rsaSigned = await signWith(ctx, 'header.sign_client', rsaBase, GO_KEY_4.privateKey, ctx.caseSeed('m-rsa'));
    const rsaOther = await signWith(ctx, 'header.sign_client', setAt(rsaBase, 'catalog.size', 1), GO_KEY_4.privateKey, ctx.caseSeed('m-rsa-other'));
    const ecSigned = await signWith(ctx, 'header.sign_client', compact, GO_PRIVKEY_ECDSA.privateKey, ctx.caseSeed('m-ec'));
    const ecOther = await signWith(ctx, 'header.sign_client', setAt(compact, 'catalog.size', 1), GO_PRIVKEY_ECDSA.privateKey, ctx.caseSeed('m-ec-other'));
    const rsaMut = clientMutants(rsaSigned, GO_KEY_4.publicKey, 'rsa', GO_ED25519_1.publicKey, rsaOther, true).filter((c) => /-(crypto-changed|crypto-removed|sig-bit-first|sig-truncated)$/.test(c.key));
    const ecMut = clientMutants(ecSigned, GO_PRIVKEY_ECDSA.publicKey, 'ecdsa', GO_KEY_4.publicKey, ecOther, false).filter((c) => /-(sig-bit-middle|sig-truncated|sig-of-other-header|other-type-key)$/.test(c.key));
    groups.push({
      op: 'header.verify_client', comment: 'client signature mutants: every hashed field changed after signing, the signature damaged, stripped or swapped, signed_by switched', source: { kind: 'generated' },
      cases: [...clientMutants(edSigned, GO_ED25519_1.publicKey, 'ed25519', GO_KEY_4.publicKey, edOther, false).filter((c) => !/-(catalog-size-zero|checksum-null|sig-bit-middle|sig-in-server-field|encrypted-key-null|to-fingerprint)$/.test(c.key)), ...rsaMut, ...ecMut],
    });

    // Server signature coverage (ed25519 routing key = key-ed25519-3, as in the Go test's resolver).
    const routing = GO_ED25519_3;
    const compactSigned = await signWith(ctx, 'header.sign_client', compact, GO_ED25519_1.privateKey, ctx.caseSeed('s-client'));
    const both = await signWith(ctx, 'header.sign_server', compactSigned, routing.privateKey, ctx.caseSeed('s-both'));
    const withAuth: H = { ...clone(compactSigned), authorized_by: { public_key: GO_ED25519_2.publicKey, signature: (await ctx.must('authorization.sign', { private_key: GO_ED25519_1.privateKey, public_key: GO_ED25519_2.publicKey })).signature_b64 as string } };
    const withAuthBoth = await signWith(ctx, 'header.sign_server', withAuth, routing.privateKey, ctx.caseSeed('s-auth'));
    groups.push({ op: 'header.verify_server', comment: 'server signature coverage: the client hash and authorized_by, not signatures.client; signed_by server skips the check', source: { kind: 'generated' }, cases: serverMutants(both, routing.publicKey, withAuth, withAuthBoth) });

    // The on-behalf chain broken at each link: ed25519 account with an ed25519 authorized key, RSA account with an ecdsa authorized key.
    const edChain = await chainCases(ctx, compact, { label: 'onbehalf-ed25519', origin: GO_ED25519_1, authorized: GO_ED25519_2, other: GO_ED25519_4 });
    const rsaChain = await chainCases(ctx, compact, { label: 'onbehalf-rsa-ecdsa', origin: GO_KEY_3, authorized: GO_PRIVKEY_ECDSA, other: ALICE_ECDSA });
    const rsaChainKept = rsaChain.cases.filter((c) => /-(valid|auth-by-wrong-key|auth-over-other-key|public-key-swapped|client-by-origin-key|auth-over-raw-digest)$/.test(c.key));
    const edChainKept = edChain.cases.filter((c) => !/-(auth-sig-bit|verify-with-other-key)$/.test(c.key));
    groups.push({ op: 'header.verify_client', comment: 'authorized_by chain: valid, then broken at each link (ed25519 account and authorized keys; RSA account key with an ecdsa authorized key)', source: { kind: 'generated' }, cases: [...edChainKept, ...rsaChainKept] });
    return groups;
  },
};
