/**
 * Test-only, like fixtures.ts: setup shared by the protocol tests and the vector generators — a
 * fixture identity parsed into key objects, an rng that replays exact bytes (to force the scalar
 * or nonce a Go known-answer test used), and token mutations both need. Public to the repository
 * because vectors/gen uses it (a `_` module is private to its folder), but not part of the
 * library: protocol/index.ts does not export it. Hostile-argument helpers are in `_hostile.ts`
 * (the protocol tests' own), Go testdata access in `gotestdata.ts`.
 * @module
 */
import { parsePrivateKey, parsePublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import type { Rng } from './random.ts';
import { fromB64, toB64 } from './bytes.ts';

/**
 * Both keys of a fixture identity (fixtures.ts `{privateKey, publicKey}` texts), parsed.
 * @example const [priv, pub] = fixtureKeys(GO_ED25519_1);
 */
export function fixtureKeys(k: { privateKey: string; publicKey: string }): [PrivateKey, PublicKey] {
  return [parsePrivateKey(k.privateKey), parsePublicKey(k.publicKey)];
}

/** An rng that yields exactly the given bytes, then fails. */
export function scriptedRng(bytes: ArrayLike<number>): Rng {
  let i = 0;
  return {
    bytes(n: number) {
      if (i + n > bytes.length) throw new Error('scripted rng exhausted');
      const out = Uint8Array.from(Array.prototype.slice.call(bytes, i, i + n) as number[]);
      i += n;
      return out;
    },
  };
}

/**
 * An invite token (base64 of `hash:routing:expiry:` ‖ signature, invite.go:95-98) with its
 * ':'-field `field` (0 address hash, 1 routing ID, 2 expiry) replaced by `value`; the signature
 * bytes are kept, so the result no longer verifies unless `value` equals the old field.
 */
export function tamperInvite(token: string, field: 0 | 1 | 2, value: string): string {
  const raw = Buffer.from(fromB64(token));
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < 3; i++) {
    const c = raw.indexOf(0x3a, start);
    parts.push(raw.subarray(start, c));
    start = c + 1;
  }
  parts.push(raw.subarray(start));
  parts[field] = Buffer.from(value);
  return toB64(Buffer.concat(parts.flatMap((p, i) => (i < 3 ? [p, Buffer.from(':')] : [p]))));
}
