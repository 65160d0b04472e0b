/**
 * vectors/header_hash_test.json: the client and server hashes of a message header (spec/formats.md
 * §4.2, §4.3, §4.5; Go internal/message/header.go:49-78, signature.go:200-234).
 *
 * - Imported: the Go testdata headers 001–004 with the §4.3 / §13.2 preimages and hashes.
 * - Generated: Go encoding/json edge cases pushed through the header — omitempty, null vs empty,
 *   map key order, uint64 sizes, authorized_by, legacy headers, field order, string escaping,
 *   case-insensitive and repeated keys — and wrong JSON types that make Go's json.Unmarshal fail.
 *
 * Every expected preimage is written out here by hand, from the §4.2/§4.5 rules, and its hash
 * computed with node:crypto; the frame then checks that the reference adapter agrees, so the
 * reference's Go-JSON writer (harness/protocol/gojson.ts) is tested rather than trusted.
 *
 * Inputs outside header_schema_v1.json (non-hash addresses, case-variant, repeated or unknown
 * keys, absent required fields) are graded `acceptable` (flag OutsideSchema): Go accepts and hashes
 * them, a stricter implementation may refuse them with InvalidInput; the expected value is Go's.
 * Exact duplicate keys in JSON text cannot be carried by a vector (the case inputs are JSON objects
 * that the harness re-serialises); the repeated-key cases use case variants, which Go resolves the
 * same way (later key decoded into the earlier value).
 * @module
 */
import type { CaseSpec, GroupSpec, VectorFileSpec } from './_framework.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import { GO_ED25519_2, GO_KEY_3, RSA4096_FIXTURE } from '../../harness/protocol/fixtures.ts';
import { toB64, toHex } from '../../harness/protocol/bytes.ts';
import { GO_SUITE, goHeader, goHeaderSource, setAt, sha256b64, sha256hex, type HeaderFile } from './_msgfamily.ts';

// ---------------------------------------------------------------------------------------------
// Hand-written preimages (§4.3): fragments are JSON text, already escaped.

const A1 = '000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc';
const T1 = '000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350';
const A2 = '111100000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc';
const T2 = '111100000000000000000000000097026f0daeaec1aeb8351b096637679cf350';
const RIPEMD = 'cc83e77af0fae70c3b655f36f110ec4d2eebaf1c';
const SHA = '79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a';
const CHECKSUM = `{"ripemd160":"${RIPEMD}","sha256":"${SHA}"}`;
const ED2_PUB = GO_ED25519_2.publicKey;
const HDR3_AUTH_SIG =
  'V/cdCpxF6Ktv7hDvvDzJm9okoJMo8ikx1lnaWyFNbkKGAWADQVexdMLtP2OeqMa8f9EVqWFimb3uznzeJ9EfHKvjg33vzfOfsYRmsRVtMyDyypb9ilFCzI2px3IevsWut8TQ78aQ7eNTUe++LCGQgKOyAwNuUR9ctQqh88KlCS2udFw0FF9P94xZrAaxiA0LSDigAyMzANQGG55BxKg+PSdPZDBh+zNLBfG2fTS4zKa4hzhycE4pVexQPqmsBgnHws9YQqQTouxDovym/7FRRAc8bqxzrWS0F0OCZcj0twS8qXSFwof/FGJTKrE1Kr4nNXNdqxHnFonWaWRwOv/uUA==';

interface Pre {
  size?: string;
  checksum?: string;
  crypto?: string;
  txid?: string;
  ek?: string;
  from?: string;
  signedBy?: string;
  to?: string;
  fp?: string;
}
const q = (s: string) => `"${s}"`;

/** Client-hash preimage: {"client_catalog","client_from","client_to"} with header-001 defaults. */
function clientPre(p: Pre = {}): string {
  const cat = `{"size":${p.size ?? '983'},"checksum":${p.checksum ?? CHECKSUM}${p.crypto ? `,"crypto":${p.crypto}` : ''}${p.txid ? `,"txid":${p.txid}` : ''},"encrypted_key":${p.ek ?? '"Zm9vYmFy"'}}`;
  const from = `{"address":${p.from ?? q(A1)},"signed_by":${p.signedBy ?? '""'}}`;
  const to = `{"address":${p.to ?? q(T1)}${p.fp ? `,"fingerprint":${p.fp}` : ''}}`;
  return `{"client_catalog":${cat},"client_from":${from},"client_to":${to}}`;
}
/** Server-hash preimage: {"client_hash": b64(SHA-256(client preimage)), "server_authorized_by": …}. */
function serverPre(client: string, authorizedBy = 'null'): string {
  return `{"client_hash":"${sha256b64(client)}","server_authorized_by":${authorizedBy}}`;
}
function auth(publicKey: string, signature: string): string {
  return `{"public_key":${publicKey},"signature":${signature}}`;
}
function exp(preimage: string): Record<string, JsonValue> {
  return { hash_hex: sha256hex(preimage), preimage };
}

// ---------------------------------------------------------------------------------------------
// Requirement ids

const R = {
  client: 'BM-SIG-001',
  kat001: 'BM-SIG-002',
  server: 'BM-SIG-003',
  sigsNotHashed: 'BM-SIG-004',
  order: 'BM-HDR-001',
  signedBy: 'BM-HDR-002',
  omitempty: 'BM-HDR-004',
  authorizedBy: 'BM-HDR-005',
  unknown: 'BM-HDR-012',
  goJson: 'BM-JSON-001',
  nullEmpty: 'BM-JSON-002',
  bytes: 'BM-JSON-003',
  escape: 'BM-JSON-004',
  kats: 'BM-SIG-015',
} as const;

/** A header with header-001's values, in Go struct order, with the given overrides. */
function base(over: { from?: Record<string, JsonValue>; to?: Record<string, JsonValue>; catalog?: Record<string, JsonValue>; rest?: Record<string, JsonValue> } = {}): Record<string, JsonValue> {
  return {
    from: { address: A1, signed_by: '', ...over.from },
    to: { address: T1, ...over.to },
    catalog: { size: 983, checksum: { ripemd160: RIPEMD, sha256: SHA }, encrypted_key: 'Zm9vYmFy', ...over.catalog },
    ...over.rest,
  };
}

type Op = 'header.client_hash' | 'header.server_hash';
function kase(key: string, comment: string, op: Op, header: JsonValue, preimage: string, flags: string[], requirements: string[], result: 'valid' | 'acceptable' = 'valid'): CaseSpec {
  return { key, comment, op, flags, inputs: { header }, result, expected: exp(preimage), requirements };
}

// ---------------------------------------------------------------------------------------------

function importedGroups(): GroupSpec[] {
  const pre1 = clientPre();
  const KAT_PRE_001 =
    '{"client_catalog":{"size":983,"checksum":{"ripemd160":"cc83e77af0fae70c3b655f36f110ec4d2eebaf1c","sha256":"79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a"},"encrypted_key":"Zm9vYmFy"},"client_from":{"address":"000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc","signed_by":""},"client_to":{"address":"000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"}}';
  if (pre1 !== KAT_PRE_001) throw new Error('header_hash: hand-written header-001 preimage differs from spec/formats.md §4.3');
  const KAT_HASH_001 = '191ecdac653ca1f5c1bd3c8dfbc5be1412de97dec9f445ed951c24de8c372607';
  if (sha256hex(pre1) !== KAT_HASH_001) throw new Error('header_hash: header-001 client hash differs from §4.3');

  const pre2 = clientPre({ from: q(A2), to: q(T2) });
  const KAT_SERVER_PRE_002 = '{"client_hash":"BvOK6Vj4p17U32NdTo3fTAIdwy6n/zN3FGRlwCagjSM=","server_authorized_by":null}';
  if (serverPre(pre2) !== KAT_SERVER_PRE_002) throw new Error('header_hash: header-002 server preimage differs from §4.3');
  const KAT_SERVER_HASH_002 = '66843d206a2d9cbaf7dfbcd6a3a34f4b5d85dc9d250401329028226e21ad47d1';
  if (sha256hex(KAT_SERVER_PRE_002) !== KAT_SERVER_HASH_002) throw new Error('header_hash: header-002 server hash differs from §4.3');

  const pre3 = clientPre({ signedBy: '"authorized"' });
  if (sha256b64(pre3) !== 'PH+BpZAl8EbAJS1grg14LwAkRBTQJF4xBMfx9H5UNgw=') throw new Error('header_hash: header-003 client hash differs from §13.2');
  // The file lists signature before public_key; Go writes struct order (public_key, signature).
  const server3 = serverPre(pre3, auth(q(ED2_PUB), q(HDR3_AUTH_SIG)));

  const g = (file: HeaderFile, comment: string, cases: CaseSpec[]): GroupSpec => ({ op: 'header.client_hash', comment, source: goHeaderSource(file), cases });
  return [
    g('header-001.json', 'testdata/header-001.json: the §4.3 client preimage (txid "" dropped, absent signed_by written as "")', [
      kase('go-001-client', 'header-001 client hash: the exact preimage and hash of spec/formats.md §4.3', 'header.client_hash', goHeader('header-001.json'), pre1, ['GoKnownAnswer', 'OmitEmpty'], [R.client, R.kat001, R.signedBy, R.omitempty, R.kats]),
      kase('go-001-server', 'header-001 server hash: client hash as base64, no authorized_by → null', 'header.server_hash', goHeader('header-001.json'), serverPre(pre1), ['Derived'], [R.server]),
    ]),
    g('header-002.json', 'testdata/header-002.json: the §4.3 server preimage', [
      kase('go-002-client', 'header-002 client hash (addresses prefixed 1111)', 'header.client_hash', goHeader('header-002.json'), pre2, ['Derived', 'OmitEmpty'], [R.client]),
      kase('go-002-server', 'header-002 server hash: the exact preimage and hash of spec/formats.md §4.3', 'header.server_hash', goHeader('header-002.json'), KAT_SERVER_PRE_002, ['GoKnownAnswer'], [R.server, R.kats]),
    ]),
    g('header-003.json', 'testdata/header-003.json: on-behalf header (signed_by authorized, authorized_by present, signatures present)', [
      kase('go-003-client', 'header-003 client hash: signed_by "authorized" is hashed; authorized_by and signatures are not (§13.2)', 'header.client_hash', goHeader('header-003.json'), pre3, ['Derived', 'SignaturesNotHashed'], [R.client, R.sigsNotHashed]),
      kase('go-003-server', 'header-003 server hash: authorized_by is hashed in Go struct order (public_key, signature) although the file lists signature first (§13.2)', 'header.server_hash', goHeader('header-003.json'), server3, ['Derived', 'AuthorizedBy', 'FieldOrder'], [R.server, R.authorizedBy]),
    ]),
    g('header-004.json', 'testdata/header-004.json: header-003 without authorized_by', [
      kase('go-004-client', 'header-004 client hash equals header-003 (authorized_by is not part of the client hash)', 'header.client_hash', goHeader('header-004.json'), pre3, ['Derived'], [R.client]),
      kase('go-004-server', 'header-004 server hash: no authorized_by → null', 'header.server_hash', goHeader('header-004.json'), serverPre(pre3), ['Derived', 'AuthorizedBy'], [R.server, R.authorizedBy]),
    ]),
  ];
}

function generatedValid(rng: { bytes(n: number): Uint8Array }): CaseSpec[] {
  const C = 'header.client_hash';
  const S = 'header.server_hash';
  const fp = sha256hex(Buffer.from(ED2_PUB.split(' ')[1]!, 'base64'));
  const txid = toHex(rng.bytes(64));
  const ek60 = toB64(rng.bytes(60));
  const ek256 = toB64(rng.bytes(256));
  const sigB64 = toB64(rng.bytes(64));
  const r2 = toHex(rng.bytes(20));
  const s2 = toHex(rng.bytes(32));
  const U53 = 9007199254740993n; // 2^53 + 1: not representable as a float64
  const U64MAX = 18446744073709551615n;
  const authSig = toB64(rng.bytes(64));
  const cases: CaseSpec[] = [
    kase('omitempty-fingerprint', 'to.fingerprint "" is dropped (omitempty)', C, base({ to: { fingerprint: '' } }), clientPre(), ['OmitEmpty'], [R.client, R.omitempty, R.nullEmpty]),
    kase('fingerprint-present', 'to.fingerprint is written after to.address', C, base({ to: { fingerprint: fp } }), clientPre({ fp: q(fp) }), ['FieldOrder'], [R.client, R.order]),
    kase('omitempty-crypto', 'catalog.crypto "" is dropped (omitempty)', C, base({ catalog: { crypto: '' } }), clientPre(), ['OmitEmpty'], [R.client, R.omitempty]),
    kase('omitempty-txid-absent', 'no txid key at all gives the same preimage as txid "" (header-001)', C, base(), clientPre(), ['OmitEmpty'], [R.client, R.omitempty]),
    kase('crypto-rsa-oaep', 'crypto rsa/oaep is written between checksum and encrypted_key; empty txid dropped', C, base({ catalog: { crypto: 'rsa/oaep', txid: '', encrypted_key: ek256 } }), clientPre({ crypto: q('rsa/oaep'), ek: q(ek256) }), ['FieldOrder', 'OmitEmpty'], [R.client, R.order, R.omitempty]),
    kase('crypto-ed25519-txid', 'crypto ed25519+aes then txid (128 hex) then encrypted_key', C, base({ catalog: { crypto: 'ed25519+aes', txid, encrypted_key: ek60 } }), clientPre({ crypto: q('ed25519+aes'), txid: q(txid), ek: q(ek60) }), ['FieldOrder'], [R.client, R.order]),
    kase('legacy-no-crypto', 'legacy RSA header (2021-01-27…2021-04-15): no crypto, no txid, 256-byte PKCS#1 v1.5 encrypted_key', C, base({ catalog: { encrypted_key: ek256 } }), clientPre({ ek: q(ek256) }), ['LegacyHeader', 'OmitEmpty'], [R.client, R.omitempty]),
    kase('signed-by-empty', 'signed_by "" is written (no omitempty), same preimage as an absent signed_by', C, base({ from: { signed_by: '' } }), clientPre(), ['OmitEmpty'], [R.client, R.signedBy]),
    kase('signed-by-origin', 'signed_by origin is hashed', C, base({ from: { signed_by: 'origin' } }), clientPre({ signedBy: q('origin') }), [], [R.client, R.signedBy]),
    kase('signed-by-server', 'signed_by server is hashed', C, base({ from: { signed_by: 'server' } }), clientPre({ signedBy: q('server') }), [], [R.client, R.signedBy]),
    kase('routing-id-from', 'a short routing ID as from.address (12345678, as signature_test.go uses) is hashed as given', C, base({ from: { address: '12345678', signed_by: 'server' } }), clientPre({ from: q('12345678'), signedBy: q('server') }), [], [R.client]),
    kase('checksum-key-order', 'checksum given sha256 first: a Go map is written with sorted keys (ripemd160, sha256)', C, base({ catalog: { checksum: { sha256: s2, ripemd160: r2 } } }), clientPre({ checksum: `{"ripemd160":"${r2}","sha256":"${s2}"}` }), ['MapKeyOrder'], [R.client, R.goJson]),
    kase('checksum-null', 'checksum null (nil map) is written as null, not dropped', C, base({ catalog: { checksum: null } }), clientPre({ checksum: 'null' }), ['NullVsEmpty'], [R.client, R.nullEmpty]),
    kase('encrypted-key-null', 'encrypted_key null (nil []byte) is written as null', C, base({ catalog: { encrypted_key: null } }), clientPre({ ek: 'null' }), ['NullVsEmpty'], [R.client, R.nullEmpty, R.bytes]),
    kase('encrypted-key-empty', 'encrypted_key "" (empty, non-nil []byte) is written as "" (not omitempty, not null)', C, base({ catalog: { encrypted_key: '' } }), clientPre({ ek: '""' }), ['NullVsEmpty'], [R.client, R.nullEmpty, R.bytes]),
    kase('size-zero', 'size 0 is written (no omitempty on size)', C, base({ catalog: { size: 0 } }), clientPre({ size: '0' }), ['Uint64'], [R.client, R.goJson]),
    kase('size-2p53-plus-1', 'size 2^53+1 (uint64, not a float64) is written exactly', C, base({ catalog: { size: U53 } }), clientPre({ size: U53.toString() }), ['Uint64'], [R.client, R.goJson]),
    kase('size-uint64-max', 'size 2^64−1 is written exactly', C, base({ catalog: { size: U64MAX } }), clientPre({ size: U64MAX.toString() }), ['Uint64'], [R.client, R.goJson]),
    kase('reordered-fields', 'every object given in reverse field order: the hash depends on Go struct order only', C, {
      signatures: { client: '', server: '' },
      catalog: { encrypted_key: 'Zm9vYmFy', txid: '', checksum: { sha256: SHA, ripemd160: RIPEMD }, size: 983 },
      to: { address: T1 },
      from: { signed_by: '', address: A1 },
    }, clientPre(), ['FieldOrder', 'MapKeyOrder'], [R.client, R.order]),
    kase('signatures-not-hashed-client', 'signatures.client and .server do not change the client hash', C, base({ rest: { signatures: { server: sigB64, client: sigB64 } } }), clientPre(), ['SignaturesNotHashed'], [R.client, R.sigsNotHashed]),
    kase('signatures-not-hashed-server', 'signatures do not change the server hash', S, base({ rest: { signatures: { server: sigB64, client: sigB64 } } }), serverPre(clientPre()), ['SignaturesNotHashed'], [R.server, R.sigsNotHashed]),
    kase('authorized-by-absent', 'no authorized_by → server_authorized_by null', S, base({ from: { signed_by: 'authorized' } }), serverPre(clientPre({ signedBy: q('authorized') })), ['AuthorizedBy'], [R.server, R.authorizedBy]),
    kase('authorized-by-present', 'authorized_by is hashed as {"public_key","signature"}', S, base({ from: { signed_by: 'authorized' }, rest: { authorized_by: { public_key: ED2_PUB, signature: authSig } } }), serverPre(clientPre({ signedBy: q('authorized') }), auth(q(ED2_PUB), q(authSig))), ['AuthorizedBy'], [R.server, R.authorizedBy]),
    kase('authorized-by-not-in-client-hash', 'authorized_by does not change the client hash', C, base({ rest: { authorized_by: { public_key: ED2_PUB, signature: authSig } } }), clientPre(), ['AuthorizedBy'], [R.client, R.authorizedBy]),
    kase('authorized-by-empty-signature', 'authorized_by.signature "" is written as "" (no omitempty)', S, base({ rest: { authorized_by: { public_key: ED2_PUB, signature: '' } } }), serverPre(clientPre(), auth(q(ED2_PUB), '""')), ['AuthorizedBy', 'OmitEmpty'], [R.server, R.authorizedBy]),
    kase('authorized-by-rsa4096-key', 'an rsa4096 authorized key string is hashed as given', S, base({ rest: { authorized_by: { public_key: RSA4096_FIXTURE.publicKey, signature: authSig } } }), serverPre(clientPre(), auth(q(RSA4096_FIXTURE.publicKey), q(authSig))), ['AuthorizedBy'], [R.server, R.authorizedBy]),
    kase('authorized-by-description-html', 'a key description with < > & is escaped \\u003c \\u003e \\u0026 in the server preimage', S, base({ rest: { authorized_by: { public_key: `${ED2_PUB} <b>Tom & Jerry</b>`, signature: authSig } } }), serverPre(clientPre(), auth(q(`${ED2_PUB} \\u003cb\\u003eTom \\u0026 Jerry\\u003c/b\\u003e`), q(authSig))), ['GoEscaping', 'AuthorizedBy'], [R.server, R.escape]),
    kase('authorized-by-description-non-ascii', 'non-ASCII in a key description is written as raw UTF-8', S, base({ rest: { authorized_by: { public_key: `${ED2_PUB} Zoë 日本 😀`, signature: authSig } } }), serverPre(clientPre(), auth(q(`${ED2_PUB} Zoë 日本 😀`), q(authSig))), ['GoEscaping', 'AuthorizedBy'], [R.server, R.escape]),
    kase('authorized-by-description-controls', 'control characters in a key description: \\t short form, others \\u00XX, DEL raw, quote and backslash escaped, / not escaped', S, base({ rest: { authorized_by: { public_key: `${ED2_PUB} a\tb\u0001c\u001fd\u007fe"f\\g/h`, signature: authSig } } }), serverPre(clientPre(), auth(q(`${ED2_PUB} a\\tb\\u0001c\\u001fd\u007fe\\"f\\\\g/h`), q(authSig))), ['GoEscaping', 'AuthorizedBy'], [R.server, R.escape]),
    kase('authorized-by-key-trailing-space', 'trailing spaces after the key are trimmed (Go PubKey.String = TrimSpace) before hashing', S, base({ rest: { authorized_by: { public_key: `${ED2_PUB}   `, signature: authSig } } }), serverPre(clientPre(), auth(q(ED2_PUB), q(authSig))), ['PublicKeyNormalisation', 'AuthorizedBy'], [R.server, R.authorizedBy]),
  ];
  return cases;
}

function generatedOutsideSchema(rng: { bytes(n: number): Uint8Array }): CaseSpec[] {
  const C = 'header.client_hash';
  const S = 'header.server_hash';
  const authSig = toB64(rng.bytes(64));
  const acc = (key: string, comment: string, op: Op, header: JsonValue, preimage: string, flags: string[], requirements: string[]) =>
    kase(key, comment, op, header, preimage, ['OutsideSchema', ...flags], requirements, 'acceptable');
  return [
    // String escaping through a field Go does not validate (hash.Hash is a plain string type).
    acc('escape-html', 'from.address with < > & is hashed with \\u003c \\u003e \\u0026 (Go HTML escaping)', C, base({ from: { address: '<a href="x">&amp;</a>' } }), clientPre({ from: q('\\u003ca href=\\"x\\"\\u003e\\u0026amp;\\u003c/a\\u003e') }), ['GoEscaping'], [R.client, R.escape]),
    acc('escape-line-separators', 'U+2028 and U+2029 are escaped \\u2028 \\u2029', C, base({ from: { address: 'a\u2028b\u2029c' } }), clientPre({ from: q('a\\u2028b\\u2029c') }), ['GoEscaping'], [R.client, R.escape]),
    acc('escape-non-ascii', 'non-ASCII (2-, 3- and 4-byte UTF-8) is written raw, not \\u-escaped', C, base({ from: { address: 'é中😀' } }), clientPre({ from: q('é中😀') }), ['GoEscaping'], [R.client, R.escape]),
    acc('escape-controls', 'C0 controls as \\u00XX (NUL, 0x01, 0x1f), \\n \\r \\t short forms, DEL (0x7f) raw', C, base({ from: { address: 'a\u0000b\u0001c\u001fd\ne\rf\tg\u007fh' } }), clientPre({ from: q('a\\u0000b\\u0001c\\u001fd\\ne\\rf\\tg\u007fh') }), ['GoEscaping'], [R.client, R.escape]),
    acc('escape-backspace-formfeed', 'backspace and form feed as \\u0008 \\u000c (Go < 1.22; Go ≥ 1.22 writes \\b \\f)', C, base({ from: { address: 'a\bb\fc' } }), clientPre({ from: q('a\\u0008b\\u000cc') }), ['GoEscaping', 'GoVersionDependent'], [R.client, R.escape]),
    acc('escape-quote-backslash-slash', 'quote and backslash escaped, / not escaped', C, base({ to: { address: 'a"b\\c/d' } }), clientPre({ to: q('a\\"b\\\\c/d') }), ['GoEscaping'], [R.client, R.escape]),
    acc('escape-in-checksum', 'checksum map keys and values are escaped like any string and sorted by their UTF-8 bytes', C, base({ catalog: { checksum: { 'é': '<', Z: '&', a: '\u2028' } } }), clientPre({ checksum: '{"Z":"\\u0026","a":"\\u2028","é":"\\u003c"}' }), ['GoEscaping', 'MapKeyOrder'], [R.client, R.escape, R.goJson]),
    acc('escape-in-description-line-separator', 'U+2028 in a key description is escaped in the server preimage', S, base({ rest: { authorized_by: { public_key: `${ED2_PUB} a\u2028b`, signature: authSig } } }), serverPre(clientPre(), auth(q(`${ED2_PUB} a\\u2028b`), q(authSig))), ['GoEscaping', 'AuthorizedBy'], [R.server, R.escape]),
    acc('signed-by-unknown', 'a signed_by value outside the enum is hashed as given', C, base({ from: { signed_by: 'Origin' } }), clientPre({ signedBy: q('Origin') }), [], [R.client, R.signedBy]),
    // Map contents Go writes but the schema does not describe.
    acc('checksum-extra-keys', 'checksum with an extra key: every key of the Go map is hashed, sorted', C, base({ catalog: { checksum: { sha256: SHA, md5: 'x', ripemd160: RIPEMD } } }), clientPre({ checksum: `{"md5":"x","ripemd160":"${RIPEMD}","sha256":"${SHA}"}` }), ['MapKeyOrder'], [R.client, R.goJson]),
    acc('checksum-empty-map', 'checksum {} (empty, non-nil map) is written as {} — not null, not dropped', C, base({ catalog: { checksum: {} } }), clientPre({ checksum: '{}' }), ['NullVsEmpty'], [R.client, R.nullEmpty]),
    acc('checksum-absent', 'no checksum key: nil map → null', C, setAt(base(), 'catalog.checksum', undefined), clientPre({ checksum: 'null' }), ['NullVsEmpty'], [R.client, R.nullEmpty]),
    acc('encrypted-key-absent', 'no encrypted_key key: nil []byte → null', C, setAt(base(), 'catalog.encrypted_key', undefined), clientPre({ ek: 'null' }), ['NullVsEmpty'], [R.client, R.nullEmpty, R.bytes]),
    acc('encrypted-key-newlines', 'encrypted_key base64 with \\r\\n inside (Go skips them) is re-encoded without them', C, base({ catalog: { encrypted_key: 'Zm9v\r\nYmFy' } }), clientPre(), ['Base64Lenient'], [R.client, R.bytes]),
    acc('fingerprint-upper', 'an upper-case to.fingerprint is hashed as given', C, base({ to: { fingerprint: 'ABCDEF' } }), clientPre({ fp: q('ABCDEF') }), [], [R.client]),
    acc('txid-short', 'a txid that is not 128 hex is hashed as given (not validated by the header)', C, base({ catalog: { txid: 'xyz' } }), clientPre({ txid: q('xyz') }), [], [R.client]),
    acc('minimal-header', 'a header with only empty objects: every field takes its zero value', C, { from: {}, to: {}, catalog: {} }, clientPre({ from: '""', to: '""', size: '0', checksum: 'null', ek: 'null' }), ['NullVsEmpty', 'OmitEmpty'], [R.client, R.nullEmpty]),
    acc('authorized-by-null', 'authorized_by null is a nil pointer: omitted, server_authorized_by null', S, base({ rest: { authorized_by: null } }), serverPre(clientPre()), ['AuthorizedBy', 'NullVsEmpty'], [R.server, R.authorizedBy]),
    acc('authorized-by-empty-object', 'authorized_by {} → {"public_key":null,"signature":""} (nil *PubKey is null, signature has no omitempty)', S, base({ rest: { authorized_by: {} } }), serverPre(clientPre(), auth('null', '""')), ['AuthorizedBy', 'NullVsEmpty'], [R.server, R.authorizedBy]),
    // Keys: case-insensitive matching, repeated keys, unknown keys.
    acc('case-insensitive-keys', 'keys in other cases (From, TO, Catalog, SIZE, CheckSum, Encrypted_Key, Signed_By) match the fields case-insensitively', C, {
      From: { Address: A1, Signed_By: 'origin' },
      TO: { ADDRESS: T1 },
      Catalog: { SIZE: 983, CheckSum: { ripemd160: RIPEMD, sha256: SHA }, Encrypted_Key: 'Zm9vYmFy' },
    }, clientPre({ signedBy: q('origin') }), ['CaseInsensitiveKeys'], [R.client]),
    acc('unicode-fold-key', 'Go folds U+017F (ſ) to s and U+212A (Kelvin sign) to k when matching keys: "ſize" sets size, "chec\u212asum" sets checksum', C, base({ catalog: { 'ſize': 7, 'chec\u212asum': null } }), clientPre({ size: '7', checksum: 'null' }), ['CaseInsensitiveKeys'], [R.client]),
    acc('checksum-map-keys-case-sensitive', 'map keys are not folded: SHA256 and sha256 are two entries, sorted bytewise (upper case first)', C, base({ catalog: { checksum: { sha256: SHA, SHA256: 'x', ripemd160: RIPEMD } } }), clientPre({ checksum: `{"SHA256":"x","ripemd160":"${RIPEMD}","sha256":"${SHA}"}` }), ['MapKeyOrder'], [R.client, R.goJson]),
    acc('repeated-key-scalar', 'address then ADDRESS: the later key wins', C, base({ from: { address: A1, ADDRESS: A2 } }), clientPre({ from: q(A2) }), ['DuplicateKeys', 'CaseInsensitiveKeys'], [R.client]),
    acc('repeated-key-struct-merge', 'from then From: the later object is decoded into the earlier one (signed_by kept, address replaced)', C, { ...base({ from: { signed_by: 'origin' } }), From: { address: A2 } }, clientPre({ from: q(A2), signedBy: q('origin') }), ['DuplicateKeys', 'CaseInsensitiveKeys'], [R.client]),
    acc('repeated-key-map-merge', 'checksum then Checksum: the later map is decoded into the earlier one (keys added)', C, base({ catalog: { checksum: { sha256: SHA }, Checksum: { ripemd160: RIPEMD } } }), clientPre(), ['DuplicateKeys', 'CaseInsensitiveKeys', 'MapKeyOrder'], [R.client]),
    acc('repeated-key-null-clears-map', 'checksum then CHECKSUM null: null sets the map to nil', C, base({ catalog: { checksum: { sha256: SHA, ripemd160: RIPEMD }, CHECKSUM: null } }), clientPre({ checksum: 'null' }), ['DuplicateKeys', 'NullVsEmpty'], [R.client, R.nullEmpty]),
    acc('repeated-key-null-clears-bytes', 'encrypted_key then Encrypted_key null: null sets the []byte to nil', C, base({ catalog: { encrypted_key: 'Zm9vYmFy', Encrypted_key: null } }), clientPre({ ek: 'null' }), ['DuplicateKeys', 'NullVsEmpty'], [R.client, R.nullEmpty]),
    acc('repeated-key-null-noop-string', 'address then Address null: null is a no-op on a string (address kept)', C, base({ from: { address: A1, Address: null } }), clientPre(), ['DuplicateKeys', 'NullVsEmpty'], [R.client]),
    acc('null-size-noop', 'size null: a no-op on a number (zero value 0 kept)', C, base({ catalog: { size: null } }), clientPre({ size: '0' }), ['NullVsEmpty'], [R.client]),
    acc('unknown-fields', 'unknown keys at every level are ignored: same client hash as header-001', C, { ...base({ from: { x: 1 }, to: { y: [1, 2] }, catalog: { z: { a: null } } }), extra: 'ignored', version: 2 }, clientPre(), ['UnknownFields'], [R.client, R.unknown]),
    acc('unknown-fields-server', 'unknown keys (also inside authorized_by) do not change the server hash', S, { ...base({ rest: { authorized_by: { public_key: ED2_PUB, signature: authSig, expires: 0 } } }), extra: true }, serverPre(clientPre(), auth(q(ED2_PUB), q(authSig))), ['UnknownFields', 'AuthorizedBy'], [R.server, R.unknown]),
  ];
}

function wrongTypes(): CaseSpec[] {
  const bad = (key: string, comment: string, header: JsonValue): CaseSpec => ({
    key, comment, op: 'header.client_hash', flags: ['WrongType'], inputs: { header }, result: 'invalid', errorClass: 'InvalidInput', requirements: [R.client],
  });
  return [
    bad('size-string', 'size as a JSON string "983" (Go UnmarshalTypeError)', base({ catalog: { size: '983' } })),
    bad('size-negative', 'size −1 does not fit uint64', base({ catalog: { size: -1 } })),
    bad('size-2p64', 'size 2^64 does not fit uint64', base({ catalog: { size: 18446744073709551616n } })),
    bad('from-array', 'from is an array', { ...base(), from: [A1] }),
    bad('address-number', 'from.address is a number', base({ from: { address: 5 } })),
    bad('signed-by-bool', 'from.signed_by is a boolean', base({ from: { signed_by: true } })),
    bad('checksum-string', 'checksum is a string, not a map', base({ catalog: { checksum: SHA } })),
    bad('checksum-value-number', 'a checksum value is a number', base({ catalog: { checksum: { sha256: 1 } } })),
    bad('encrypted-key-not-base64', 'encrypted_key is not base64 (Go: illegal base64 data)', base({ catalog: { encrypted_key: 'Zm9v!mFy' } })),
    bad('encrypted-key-number', 'encrypted_key is a number', base({ catalog: { encrypted_key: 42 } })),
    bad('authorized-by-bad-key', 'authorized_by.public_key is not a key (Go PubKey.UnmarshalJSON fails)', base({ rest: { authorized_by: { public_key: 'foobar', signature: '' } } })),
    bad('signatures-string', 'signatures is a string', base({ rest: { signatures: 'x' } })),
    bad('header-array', 'the header is an array', [base()]),
  ];
}

export const file: VectorFileSpec = {
  name: 'header_hash',
  area: 'HDR',
  requirements: [R.client, R.server],
  source: { kind: 'imported', ...GO_SUITE, path: 'testdata/header-001.json … header-004.json, internal/message/signature.go:200-234', note: 'Go testdata headers with the spec/formats.md §4.3/§13.2 preimages, plus generated Go encoding/json edge cases' },
  header: [
    'Client hash = SHA-256 of the compact Go-JSON of {"client_catalog","client_from","client_to"} (the header sections in Go struct order with their omitempty rules).',
    'Server hash = SHA-256 of the compact Go-JSON of {"client_hash": base64(client hash), "server_authorized_by": authorized_by or null}.',
    'Ops header.client_hash / header.server_hash return hash_hex and the exact preimage text; both must match.',
    'Every expected preimage is hand-written from spec/formats.md §4.2/§4.5; acceptable cases carry inputs outside header_schema_v1.json that Go accepts (expected = Go\'s answer).',
    'Exact duplicate keys in JSON text are not representable here (inputs are JSON objects); repeated keys use case variants, which Go resolves the same way.',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Preimage and hash stated in spec/formats.md §4.3 for a Go testdata header (verified against Go).', effect: 'A different preimage or hash means no header signature interoperates with Go.', links: ['spec/formats.md §4.3', 'internal/message/signature_test.go'] },
    Derived: { bugType: 'BASIC', description: 'Preimage of a Go testdata header derived by the §4.3 rules and consistent with the Go-verified signatures (§13.2).', effect: 'A different preimage means the Go-verified signatures of these files do not verify.', links: ['spec/formats.md §13.2'] },
    OmitEmpty: { bugType: 'EDGE_CASE', description: 'to.fingerprint, catalog.crypto and catalog.txid are omitempty; from.signed_by is not (written as "" when unset or absent).', effect: 'Writing "" fields or dropping signed_by changes the hash, so every signature check fails against Go.', links: ['internal/message/header.go:49-78', 'spec/formats.md §4.2'] },
    NullVsEmpty: { bugType: 'EDGE_CASE', description: 'Go distinguishes nil (null) from empty ("" / {}) for []byte, maps and pointers, and null is a no-op for strings and numbers when decoding.', effect: 'Conflating null and empty gives a different preimage than Go.', links: ['spec/formats.md §4.5'] },
    MapKeyOrder: { bugType: 'EDGE_CASE', description: 'The checksum map (and the hashed outer map) is written with keys sorted bytewise by UTF-8, whatever the input order.', effect: 'Keeping input order gives a different hash for the same header.', links: ['spec/formats.md §4.5'] },
    Uint64: { bugType: 'EDGE_CASE', description: 'catalog.size is a uint64: 0 is written, values above 2^53 must stay exact.', effect: 'A float64 JSON reader rounds the size, so the hash differs.', links: ['internal/message/header.go:59'] },
    FieldOrder: { bugType: 'EDGE_CASE', description: 'Fields are written in Go struct order whatever order the input JSON used.', effect: 'Hashing in input order breaks signatures on headers re-serialised by another implementation.', links: ['internal/message/header.go:49-78'] },
    GoEscaping: { bugType: 'EDGE_CASE', description: 'Go encoding/json string escaping: < > & as \\u003c \\u003e \\u0026, U+2028/U+2029 escaped, C0 controls \\u00XX except \\n \\r \\t, quote and backslash escaped, / and non-ASCII raw.', effect: 'A JSON writer with other escaping (e.g. JSON.stringify) hashes different bytes.', links: ['spec/formats.md §4.5'] },
    GoVersionDependent: { bugType: 'INTEROP', description: 'Go 1.22 changed encoding/json to write \\b and \\f short forms; Go releases before it (which built bitmaelum-suite) write \\u0008 and \\u000c. The expected value follows the older form.', effect: 'A Go implementation built with Go ≥ 1.22 hashes these strings differently.', links: ['https://go.dev/doc/go1.22#encoding/json'] },
    LegacyHeader: { bugType: 'LEGACY', description: 'Header written between 2021-01-27 and 2021-04-15: no crypto field, RSA PKCS#1 v1.5 encrypted_key.', effect: 'Refusing or re-hashing legacy headers breaks signature checks on mail stored before April 2021.', links: ['spec/formats.md §14'] },
    SignaturesNotHashed: { bugType: 'BASIC', description: 'signatures.client / signatures.server are not part of either hashed map.', effect: 'Hashing the signatures makes re-signing and verification disagree with Go.', links: ['spec/formats.md §4.3'] },
    AuthorizedBy: { bugType: 'EDGE_CASE', description: 'authorized_by is covered by the server hash only, as {"public_key","signature"} in struct order, or null when absent.', effect: 'Leaving it out of the server hash lets a relay add or swap the on-behalf key after the server signed.', links: ['spec/formats.md §4.3'] },
    PublicKeyNormalisation: { bugType: 'GO_QUIRK', description: 'authorized_by.public_key is decoded as a key and hashed as Go PubKey.String(): TrimSpace("<type> <data> <description>").', effect: 'Hashing the raw input text gives a different server hash when the text has extra whitespace.', links: ['pkg/bmcrypto/keytype.go:200-283'] },
    OutsideSchema: { bugType: 'GO_QUIRK', description: 'The input is outside header_schema_v1.json but Go decodes and hashes it. An implementation may refuse it (InvalidInput); if it accepts it, it must produce the expected (Go) preimage.', effect: 'An implementation that accepts such a header but hashes it differently disagrees with the Go server that checked its signature.', links: ['schemas/header_schema_v1.json'] },
    Base64Lenient: { bugType: 'GO_QUIRK', description: 'Go base64.StdEncoding skips \\r and \\n when decoding []byte fields; the value is re-encoded canonically.', effect: 'Hashing the raw text instead of the decoded bytes gives a different preimage than Go.', links: ['spec/formats.md §4.2'] },
    CaseInsensitiveKeys: { bugType: 'GO_QUIRK', description: 'Go matches JSON keys to struct fields case-insensitively (Unicode simple folding: ſ → s, K → k); map keys are not folded.', effect: 'An implementation that ignores such keys hashes zero values where Go hashes the given ones.', links: ['https://pkg.go.dev/encoding/json#Unmarshal'] },
    DuplicateKeys: { bugType: 'GO_QUIRK', description: 'Several keys naming the same field are applied in order: a later object is decoded into the earlier value (structs and maps merge), a later scalar replaces it, null clears maps/[]byte/pointers and is a no-op on strings and numbers.', effect: 'First-wins or replace-whole-object readers see a different header than the Go server that checked its signature.', links: ['https://pkg.go.dev/encoding/json#Unmarshal'] },
    UnknownFields: { bugType: 'EDGE_CASE', description: 'Unknown keys are ignored and do not change either hash.', effect: 'Hashing or rejecting unknown keys breaks forward compatibility with newer headers.', links: ['internal/message/header.go:49-78'] },
    WrongType: { bugType: 'BASIC', description: 'A JSON type Go cannot decode into the field (string for a uint64, array for a struct, bad base64 for []byte, …): json.Unmarshal fails.', effect: 'Coercing the value hashes a header Go would never accept.', links: ['https://pkg.go.dev/encoding/json#UnmarshalTypeError'] },
  },
  build(ctx) {
    return [
      ...importedGroups(),
      { op: 'header.client_hash', comment: 'generated Go-JSON edge cases inside header_schema_v1.json', source: { kind: 'generated' }, cases: generatedValid(ctx.rng) },
      { op: 'header.client_hash', comment: 'inputs Go accepts outside header_schema_v1.json (acceptable: refuse, or hash exactly as Go)', source: { kind: 'generated' }, cases: generatedOutsideSchema(ctx.rng) },
      { op: 'header.client_hash', comment: 'JSON types Go cannot decode into the header', source: { kind: 'generated' }, cases: wrongTypes() },
    ];
  },
};

