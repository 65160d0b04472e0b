/**
 * Authorization of key-resolver writes (spec/formats.md §10.4; Go `internal/resolver/service.go:212-245`,
 * `remote.go:161-288,370-385`; verifying side key-resolver-go `internal/http/http.go`
 * `ValidateAuthenticationToken`).
 *
 * `Authorization: Bearer <b64std(Sign(priv, SHA-256(msg)))>` where msg is ASCII:
 * - address record (`POST /address/<hash>`, delete, undelete): `addrHash ‖ routingID ‖ decimal(serial)`;
 * - routing record: `routingID ‖ decimal(serial)` (the routing ID is the record's hash);
 * - organisation record: `orgHash ‖ decimal(serial)`.
 * `serial` is the record's current `serial_number` (uint64, 0 when absent; undelete always 0).
 * All three are `hash ‖ (routingId ?? "") ‖ decimal(serial)`, which is what the functions below take.
 * Sign is the BitMaelum per-type rule (signature.ts); for ecdsa keys the signature is randomized.
 * @module
 */
import { createHash } from 'node:crypto';
import { InvalidInput } from './errors.ts';
import { fromB64, preview, toB64, utf8 } from './bytes.ts';
import { systemRng, type Rng } from './random.ts';
import { assertPrivateKey, assertPublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import { sign, verify } from './signature.ts';

/** Which record is authorised: its hash (address hash, routing ID or org hash), the routing ID for an address record, and the serial. */
export interface ResolverAuthInput {
  hash: string;
  routingId?: string;
  serial: bigint | number;
}

const UINT64_MAX = (1n << 64n) - 1n;

/** The exact text that is hashed and signed (`generate…Signature`). */
export function resolverAuthMessage(input: ResolverAuthInput): string {
  if (typeof input !== 'object' || input === null) throw new InvalidInput(`resolver auth: expected {hash, routingId?, serial}, got ${preview(input)}`);
  const { hash, routingId, serial } = input;
  if (typeof hash !== 'string') throw new InvalidInput(`hash: expected string, got ${hash === null ? 'null' : typeof hash}`);
  if (routingId !== undefined && typeof routingId !== 'string') throw new InvalidInput(`routingId: expected string, got ${routingId === null ? 'null' : typeof routingId}`);
  let s: bigint;
  if (typeof serial === 'bigint') s = serial;
  else if (typeof serial === 'number' && Number.isSafeInteger(serial)) s = BigInt(serial);
  else throw new InvalidInput(`serial: expected uint64, got ${preview(typeof serial === 'bigint' ? String(serial) : serial)}`);
  if (s < 0n || s > UINT64_MAX) throw new InvalidInput(`serial: expected uint64, got ${s}`);
  return `${hash}${routingId ?? ''}${s.toString(10)}`;
}

function digest(input: ResolverAuthInput): Uint8Array {
  return new Uint8Array(createHash('sha256').update(utf8(resolverAuthMessage(input))).digest());
}

/**
 * The bearer token (the text after `Bearer `) authorising a resolver write.
 * @param rng randomness for ecdsa signatures only
 * @throws InvalidInput for bad arguments
 */
export function resolverBearer(priv: PrivateKey, input: ResolverAuthInput, rng: Rng = systemRng): string {
  assertPrivateKey(priv);
  return toB64(sign(priv, digest(input), rng));
}

/** The full header value: `Bearer <token>`. */
export function resolverAuthorizationHeader(priv: PrivateKey, input: ResolverAuthInput, rng: Rng = systemRng): string {
  return `Bearer ${resolverBearer(priv, input, rng)}`;
}

/**
 * Whether `bearer` authorises the write for the record owner's key `pub`. Accepts the bare token or
 * the header value with a case-insensitive `Bearer ` prefix (key-resolver-go compares the first 7
 * characters upper-cased). A token that is not base64 is `false`.
 * @throws InvalidInput for a bad key or record argument
 */
export function verifyResolverBearer(pub: PublicKey, input: ResolverAuthInput, bearer: string): boolean {
  assertPublicKey(pub);
  const d = digest(input);
  if (typeof bearer !== 'string') throw new InvalidInput(`bearer: expected string, got ${bearer === null ? 'null' : typeof bearer}`);
  const tok = bearer.length >= 7 && bearer.slice(0, 7).toUpperCase() === 'BEARER ' ? bearer.slice(7) : bearer;
  let sig: Uint8Array;
  try {
    sig = fromB64(tok, 'bearer');
  } catch {
    return false;
  }
  return verify(pub, d, sig);
}
