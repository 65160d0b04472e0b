/**
 * Uploads (spec/api.md §3.1 P6–P11; Go cmd/bm-server/handler/incoming.go): the header, catalog,
 * blocks and attachments of one message under the ticket it carries (`x-bitmaelum-ticket`,
 * tickets.ts), then `POST /incoming` to complete or `DELETE /incoming` to cancel.
 *
 * Intended behaviour where Go is defective (DEVIATIONS.md): only origin tickets get a server
 * signature (origin.ts); a ticket is spent by `POST /incoming` or `DELETE /incoming`;
 * `POST /incoming` needs the header and catalog first (409) and checks the message (verify.ts)
 * before answering 202; the accepted message and the spent ticket are one commit (delivery.ts).
 * @module
 */
import { HttpError, type HttpRequest, type HttpResponse, type PathParams } from '../handler.ts';
import { isHash } from '../../protocol/hash.ts';
import { parseHeader, headerJson, type Header } from '../../protocol/header.ts';
import { checkMessage } from './verify.ts';
import { ID_RE, usableTicket } from './tickets.ts';
import { signAsOrigin } from './origin.ts';
import type { Ctx } from './context.ts';
import type { TicketRecord } from './repo.ts';

/** Most files (blocks + attachments) one message may carry. */
const MAX_FILES = 1024;

/** P6 `POST /incoming/header`. */
export async function uploadHeader(ctx: Ctx, req: HttpRequest, _p: PathParams, body: Uint8Array): Promise<HttpResponse> {
  const t = await usableTicket(ctx, req);
  let h: Header;
  try {
    h = parseHeader(Buffer.from(body).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid header posted');
  }
  if ((h.from.address.toLowerCase() !== t.sender || !(await sameRecipient(ctx, h.to.address, t))) && !ctx.faults.skipHeaderAddressCheck) {
    throw new HttpError(400, 'header from/to address do not match the ticket');
  }
  if (t.origin) h = await signAsOrigin(ctx, t, h);
  await ctx.repo.putUpload(t.id, 'header', new Uint8Array(Buffer.from(headerJson(h, '  '), 'utf8')));
  return { status: 200, json: { status: 'saved message header' } };
}

/**
 * The header is for the ticket's recipient: the same hash, or an address whose resolver record
 * redirects to it. A relaying server asks for the ticket with the final hash, while the signed
 * header keeps the address the sender wrote (DEVIATIONS.md MAIL-15, BM-DELIV-006).
 */
async function sameRecipient(ctx: Ctx, to: string, t: TicketRecord): Promise<boolean> {
  if (to.toLowerCase() === t.recipient) return true;
  if (!isHash(to.toLowerCase())) return false;
  const final = await ctx.resolver.address(to.toLowerCase()).catch(() => undefined);
  return final !== undefined && final.hash.toLowerCase() === t.recipient;
}

/** P7 `POST /incoming/catalog` — raw encrypted catalog bytes. */
export async function uploadCatalog(ctx: Ctx, req: HttpRequest, _p: PathParams, body: Uint8Array): Promise<HttpResponse> {
  const t = await usableTicket(ctx, req);
  await ctx.repo.putUpload(t.id, 'catalog', body);
  return { status: 200, json: { status: 'saved message catalog' } };
}

/** P8/P9 `POST /incoming/block/{id}` and `/incoming/attachment/{id}` — raw encrypted bytes. */
export function uploadFile(kind: 'block' | 'attachment') {
  return async (ctx: Ctx, req: HttpRequest, p: PathParams, body: Uint8Array): Promise<HttpResponse> => {
    const t = await usableTicket(ctx, req);
    const id = p.id!;
    if (!ID_RE.test(id)) throw new HttpError(400, `invalid ${kind} id`);
    const existing = await ctx.repo.listUpload(t.id);
    const part = id.toLowerCase();
    const name = ctx.faults.blockOverwritesParts && (part === 'catalog' || part === 'header') ? part : `blk/${part}`;
    if (!existing.includes(name) && existing.filter((n) => n.startsWith('blk/')).length >= MAX_FILES) {
      throw new HttpError(400, `too many blocks and attachments (limit ${MAX_FILES})`);
    }
    await ctx.repo.putUpload(t.id, name, body);
    return { status: 200, json: { status: `saved message ${kind}` } };
  };
}

/** P10 `POST /incoming` — check, accept and queue the message; spends the ticket. */
export async function completeUpload(ctx: Ctx, req: HttpRequest): Promise<HttpResponse> {
  const t0 = await usableTicket(ctx, req);
  return ctx.repo.withTicket(t0.id, async () => {
    const t = await usableTicket(ctx, req);
    const headerBytes = await ctx.repo.getUpload(t.id, 'header');
    const catalog = await ctx.repo.getUpload(t.id, 'catalog');
    if (!ctx.faults.acceptIncompleteUpload) {
      if (!headerBytes) throw new HttpError(409, 'message incomplete: header not uploaded');
      if (!catalog) throw new HttpError(409, 'message incomplete: catalog not uploaded');
    }
    if (headerBytes && catalog) {
      const h = parseHeader(Buffer.from(headerBytes).toString('utf8'));
      const reason = await checkMessage(ctx, h, catalog);
      if (reason !== undefined) {
        t.spent = true;
        await ctx.repo.putTicket(t);
        await ctx.repo.deleteUpload(t.id);
        if (t.origin) {
          // Keep the verdict for the sender's status query too.
          const now = ctx.clock.now();
          await ctx.repo.putJob({
            id: t.id, sender: t.sender, recipient: t.recipient, origin: true, state: 'failed',
            reason: `message rejected: ${reason}`, retries: 0, createdAt: now, retryAt: 0, lastRetriedAt: 0, files: [],
          });
        }
        throw new HttpError(400, `message rejected: ${reason}`);
      }
    }
    t.spent = true;
    const now = ctx.clock.now();
    if (!headerBytes || !catalog) await ctx.repo.putTicket(t);
    else {
      const files = (await ctx.repo.listUpload(t.id)).filter((n) => n.startsWith('blk/')).map((n) => n.slice(4));
      // The ticket is spent in the commit that accepts the message: a crash leaves both or neither.
      await ctx.delivery.accept([ctx.repo.ticketOp(t)], {
        id: t.id,
        sender: t.sender,
        recipient: t.recipient,
        origin: t.origin,
        state: 'queued',
        reason: '',
        retries: 0,
        createdAt: now,
        retryAt: now,
        lastRetriedAt: 0,
        files,
      });
    }
    return { status: 202, json: { status: 'message accepted' } };
  });
}

/** P11 `DELETE /incoming` — cancel the upload; spends the ticket. */
export async function cancelUpload(ctx: Ctx, req: HttpRequest): Promise<HttpResponse> {
  const t = await usableTicket(ctx, req);
  const names = await ctx.repo.listUpload(t.id);
  if (names.length === 0) throw new HttpError(404, 'message not found');
  await ctx.repo.deleteUpload(t.id);
  t.spent = true;
  await ctx.repo.putTicket(t);
  return { status: 200, json: { status: 'message removed' } };
}
