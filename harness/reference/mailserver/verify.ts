/**
 * The checks a message must pass before this server accepts it for delivery
 * (spec/api.md §5.5; formats.md §4.3–§4.4; Go cmd/bm-server/processor/process.go:96-120,
 * internal/message/signature.go:53-198), run when the upload is completed (`POST /incoming`):
 *
 * 1. catalog: the uploaded bytes have the header's `catalog.size` and `catalog.checksum`
 *    (SHA-256 and RIPEMD-160 of the encrypted blob; formats.md §4.1 step 5);
 * 2. server signature, against the routing key of the sender's home server (resolver address →
 *    routing record); skipped for `signed_by: "server"` as in Go;
 * 3. for `signed_by: "authorized"`: `authorized_by.signature` by the sender's account key over
 *    the ASCII hex of hash.New(authorized_by.public_key);
 * 4. client signature: by the sender's account key (`origin`/`""`), the authorised key, or the
 *    routing key of `from.address` (`server`).
 *
 * Go runs 2–4 only at delivery and deletes a failing message silently (§8 item 7); here a
 * failure refuses the completion with `400 "message rejected: <reason>"`, so the sending client
 * or server learns why (harness/reference/DEVIATIONS.md). Each check has its fault switch.
 * @module
 */
import { checksums } from '../../protocol/checksum.ts';
import { clientHash, verifyClientHeader, verifyServerHeader, SIGNED_BY, type Header } from '../../protocol/header.ts';
import { verifyAuthorization } from '../../protocol/authorization.ts';
import { parsePublicKey } from '../../protocol/keys.ts';
import { verify } from '../../protocol/signature.ts';
import { fromB64 } from '../../protocol/bytes.ts';
import type { Ctx } from './context.ts';

/** Why a message is refused; `undefined` = acceptable. */
export async function checkMessage(ctx: Ctx, h: Header, catalog: Uint8Array): Promise<string | undefined> {
  const f = ctx.faults;
  if (!f.skipCatalogChecksum) {
    if (BigInt(h.catalog.size) !== BigInt(catalog.length)) return `catalog size ${catalog.length} does not match the header (${String(h.catalog.size)})`;
    const sums = checksums(catalog);
    const want = h.catalog.checksum ?? {};
    if (want['sha256'] !== sums.sha256 || want['ripemd160'] !== sums.ripemd160) return 'catalog checksum does not match the header';
  }

  const signedBy = h.from.signed_by;
  // Keys the checks need.
  let senderKey: string | undefined;
  let senderRoutingKey: string | undefined;
  if (signedBy === SIGNED_BY.server) {
    senderRoutingKey = await routingKey(ctx, h.from.address);
    if (senderRoutingKey === undefined) return 'sending server not found on the resolver';
  } else {
    const local = await ctx.repo.getAccount(h.from.address);
    const rec = await ctx.resolver.address(h.from.address);
    if (rec) senderKey = rec.publicKey;
    else if (local) senderKey = local.publicKeys[0];
    if (senderKey === undefined) return 'sender not found on the resolver';
    const rid = rec?.routingId ?? (local ? ctx.routingId : undefined);
    if (rid !== undefined) senderRoutingKey = await routingKey(ctx, rid);
  }

  // 2. server signature
  if (!f.skipServerSignatureCheck && signedBy !== SIGNED_BY.server) {
    if (senderRoutingKey === undefined) return "sender's home server not found on the resolver";
    if (!verifyServerHeader(h, senderRoutingKey)) return 'server signature does not verify';
  }

  // 3 + 4. authorisation chain and client signature
  if (signedBy === SIGNED_BY.server) {
    if (!f.skipClientSignatureCheck && !verifyClientHeader(h, senderRoutingKey!)) return 'client signature does not verify';
    return undefined;
  }
  if (signedBy === SIGNED_BY.authorized) {
    const ab = h.authorized_by;
    if (!ab || ab.public_key === null) return 'authorized_by missing for an on-behalf message';
    if (!f.skipAuthorizationCheck && !verifyAuthorization(parsePublicKey(senderKey!), ab.public_key, ab.signature)) {
      return 'authorized_by signature does not verify';
    }
    if (!f.skipClientSignatureCheck && !verifyWith(ab.public_key, h)) return 'client signature does not verify';
    return undefined;
  }
  if (!f.skipClientSignatureCheck && !verifyClientHeader(h, senderKey!)) return 'client signature does not verify';
  return undefined;
}

function verifyWith(keyText: string, h: Header): boolean {
  try {
    return verify(parsePublicKey(keyText), clientHash(h), fromB64(h.signatures.client));
  } catch {
    return false;
  }
}

async function routingKey(ctx: Ctx, routingId: string): Promise<string | undefined> {
  if (routingId.toLowerCase() === ctx.routingId.toLowerCase()) return ctx.routingPubText;
  return (await ctx.resolver.routing(routingId))?.publicKey;
}
