/**
 * Signatures per key type (spec/formats.md §1.5; Go `bmcrypto.go:81-88`, `key_rsa.go:172-188`,
 * `key_ed25519.go:132-139`, `key_ecdsa.go:110-133`).
 *
 * - rsa / rsa4096: RSASSA-PKCS1-v1_5 over SHA-256(message) (node crypto). Deterministic.
 * - ed25519: pure Ed25519 over the message. Deterministic. Verification re-implements Go's
 *   crypto/ed25519 rule ({@link verifyEd25519Go}: cofactorless, lenient key decoding, S < ℓ,
 *   byte comparison of R), since noble's cofactored/strict modes each differ from Go on edge cases.
 * - ecdsa: `ecdsa.Sign(priv, message)` — the message IS the digest (no hashing); a message longer
 *   than the order is truncated to its leftmost bits as Go's `hashToInt` does. Signature is DER
 *   `SEQUENCE{INTEGER r, INTEGER s}` (minimal, like `asn1.Marshal`). The per-signature randomness
 *   comes from `rng` (48 bytes fed to noble as RFC 6979 `extraEntropy`), so a seeded rng gives
 *   identical signatures; Go's own ECDSA signatures are randomized and never reproducible.
 *   No low-S normalisation (Go does none); verify accepts high S (Go does).
 *   Verify parses the DER like Go's `asn1.Unmarshal` into `{R, S *big.Int}`: minimal lengths and
 *   integers required, extra elements inside the SEQUENCE and bytes after it ignored.
 *
 * `verify` is a predicate: malformed signatures, wrong lengths, wrong key types → false, never a throw
 * (only a non-key `pub` argument throws, since that is a caller bug, not signature data).
 * @module
 */
import { constants, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { InvalidInput } from './errors.ts';
import { abytes, concatBytes, equalBytes } from './bytes.ts';
import { sha512 } from '@noble/hashes/sha2.js';
import { systemRng, type Rng } from './random.ts';
import {
  assertPublicKey,
  ecdsaPrivateScalar,
  ecdsaPublicPoint,
  ed25519Seed,
  ed25519PrivateDer,
  ed25519PublicBytes,
  rsaPrivateKeyObject,
  rsaPublicKeyObject,
  assertPrivateKey,
  type EcCurve,
  type PrivateKey,
  type PublicKey,
} from './keys.ts';
import { DerError, TAG_INTEGER, TAG_SEQUENCE, bigintToBytes, expectTlv, integerValue } from './der.ts';

/** Go `hashToInt` input truncation: keep the leftmost order-length bytes (noble shifts the rest). */
function ecdsaDigest(curve: EcCurve, message: Uint8Array): Uint8Array {
  return message.length > curve.size ? message.subarray(0, curve.size) : message;
}

/** Sign `message` with `priv` per its type (§1.5). `rng` is only used by ecdsa. */
export function sign(priv: PrivateKey, message: Uint8Array, rng: Rng = systemRng): Uint8Array {
  assertPrivateKey(priv);
  abytes(message, 'message');
  switch (priv.type) {
    case 'rsa':
    case 'rsa4096':
      return new Uint8Array(
        nodeSign('sha256', message, { key: rsaPrivateKeyObject(priv), padding: constants.RSA_PKCS1_PADDING }),
      );
    case 'ed25519':
      // Ed25519 signatures are deterministic, so OpenSSL's (about 30× faster than noble here)
      // gives the same bytes; the seed is checked by ed25519Seed first.
      return new Uint8Array(nodeSign(null, message, ed25519PrivateKeyObject(ed25519PrivateDer(ed25519Seed(priv)))));
    case 'ecdsa': {
      const { curve, d } = ecdsaPrivateScalar(priv);
      const extraEntropy = rng.bytes(curve.size);
      return curve.ecdsa.sign(ecdsaDigest(curve, message), bigintToBytes(d, curve.size), {
        prehash: false,
        lowS: false,
        format: 'der',
        extraEntropy,
      });
    }
  }
}

/** Go `asn1.Unmarshal(sig, &ecdsaSignature{})` → (r, s). Throws DerError. */
export function parseEcdsaSignature(sig: Uint8Array): { r: bigint; s: bigint } {
  const seq = expectTlv(sig, 0, TAG_SEQUENCE, 'ECDSA-Sig-Value'); // bytes after it: ignored (Go returns them as rest)
  const r = expectTlv(seq.content, 0, TAG_INTEGER, 'r');
  const s = expectTlv(seq.content, r.end, TAG_INTEGER, 's'); // further elements: ignored (asn1 struct rule)
  return { r: integerValue(r.content), s: integerValue(s.content) };
}

function verifyEcdsa(pub: PublicKey, message: Uint8Array, sig: Uint8Array): boolean {
  const { curve, point } = ecdsaPublicPoint(pub);
  let rs: { r: bigint; s: bigint };
  try {
    rs = parseEcdsaSignature(sig);
  } catch (e) {
    if (e instanceof DerError) return false;
    throw e;
  }
  const { r, s } = rs;
  if (r <= 0n || s <= 0n || r >= curve.n || s >= curve.n) return false;
  const compact = new Uint8Array(2 * curve.size);
  compact.set(bigintToBytes(r, curve.size), 0);
  compact.set(bigintToBytes(s, curve.size), curve.size);
  return curve.ecdsa.verify(compact, ecdsaDigest(curve, message), point, {
    prehash: false,
    lowS: false,
    format: 'compact',
  });
}

const ED_L = (1n << 252n) + 27742317777372353535851937790883648493n;

function leToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/**
 * Go `crypto/ed25519.Verify` (Go ≥ 1.17, filippo.io/edwards25519), step for step, because noble's
 * verify is cofactored and refuses small-order keys while Go's is cofactorless and does not:
 * len 64 and top 3 bits of sig[63] clear; A decoded leniently (y ≥ p and "−0" accepted, as Go's
 * SetBytes); S < ℓ; k = SHA-512(R‖A‖M) mod ℓ; accept iff encode([S]B − [k]A) == R bytes.
 */
export function verifyEd25519Go(pub32: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  if (pub32.length !== 32 || sig.length !== 64 || (sig[63]! & 0xe0) !== 0) return false;
  let A;
  try {
    A = ed25519.Point.fromBytes(pub32, true);
  } catch {
    return false;
  }
  const S = leToBigint(sig.subarray(32));
  if (S >= ED_L) return false;
  const k = leToBigint(sha512(concatBytes(sig.subarray(0, 32), pub32, message))) % ED_L;
  const R = ed25519.Point.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(k));
  return equalBytes(R.toBytes(), sig.subarray(0, 32));
}

const P25519 = (1n << 255n) - 19n;
const KEY_CACHE_MAX = 256;
const privObjects = new Map<string, KeyObject>();
const pubObjects = new Map<string, KeyObject>();
function cached(map: Map<string, KeyObject>, der: Uint8Array, make: () => KeyObject): KeyObject {
  const id = Buffer.from(der).toString('base64');
  let k = map.get(id);
  if (!k) {
    if (map.size >= KEY_CACHE_MAX) map.delete(map.keys().next().value!);
    k = make();
    map.set(id, k);
  }
  return k;
}
function ed25519PrivateKeyObject(der: Uint8Array): KeyObject {
  return cached(privObjects, der, () => createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }));
}

/**
 * OpenSSL's Ed25519 verify as a fast path. Where it says yes for a key whose y is canonical
 * (< p), Go says yes too: both decode such a key to the same point, require S < ℓ and compare
 * the encoding of [S]B − [k]A with R (cofactorless). Anything else — a no, a non-canonical key,
 * a key OpenSSL will not load — goes to {@link verifyEd25519Go}, which decides as Go does.
 */
function verifyEd25519Fast(spki: Uint8Array, pub32: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  const y = leToBigint(pub32) & ((1n << 255n) - 1n);
  if (y >= P25519 || sig.length !== 64) return false;
  try {
    return nodeVerify(null, message, cached(pubObjects, spki, () => createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })), sig);
  } catch {
    return false;
  }
}

/** Verify `signature` over `message` with `pub` (§1.5). Never throws for bad signature data. */
export function verify(pub: PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  assertPublicKey(pub);
  if (!(message instanceof Uint8Array)) throw new InvalidInput('message: expected Uint8Array');
  if (!(signature instanceof Uint8Array)) return false;
  try {
    switch (pub.type) {
      case 'rsa':
      case 'rsa4096':
        return nodeVerify(
          'sha256',
          message,
          { key: rsaPublicKeyObject(pub), padding: constants.RSA_PKCS1_PADDING },
          signature,
        );
      case 'ed25519': {
        const pub32 = ed25519PublicBytes(pub);
        return verifyEd25519Fast(pub.der, pub32, message, signature) || verifyEd25519Go(pub32, message, signature);
      }
      case 'ecdsa':
        return verifyEcdsa(pub, message, signature);
    }
  } catch {
    return false;
  }
  return false;
}
