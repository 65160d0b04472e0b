/**
 * Symmetric primitives of BitMaelum (spec/formats.md §3):
 *  - §3.1 AES-256-GCM "message blob" `nonce(12) ‖ ciphertext ‖ tag(16)`, no AAD
 *    (Go `pkg/bmcrypto/aes_256_gcm.go:61-100`, `MessageEncrypt`/`MessageDecrypt`);
 *  - §3.2 AES-CFB with 128-bit segments for block/attachment streams, unauthenticated, no prefix
 *    (`aes_256_gcm.go:141-185`, Go `cipher.NewCFBEncrypter`);
 *  - §3.3 zlib (RFC 1950) at BestCompression (`internal/message/compress.go`).
 * Node's `crypto`/`zlib` do the bulk work (fast on the 2-core CI box); only the framing,
 * length rules and error mapping are ours.
 * @module
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { abytes } from './bytes.ts';
import { DecryptionFailed, InvalidInput } from './errors.ts';
import type { Rng } from './random.ts';

const NONCE_LEN = 12;
const TAG_LEN = 16;

/** AES-256-GCM seal: `nonce ‖ ct ‖ tag` with nonce = `rng.bytes(12)` (the only rng draw). */
export function gcmSeal(key: Uint8Array, plaintext: Uint8Array, rng: Rng): Uint8Array {
  abytes(key, 'key', 32);
  abytes(plaintext, 'plaintext');
  const nonce = rng.bytes(NONCE_LEN);
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LEN });
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  const tag = c.getAuthTag();
  const out = new Uint8Array(NONCE_LEN + ct.length + TAG_LEN);
  out.set(nonce, 0);
  out.set(ct, NONCE_LEN);
  out.set(tag, NONCE_LEN + ct.length);
  return out;
}

/**
 * AES-256-GCM open. Any failure on the blob itself (shorter than nonce+tag, wrong key, flipped
 * bit) is `DecryptionFailed` — Go answers "cipher: message authentication failed" or a length
 * error, both of which mean "not readable with this key". A key that is not 32 bytes is a caller
 * bug and stays `InvalidInput`.
 */
export function gcmOpen(key: Uint8Array, blob: Uint8Array): Uint8Array {
  abytes(key, 'key', 32);
  abytes(blob, 'blob');
  if (blob.length < NONCE_LEN + TAG_LEN)
    throw new DecryptionFailed(`blob: ${blob.length} bytes is shorter than nonce+tag (${NONCE_LEN + TAG_LEN})`);
  const nonce = blob.subarray(0, NONCE_LEN);
  const ct = blob.subarray(NONCE_LEN, blob.length - TAG_LEN);
  const tag = blob.subarray(blob.length - TAG_LEN);
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LEN });
    d.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([d.update(ct), d.final()]));
  } catch (cause) {
    throw new DecryptionFailed('blob: cipher: message authentication failed', { cause });
  }
}

function cfbAlgo(key: Uint8Array, iv: Uint8Array): string {
  abytes(key, 'key');
  abytes(iv, 'iv');
  // Go: aes.NewCipher rejects other key sizes; the IV check message is "IV is not of blocksize".
  if (iv.length !== 16) throw new InvalidInput(`iv: IV is not of blocksize (expected 16 bytes, got ${iv.length})`);
  switch (key.length) {
    case 16:
      return 'aes-128-cfb';
    case 24:
      return 'aes-192-cfb';
    case 32:
      return 'aes-256-cfb';
    default:
      throw new InvalidInput(`key: invalid AES key size ${key.length} (expected 16, 24 or 32)`);
  }
}

/** AES-CFB128 encrypt (output length = input length; no IV prefix). */
export function cfbEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const algo = cfbAlgo(key, iv);
  abytes(data, 'data');
  const c = createCipheriv(algo, key, iv);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** AES-CFB128 decrypt. Unauthenticated: a wrong key gives garbage, never an error (as in Go). */
export function cfbDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const algo = cfbAlgo(key, iv);
  abytes(data, 'data');
  const d = createDecipheriv(algo, key, iv);
  return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
}

/** zlib (RFC 1950) at level 9 = Go `zlib.BestCompression`. Bytes differ from Go's deflate; only round trips are portable. */
export function zlibCompress(data: Uint8Array): Uint8Array {
  abytes(data, 'data');
  return new Uint8Array(deflateSync(data, { level: 9 }));
}

/** Default output cap for inflate: 256 MiB, far above any message part the suite produces. */
export const DEFAULT_MAX_INFLATE = 256 * 1024 * 1024;

/**
 * zlib inflate with a bound on the output so a zip bomb cannot exhaust memory: output above
 * `maxOutput` bytes → `InvalidInput`. Corrupt or truncated streams → `DecryptionFailed`
 * (in a message a corrupt stream means the CFB key/IV or ciphertext was wrong, since CFB has no MAC).
 */
export function zlibDecompress(data: Uint8Array, maxOutput: number = DEFAULT_MAX_INFLATE): Uint8Array {
  abytes(data, 'data');
  if (!Number.isSafeInteger(maxOutput) || maxOutput < 0) throw new InvalidInput(`maxOutput: expected non-negative integer, got ${maxOutput}`);
  try {
    // maxOutputLength makes node throw ERR_BUFFER_TOO_LARGE (RangeError) instead of allocating more.
    // Default finishFlush (Z_FINISH) makes a truncated stream an error, as Go's io.ErrUnexpectedEOF.
    const out = inflateSync(data, { maxOutputLength: Math.max(1, maxOutput) });
    if (out.length > maxOutput) throw Object.assign(new RangeError('too large'), { code: 'ERR_BUFFER_TOO_LARGE' });
    return new Uint8Array(out);
  } catch (cause) {
    const code = (cause as { code?: string } | null)?.code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new InvalidInput(`data: inflated output exceeds ${maxOutput} bytes`, { cause });
    throw new DecryptionFailed(`data: zlib: ${(cause as Error)?.message ?? 'invalid stream'}`, { cause });
  }
}
