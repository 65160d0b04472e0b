/**
 * JWT bearer tokens for account API access (spec/formats.md §8; Go `internal/api/jwt.go:53-135`,
 * `pkg/bmcrypto/jwt_ed25519_sign.go`, `key_rsa.go:161-169`, `key_ecdsa.go:99-107`,
 * `key_ed25519.go:121-129`, `vtolstov/jwt-go` v3.2.0 `parser.go`, `claims.go`, `rsa.go`, `ecdsa.go`).
 *
 * Token = `b64url(header) "." b64url(claims) "." b64url(signature)`, no padding:
 * - header: Go map → sorted keys `{"alg":"<alg>","typ":"JWT"}`; alg by key type: rsa/rsa4096 →
 *   `RS256` (PKCS#1 v1.5 over SHA-256 of the ASCII signing input), ecdsa → `ES384` (ECDSA over
 *   SHA-384 of the signing input, signature r‖s each left-padded to 48 bytes — jwt-go's rule, not
 *   BitMaelum's "message is the digest" sign rule), ed25519 → `EdDSA` (raw Ed25519 over the ASCII
 *   signing input);
 * - claims: jwt-go `StandardClaims` in struct order with omitempty → `{"exp","iat","nbf","sub"}`;
 * - window (`GenerateJWTToken`): `ct = (now / 30) * 30` (Go integer division, truncating toward
 *   zero), `iat = nbf = ct − 30`, `exp = ct + 60`.
 *
 * Verification (`ValidateJWTToken` + jwt-go `ParseWithClaims`), as Go accepts:
 * - 3 segments; each segment decoded by jwt-go `DecodeSegment` (padding re-added, URL alphabet,
 *   so an already padded segment is accepted); header a JSON object with a string `alg`; claims a
 *   JSON object decoded into StandardClaims (keys case-insensitive; exp/iat/nbf int64, aud/jti/iss/
 *   sub strings; a wrong type is malformed);
 * - alg must be a registered jwt-go method and verify with the key: RS256/RS384/RS512 with an RSA
 *   key, ES256/ES384/ES512 with an ECDSA key (any method of the family passes Go's
 *   `JWTHasValidSignMethod`), EdDSA with an Ed25519 key. PS*, HS*, `none` and unknown algs never
 *   verify;
 * - times (jwt-go `StandardClaims.Valid`, no leeway): expired iff `exp != 0 && now > exp`; not yet
 *   valid iff `iat != 0 && now < iat` or `nbf != 0 && now < nbf`. A zero/absent claim is not
 *   checked (jwt-go treats it as optional);
 * - `sub` must equal the address hash (Go: constant-time compare of the strings).
 *
 * Deliberate differences from Go, documented:
 * - Order of failures: Go evaluates the time claims before the signature and reports a time
 *   error even for a forged token; here the signature, alg family and claim syntax are checked
 *   first, so a forged or malformed token is always InvalidToken. Vectors should accept either
 *   class for a token that is both forged and out of its window.
 * - jwt-go decodes the claims with a streaming decoder that ignores bytes after the first JSON
 *   value; here trailing bytes are refused (InvalidToken). As in Go, a time claim written with a
 *   fraction or an exponent (`1.0`, `1e3`) is malformed (int64 field), `-0` is 0, and a claim
 *   repeated in the text is decoded at each occurrence (the last value wins, a wrong type in any
 *   occurrence is malformed).
 * - Time claims beyond ±2^53 are refused as InvalidToken (Go accepts any int64).
 * @module
 */
import { constants, createHash, verify as nodeVerify } from 'node:crypto';
import { InvalidInput, InvalidToken, TokenExpired, TokenNotYetValid, UnsupportedKeyType } from './errors.ts';
import { fromUtf8, preview, toB64url, utf8 } from './bytes.ts';
import { goMap, goMarshal, isNonIntegerLiteral, omitEmpty, parseJsonLossless, type JsonValue } from './gojson.ts';
import { isHash } from './hash.ts';
import { systemRng, type Clock, type Rng } from './random.ts';
import {
  assertPrivateKey,
  assertPublicKey,
  ecdsaPrivateScalar,
  ecdsaPublicPoint,
  rsaPublicKeyObject,
  type PrivateKey,
  type PublicKey,
} from './keys.ts';
import { sign as bmSign, verify as bmVerify, parseEcdsaSignature } from './signature.ts';
import { bigintToBytes, bytesToBigint } from './der.ts';
import { goFieldEntries } from './godecode.ts';

/** The claims of a BitMaelum JWT (jwt-go StandardClaims; absent numeric claims are 0). */
export interface JwtClaims {
  exp: number;
  iat: number;
  nbf: number;
  sub: string;
  aud?: string;
  jti?: string;
  iss?: string;
}

/** A token split and decoded, not verified. */
export interface ParsedJwt {
  header: Record<string, JsonValue>;
  alg: string;
  claims: JwtClaims;
  /** `segment0 "." segment1` exactly as in the token (what is signed). */
  signingInput: string;
  signature: Uint8Array;
}

type Family = 'rsa' | 'ecdsa' | 'eddsa' | 'rsapss' | 'hmac' | 'none';
/** jwt-go's registered methods (plus BitMaelum's EdDSA) and what they need. */
const METHODS: Record<string, { family: Family; hash?: 'sha256' | 'sha384' | 'sha512'; keySize?: number }> = {
  RS256: { family: 'rsa', hash: 'sha256' },
  RS384: { family: 'rsa', hash: 'sha384' },
  RS512: { family: 'rsa', hash: 'sha512' },
  ES256: { family: 'ecdsa', hash: 'sha256', keySize: 32 },
  ES384: { family: 'ecdsa', hash: 'sha384', keySize: 48 },
  ES512: { family: 'ecdsa', hash: 'sha512', keySize: 66 },
  PS256: { family: 'rsapss' },
  PS384: { family: 'rsapss' },
  PS512: { family: 'rsapss' },
  HS256: { family: 'hmac' },
  HS384: { family: 'hmac' },
  HS512: { family: 'hmac' },
  none: { family: 'none' },
  EdDSA: { family: 'eddsa' },
};

/** The 30-second window start of Go `(now.Unix() / 30) * 30` (integer division truncates toward 0). */
function windowStart(now: number): number {
  return Math.trunc(now / 30) * 30;
}

function clockNow(clock: Clock): number {
  if (!clock || typeof clock.now !== 'function') throw new InvalidInput('clock: expected a Clock');
  const now = clock.now();
  if (!Number.isSafeInteger(now)) throw new InvalidInput(`clock: expected integer seconds, got ${preview(now)}`);
  return now;
}

function checkAddressHash(h: unknown): string {
  if (!isHash(h)) throw new InvalidInput(`addressHash: expected a 64-hex-digit hash, got ${preview(h)}`);
  return h;
}

/** The JWT alg Go uses for a key type (`JWTSignMethod`). */
export function jwtAlgFor(type: PrivateKey['type']): 'RS256' | 'ES384' | 'EdDSA' {
  switch (type) {
    case 'rsa':
    case 'rsa4096':
      return 'RS256';
    case 'ecdsa':
      return 'ES384';
    case 'ed25519':
      return 'EdDSA';
  }
}

/**
 * Issue a token for `addressHash` at `clock.now()` (Go `GenerateJWTToken`).
 * @param rng only used for ecdsa (ES384 signatures are randomized; a seeded rng makes them stable)
 * @throws InvalidInput for a bad address hash or clock; UnsupportedKeyType for an ecdsa key that is
 *   not P-384 (jwt-go refuses ES384 with another curve)
 * @example createJwt(GO_PRIVKEY_RSA_1024, hashString('test!'), fixedClock(1577882096)) // 'eyJhbGciOiJSUzI1NiIs…HEo4' (jwt_test.go)
 */
export function createJwt(priv: PrivateKey, addressHash: string, clock: Clock, rng: Rng = systemRng): string {
  assertPrivateKey(priv);
  const sub = checkAddressHash(addressHash);
  const ct = windowStart(clockNow(clock));
  const alg = jwtAlgFor(priv.type);
  const header = toB64url(utf8(goMarshal(goMap({ alg, typ: 'JWT' }))));
  // StandardClaims order: aud, exp, jti, iat, iss, nbf, sub — all omitempty.
  const claims = toB64url(utf8(goMarshal({ exp: omitEmpty(ct + 60), iat: omitEmpty(ct - 30), nbf: omitEmpty(ct - 30), sub: omitEmpty(sub) })));
  const input = utf8(`${header}.${claims}`);
  let sig: Uint8Array;
  switch (alg) {
    case 'RS256':
    case 'EdDSA':
      // BitMaelum's rsa Sign is PKCS#1 v1.5 over SHA-256(message) = RS256; ed25519 Sign is pure Ed25519.
      sig = bmSign(priv, input);
      break;
    case 'ES384': {
      const { curve } = ecdsaPrivateScalar(priv);
      if (curve.name !== 'P-384') throw new UnsupportedKeyType(`createJwt: ES384 needs a P-384 key, got ${curve.name}`);
      const { r, s } = parseEcdsaSignature(bmSign(priv, new Uint8Array(createHash('sha384').update(input).digest()), rng));
      sig = new Uint8Array(96);
      sig.set(bigintToBytes(r, 48), 0);
      sig.set(bigintToBytes(s, 48), 48);
      break;
    }
  }
  return `${header}.${claims}.${toB64url(sig)}`;
}

const B64URL_PADDED = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;
/** jwt-go `DecodeSegment`: re-add `=` up to a multiple of 4, then `base64.URLEncoding` (skips \r\n). */
export function decodeSegment(seg: string, what: string): Uint8Array {
  const rem = seg.length % 4;
  const padded = (rem > 0 ? seg + '='.repeat(4 - rem) : seg).replace(/[\r\n]/g, '');
  if (!B64URL_PADDED.test(padded)) throw new InvalidToken(`jwt ${what}: not base64url`);
  return new Uint8Array(Buffer.from(padded, 'base64url'));
}

function jsonSegment(seg: string, what: string): JsonValue {
  try {
    return parseJsonLossless(fromUtf8(decodeSegment(seg, what)));
  } catch (e) {
    if (e instanceof InvalidToken) throw e;
    throw new InvalidToken(`jwt ${what}: not JSON`, { cause: e });
  }
}

function intClaim(v: unknown, name: string, literal?: string): number {
  if (v === undefined || v === null) return 0;
  if (isNonIntegerLiteral(literal)) throw new InvalidToken(`jwt claims: ${name} must be an integer, got ${literal} (Go's encoding/json refuses a fraction or an exponent for int64)`);
  if (typeof v === 'bigint') throw new InvalidToken(`jwt claims: ${name} out of range`);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new InvalidToken(`jwt claims: ${name} must be an integer, got ${preview(v)}`);
  return v === 0 ? 0 : v; // -0 is 0 in an int64
}
function strClaim(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new InvalidToken(`jwt claims: ${name} must be a string, got ${preview(typeof v === 'bigint' ? String(v) : v)}`);
  return v;
}

/**
 * Split and decode a token without verifying it (jwt-go `ParseUnverified` + StandardClaims).
 * @throws InvalidToken for anything malformed (segments, base64url, JSON, claim types, alg)
 */
export function parseJwt(token: string): ParsedJwt {
  if (typeof token !== 'string') throw new InvalidInput(`token: expected string, got ${token === null ? 'null' : typeof token}`);
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidToken(`jwt: token contains an invalid number of segments (${parts.length})`);
  const header = jsonSegment(parts[0]!, 'header');
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new InvalidToken('jwt header: expected JSON object');
  const claimsJson = jsonSegment(parts[1]!, 'claims');
  if (typeof claimsJson !== 'object' || claimsJson === null || Array.isArray(claimsJson)) throw new InvalidToken('jwt claims: expected JSON object');
  // Go decodes every occurrence of a claim in order: the last sets the value, and a wrong type
  // in any of them fails the decode. A null leaves the previous value (Go: no-op on int64/string).
  const f = goFieldEntries(claimsJson, ['aud', 'exp', 'jti', 'iat', 'iss', 'nbf', 'sub']);
  const intOf = (name: 'exp' | 'iat' | 'nbf'): number => {
    let out = 0;
    for (const e of f.get(name) ?? []) if (e.value !== null) out = intClaim(e.value, name, e.literal);
    return out;
  };
  const strOf = (name: 'aud' | 'jti' | 'iss' | 'sub'): string | undefined => {
    let out: string | undefined;
    for (const e of f.get(name) ?? []) if (e.value !== null) out = strClaim(e.value, name);
    return out;
  };
  const claims: JwtClaims = { exp: intOf('exp'), iat: intOf('iat'), nbf: intOf('nbf'), sub: strOf('sub') ?? '' };
  for (const k of ['aud', 'jti', 'iss'] as const) {
    const v = strOf(k);
    if (v !== undefined && v !== '') claims[k] = v;
  }
  const alg = header.alg;
  if (typeof alg !== 'string') throw new InvalidToken('jwt header: signing method (alg) is unspecified');
  if (!Object.hasOwn(METHODS, alg)) throw new InvalidToken(`jwt header: signing method ${preview(alg)} is unavailable`);
  const signature = decodeSegment(parts[2]!, 'signature');
  return { header, alg, claims, signingInput: `${parts[0]}.${parts[1]}`, signature };
}

function verifySignature(alg: string, pub: PublicKey, input: Uint8Array, sig: Uint8Array): boolean {
  const m = METHODS[alg]!;
  switch (m.family) {
    case 'rsa':
      if (pub.type !== 'rsa' && pub.type !== 'rsa4096') return false;
      try {
        return nodeVerify(m.hash!, input, { key: rsaPublicKeyObject(pub), padding: constants.RSA_PKCS1_PADDING }, sig);
      } catch {
        return false;
      }
    case 'ecdsa': {
      if (pub.type !== 'ecdsa') return false;
      if (sig.length !== 2 * m.keySize!) return false; // jwt-go: ErrECDSAVerification
      const { curve, point } = ecdsaPublicPoint(pub);
      const r = bytesToBigint(sig.subarray(0, m.keySize));
      const s = bytesToBigint(sig.subarray(m.keySize));
      if (r <= 0n || s <= 0n || r >= curve.n || s >= curve.n) return false;
      const compact = new Uint8Array(2 * curve.size);
      compact.set(bigintToBytes(r, curve.size), 0);
      compact.set(bigintToBytes(s, curve.size), curve.size);
      let digest = new Uint8Array(createHash(m.hash!).update(input).digest());
      if (digest.length > curve.size) digest = digest.subarray(0, curve.size); // Go hashToInt
      try {
        return curve.ecdsa.verify(compact, digest, point, { prehash: false, lowS: false, format: 'compact' });
      } catch {
        return false;
      }
    }
    case 'eddsa':
      if (pub.type !== 'ed25519') return false;
      return bmVerify(pub, input, sig);
    default:
      // PS*: verify could pass, but JWTHasValidSignMethod never accepts RSAPSS for an rsa key;
      // HS*: key is not []byte (ErrInvalidKeyType); none: disallowed without the unsafe constant.
      return false;
  }
}

/** Checks beyond Go's, for a verifier that wants the intended behaviour (spec/api.md §8 item 8). */
export interface VerifyJwtOptions {
  /** Refuse a token without `exp` (BM-JWT-016). Go (jwt-go) never expires such a token. */
  requireExp?: boolean;
  /** Refuse a token whose `exp − iat` exceeds this many seconds (BM-JWT-017: 90). Go has no limit. */
  maxLifetime?: number;
}

/** The longest lifetime a conforming client mints: `exp − iat` = (ct + 60) − (ct − 30). */
export const JWT_MAX_LIFETIME = 90;
/** Options for a server that enforces BM-JWT-016 and BM-JWT-017. */
export const STRICT_JWT_OPTIONS: Readonly<VerifyJwtOptions> = Object.freeze({ requireExp: true, maxLifetime: JWT_MAX_LIFETIME });

/**
 * Verify a token for `addressHash` with the account key `pub` at `clock.now()` (Go
 * `ValidateJWTToken`). Without options this accepts exactly what Go accepts (apart from the
 * failure order, see the module notes); {@link STRICT_JWT_OPTIONS} adds the intended checks.
 * @returns the claims
 * @throws InvalidToken (malformed, bad signature, wrong alg family, none/HS*, subject mismatch,
 *   and with options: no exp / lifetime too long); TokenExpired; TokenNotYetValid; InvalidInput for
 *   a bad key, address hash, clock or option argument
 */
export function verifyJwt(token: string, pub: PublicKey, addressHash: string, clock: Clock, options: VerifyJwtOptions = {}): JwtClaims {
  if (typeof options !== 'object' || options === null) throw new InvalidInput('options: expected object');
  const { requireExp = false, maxLifetime } = options;
  if (maxLifetime !== undefined && !(Number.isSafeInteger(maxLifetime) && maxLifetime >= 0))
    throw new InvalidInput(`options.maxLifetime: expected non-negative integer seconds, got ${preview(maxLifetime)}`);
  assertPublicKey(pub);
  const want = checkAddressHash(addressHash);
  const now = clockNow(clock);
  const t = parseJwt(token);
  if (!verifySignature(t.alg, pub, utf8(t.signingInput), t.signature))
    throw new InvalidToken(`jwt: signature is invalid for ${t.alg} with a ${pub.type} key`);
  const c = t.claims;
  if (requireExp && c.exp === 0) throw new InvalidToken('jwt: token has no exp claim');
  if (maxLifetime !== undefined && c.exp !== 0 && c.exp - c.iat > maxLifetime)
    throw new InvalidToken(`jwt: token lifetime exp − iat = ${c.exp - c.iat} s exceeds ${maxLifetime} s`);
  if (c.exp !== 0 && now > c.exp) throw new TokenExpired(`jwt: token is expired (exp ${c.exp}, now ${now})`);
  if (c.iat !== 0 && now < c.iat) throw new TokenNotYetValid(`jwt: token used before issued (iat ${c.iat}, now ${now})`);
  if (c.nbf !== 0 && now < c.nbf) throw new TokenNotYetValid(`jwt: token is not valid yet (nbf ${c.nbf}, now ${now})`);
  if (!constantTimeEqual(c.sub, want)) throw new InvalidToken('jwt: subject does not match the address hash');
  return c;
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = utf8(a);
  const y = utf8(b);
  if (x.length !== y.length) return false;
  let d = 0;
  for (let i = 0; i < x.length; i++) d |= x[i]! ^ y[i]!;
  return d === 0;
}

/**
 * Whether a client should fetch a new token (Go `IsJWTTokenExpired`, jwt.go:71-81): true unless
 * the token's `iat` equals `ct − 30` of the current window. The token is not verified; one that
 * cannot be parsed counts as `iat = 0` (Go ignores the parse error).
 */
export function isJwtRefreshDue(token: string, clock: Clock): boolean {
  if (typeof token !== 'string') throw new InvalidInput(`token: expected string, got ${token === null ? 'null' : typeof token}`);
  const ct = windowStart(clockNow(clock));
  return unverifiedIat(token) !== ct - 30;
}

/**
 * `iat` as jwt-go `ParseUnverified` leaves it in the claims: 0 when the token has not 3 segments,
 * the header is not a JSON object, or the claims are not JSON; a claims object whose other fields
 * have wrong types still sets `iat` (Go's decoder records the type error and carries on).
 */
function unverifiedIat(token: string): number {
  const parts = token.split('.');
  if (parts.length !== 3) return 0;
  try {
    const h = jsonSegment(parts[0]!, 'header');
    if (typeof h !== 'object' || Array.isArray(h)) return 0; // null is a valid (nil) map in Go
    const c = jsonSegment(parts[1]!, 'claims');
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return 0;
    // Each occurrence in order; one Go cannot store (wrong type, `1.0`, `1e3`) leaves the value.
    let iat = 0;
    for (const e of goFieldEntries(c, ['iat']).get('iat') ?? []) {
      if (typeof e.value === 'number' && Number.isInteger(e.value) && !isNonIntegerLiteral(e.literal)) iat = e.value;
    }
    return iat;
  } catch {
    return 0;
  }
}
