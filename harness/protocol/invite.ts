/**
 * Invite tokens for account creation (spec/formats.md §10.2, spec/api.md §5.1; Go
 * `internal/signature/invite.go:46-126`; key-resolver-go `internal/address/token.go` has the same
 * format).
 *
 * - Signed bytes: `SHA-256(addrHashHex ‖ routingID ‖ decimal(unix expiry))` (ASCII, no separators),
 *   signed with the BitMaelum per-type rule (signature.ts): the server's routing key, or the
 *   organisation's active key for `user@org!` invites.
 * - Token: `b64std(addrHashHex ":" routingID ":" decimal(unix) ":" <raw signature bytes>)`. The raw
 *   signature may itself contain `:` bytes, so parsing splits into at most 4 parts (`SplitN`).
 * - Verify (`Token.Verify`): signature ok, `now <= expiry` (Go: `!now.After(expiry)`), token routing
 *   ID == the verifying server's.
 *
 * Deliberate differences from Go, documented:
 * - Go's `ParseInviteToken` returns a nil token and a nil error when there are fewer than 4 parts
 *   (the server then panics); here that is InvalidToken.
 * - Go's server never compares the token's address hash with the account being created (spec/api.md
 *   defect list #5: an invite for one address registers any other). {@link verifyInvite} takes the
 *   expected address hash and requires it — the intended behaviour.
 * - Expiry values beyond ±2^53 seconds are refused as InvalidToken (Go accepts any int64).
 * @module
 */
import { createHash } from 'node:crypto';
import { InvalidInput, InvalidToken } from './errors.ts';
import { concatBytes, equalBytes, fromB64, fromUtf8, preview, toB64, utf8 } from './bytes.ts';
import { isHash } from './hash.ts';
import { systemRng, type Clock, type Rng } from './random.ts';
import { assertPrivateKey, assertPublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import { sign, verify } from './signature.ts';

/** A parsed, unverified invite token. */
export interface InviteToken {
  /** Address hash as written in the token (case kept, as Go's `NewFromHash`). */
  readonly addressHash: string;
  /** Routing ID as written (UTF-8 reading of its bytes). */
  readonly routingId: string;
  /** The routing ID's exact bytes (what is signed). */
  readonly routingIdBytes: Uint8Array;
  /** Expiry, unix seconds. */
  readonly expires: number;
  /** Raw signature bytes. */
  readonly signature: Uint8Array;
}

/** `generateHash` (invite.go:122-126). */
function signedHash(addressHash: string, routingId: Uint8Array, expires: number): Uint8Array {
  const msg = concatBytes(utf8(addressHash), routingId, utf8(String(expires)));
  return new Uint8Array(createHash('sha256').update(msg).digest());
}

function checkExpires(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new InvalidInput(`expires: expected integer unix seconds, got ${preview(v)}`);
  return v;
}

function checkRoutingId(v: unknown): string {
  if (typeof v !== 'string') throw new InvalidInput(`routingId: expected string, got ${v === null ? 'null' : typeof v}`);
  // A ':' would move the field boundary of the token; Go would write a token it cannot read back.
  if (v.includes(':')) throw new InvalidInput(`routingId: must not contain ':', got ${preview(v)}`);
  return v;
}

/**
 * Create an invite token (Go `NewInviteToken` + `String`).
 * @param priv the server routing key or the organisation key
 * @param addressHash the invited account's address hash (hex)
 * @param routingId the routing ID of the server the account may be created on
 * @param expiresUnix last valid second (unix)
 * @param rng randomness for ecdsa signatures only
 * @throws InvalidInput for a bad argument
 * @example createInvite(GO_ED25519_1 key, hashString('john@acme!'), '12345678', 1262608496) // 'ZTE3NmRlOTk5…NGxgM='
 */
export function createInvite(priv: PrivateKey, addressHash: string, routingId: string, expiresUnix: number, rng: Rng = systemRng): string {
  assertPrivateKey(priv);
  if (!isHash(addressHash)) throw new InvalidInput(`addressHash: expected a 64-hex-digit hash, got ${preview(addressHash)}`);
  const rid = utf8(checkRoutingId(routingId));
  const exp = checkExpires(expiresUnix);
  const sig = sign(priv, signedHash(addressHash, rid, exp), rng);
  return toB64(concatBytes(utf8(`${addressHash}:`), rid, utf8(`:${exp}:`), sig));
}

/** Go `strconv.ParseInt(s, 10, 64)` syntax: optional sign, decimal digits. */
const INT_RE = /^[+-]?[0-9]+$/;

/**
 * Parse an invite token without verifying it (Go `ParseInviteToken`).
 * @throws InvalidToken when it is not base64, has fewer than 4 `:` parts, a bad address hash or a
 *   bad expiry; InvalidInput when it is not a string
 */
export function parseInvite(token: string): InviteToken {
  if (typeof token !== 'string') throw new InvalidInput(`token: expected string, got ${token === null ? 'null' : typeof token}`);
  let raw: Uint8Array;
  try {
    raw = fromB64(token, 'invite token');
  } catch (e) {
    throw new InvalidToken('invite token: not standard base64', { cause: e });
  }
  // SplitN(…, ":", 4) over bytes: the 4th part is the raw signature, colons and all.
  const cuts: number[] = [];
  for (let i = 0; i < raw.length && cuts.length < 3; i++) if (raw[i] === 0x3a) cuts.push(i);
  if (cuts.length < 3) throw new InvalidToken(`invite token: expected 4 ':'-separated parts, got ${cuts.length + 1}`);
  const [c1, c2, c3] = cuts as [number, number, number];
  const addressHash = fromUtf8(raw.subarray(0, c1));
  if (!isHash(addressHash)) throw new InvalidToken(`invite token: address hash ${preview(addressHash)} is not a hash`);
  const routingIdBytes = raw.slice(c1 + 1, c2);
  const expText = fromUtf8(raw.subarray(c2 + 1, c3));
  if (!INT_RE.test(expText)) throw new InvalidToken(`invite token: expiry ${preview(expText)} is not an integer`);
  const expBig = BigInt(expText);
  if (expBig > BigInt(Number.MAX_SAFE_INTEGER) || expBig < BigInt(Number.MIN_SAFE_INTEGER))
    throw new InvalidToken(`invite token: expiry ${expText} is out of range`);
  return {
    addressHash,
    routingId: fromUtf8(routingIdBytes),
    routingIdBytes,
    expires: Number(expBig),
    signature: raw.slice(c3 + 1),
  };
}

/**
 * Whether `token` is a valid invite for `addressHash` on the server with `routingId` at
 * `clock.now()`: signature by `pub` over the token's own fields, not expired (`now <= expires`),
 * same routing ID, same address hash (see module notes: Go's server skips this last check).
 * A token that cannot be parsed is `false` too (a verify answers; it throws only for bad arguments).
 * The signature covers the parsed fields re-formatted (expiry as canonical decimal), as in Go, so
 * an expiry written `+5` or `007` in the token verifies like `5` / `7`.
 * @throws InvalidInput for a non-string token, a bad key, address hash, routing ID or clock
 */
export function verifyInvite(token: string, pub: PublicKey, addressHash: string, routingId: string, clock: Clock): boolean {
  if (typeof token !== 'string') throw new InvalidInput(`token: expected string, got ${token === null ? 'null' : typeof token}`);
  assertPublicKey(pub);
  if (!isHash(addressHash)) throw new InvalidInput(`addressHash: expected a 64-hex-digit hash, got ${preview(addressHash)}`);
  if (typeof routingId !== 'string') throw new InvalidInput(`routingId: expected string, got ${routingId === null ? 'null' : typeof routingId}`);
  if (!clock || typeof clock.now !== 'function') throw new InvalidInput('clock: expected a Clock');
  const now = clock.now();
  if (!Number.isSafeInteger(now)) throw new InvalidInput(`clock: expected integer seconds, got ${preview(now)}`);
  let t: InviteToken;
  try {
    t = parseInvite(token);
  } catch {
    return false;
  }
  if (!verify(pub, signedHash(t.addressHash, t.routingIdBytes, t.expires), t.signature)) return false;
  if (now > t.expires) return false;
  if (!equalBytes(t.routingIdBytes, utf8(routingId))) return false;
  return t.addressHash === addressHash;
}
