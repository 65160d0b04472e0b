/**
 * Dual key exchange, the ECIES-like "stealth address" scheme that carries the catalog key to an
 * Ed25519 recipient (spec/formats.md §1.8; Go `pkg/bmcrypto/dual_keyexchange.go`,
 * `key_ed25519.go:202-227`).
 *
 * Sender, recipient public key A:
 *   r = reduce(rng.bytes(32))            reduce = LE integer mod ℓ (ref10 sc_reduce32)
 *   R = EdPub(r)                         r is used as an Ed25519 SEED, not as a scalar
 *   D = X25519(clamp(SHA-512(r)[0:32]), u(A))
 *   P = EdPub(reduce(Keccak-256(D)))     legacy Keccak (pad 0x01), not SHA3-256; again a seed
 *   txid = {P, R}, text hex(P‖R); secret = D (used directly as the AES-256-GCM key)
 * Recipient: D' = X25519(clamp(SHA-512(a_seed)[0:32]), u(R)); if EdPub(Hs(D')) == P (constant
 * time) the secret is D', else "not for me" (null).
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { InvalidInput, UnsupportedKeyType } from './errors.ts';
import { abytes, aobject, equalBytes, fromHex, toHex } from './bytes.ts';
import type { Rng } from './random.ts';
import { assertPrivateKey, assertPublicKey, ed25519PublicBytes, ed25519Seed, type PrivateKey, type PublicKey } from './keys.ts';
import { edPublicToX25519, edSeedToX25519, x25519Go } from './exchange.ts';

export interface TransactionId {
  readonly P: Uint8Array;
  readonly R: Uint8Array;
}

/** ℓ, the Ed25519 group order. */
const L = (1n << 252n) + 27742317777372353535851937790883648493n;

/** `scReduce32`: 32 bytes little-endian mod ℓ, written back as 32 bytes little-endian. */
export function scReduce32(b: Uint8Array): Uint8Array {
  abytes(b, 'scalar', 32);
  let v = 0n;
  for (let i = 31; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  v %= L;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** `Hs(D)` = reduce(Keccak-256(D)). */
export function hs(d: Uint8Array): Uint8Array {
  return scReduce32(keccak_256(d));
}

/** Sender side: the shared secret D and the transaction id for recipient `pub` (ed25519 only). */
export function dualKeyExchange(pub: PublicKey, rng: Rng): { secret: Uint8Array; txid: TransactionId } {
  assertPublicKey(pub);
  if (pub.type !== 'ed25519') throw new UnsupportedKeyType(`cannot dual key exchange with ${pub.type}`);
  const r = scReduce32(rng.bytes(32));
  const R = ed25519.getPublicKey(r);
  const D = x25519Go(edSeedToX25519(r), edPublicToX25519(ed25519PublicBytes(pub)));
  const P = ed25519.getPublicKey(hs(D));
  return { secret: D, txid: { P, R } };
}

/**
 * Recipient side (`DualKeyGetSecret`): D' when the txid was made for `priv`, else null. A txid whose
 * R is a low-order point (Go: X25519 error) also gives null.
 */
export function dualKeySecret(priv: PrivateKey, txid: TransactionId): Uint8Array | null {
  assertPrivateKey(priv);
  if (priv.type !== 'ed25519') throw new UnsupportedKeyType(`cannot dual key exchange with ${priv.type}`);
  aobject(txid, 'txid');
  abytes(txid.P, 'txid.P', 32);
  abytes(txid.R, 'txid.R', 32);
  let D: Uint8Array;
  try {
    D = x25519Go(edSeedToX25519(ed25519Seed(priv)), edPublicToX25519(txid.R));
  } catch {
    return null;
  }
  const P = ed25519.getPublicKey(hs(D));
  return equalBytes(P, txid.P) ? D : null;
}

/** `TransactionID.ToHex`: hex(P‖R), 128 lowercase hex chars. */
export function txidToHex(txid: TransactionId): string {
  aobject(txid, 'txid');
  abytes(txid.P, 'txid.P', 32);
  abytes(txid.R, 'txid.R', 32);
  return toHex(txid.P) + toHex(txid.R);
}

/** `TxIDFromString`: hex that must decode to exactly 64 bytes, else InvalidInput. */
export function txidFromHex(hex: string): TransactionId {
  const b = fromHex(hex, 'txid');
  if (b.length !== 64) throw new InvalidInput(`txid: incorrect txID len (must be 64byte), got ${b.length}`);
  return { P: b.slice(0, 32), R: b.slice(32, 64) };
}
