/**
 * Catalog checksums (spec/formats.md §4.2; Go `internal/message/checksum.go:36-54`):
 * RIPEMD-160 and SHA-256 of the bytes, lowercase hex, keyed `ripemd160` / `sha256` in the header's
 * `catalog.checksum` map (a Go map, so serialised sorted: ripemd160 first).
 * @module
 */
import { createHash } from 'node:crypto';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { abytes, toHex } from './bytes.ts';

export interface Checksums {
  ripemd160: string;
  sha256: string;
}

export function checksums(data: Uint8Array): Checksums {
  abytes(data, 'data');
  // Node's OpenSSL 3 may not ship RIPEMD-160 (legacy provider), so noble computes it.
  return { ripemd160: toHex(ripemd160(data)), sha256: createHash('sha256').update(data).digest('hex') };
}
