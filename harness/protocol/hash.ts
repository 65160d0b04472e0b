/**
 * `hash.Hash` of BitMaelum (spec/formats.md §2.1; Go `pkg/hash/hash.go:45-81`).
 * A hash is always carried as its 64-char lowercase hex text; where a signature covers "a hash"
 * it covers those ASCII hex characters (§4.4, §10.3), which is why this module deals in strings.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { astring } from './bytes.ts';

/** `hash.New(s)`: lowercase hex SHA-256 of the UTF-8 bytes of `s` (`hash.go:45-49`). */
export function hashString(s: string): string {
  astring(s, 's');
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

const HASH_RE = /^[a-f0-9]{64}$/;

/**
 * `NewFromHash` acceptance rule (`hash.go:52-59`): `lower(s)` must be 64 hex chars. Go keeps the
 * original case, so upper-case hex is a valid hash here too (callers must not re-case it).
 * Only ASCII letters can lower-case into [a-f] within a 64-char match, except U+212A KELVIN SIGN
 * (→ 'k', not hex), so ASCII lower-casing is exact for this check.
 */
export function isHash(s: unknown): s is string {
  return typeof s === 'string' && HASH_RE.test(s.replace(/[A-F]/g, (c) => c.toLowerCase()));
}

/** The hash of the empty string = the "no organisation" org hash (`hash.go:72-74`). */
export const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** `h.Verify(localHash, orgHash)`: constant-time compare of `h` with `hash.New(localHash + orgHash)` (`hash.go:77-81`). */
export function verifyHash(h: string, localHash: string, orgHash: string): boolean {
  if (typeof h !== 'string' || typeof localHash !== 'string' || typeof orgHash !== 'string') return false;
  const a = Buffer.from(h, 'utf8');
  const b = Buffer.from(hashString(localHash + orgHash), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
