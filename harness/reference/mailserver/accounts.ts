/**
 * Account creation and public keys (spec/api.md §3.1 P2, P3; §5.1; §6.1; Go
 * cmd/bm-server/handler/account.go:48-174), and the management endpoints (§3.8, Go
 * cmd/bm-server/handler/mgmt/*).
 *
 * `POST /account` runs its checks in the documented order: JSON (incl. key and PoW strings) →
 * PoW bits → PoW over the address hash → user/org hashes → organisation → invite token →
 * existing account. Intended behaviour where Go is defective (DEVIATIONS.md): the invite token
 * must be for the address being registered (§8 item 5), and a malformed token is a 400, not a panic.
 * @module
 */
import { HttpError, type HttpRequest, type HttpResponse, type PathParams } from '../handler.ts';
import { parsePublicKey, formatPublicKey } from '../../protocol/keys.ts';
import { parseProofOfWork, verifyPow } from '../../protocol/pow.ts';
import { hashString, isHash, EMPTY_HASH } from '../../protocol/hash.ts';
import { createInvite, verifyInvite } from '../../protocol/invite.ts';
import { decodeBody } from './body.ts';
import type { Ctx } from './context.ts';
import type { AccountRecord } from './repo.ts';

/** Go fallback when the resolver's `/config.json` cannot be read (service.go:188-204). */
const FALLBACK_POW_BITS = 20;

export async function accountPowBits(ctx: Ctx): Promise<number> {
  if (ctx.limits.accountPowBits !== undefined) return ctx.limits.accountPowBits;
  return (await ctx.resolver.addressPowBits().catch(() => undefined)) ?? FALLBACK_POW_BITS;
}

/** P2 `POST /account`. */
export async function createAccount(ctx: Ctx, _req: HttpRequest, _p: PathParams, body: Uint8Array): Promise<HttpResponse> {
  const b = decodeBody(body, {
    address: 'string',
    user_hash: 'string',
    org_hash: 'string',
    token: 'string',
    public_key: 'string',
    proof_of_work: 'string',
  });
  // 1. Values with their own JSON decoders in Go: hash, key, proof of work.
  if (!isHash(b.address)) throw new HttpError(400, 'Malformed JSON: address: not a hash');
  let publicKey: string;
  try {
    publicKey = formatPublicKey(parsePublicKey(b.public_key));
  } catch (e) {
    throw new HttpError(400, `Malformed JSON: public_key: ${(e as Error).message}`);
  }
  let pow;
  try {
    pow = parseProofOfWork(b.proof_of_work);
  } catch (e) {
    throw new HttpError(400, `Malformed JSON: proof_of_work: ${(e as Error).message}`);
  }
  const address = b.address.toLowerCase();
  // 2., 3. Proof of work: enough bits, and valid over the address hash (its own data is ignored, as in Go).
  const bits = await accountPowBits(ctx);
  if (!ctx.faults.acceptWeakProofOfWork) {
    if (pow.bits < bits) throw new HttpError(400, `Proof of work must be at least ${bits} bits`);
    if (!verifyPow(pow.bits, address, pow.proof)) throw new HttpError(400, 'incorrect proof of work');
  }
  // 4. The address hash is made of the two part hashes.
  if (!isHash(b.user_hash)) throw new HttpError(400, 'invalid body: user_hash');
  if (!isHash(b.org_hash)) throw new HttpError(400, 'invalid body: org_hash');
  if (hashString(b.user_hash + b.org_hash) !== b.address && !ctx.faults.skipAddressHashCheck) throw new HttpError(400, 'cant verify the address hashes');
  // 5. Organisation accounts: allowed here, and their invite is signed by the organisation key.
  let inviteKey = ctx.routingPub;
  if (b.org_hash !== EMPTY_HASH) {
    const org = await ctx.resolver.organisation(b.org_hash);
    if (!org) throw new HttpError(400, 'cannot find organisation');
    if (!ctx.organisations.some((n) => hashString(n) === b.org_hash)) {
      throw new HttpError(400, 'organisation not allowed to register on this server');
    }
    try {
      inviteKey = parsePublicKey(org.publicKey);
    } catch {
      throw new HttpError(400, 'cannot find organisation');
    }
  }
  // 6. Invite token: signature, expiry, this server's routing id — and the address (intended).
  let inviteOk = false;
  try {
    inviteOk = verifyInvite(b.token, inviteKey, address, ctx.routingId, ctx.clock);
  } catch {
    inviteOk = false;
  }
  if (!inviteOk && !ctx.faults.acceptBadInvite) throw new HttpError(400, 'cannot validate token');
  // 7., 8.
  const rec: AccountRecord = {
    hash: address,
    publicKeys: [publicKey],
    createdAt: ctx.clock.now(),
    boxes: [1, 2, 3].map((id) => ({ id, parent: null, messages: [] })),
  };
  if (!(await ctx.repo.createAccount(rec))) throw new HttpError(400, 'account already exists');
  return { status: 201, json: { status: 'BitMaelum account has been successfully created.' } };
}

/** P3 `GET /account/{addr}/keys`. */
export async function accountKeys(ctx: Ctx, _req: HttpRequest, p: PathParams): Promise<HttpResponse> {
  if (!isHash(p.addr)) throw new HttpError(400, 'incorrect address');
  const a = await ctx.repo.getAccount(p.addr!);
  if (!a) throw new HttpError(404, 'public keys not found');
  return { status: 200, json: { public_keys: a.publicKeys } };
}

/** `POST /admin/invite` — body `{"address": hash, "days": int}` → `201 {"hash","token","expiry"}`. */
export async function adminInvite(ctx: Ctx, body: Uint8Array): Promise<HttpResponse> {
  const b = decodeBody(body, { address: 'string', days: 'int' });
  if (!isHash(b.address)) throw new HttpError(400, 'incorrect address');
  const days = b.present.has('days') ? b.days : 7;
  if (days < 0 || days > 3650) throw new HttpError(400, 'incorrect days');
  const expiry = ctx.clock.now() + days * 86400;
  const token = createInvite(ctx.routingPriv, b.address.toLowerCase(), ctx.routingId, expiry, ctx.rng);
  return { status: 201, json: { hash: b.address.toLowerCase(), token, expiry } };
}

/** `GET /` (P1): the logo, always text/html. */
export function homepage(): HttpResponse {
  const logo = [
    ' ____  _ _   __  __            _',
    '|  _ \\(_) | |  \\/  |          | |',
    '| |_) |_| |_| \\  / | __ _  ___| |_   _ _ __ ___',
    "|  _ <| | __| |\\/| |/ _` |/ _ \\ | | | | '_ ` _ \\",
    '| |_) | | |_| |  | | (_| |  __/ | |_| | | | | | |',
    '|____/|_|\\__|_|  |_|\\__,_|\\___|_|\\__,_|_| |_| |_|',
    '   reference mail server (bitmaelum-conformance)',
  ].join('\n');
  return { status: 200, text: logo + '\n', headers: { 'content-type': 'text/html' } };
}
