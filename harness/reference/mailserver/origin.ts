/**
 * This server as the origin of a message (spec/api.md §3.2 A4, §5.3; formats.md §4.1 step 7;
 * Go cmd/bm-server/handler/incoming.go:68-95): a header uploaded with a ticket issued to an
 * authenticated local client is countersigned here before it is stored. A client may not claim
 * `signed_by: "server"`; on-behalf mail gets the `authorized_by` of the ticket's authorised key;
 * any other `authorized_by` is dropped; then `signatures.server` is made with the routing key.
 * Headers uploaded with a public ticket are stored as received (uploads.ts). DEVIATIONS.md
 * MAIL-17 says where this differs from Go.
 * @module
 */
import { HttpError } from '../handler.ts';
import { signServerHeader, SIGNED_BY, type Header } from '../../protocol/header.ts';
import type { Ctx } from './context.ts';
import type { TicketRecord } from './repo.ts';

/** The header `h` as this server sends it as origin of the message of ticket `t` (an origin ticket). */
export async function signAsOrigin(ctx: Ctx, t: TicketRecord, h: Header): Promise<Header> {
  if (h.from.signed_by === SIGNED_BY.server) throw new HttpError(400, 'a client cannot send server-signed mail');
  if (h.from.signed_by === SIGNED_BY.authorized) {
    // Go: 500 with this text; a client error, so 400 (BM-UPLOAD-004, DEVIATIONS.md MAIL-17).
    if (!t.authKey) throw new HttpError(400, 'onbehalf signing, but token is not fetched with authentication');
    const ak = await ctx.repo.getAuthKey(t.sender, t.authKey);
    if (!ak) throw new HttpError(400, 'error while fetching auth key');
    h = { ...h, authorized_by: { public_key: ak.public_key, signature: ak.signature } };
  } else if (h.authorized_by !== undefined) {
    const { authorized_by: _drop, ...rest } = h;
    h = rest as Header;
  }
  return signServerHeader(h, ctx.routingPriv, ctx.rng);
}
