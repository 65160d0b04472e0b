/**
 * BitMaelum keys: the text form `"<type> <b64 DER>"`, parsing, formatting, fingerprints,
 * generation (spec/formats.md §1.1–§1.3, §7.3; Go `pkg/bmcrypto/keytype.go:95-301`,
 * `key_rsa.go`, `key_ed25519.go`, `key_ecdsa.go`).
 *
 * What Go decides and this module reproduces:
 * - Private key string: must contain a space; split at the FIRST space; the type word must match
 *   exactly (else "unsupported key type" → {@link UnsupportedKeyType}); the rest is `TrimSpace`d
 *   (Go's Unicode rule, {@link goTrimSpace}), strictly base64-decoded (std alphabet, padding
 *   required, `\r`/`\n` skipped), then DER-parsed. Any failure → "incorrect key format" →
 *   {@link InvalidKey}.
 * - Public key string: split on single spaces into at most 3 parts; description = everything
 *   after the second space, verbatim; key data `TrimSpace`d.
 * - RSA private keys: PKCS#1 first, then PKCS#8. No size check on parse (`rsa` may hold a
 *   1024-bit key), no curve restriction beyond Go's x509 set (P-224/256/384/521) for `ecdsa`.
 * - Formatting returns Go's `String()`: the type plus the key text exactly as it was parsed
 *   (Go keeps `pk.S`, so odd-but-accepted text such as embedded `\r\n` survives), and for public
 *   keys `TrimSpace("<type> <b64> <description>")`.
 * - Keys made here (generateKeyPair, publicKeyOf, ed25519FromEntropy) have DER byte-identical
 *   to Go's `x509.MarshalPKCS8PrivateKey` / `MarshalPKIXPublicKey`: Ed25519 48-byte PKCS#8 and
 *   44-byte SPKI; ECDSA PKCS#8 wrapping a SEC1 ECPrivateKey WITHOUT curve parameters and WITH the
 *   public key; 120-byte P-384 SPKI (uncompressed point). RSA DER comes from node (OpenSSL), which
 *   encodes PKCS#8/SPKI the same way Go does.
 *
 * Deliberate differences from Go (documented, tested):
 * - Go parses any PKCS#8/SPKI algorithm under any type word (e.g. `ecdsa <ed25519 DER>`) and then
 *   panics on use. Here the DER algorithm must match the type word, else {@link InvalidKey}.
 * - RSA structures are validated by node/OpenSSL, which does not run Go's `PrivateKey.Validate`
 *   consistency check and may differ on exotic BER/DER corner cases.
 * - An ECDSA private scalar of 0 is refused (old Go accepted it and produced a point at infinity).
 * @module
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ecdsa as makeEcdsa, weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { sha224, sha256 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { InvalidInput, InvalidKey, UnsupportedKeyType } from './errors.ts';
import { abytes, astring, fromB64, toB64, toHex } from './bytes.ts';
import { goRsaKeyFromSeed, type RsaNumbers } from './rsaseed.ts';
import type { Rng } from './random.ts';
import {
  DerError,
  TAG_BIT_STRING,
  TAG_INTEGER,
  TAG_NULL,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  bigintToBytes,
  bytesToBigint,
  children,
  expectTlv,
  integerValue,
  readTlv,
  tlv,
} from './der.ts';

export type KeyType = 'rsa' | 'rsa4096' | 'ed25519' | 'ecdsa';
/** Go's `KeyTypes`, in its search order (spec §1.1). */
export const KEY_TYPES: readonly KeyType[] = Object.freeze(['rsa', 'rsa4096', 'ed25519', 'ecdsa'] as const);

export interface PrivateKey {
  readonly type: KeyType;
  /** DER as given: PKCS#8 (PKCS#1 accepted for rsa/rsa4096). */
  readonly der: Uint8Array;
  /** The base64 text the key was parsed from (Go's `pk.S`); formatting prefers it. Absent → canonical b64 of `der`. */
  readonly b64?: string;
}

export interface PublicKey {
  readonly type: KeyType;
  /** SPKI DER. */
  readonly der: Uint8Array;
  /** Everything after the second space of the text form, verbatim ('' when absent). */
  readonly description: string;
  /** The base64 text the key was parsed from; absent → canonical b64 of `der`. */
  readonly b64?: string;
}

export function isKeyType(s: unknown): s is KeyType {
  return typeof s === 'string' && (KEY_TYPES as readonly string[]).includes(s);
}

// ---------------------------------------------------------------------------------------------
// Go strings.TrimSpace

/** Go `unicode.IsSpace`: differs from JS `trim` (Go trims U+0085, keeps U+FEFF). */
function isGoSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Go `strings.TrimSpace`. */
export function goTrimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s.charCodeAt(a))) a++;
  while (b > a && isGoSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

// ---------------------------------------------------------------------------------------------
// Curves and OIDs

/** An ECDSA curve Go's x509 knows (the key type `ecdsa` means P-384, but parsing accepts all four). */
export interface EcCurve {
  readonly name: 'P-224' | 'P-256' | 'P-384' | 'P-521';
  /** Byte length of a field element / of the order (equal for these curves). */
  readonly size: number;
  readonly n: bigint;
  readonly ecdsa: typeof p384;
  readonly oid: Uint8Array;
}

// P-224 is not shipped by noble; its FIPS 186-4 domain parameters, checked against node's
// secp224r1 in keys.test.ts. Go's keytype tests parse P-224 keys, so parsing and use must work.
const p224Point = weierstrass({
  p: BigInt('0xffffffffffffffffffffffffffffffff000000000000000000000001'),
  n: BigInt('0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d'),
  h: 1n,
  a: BigInt('0xfffffffffffffffffffffffffffffffefffffffffffffffffffffffe'),
  b: BigInt('0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4'),
  Gx: BigInt('0xb70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21'),
  Gy: BigInt('0xbd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34'),
});
const p224 = makeEcdsa(p224Point, sha224) as unknown as typeof p384;

const oid = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const OID_RSA = oid('2a864886f70d010101'); // 1.2.840.113549.1.1.1 rsaEncryption
const OID_ED25519 = oid('2b6570'); // 1.3.101.112
const OID_EC = oid('2a8648ce3d0201'); // 1.2.840.10045.2.1 ecPublicKey

const CURVES: readonly EcCurve[] = [
  { name: 'P-224', size: 28, n: p224Point.Fn.ORDER, ecdsa: p224, oid: oid('2b81040021') },
  { name: 'P-256', size: 32, n: p256.Point.Fn.ORDER, ecdsa: p256, oid: oid('2a8648ce3d030107') },
  { name: 'P-384', size: 48, n: p384.Point.Fn.ORDER, ecdsa: p384, oid: oid('2b81040022') },
  { name: 'P-521', size: 66, n: p521.Point.Fn.ORDER, ecdsa: p521, oid: oid('2b81040023') },
];
const P384 = CURVES[2]!;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
function curveByOid(o: Uint8Array): EcCurve | undefined {
  return CURVES.find((c) => sameBytes(c.oid, o));
}

// ---------------------------------------------------------------------------------------------
// Parsed forms (cached per key object)

type ParsedPriv =
  | { kind: 'ed25519'; seed: Uint8Array; pub: Uint8Array }
  | { kind: 'ecdsa'; curve: EcCurve; d: bigint; point: Uint8Array }
  | { kind: 'rsa'; key: KeyObject };
type ParsedPub =
  | { kind: 'ed25519'; pub: Uint8Array }
  | { kind: 'ecdsa'; curve: EcCurve; point: Uint8Array }
  | { kind: 'rsa'; key: KeyObject };

const privCache = new WeakMap<object, ParsedPriv>();
const pubCache = new WeakMap<object, ParsedPub>();

function familyOf(type: KeyType): 'rsa' | 'ed25519' | 'ecdsa' {
  return type === 'rsa4096' ? 'rsa' : type;
}

const ED25519_PKCS8_PREFIX = oid('302e020100300506032b657004220420');
const ED25519_SPKI_PREFIX = oid('302a300506032b6570032100');

/** AlgorithmIdentifier → [oid, params element or undefined]. */
function algorithm(content: Uint8Array): [Uint8Array, { tag: number; content: Uint8Array } | undefined] {
  const parts = children(content);
  if (parts.length < 1 || parts[0]!.tag !== TAG_OID) throw new DerError('algorithm: expected OID');
  return [parts[0]!.content, parts[1]];
}

/** PKCS#8 (Go x509.ParsePKCS8PrivateKey: bytes after the outer SEQUENCE are ignored). */
function parsePkcs8(type: KeyType, der: Uint8Array): ParsedPriv {
  const outer = expectTlv(der, 0, TAG_SEQUENCE, 'PrivateKeyInfo');
  const parts = children(outer.content);
  if (parts.length < 3) throw new DerError('PrivateKeyInfo: too few fields');
  if (parts[0]!.tag !== TAG_INTEGER) throw new DerError('PrivateKeyInfo: version');
  integerValue(parts[0]!.content);
  if (parts[1]!.tag !== TAG_SEQUENCE) throw new DerError('PrivateKeyInfo: algorithm');
  if (parts[2]!.tag !== TAG_OCTET_STRING) throw new DerError('PrivateKeyInfo: privateKey');
  const [algOid, params] = algorithm(parts[1]!.content);
  const inner = parts[2]!.content;
  const fam = familyOf(type);
  if (sameBytes(algOid, OID_ED25519)) {
    if (fam !== 'ed25519') throw new DerError(`an Ed25519 key under type ${type}`);
    if (params) throw new DerError('Ed25519 key contains parameters');
    // Go: asn1.Unmarshal(privKey.PrivateKey, &curvePrivateKey) ignores trailing bytes.
    const seed = expectTlv(inner, 0, TAG_OCTET_STRING, 'CurvePrivateKey').content;
    if (seed.length !== 32) throw new DerError(`Ed25519 seed must be 32 bytes, got ${seed.length}`);
    const s = Uint8Array.from(seed);
    return { kind: 'ed25519', seed: s, pub: ed25519.getPublicKey(s) };
  }
  if (sameBytes(algOid, OID_EC)) {
    if (fam !== 'ecdsa') throw new DerError(`an EC key under type ${type}`);
    let named: Uint8Array | undefined;
    if (params && params.tag === TAG_OID) named = params.content;
    return parseSec1(inner, named);
  }
  if (sameBytes(algOid, OID_RSA)) {
    if (fam !== 'rsa') throw new DerError(`an RSA key under type ${type}`);
    // Only the outer SEQUENCE: Go ignores what follows it, OpenSSL's view of it is irrelevant.
    const key = createPrivateKey({ key: Buffer.from(der.subarray(0, outer.end)), format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'rsa') throw new DerError('not an RSA key');
    return { kind: 'rsa', key };
  }
  throw new DerError('unknown private key algorithm');
}

/** SEC1 ECPrivateKey inside PKCS#8 (Go x509.parseECPrivateKey). */
function parseSec1(der: Uint8Array, namedFromPkcs8: Uint8Array | undefined): ParsedPriv {
  const seq = expectTlv(der, 0, TAG_SEQUENCE, 'ECPrivateKey');
  const parts = children(seq.content);
  if (parts.length < 2 || parts[0]!.tag !== TAG_INTEGER || parts[1]!.tag !== TAG_OCTET_STRING)
    throw new DerError('ECPrivateKey: bad structure');
  if (integerValue(parts[0]!.content) !== 1n) throw new DerError('ECPrivateKey: unknown version');
  let named = namedFromPkcs8;
  for (const p of parts.slice(2)) {
    if (p.tag === 0xa0 && !named) named = expectTlv(p.content, 0, TAG_OID, 'namedCurve').content;
  }
  if (!named) throw new DerError('ECPrivateKey: no named curve');
  const curve = curveByOid(named);
  if (!curve) throw new DerError('unsupported elliptic curve');
  let raw = parts[1]!.content;
  const d = bytesToBigint(raw);
  if (d >= curve.n) throw new DerError('invalid elliptic curve private key value');
  // Go strips leading zero bytes beyond the order length and refuses a longer non-zero value.
  while (raw.length > curve.size) {
    if (raw[0] !== 0) throw new DerError('invalid private key length');
    raw = raw.subarray(1);
  }
  if (d === 0n) throw new DerError('private scalar is zero');
  // Go recomputes the public point from D and ignores the embedded one.
  const point = curve.ecdsa.Point.BASE.multiply(d).toBytes(false);
  return { kind: 'ecdsa', curve, d, point };
}

/** SPKI (Go x509.ParsePKIXPublicKey: trailing data is an error). */
function parseSpki(type: KeyType, der: Uint8Array): ParsedPub {
  const outer = expectTlv(der, 0, TAG_SEQUENCE, 'SubjectPublicKeyInfo');
  if (outer.end !== der.length) throw new DerError('trailing data after ASN.1 of public-key');
  const parts = children(outer.content);
  if (parts.length < 2 || parts[0]!.tag !== TAG_SEQUENCE || parts[1]!.tag !== TAG_BIT_STRING)
    throw new DerError('SubjectPublicKeyInfo: bad structure');
  const [algOid, params] = algorithm(parts[0]!.content);
  const bits = parts[1]!.content;
  if (bits.length < 1 || bits[0] !== 0) throw new DerError('public key BIT STRING must have 0 unused bits');
  const key = bits.subarray(1);
  const fam = familyOf(type);
  if (sameBytes(algOid, OID_ED25519)) {
    if (fam !== 'ed25519') throw new DerError(`an Ed25519 key under type ${type}`);
    if (params) throw new DerError('Ed25519 key encoded with illegal parameters');
    if (key.length !== 32) throw new DerError('wrong Ed25519 public key size');
    return { kind: 'ed25519', pub: Uint8Array.from(key) };
  }
  if (sameBytes(algOid, OID_EC)) {
    if (fam !== 'ecdsa') throw new DerError(`an EC key under type ${type}`);
    if (!params || params.tag !== TAG_OID) throw new DerError('EC key without named curve');
    const curve = curveByOid(params.content);
    if (!curve) throw new DerError('unsupported elliptic curve');
    // Go's elliptic.Unmarshal: uncompressed form only, point on the curve.
    if (key.length !== 1 + 2 * curve.size || key[0] !== 0x04) throw new DerError('EC point not uncompressed');
    const P = curve.ecdsa.Point.fromBytes(key);
    P.assertValidity();
    return { kind: 'ecdsa', curve, point: Uint8Array.from(key) };
  }
  if (sameBytes(algOid, OID_RSA)) {
    if (fam !== 'rsa') throw new DerError(`an RSA key under type ${type}`);
    // RFC 3279 §2.3.1, enforced by Go: "x509: RSA key missing NULL parameters".
    if (!params || params.tag !== TAG_NULL || params.content.length !== 0) throw new DerError('RSA key missing NULL parameters');
    const k = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    if (k.asymmetricKeyType !== 'rsa') throw new DerError('not an RSA key');
    return { kind: 'rsa', key: k };
  }
  throw new DerError('unknown public key algorithm');
}

function parsePrivDer(type: KeyType, der: Uint8Array): ParsedPriv {
  if (familyOf(type) === 'rsa') {
    // key_rsa.go:94-101: PKCS#1 first, then PKCS#8. Go's ParsePKCS1PrivateKey refuses trailing
    // data (OpenSSL would accept it), so that is checked here before asking node.
    try {
      if (expectTlv(der, 0, TAG_SEQUENCE, 'RSAPrivateKey').end === der.length) {
        const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' });
        if (key.asymmetricKeyType === 'rsa') return { kind: 'rsa', key };
      }
    } catch {
      // fall through to PKCS#8
    }
  }
  return parsePkcs8(type, der);
}

function wrapParse<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new InvalidKey('incorrect key format', { cause: e });
  }
}

function privParsed(k: PrivateKey): ParsedPriv {
  if (!k || typeof k !== 'object' || !isKeyType(k.type) || !(k.der instanceof Uint8Array))
    throw new InvalidInput('privateKey: expected a PrivateKey object');
  let p = privCache.get(k);
  if (!p) {
    p = wrapParse(() => parsePrivDer(k.type, k.der));
    privCache.set(k, p);
  }
  return p;
}

function pubParsed(k: PublicKey): ParsedPub {
  if (!k || typeof k !== 'object' || !isKeyType(k.type) || !(k.der instanceof Uint8Array))
    throw new InvalidInput('publicKey: expected a PublicKey object');
  let p = pubCache.get(k);
  if (!p) {
    p = wrapParse(() => parseSpki(k.type, k.der));
    pubCache.set(k, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Text form

/** Go `base64.StdEncoding.Decode` of the key data (any failure → "incorrect key format"). */
function decodeKeyData(s: string): Uint8Array {
  try {
    return fromB64(s, 'key');
  } catch (e) {
    throw new InvalidKey('incorrect key format', { cause: e });
  }
}

/** `PrivateKeyFromString` (keytype.go:132-171). */
export function parsePrivateKey(text: string): PrivateKey {
  astring(text, 'privateKey');
  const sp = text.indexOf(' ');
  if (sp < 0) throw new InvalidKey('incorrect key format');
  const typ = text.slice(0, sp);
  if (!isKeyType(typ)) throw new UnsupportedKeyType('unsupported key type');
  const b64 = goTrimSpace(text.slice(sp + 1));
  const der = decodeKeyData(b64);
  const key: PrivateKey = Object.freeze({ type: typ, der, b64 });
  privCache.set(key, wrapParse(() => parsePrivDer(typ, der)));
  return key;
}

/** `PublicKeyFromString` (keytype.go:241-283). */
export function parsePublicKey(text: string): PublicKey {
  astring(text, 'publicKey');
  if (!text.includes(' ')) throw new InvalidKey('incorrect key format');
  const s1 = text.indexOf(' ');
  const s2 = text.indexOf(' ', s1 + 1);
  const typ = text.slice(0, s1);
  const data = s2 < 0 ? text.slice(s1 + 1) : text.slice(s1 + 1, s2);
  const description = s2 < 0 ? '' : text.slice(s2 + 1);
  if (!isKeyType(typ)) throw new UnsupportedKeyType('unsupported key type');
  const b64 = goTrimSpace(data);
  const der = decodeKeyData(b64);
  const key: PublicKey = Object.freeze({ type: typ, der, description, b64 });
  pubCache.set(key, wrapParse(() => parseSpki(typ, der)));
  return key;
}

/** `PrivKey.String()`: `"<type> <b64>"`. */
export function formatPrivateKey(k: PrivateKey): string {
  privParsed(k);
  return `${k.type} ${k.b64 ?? toB64(k.der)}`;
}

/** `PubKey.String()`: `TrimSpace("<type> <b64> <description>")`. */
export function formatPublicKey(k: PublicKey): string {
  pubParsed(k);
  return goTrimSpace(`${k.type} ${k.b64 ?? toB64(k.der)} ${k.description ?? ''}`);
}

/** `PubKey.Fingerprint()` (keytype.go:211-215): hex SHA-256 of the SPKI DER. */
export function fingerprint(pub: PublicKey): string {
  pubParsed(pub);
  return toHex(sha256(pub.der));
}

// ---------------------------------------------------------------------------------------------
// Construction with Go's DER

/** Ed25519 PKCS#8, RFC 8410 48-byte form (Go MarshalPKCS8PrivateKey). */
export function ed25519PrivateDer(seed: Uint8Array): Uint8Array {
  abytes(seed, 'seed', 32);
  const out = new Uint8Array(48);
  out.set(ED25519_PKCS8_PREFIX, 0);
  out.set(seed, 16);
  return out;
}

/** Ed25519 SPKI, 44 bytes. */
export function ed25519PublicDer(pub: Uint8Array): Uint8Array {
  abytes(pub, 'publicKey', 32);
  const out = new Uint8Array(44);
  out.set(ED25519_SPKI_PREFIX, 0);
  out.set(pub, 12);
  return out;
}

function ecAlgId(curve: EcCurve): Uint8Array {
  return tlv(TAG_SEQUENCE, tlv(TAG_OID, OID_EC), tlv(TAG_OID, curve.oid));
}

/**
 * EC PKCS#8 exactly as Go `x509.MarshalPKCS8PrivateKey`: curve OID in the PKCS#8 algorithm,
 * inner SEC1 ECPrivateKey {1, D padded to the order length, [1] public key} without [0] params.
 */
function ecPrivateDer(curve: EcCurve, d: bigint): Uint8Array {
  const point = curve.ecdsa.Point.BASE.multiply(d).toBytes(false);
  const sec1 = tlv(
    TAG_SEQUENCE,
    tlv(TAG_INTEGER, Uint8Array.of(1)),
    tlv(TAG_OCTET_STRING, bigintToBytes(d, curve.size)),
    tlv(0xa1, tlv(TAG_BIT_STRING, Uint8Array.of(0), point)),
  );
  return tlv(TAG_SEQUENCE, tlv(TAG_INTEGER, Uint8Array.of(0)), ecAlgId(curve), tlv(TAG_OCTET_STRING, sec1));
}

/** EC SPKI (uncompressed point), as Go `x509.MarshalPKIXPublicKey`. */
function ecPublicDer(curve: EcCurve, point: Uint8Array): Uint8Array {
  return tlv(TAG_SEQUENCE, ecAlgId(curve), tlv(TAG_BIT_STRING, Uint8Array.of(0), point));
}

function makePriv(type: KeyType, der: Uint8Array, parsed: ParsedPriv): PrivateKey {
  const k: PrivateKey = Object.freeze({ type, der });
  privCache.set(k, parsed);
  return k;
}
function makePub(type: KeyType, der: Uint8Array, parsed: ParsedPub, description = ''): PublicKey {
  const k: PublicKey = Object.freeze({ type, der, description });
  pubCache.set(k, parsed);
  return k;
}

/** Ed25519 key pair from a 32-byte seed (Go `ed25519.NewKeyFromSeed` + Marshal…). */
export function ed25519FromSeed(seed: Uint8Array): { privateKey: PrivateKey; publicKey: PublicKey } {
  abytes(seed, 'seed', 32);
  const s = Uint8Array.from(seed);
  const pub = ed25519.getPublicKey(s);
  return {
    privateKey: makePriv('ed25519', ed25519PrivateDer(s), { kind: 'ed25519', seed: s, pub }),
    publicKey: makePub('ed25519', ed25519PublicDer(pub), { kind: 'ed25519', pub }),
  };
}

/** ECDSA key pair from a private scalar (1 ≤ d < n) on `curve` (default P-384). */
export function ecdsaFromScalar(
  d: bigint,
  curveName: EcCurve['name'] = 'P-384',
): { privateKey: PrivateKey; publicKey: PublicKey } {
  const curve = CURVES.find((c) => c.name === curveName);
  if (!curve) throw new UnsupportedKeyType(`curve: unsupported ${String(curveName)}`);
  if (typeof d !== 'bigint' || d < 1n || d >= curve.n) throw new InvalidInput('d: expected 1 <= d < n');
  const point = curve.ecdsa.Point.BASE.multiply(d).toBytes(false);
  return {
    privateKey: makePriv('ecdsa', ecPrivateDer(curve, d), { kind: 'ecdsa', curve, d, point }),
    publicKey: makePub('ecdsa', ecPublicDer(curve, point), { kind: 'ecdsa', curve, point }),
  };
}

/** The public half of a private key, as Go derives it (description ''). */
export function publicKeyOf(priv: PrivateKey): PublicKey {
  const p = privParsed(priv);
  switch (p.kind) {
    case 'ed25519':
      return makePub(priv.type, ed25519PublicDer(p.pub), { kind: 'ed25519', pub: p.pub });
    case 'ecdsa':
      return makePub(priv.type, ecPublicDer(p.curve, p.point), { kind: 'ecdsa', curve: p.curve, point: p.point });
    case 'rsa': {
      const pk = createPublicKey(p.key);
      const der = new Uint8Array(pk.export({ type: 'spki', format: 'der' }));
      return makePub(priv.type, der, { kind: 'rsa', key: pk });
    }
  }
}

/**
 * A fresh key pair of `type`.
 * - ed25519: seed = rng.bytes(32) (deterministic for a seeded rng).
 * - ecdsa (P-384): d = (int(rng.bytes(56)) mod (n−1)) + 1 — the `randFieldElement` rule of Go's
 *   `ecdsa.GenerateKey` up to Go 1.19 (reads BitSize/8+8 bytes), so a seeded rng is deterministic
 *   and matches what such a Go build made from the same reader.
 * - rsa / rsa4096: node `generateKeyPairSync` (2048 / 4096 bits, e = 65537). NOT seedable: `rng`
 *   is not consulted, output differs per call. Go's derivation from a seed is {@link rsaFromSeed}.
 */
export function generateKeyPair(type: KeyType, rng: Rng): { privateKey: PrivateKey; publicKey: PublicKey } {
  if (!isKeyType(type)) throw new UnsupportedKeyType(`type: unsupported key type ${JSON.stringify(type)}`);
  switch (type) {
    case 'ed25519':
      return ed25519FromSeed(rng.bytes(32));
    case 'ecdsa': {
      const b = rng.bytes(P384.size + 8);
      const d = (bytesToBigint(b) % (P384.n - 1n)) + 1n;
      return ecdsaFromScalar(d, 'P-384');
    }
    case 'rsa':
    case 'rsa4096': {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', {
        modulusLength: type === 'rsa' ? 2048 : 4096,
        publicExponent: 65537,
      });
      const der = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
      const pder = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
      return {
        privateKey: makePriv(type, der, { kind: 'rsa', key: privateKey }),
        publicKey: makePub(type, pder, { kind: 'rsa', key: publicKey }),
      };
    }
  }
}

/** Modulus sizes of the RSA key types (keytype.go: rsa 2048, rsa4096 4096). */
export const RSA_BITS: Readonly<Record<'rsa' | 'rsa4096', number>> = Object.freeze({ rsa: 2048, rsa4096: 4096 });

function jwkNumber(v: bigint): string {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/**
 * An RSA key pair from its numbers. node (OpenSSL) writes PKCS#8 and SPKI for a two-prime key
 * exactly as Go's `x509.MarshalPKCS8PrivateKey` / `MarshalPKIXPublicKey` (version 0, rsaEncryption
 * with NULL parameters, n e d p q dp dq qinv): checked byte for byte against the Go answers in
 * rsaseed.test.ts.
 */
export function rsaFromNumbers(type: 'rsa' | 'rsa4096', k: RsaNumbers): { privateKey: PrivateKey; publicKey: PublicKey } {
  const jwk = { kty: 'RSA', n: jwkNumber(k.n), e: jwkNumber(k.e), d: jwkNumber(k.d), p: jwkNumber(k.p), q: jwkNumber(k.q), dp: jwkNumber(k.dp), dq: jwkNumber(k.dq), qi: jwkNumber(k.qinv) };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey: makePriv(type, new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })), { kind: 'rsa', key: privateKey }),
    publicKey: makePub(type, new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })), { kind: 'rsa', key: publicKey }),
  };
}

/**
 * The RSA key pair Go derives from a seed (spec/formats.md §7.3, rsaseed.ts): only the first 24
 * bytes count. 2048 bits for `rsa`, 4096 for `rsa4096`.
 * @throws InvalidInput when the seed has fewer than 24 bytes
 */
export function rsaFromSeed(type: 'rsa' | 'rsa4096', seed: Uint8Array): { privateKey: PrivateKey; publicKey: PublicKey } {
  if (type !== 'rsa' && type !== 'rsa4096') throw new UnsupportedKeyType(`type: ${JSON.stringify(type)} is not an RSA key type`);
  return rsaFromNumbers(type, goRsaKeyFromSeed(seed, RSA_BITS[type]));
}

/**
 * Ed25519 pair from mnemonic entropy (spec §7.3, key_ed25519.go:82-118):
 * seed = HKDF-SHA256(IKM = entropy, salt = empty, info = empty, L = 32). Entropy must be 24 or 32
 * bytes (18- or 24-word phrases) → else InvalidInput.
 */
export function ed25519FromEntropy(entropy: Uint8Array): { privateKey: PrivateKey; publicKey: PublicKey } {
  abytes(entropy, 'entropy', 24, 32);
  return ed25519FromSeed(hkdf(sha256, entropy, new Uint8Array(0), new Uint8Array(0), 32));
}

// ---------------------------------------------------------------------------------------------
// Raw accessors (for signature.ts, exchange.ts, dualkex.ts, jwt.ts …)

function wrongType(what: string, k: { type: KeyType }): never {
  throw new UnsupportedKeyType(`${what}: not available for key type ${k.type}`);
}

/** The 32-byte Ed25519 seed. */
export function ed25519Seed(priv: PrivateKey): Uint8Array {
  const p = privParsed(priv);
  if (p.kind !== 'ed25519') wrongType('ed25519Seed', priv);
  return Uint8Array.from(p.seed);
}

/** The 32-byte Ed25519 public key of a private key. */
export function ed25519PublicOfPrivate(priv: PrivateKey): Uint8Array {
  const p = privParsed(priv);
  if (p.kind !== 'ed25519') wrongType('ed25519PublicOfPrivate', priv);
  return Uint8Array.from(p.pub);
}

/** The raw 32-byte Ed25519 public key. */
export function ed25519PublicBytes(pub: PublicKey): Uint8Array {
  const p = pubParsed(pub);
  if (p.kind !== 'ed25519') wrongType('ed25519PublicBytes', pub);
  return Uint8Array.from(p.pub);
}

/** ECDSA private scalar and its curve. */
export function ecdsaPrivateScalar(priv: PrivateKey): { curve: EcCurve; d: bigint } {
  const p = privParsed(priv);
  if (p.kind !== 'ecdsa') wrongType('ecdsaPrivateScalar', priv);
  return { curve: p.curve, d: p.d };
}

/** ECDSA public point (uncompressed SEC1 bytes) and its curve. */
export function ecdsaPublicPoint(pub: PublicKey): { curve: EcCurve; point: Uint8Array } {
  const p = pubParsed(pub);
  if (p.kind !== 'ecdsa') wrongType('ecdsaPublicPoint', pub);
  return { curve: p.curve, point: Uint8Array.from(p.point) };
}

/** Node KeyObject of an RSA private key. */
export function rsaPrivateKeyObject(priv: PrivateKey): KeyObject {
  const p = privParsed(priv);
  if (p.kind !== 'rsa') wrongType('rsaPrivateKeyObject', priv);
  return p.key;
}

/** Node KeyObject of an RSA public key. */
export function rsaPublicKeyObject(pub: PublicKey): KeyObject {
  const p = pubParsed(pub);
  if (p.kind !== 'rsa') wrongType('rsaPublicKeyObject', pub);
  return p.key;
}

/** Validate a key object (throws InvalidKey/InvalidInput); used by callers that accept objects. */
export function assertPrivateKey(k: unknown, field = 'privateKey'): asserts k is PrivateKey {
  if (!k || typeof k !== 'object') throw new InvalidInput(`${field}: expected a PrivateKey object`);
  privParsed(k as PrivateKey);
}
export function assertPublicKey(k: unknown, field = 'publicKey'): asserts k is PublicKey {
  if (!k || typeof k !== 'object') throw new InvalidInput(`${field}: expected a PublicKey object`);
  pubParsed(k as PublicKey);
}
