/**
 * Plain key exchange `KeyExchange(priv, pub)` (spec/formats.md §1.6; Go `bmcrypto.go:100-106`,
 * `key_ed25519.go:194-199` with `jorrizza/ed2curve25519`, `key_ecdsa.go:188-213`).
 *
 * - ed25519: X25519(x_priv, u(pub)) with x_priv = SHA-512(seed)[0:32] clamped and
 *   u = (1+y)/(1−y) mod 2^255−19 computed on the raw 32 public-key bytes (top bit cleared), with
 *   NO point validation — exactly Go's conversion, so keys that are not valid Edwards points still
 *   convert. Output: the raw 32-byte shared secret, no KDF. Go's `curve25519.X25519` refuses an
 *   all-zero result (low-order input point) → {@link InvalidKey} here.
 * - ecdsa: x-coordinate of d·Q, big-endian, left-zero-padded to the field size (48 bytes for P-384).
 * - rsa / rsa4096: "cannot exchange with RSA" → {@link UnsupportedKeyType}.
 * The two keys must be of the same family (and, for ecdsa, the same curve).
 * @module
 */
import { createHash, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import { InvalidKey, UnsupportedKeyType } from './errors.ts';
import {
  assertPrivateKey,
  assertPublicKey,
  ecdsaPrivateScalar,
  ecdsaPublicPoint,
  ed25519PublicBytes,
  ed25519Seed,
  type PrivateKey,
  type PublicKey,
} from './keys.ts';
import { bigintToBytes } from './der.ts';

const P25519 = (1n << 255n) - 19n;

function modP(a: bigint): bigint {
  const r = a % P25519;
  return r < 0n ? r + P25519 : r;
}

function invP(a: bigint): bigint {
  // Fermat: a^(p-2); a ≡ 0 handled by the caller.
  let r = 1n;
  let b = modP(a);
  let e = P25519 - 2n;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P25519;
    b = (b * b) % P25519;
    e >>= 1n;
  }
  return r;
}

/**
 * `EdPubToX25519`: Montgomery u of an Ed25519 public key, 32 bytes little-endian. y is the LE value
 * with bit 255 cleared, NOT reduced or validated; when 1−y ≡ 0 Go's `ModInverse` fails, leaving
 * the denominator 0, so u = 0.
 */
export function edPublicToX25519(pub32: Uint8Array): Uint8Array {
  const be = Uint8Array.from(pub32).reverse();
  be[0]! &= 0x7f;
  let y = 0n;
  for (const b of be) y = (y << 8n) | BigInt(b);
  const denom = modP(1n - y);
  const u = denom === 0n ? 0n : modP((y + 1n) * invP(denom));
  return bigintToBytes(u, 32).reverse();
}

/** `EdPrivToX25519`: SHA-512(seed)[0:32], clamped. */
export function edSeedToX25519(seed32: Uint8Array): Uint8Array {
  const h = new Uint8Array(createHash('sha512').update(seed32).digest().subarray(0, 32));
  h[0]! &= 248;
  h[31]! &= 127;
  h[31]! |= 64;
  return h;
}

// DER wrappers of raw X25519 keys (RFC 8410): PKCS#8 private, SPKI public.
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/**
 * X25519 through OpenSSL (RFC 7748: same clamping, top bit of u ignored), about four times
 * faster than the bigint ladder. `undefined` when OpenSSL refuses, which it does for an all-zero
 * result: the caller then takes the Go-exact path, which names the error.
 */
function nativeX25519(scalar: Uint8Array, u: Uint8Array): Uint8Array | undefined {
  try {
    const privateKey = createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, scalar]), format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, u]), format: 'der', type: 'spki' });
    const out = new Uint8Array(diffieHellman({ privateKey, publicKey }));
    return out.length === 32 && !out.every((b) => b === 0) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Go `curve25519.X25519`: an all-zero result (low-order point) is an error. */
export function x25519Go(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  if (scalar.length === 32 && u.length === 32) {
    const fast = nativeX25519(scalar, u);
    if (fast !== undefined) return fast;
  }
  let out: Uint8Array;
  try {
    out = x25519.scalarMult(scalar, u);
  } catch (e) {
    // noble refuses the low-order u values before the ladder; for a clamped scalar these are
    // exactly the inputs for which Go's ladder yields all zeros.
    throw new InvalidKey('bad input point: low order point', { cause: e });
  }
  if (out.every((b) => b === 0)) throw new InvalidKey('bad input point: low order point');
  return out;
}

/** `KeyExchange(priv, pub)` (§1.6). */
export function keyExchange(priv: PrivateKey, pub: PublicKey): Uint8Array {
  assertPrivateKey(priv);
  assertPublicKey(pub);
  if (priv.type === 'rsa' || priv.type === 'rsa4096' || pub.type === 'rsa' || pub.type === 'rsa4096')
    throw new UnsupportedKeyType('cannot exchange with RSA');
  if (priv.type !== pub.type) throw new UnsupportedKeyType(`cannot exchange ${priv.type} with ${pub.type}`);
  if (priv.type === 'ed25519') {
    return x25519Go(edSeedToX25519(ed25519Seed(priv)), edPublicToX25519(ed25519PublicBytes(pub)));
  }
  const { curve, d } = ecdsaPrivateScalar(priv);
  const { curve: c2, point } = ecdsaPublicPoint(pub);
  if (curve.name !== c2.name) throw new UnsupportedKeyType(`cannot exchange ${curve.name} with ${c2.name}`);
  const Q = curve.ecdsa.Point.fromBytes(point).multiply(d).toAffine();
  return bigintToBytes(Q.x, curve.size);
}
