/**
 * Internal, test-only: setup shared by the protocol tests — a fixture identity parsed into key
 * objects, and an rng that replays exact bytes (to force the scalar or nonce a Go known-answer
 * test used). Not part of the library: only `*.test.ts` files import it. Hostile-argument
 * helpers are in `_hostile.ts`, Go testdata access in `_testdata.ts`.
 * @module
 */
import { parsePrivateKey, parsePublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import type { Rng } from './random.ts';

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
