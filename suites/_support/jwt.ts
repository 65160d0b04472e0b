/**
 * JWTs for mail-server suites (formats.md §8, api.md §2.3a): the token a conforming client
 * mints, and tokens that are wrong in exactly one way — time claims moved, `sub` of another
 * account, another key, `alg: none`, HS256 keyed with the public key (RFC 8725 §2.1, §3.1),
 * no `exp` — so a test can check that the server refuses each.
 *
 * {@link craftJwt} signs any header and claims with the signing rule of the alg it is given
 * (RS256: PKCS#1 v1.5 over SHA-256 of the signing input; ES384: ECDSA P-384 over SHA-384, r‖s of
 * 48 bytes each; EdDSA: Ed25519 over the signing input; HS256: HMAC-SHA256 with the key bytes the
 * caller gives; none: empty signature), independently of harness/protocol/jwt.ts's minting code,
 * so the suites do not test the reference with its own token builder.
 * @module
 */
import { createHash, createHmac } from 'node:crypto';
import { goMap, goMarshal, type GoValue } from '../../harness/protocol/gojson.ts';
import { toB64url, utf8 } from '../../harness/protocol/bytes.ts';
import { sign, parseEcdsaSignature } from '../../harness/protocol/signature.ts';
import type { PrivateKey } from '../../harness/protocol/keys.ts';
import type { Rng } from '../../harness/protocol/random.ts';

/** The alg a conforming client uses for a key type (formats.md §8). */
export function algFor(priv: PrivateKey): 'RS256' | 'ES384' | 'EdDSA' {
  return priv.type === 'ecdsa' ? 'ES384' : priv.type === 'ed25519' ? 'EdDSA' : 'RS256';
}

/** Unix seconds now (the suite's clock: tokens are judged by the target's clock). */
export function nowUnix(): number {
  return Math.floor(Date.now() / 1000);
}

/** Standard claims in jwt-go struct order (`exp, iat, nbf, sub`); `undefined` drops a claim. */
export interface Claims {
  exp?: number;
  iat?: number;
  nbf?: number;
  sub?: string;
  [k: string]: GoValue | undefined;
}

/** The claims a conforming client mints at `now` (formats.md §8: ct = ⌊now/30⌋·30, iat = nbf = ct − 30, exp = ct + 60). */
export function windowClaims(sub: string, now = nowUnix()): Claims {
  const ct = Math.floor(now / 30) * 30;
  return { exp: ct + 60, iat: ct - 30, nbf: ct - 30, sub };
}

export interface CraftOptions {
  /** Header alg (default: the key's alg). */
  alg?: string;
  /** Extra header fields. */
  header?: Record<string, GoValue>;
  /** HS256/384/512: the HMAC key bytes (e.g. the public key text — the alg-confusion attack). */
  hmacKey?: Uint8Array;
  /** Replace the signature segment verbatim. */
  signature?: string;
  rng?: Rng;
}

/**
 * A token with these claims signed by `priv` under `opts.alg` (default: the key's alg).
 * @param priv the signing key; unused for `none` and HS* (give `hmacKey`)
 */
export function craftJwt(priv: PrivateKey | undefined, claims: Claims, opts: CraftOptions = {}): string {
  const alg = opts.alg ?? (priv ? algFor(priv) : 'none');
  const header = toB64url(utf8(goMarshal(goMap({ alg, typ: 'JWT', ...(opts.header ?? {}) }))));
  const body: Record<string, GoValue> = {};
  for (const [k, v] of Object.entries(claims)) if (v !== undefined) body[k] = v;
  const payload = toB64url(utf8(goMarshal(body)));
  const input = utf8(`${header}.${payload}`);
  if (opts.signature !== undefined) return `${header}.${payload}.${opts.signature}`;
  let sig: Uint8Array;
  if (alg.toLowerCase() === 'none') sig = new Uint8Array(0);
  else if (/^HS(256|384|512)$/.test(alg)) {
    if (!opts.hmacKey) throw new TypeError(`craftJwt: ${alg} needs hmacKey`);
    sig = new Uint8Array(createHmac(`sha${alg.slice(2)}`, opts.hmacKey).update(input).digest());
  } else {
    if (!priv) throw new TypeError(`craftJwt: ${alg} needs a private key`);
    if (priv.type === 'ecdsa') {
      // jwt-go ES384: ECDSA over SHA-384 of the signing input, r‖s each 48 bytes.
      const { r, s } = parseEcdsaSignature(sign(priv, new Uint8Array(createHash('sha384').update(input).digest()), opts.rng));
      sig = new Uint8Array(96);
      sig.set(be48(r), 0);
      sig.set(be48(s), 48);
    } else {
      // BitMaelum Sign: rsa = PKCS#1 v1.5 over SHA-256(input) (= RS256), ed25519 = pure Ed25519 (= EdDSA).
      sig = sign(priv, input, opts.rng);
    }
  }
  return `${header}.${payload}.${toB64url(sig)}`;
}

/** A P-384 scalar as 48 big-endian bytes. */
function be48(n: bigint): Uint8Array {
  return new Uint8Array(Buffer.from(n.toString(16).padStart(96, '0'), 'hex'));
}

/** The token a conforming client sends now for account `sub` (formats.md §8). */
export function clientJwt(priv: PrivateKey, sub: string, rng?: Rng): string {
  return craftJwt(priv, windowClaims(sub), rng ? { rng } : {});
}
