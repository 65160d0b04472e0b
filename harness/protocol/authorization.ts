/**
 * Authorized (on-behalf) key signatures (spec/formats.md §4.4, §10.3; Go
 * `internal/key/auth_key.go:54-64`, checked at `internal/message/signature.go:173-180`).
 *
 * The origin address key signs the ASCII text of `hash.New(authorizedKey.String())` — the 64
 * lowercase hex characters, not the 32 digest bytes — and the signature is carried as b64 in
 * `AuthKeyType.signature` and in the header's `authorized_by.signature`. The key string hashed is
 * Go's `PubKey.String()` of the authorized key (trimmed, description kept), so a key text with a
 * trailing newline gives the same signature as the clean text.
 * @module
 */
import { fromB64, toB64, utf8 } from './bytes.ts';
import { hashString } from './hash.ts';
import { formatPublicKey, parsePrivateKey, parsePublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import { sign, verify } from './signature.ts';
import type { Rng } from './random.ts';

/** The bytes signed for an authorized key: ASCII hex of SHA-256 of its Go `String()` form. */
export function authorizationMessage(authorizedPubText: string): Uint8Array {
  return utf8(hashString(formatPublicKey(parsePublicKey(authorizedPubText))));
}

/** `AuthKeyType.Sign`: b64 signature of {@link authorizationMessage} by the origin key. Throws on bad keys. */
export function signAuthorization(originPriv: PrivateKey | string, authorizedPubText: string, rng?: Rng): string {
  const priv = typeof originPriv === 'string' ? parsePrivateKey(originPriv) : originPriv;
  return toB64(sign(priv, authorizationMessage(authorizedPubText), rng));
}

/** Verify an authorization signature. Never throws: unparseable keys or signature → false. */
export function verifyAuthorization(originPub: PublicKey | string, authorizedPubText: string, sigB64: string): boolean {
  try {
    const pub = typeof originPub === 'string' ? parsePublicKey(originPub) : originPub;
    if (typeof sigB64 !== 'string' || sigB64 === '') return false;
    return verify(pub, authorizationMessage(authorizedPubText), fromB64(sigB64));
  } catch {
    return false;
  }
}
