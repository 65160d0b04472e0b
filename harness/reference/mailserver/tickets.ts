/**
 * Tickets and uploads (spec/api.md §3.1 P4–P11, §3.2 A4; formats.md §10.6; Go
 * cmd/bm-server/handler/ticket.go, handler/incoming.go, internal/ticket/ticket.go).
 *
 * A ticket is either issued to an authenticated local client (A4: valid at once, this server is
 * the message's origin and signs it) or to anyone for a local recipient (P4: must first be
 * validated with proof of work, P5). Uploads carry `x-bitmaelum-ticket`. Intended behaviour where
 * Go is defective (DEVIATIONS.md): the client ticket's sender must be the authenticated account;
 * only origin tickets get a server signature; a ticket is spent by `POST /incoming` or
 * `DELETE /incoming`; `POST /incoming` needs the header and catalog first (409) and checks the
 * message (verify.ts) before answering 202.
 * @module
 */
import { HttpError, type HttpRequest, type HttpResponse, type PathParams } from '../http.ts';
import { generateWorkData, verifyPow, formatProofOfWork } from '../../protocol/pow.ts';
import { uuidv4 } from '../../protocol/random.ts';
import { isHash } from '../../protocol/hash.ts';
import { parseHeader, headerJson, signServerHeader, SIGNED_BY, type Header } from '../../protocol/header.ts';
import { decodeBody } from './body.ts';
import { checkMessage } from './verify.ts';
import type { Ctx } from './context.ts';
import type { AuthResult } from './auth.ts';
import type { TicketRecord } from './repo.ts';

export const TICKET_HEADER = 'x-bitmaelum-ticket';
const INVALID_TICKET = 'invalid ticket id or ticket not valid';
/** Block and attachment ids: the route charset (`[A-Za-z0-9-]+`), bounded. */
export const ID_RE = /^[A-Za-z0-9-]{1,64}$/;
/** Most files (blocks + attachments) one message may carry. */
const MAX_FILES = 1024;

function rfc3339(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Ticket as Go serialises `ticket.Ticket` (no json tags: Go field names). */
export function ticketJson(t: TicketRecord): Record<string, unknown> {
  return {
    ID: t.id,
    Valid: t.valid,
    Expiry: rfc3339(t.expiry),
    Work: t.work ? { Type: 'pow', Data: formatProofOfWork({ bits: t.work.bits, data: t.work.data, proof: t.work.proof ?? 0n }) } : null,
    Sender: t.sender,
    Recipient: t.recipient,
    SubscriptionID: t.subscriptionId,
    AuthKey: t.authKey,
  };
}

const TICKET_BODY = { sender: 'string', recipient: 'string', subscription_id: 'string', preference: 'strings' } as const;

/** P4 `POST /ticket` — ticket for a remote sender, with work attached. */
export async function publicTicket(ctx: Ctx, _req: HttpRequest, _p: PathParams, body: Uint8Array): Promise<HttpResponse> {
  const b = decodeBody(body, TICKET_BODY);
  if (!isHash(b.sender)) throw new HttpError(400, 'invalid body: sender');
  if (!isHash(b.recipient) || !(await ctx.repo.getAccount(b.recipient))) {
    throw new HttpError(400, "recipient isn't found on this server, and we don't support proxying");
  }
  if (b.subscription_id !== '') throw new HttpError(400, 'invalid subscription');
  const t: TicketRecord = {
    id: uuidv4(ctx.rng),
    valid: false,
    expiry: ctx.clock.now() + ctx.limits.ticketTtlSeconds,
    work: { bits: ctx.limits.ticketPowBits, data: generateWorkData(ctx.rng) },
    sender: b.sender.toLowerCase(),
    recipient: b.recipient.toLowerCase(),
    subscriptionId: '',
    authKey: '',
    origin: false,
    spent: false,
  };
  await ctx.repo.putTicket(t);
  return { status: 200, json: ticketJson(t) as never };
}

/** P5 `POST /ticket/{ticket}` — submit the proof of work. */
export async function submitProof(ctx: Ctx, _req: HttpRequest, p: PathParams, body: Uint8Array): Promise<HttpResponse> {
  const id = p.ticket!;
  if (!ID_RE.test(id)) throw new HttpError(404, 'ticket not found');
  return ctx.repo.withTicket(id, async () => {
    const t = await ctx.repo.getTicket(id);
    if (!t || t.spent || t.expiry < ctx.clock.now()) throw new HttpError(404, 'ticket not found');
    if (t.valid) return { status: 200, json: ticketJson(t) as never };
    if (!t.work) throw new HttpError(417, 'ticket does not contain work');
    const b = decodeBody(body, { proof: 'uint64' });
    const ok = (b.proof === 0n && ctx.faults.acceptProofZero) || (b.proof > 0n && (ctx.faults.acceptWeakProofOfWork || verifyPow(t.work.bits, t.work.data, b.proof)));
    if (!ok) {
      // Go answers 200 with Valid:false and the submitted proof echoed in Work.Data.
      return { status: 200, json: ticketJson({ ...t, work: { ...t.work, proof: b.proof } }) as never };
    }
    t.valid = true;
    t.work = null;
    t.expiry = ctx.clock.now() + ctx.limits.ticketTtlSeconds;
    await ctx.repo.putTicket(t);
    return { status: 200, json: ticketJson(t) as never };
  });
}

/** A4 `POST /account/{addr}/ticket` — ticket for an authenticated local client. */
export async function clientTicket(ctx: Ctx, auth: AuthResult, body: Uint8Array): Promise<HttpResponse> {
  const b = decodeBody(body, TICKET_BODY);
  if (!isHash(b.sender)) throw new HttpError(400, 'invalid body: sender');
  if (!isHash(b.recipient)) throw new HttpError(400, 'invalid body: recipient');
  if (b.sender.toLowerCase() !== auth.account.hash && !ctx.faults.skipSenderBinding) {
    throw new HttpError(403, 'ticket sender must be the authenticated account');
  }
  if (b.subscription_id !== '') throw new HttpError(400, 'invalid subscription');
  const t: TicketRecord = {
    id: uuidv4(ctx.rng),
    valid: true,
    expiry: ctx.clock.now() + ctx.limits.ticketTtlSeconds,
    work: null,
    sender: b.sender.toLowerCase(),
    recipient: b.recipient.toLowerCase(),
    subscriptionId: '',
    authKey: auth.authKey ?? '',
    origin: true,
    spent: false,
  };
  await ctx.repo.putTicket(t);
  return { status: 200, json: ticketJson(t) as never };
}

/** The ticket named by `x-bitmaelum-ticket`, valid and unspent, or 401. */
async function usableTicket(ctx: Ctx, req: HttpRequest): Promise<TicketRecord> {
  const id = req.headers[TICKET_HEADER];
  if (typeof id !== 'string' || !ID_RE.test(id)) throw new HttpError(401, INVALID_TICKET);
  const t = await ctx.repo.getTicket(id);
  if (!t || (!t.valid && !ctx.faults.acceptUnvalidatedTickets) || t.expiry < ctx.clock.now()) throw new HttpError(401, INVALID_TICKET);
  if (t.spent && !ctx.faults.allowTicketReplay) throw new HttpError(401, INVALID_TICKET);
  return t;
}

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
  if (t.origin) {
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
    h = signServerHeader(h, ctx.routingPriv, ctx.rng);
  }
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
