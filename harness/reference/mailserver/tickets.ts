/**
 * Tickets (spec/api.md §3.1 P4–P5, §3.2 A4; formats.md §10.6; Go
 * cmd/bm-server/handler/ticket.go, internal/ticket/ticket.go): issuing them, their proof of work,
 * and the check every upload makes on the ticket it carries (`x-bitmaelum-ticket`).
 *
 * A ticket is either issued to an authenticated local client (A4: valid at once, this server is
 * the message's origin and signs it, origin.ts) or to anyone for a local recipient (P4: must
 * first be validated with proof of work, P5). Intended behaviour where Go is defective
 * (DEVIATIONS.md): the client ticket's sender must be the authenticated account; a ticket is
 * spent by `POST /incoming` or `DELETE /incoming` (uploads.ts).
 * @module
 */
import { HttpError, type HttpRequest, type HttpResponse, type PathParams } from '../handler.ts';
import { generateWorkData, verifyPow, formatProofOfWork } from '../../protocol/pow.ts';
import { uuidv4 } from '../../protocol/random.ts';
import { isHash } from '../../protocol/hash.ts';
import { decodeBody } from './body.ts';
import type { Ctx } from './context.ts';
import type { AuthResult } from './auth.ts';
import type { TicketRecord } from './repo.ts';

export const TICKET_HEADER = 'x-bitmaelum-ticket';
const INVALID_TICKET = 'invalid ticket id or ticket not valid';
/** Block and attachment ids: the route charset (`[A-Za-z0-9-]+`), bounded. */
export const ID_RE = /^[A-Za-z0-9-]{1,64}$/;

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
export async function usableTicket(ctx: Ctx, req: HttpRequest): Promise<TicketRecord> {
  const id = req.headers[TICKET_HEADER];
  if (typeof id !== 'string' || !ID_RE.test(id)) throw new HttpError(401, INVALID_TICKET);
  const t = await ctx.repo.getTicket(id);
  if (!t || (!t.valid && !ctx.faults.acceptUnvalidatedTickets) || t.expiry < ctx.clock.now()) throw new HttpError(401, INVALID_TICKET);
  if (t.spent && !ctx.faults.allowTicketReplay) throw new HttpError(401, INVALID_TICKET);
  return t;
}
