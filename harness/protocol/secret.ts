/**
 * Encryption of a short secret (the catalog key) to a public key, and its decryption
 * (spec/formats.md §1.7; Go `bmcrypto.go:109-124`, `key_rsa.go:191-213`, `key_ed25519.go:142-176`,
 * `key_ecdsa.go:136-170`).
 *
 * - rsa / rsa4096 → RSAES-OAEP with SHA-256 for hash and MGF1, empty label; crypto `rsa/oaep`,
 *   txid "". The OAEP encoding is done here (RFC 8017 §7.1.1) with the 32-byte seed drawn from
 *   `rng` — the single read Go's `rsa.EncryptOAEP` makes from its reader — followed by a raw RSA
 *   operation (node `publicEncrypt`, RSA_NO_PADDING). So a seeded rng gives byte-identical
 *   ciphertexts, and the same bytes Go would produce from the same reader.
 *   Decrypt: crypto `rsa/oaep` → OAEP-SHA256; ANY other value (incl. "" and `rsa`) → RSAES-PKCS1-v1_5
 *   (Go's legacy fallthrough). Both paddings are checked here on the raw RSA result, because node ≥
 *   20.11 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809).
 * - ed25519 → dual key exchange (dualkex.ts), then the AES-256-GCM blob nonce12‖ct‖tag16 of the
 *   secret under the raw 32-byte D (no KDF); crypto `ed25519+aes`, txid hex(P‖R). rng draws, in
 *   Go's order: 32 bytes for r, then the 12-byte nonce. Decrypt requires crypto exactly `ed25519+aes`.
 * - ecdsa recipients → {@link UnsupportedKeyType}: Go labels the path `ecdsa+aes` but its dual key
 *   exchange refuses ecdsa keys, so nothing can ever be encrypted to them.
 *
 * Errors: every data-dependent failure of decryptSecret (wrong padding, wrong crypto string,
 * malformed txid, not-for-me txid, GCM authentication) is {@link DecryptionFailed}.
 * @module
 */
import { constants, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { DecryptionFailed, InvalidInput, UnsupportedKeyType } from './errors.ts';
import { abytes, astring, concatBytes } from './bytes.ts';
import type { Rng } from './random.ts';
import {
  assertPrivateKey,
  assertPublicKey,
  rsaPrivateKeyObject,
  rsaPublicKeyObject,
  type PrivateKey,
  type PublicKey,
} from './keys.ts';
import { dualKeyExchange, dualKeySecret, txidFromHex, txidToHex } from './dualkex.ts';
import { gcmOpen, gcmSeal } from './symmetric.ts';

/** `CryptoType` constants (bmcrypto.go:56-61). */
export const CRYPTO_RSA_V15 = 'rsa';
export const CRYPTO_RSA_OAEP = 'rsa/oaep';
export const CRYPTO_ED25519_AES = 'ed25519+aes';
export const CRYPTO_ECDSA_AES = 'ecdsa+aes';

const HLEN = 32;
const LHASH_EMPTY = sha256(new Uint8Array(0));

function modulusBytes(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits) throw new InvalidInput('key: RSA modulus length unknown');
  return Math.ceil(bits / 8);
}

/** MGF1 with SHA-256. */
function mgf1(seed: Uint8Array, len: number): Uint8Array {
  const out = new Uint8Array(len);
  const buf = new Uint8Array(seed.length + 4);
  buf.set(seed, 0);
  for (let c = 0, off = 0; off < len; c++, off += HLEN) {
    new DataView(buf.buffer).setUint32(seed.length, c);
    const h = sha256(buf);
    out.set(h.subarray(0, Math.min(HLEN, len - off)), off);
  }
  return out;
}

function xorInto(a: Uint8Array, mask: Uint8Array): void {
  for (let i = 0; i < a.length; i++) a[i]! ^= mask[i]!;
}

/** RSAES-OAEP-ENCRYPT with SHA-256/MGF1-SHA-256, empty label; seed = rng.bytes(32). */
export function rsaOaepEncrypt(pub: PublicKey, message: Uint8Array, rng: Rng): Uint8Array {
  const key = rsaPublicKeyObject(pub);
  const k = modulusBytes(key);
  if (message.length > k - 2 * HLEN - 2)
    throw new InvalidInput(`secret: ${message.length} bytes is too long for RSA-OAEP with a ${k * 8}-bit key`);
  const db = new Uint8Array(k - HLEN - 1);
  db.set(LHASH_EMPTY, 0);
  db[db.length - message.length - 1] = 0x01;
  db.set(message, db.length - message.length);
  const seed = Uint8Array.from(rng.bytes(HLEN));
  xorInto(db, mgf1(seed, db.length));
  xorInto(seed, mgf1(db, HLEN));
  const em = concatBytes(Uint8Array.of(0), seed, db);
  return new Uint8Array(publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, em));
}

/** Raw RSA private operation; the result is k bytes. Ciphertexts longer than k or ≥ n fail. */
function rsaRaw(priv: PrivateKey, ciphertext: Uint8Array): Uint8Array {
  const key = rsaPrivateKeyObject(priv);
  const k = modulusBytes(key);
  if (ciphertext.length > k) throw new DecryptionFailed('ciphertext: longer than the RSA modulus');
  const c = new Uint8Array(k);
  c.set(ciphertext, k - ciphertext.length); // Go reads it as a big-endian integer: shorter is fine
  try {
    return new Uint8Array(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, c));
  } catch (cause) {
    throw new DecryptionFailed('ciphertext: rsa: decryption error', { cause });
  }
}

function oaepDecode(em: Uint8Array): Uint8Array {
  const fail = () => new DecryptionFailed('ciphertext: rsa: decryption error (OAEP)');
  if (em.length < 2 * HLEN + 2) throw fail();
  const seed = em.slice(1, 1 + HLEN);
  const db = em.slice(1 + HLEN);
  xorInto(seed, mgf1(db, HLEN));
  xorInto(db, mgf1(seed, db.length));
  let bad = em[0]!;
  for (let i = 0; i < HLEN; i++) bad |= db[i]! ^ LHASH_EMPTY[i]!;
  let idx = -1;
  for (let i = HLEN; i < db.length; i++) {
    if (db[i] === 0x01) {
      idx = i;
      break;
    }
    if (db[i] !== 0x00) break;
  }
  if (bad !== 0 || idx < 0) throw fail();
  return db.slice(idx + 1);
}

function pkcs1v15Decode(em: Uint8Array): Uint8Array {
  const fail = () => new DecryptionFailed('ciphertext: crypto/rsa: decryption error (PKCS#1 v1.5)');
  if (em.length < 11 || em[0] !== 0x00 || em[1] !== 0x02) throw fail();
  const zero = em.indexOf(0x00, 2);
  if (zero < 0 || zero < 2 + 8) throw fail();
  return em.slice(zero + 1);
}

export interface EncryptedSecret {
  readonly ciphertext: Uint8Array;
  /** header `catalog.crypto`: `rsa/oaep` or `ed25519+aes`. */
  readonly crypto: string;
  /** header `catalog.txid`: "" for RSA, hex(P‖R) for Ed25519. */
  readonly txid: string;
}

/** `Encrypt(pub, secret)` (§1.7). */
export function encryptSecret(pub: PublicKey, secret: Uint8Array, rng: Rng): EncryptedSecret {
  assertPublicKey(pub);
  abytes(secret, 'secret');
  switch (pub.type) {
    case 'rsa':
    case 'rsa4096':
      return { ciphertext: rsaOaepEncrypt(pub, secret, rng), crypto: CRYPTO_RSA_OAEP, txid: '' };
    case 'ed25519': {
      const { secret: D, txid } = dualKeyExchange(pub, rng);
      return { ciphertext: gcmSeal(D, secret, rng), crypto: CRYPTO_ED25519_AES, txid: txidToHex(txid) };
    }
    case 'ecdsa':
      throw new UnsupportedKeyType('ecdsa: cannot encrypt to an ecdsa key (Go dual key exchange refuses ecdsa)');
  }
}

/** `Decrypt(priv, settings, ciphertext)` (§1.7). */
export function decryptSecret(priv: PrivateKey, ciphertext: Uint8Array, crypto: string, txid: string): Uint8Array {
  assertPrivateKey(priv);
  abytes(ciphertext, 'ciphertext');
  astring(crypto, 'crypto');
  astring(txid, 'txid');
  switch (priv.type) {
    case 'rsa':
    case 'rsa4096': {
      const em = rsaRaw(priv, ciphertext);
      return crypto === CRYPTO_RSA_OAEP ? oaepDecode(em) : pkcs1v15Decode(em);
    }
    case 'ed25519': {
      if (crypto !== CRYPTO_ED25519_AES)
        throw new DecryptionFailed(`crypto: ed25519 keys need "${CRYPTO_ED25519_AES}", got ${JSON.stringify(crypto)}`);
      let tx;
      try {
        tx = txidFromHex(txid);
      } catch (cause) {
        throw new DecryptionFailed('txid: incorrect txID (must be 64 bytes of hex)', { cause });
      }
      const D = dualKeySecret(priv, tx);
      if (!D) throw new DecryptionFailed('txid: not addressed to this key');
      return gcmOpen(D, ciphertext);
    }
    case 'ecdsa':
      throw new UnsupportedKeyType('ecdsa: cannot decrypt with an ecdsa key (Go dual key exchange refuses ecdsa)');
  }
}
