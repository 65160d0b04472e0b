/**
 * Profile `server`, area `TICKET`: tickets and their proof of work (api.md §3.1 P4, P5, §3.2
 * A4; formats.md §9, §10.6; Go cmd/bm-server/handler/ticket.go, internal/ticket/ticket.go,
 * internal/work/proof_of_work.go).
 *
 * Two kinds: a public ticket (`POST /ticket`, what a remote server asks for a local recipient)
 * starts invalid with work attached and becomes valid with a correct proof (`POST /ticket/{id}`);
 * a client ticket (`POST /account/{addr}/ticket` with the account JWT) is valid at once. Every
 * upload names its ticket in `x-bitmaelum-ticket`; a missing, unknown or unvalidated one is 401.
 *
 * Peer/resolver: none; sender and recipient are accounts of the target.
 */
import { beforeEach, describe, it } from 'vitest';
import { parseProofOfWork, solvePow, verifyPow } from '../../harness/protocol/pow.ts';
import { fromB64 } from '../../harness/protocol/bytes.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi, ticketBody, ticketOf, type TicketJson } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { nowUnix } from '../_support/jwt.ts';
import { fail, mustBe, mustEqual, mustSchema, mustServerError, mustStatus } from '../_support/must.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-tickets', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-tickets', target.serverUrl);

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let alice: MailAccount;
let bob: MailAccount;
const setup = setupOnce(async () => {
  alice = await accounts.create('tk-alice');
  bob = await accounts.create('tk-bob');
});
beforeEach(() => setup());

/** Expiry (RFC 3339) about `ttl` seconds from now, within a minute. */
function mustExpireIn(t: TicketJson, ttl: number, what: string): void {
  const at = Date.parse(t.Expiry) / 1000;
  const want = nowUnix() + ttl;
  mustBe(Number.isFinite(at) && Math.abs(at - want) <= 60, `${what}: Expiry should be ~${ttl} s from now, got ${t.Expiry}`, `~now+${ttl}s`, t.Expiry);
}

async function newPublicTicket(): Promise<TicketJson> {
  const r = await api.publicTicket(alice.hash, bob.hash);
  mustStatus(r, 200, 'public ticket');
  return ticketOf(r);
}

describe('server › public tickets', () => {
  // P4 for a local recipient: an unvalidated ticket in the Go field names, with pow work whose
  // proof is 0, a UUIDv4 id and a 30-minute expiry. api.md §3.1 P4, formats.md §10.6.
  it('BM-TICKET-001 BM-TICKET-002 BM-JSON-007 MUST issue an unvalidated ticket with work for a local recipient', async () => {
    const r = await api.publicTicket(alice.hash, bob.hash);
    mustStatus(r, 200);
    mustSchema(r.json, 'ticket_schema_v1.json');
    const t = ticketOf(r);
    mustEqual({ Valid: t.Valid, Sender: t.Sender, Recipient: t.Recipient, SubscriptionID: t.SubscriptionID, AuthKey: t.AuthKey }, { Valid: false, Sender: alice.hash, Recipient: bob.hash, SubscriptionID: '', AuthKey: '' }, 'ticket');
    mustBe(UUID4.test(t.ID), `ticket ID must be a lowercase UUIDv4, got ${t.ID}`, 'UUIDv4', t.ID);
    mustBe(t.Work?.Type === 'pow' && parseProofOfWork(t.Work.Data).proof === 0n, `Work must be {"Type":"pow","Data":"<bits>$<data>$0"}, got ${JSON.stringify(t.Work)}`, 'pow work with proof 0', t.Work);
    mustExpireIn(t, 1800, 'public ticket');
  });

  // The work data is the base64 text of 32 random bytes, base64-encoded once more in the string
  // form, and two tickets get different data. formats.md §9 (GenerateWorkData).
  it('BM-POW-007 MUST give each ticket fresh work data: the base64 text of 32 random bytes', async () => {
    const [a, b] = [await newPublicTicket(), await newPublicTicket()];
    const da = parseProofOfWork(a.Work!.Data).dataText;
    mustBe(fromB64(da, 'work data').length === 32, `work data must be base64 of 32 bytes, got ${JSON.stringify(da)}`, '32 bytes', da);
    mustBe(da !== parseProofOfWork(b.Work!.Data).dataText, 'two tickets must not share work data', 'different', da);
  });

  // A recipient that has no account here. api.md §3.1 P4.
  it('BM-TICKET-004 MUST refuse a ticket for a recipient that is not a local account', async () => {
    const r = await api.publicTicket(alice.hash, accounts.identity('tk-nobody').hash);
    mustServerError(r, 400, "recipient isn't found on this server, and we don't support proxying");
  });

  // Recipient values that are not hashes (Go panics on the short ones and probes the file
  // system with the others) get a 400 answer. api.md §3.1 P4, §2.4 [panic].
  it.each([
    ['empty', ''],
    ['one character', 'a'],
    ['a relative path', '../../../../etc/passwd'],
    ['a hash with a slash', `${'a'.repeat(31)}/${'b'.repeat(32)}`],
  ])('BM-TICKET-005 BM-API-012 MUST answer 400 to a ticket whose recipient is %s', async (_what, recipient) => {
    const r = await api.req('POST', '/ticket', { json: ticketBody(alice.hash, recipient), allowDrop: true });
    mustServerError(r, 400);
  });

  // P5 with a correct proof: valid, no more work, a fresh 30-minute expiry. api.md §3.1 P5.
  it('BM-TICKET-007 MUST validate a ticket with a correct proof of work', async () => {
    const t = await newPublicTicket();
    const w = parseProofOfWork(t.Work!.Data);
    const r = await api.submitProof(t.ID, solvePow(w.bits, w.data, 1n));
    mustStatus(r, 200);
    const v = ticketOf(r);
    mustEqual({ ID: v.ID, Valid: v.Valid, Work: v.Work }, { ID: t.ID, Valid: true, Work: null }, 'validated ticket');
    mustExpireIn(v, 1800, 'validated ticket');
  });

  // P5 with a counter that does not solve the work: 200 with Valid false (clients must look at
  // Valid). api.md §3.1 P5.
  it('BM-TICKET-008 MUST leave a ticket invalid for a wrong proof of work', async () => {
    const t = await newPublicTicket();
    const w = parseProofOfWork(t.Work!.Data);
    let p = 1n;
    while (verifyPow(w.bits, w.data, p)) p++;
    const r = await api.submitProof(t.ID, p);
    mustStatus(r, 200);
    mustEqual(ticketOf(r).Valid, false, 'Valid after a wrong proof');
  });

  // A proof of 0 is "no work done", whatever it hashes to. formats.md §9 (HasDoneWork).
  it('BM-POW-008 MUST leave a ticket invalid for the proof 0', async () => {
    const t = await newPublicTicket();
    const r = await api.submitProof(t.ID, 0n);
    mustStatus(r, 200);
    mustEqual(ticketOf(r).Valid, false, 'Valid after proof 0');
  });

  // P5 for an id nobody issued. api.md §3.1 P5.
  it('BM-TICKET-009 MUST answer 404 "ticket not found" to a proof for an unknown ticket', async () => {
    mustServerError(await api.submitProof('00000000-0000-4000-8000-000000000000', 1n), 404, 'ticket not found');
  });

  // P5 for a ticket that is already valid: 200 with the ticket as it is. api.md §3.1 P5.
  it('BM-TICKET-009 MUST answer an already valid ticket unchanged', async () => {
    const v = await api.validPublicTicket(alice.hash, bob.hash);
    const r = await api.submitProof(v.ID, 0n);
    mustStatus(r, 200);
    const again = ticketOf(r);
    mustEqual({ ID: again.ID, Valid: again.Valid }, { ID: v.ID, Valid: true }, 'ticket');
  });
});

describe('server › client tickets', () => {
  // A4 with the account JWT: valid at once, no work, 30 minutes. api.md §3.2 A4.
  it('BM-TICKET-010 MUST issue a valid ticket without work to an authenticated client', async () => {
    const r = await api.clientTicket(alice, ticketBody(alice.hash, bob.hash));
    mustStatus(r, 200);
    mustSchema(r.json, 'ticket_schema_v1.json');
    const t = ticketOf(r);
    mustEqual({ Valid: t.Valid, Work: t.Work, Sender: t.Sender, Recipient: t.Recipient, AuthKey: t.AuthKey }, { Valid: true, Work: null, Sender: alice.hash, Recipient: bob.hash, AuthKey: '' }, 'client ticket');
    mustExpireIn(t, 1800, 'client ticket');
  });

  // Unknown body fields are ignored, as Go's decoder does, so newer clients interoperate.
  // api.md §1.5, §3.2 A4.
  it('BM-API-013 SHOULD ignore unknown fields in a ticket request', async () => {
    const r = await api.clientTicket(alice, { sender: alice.hash, recipient: bob.hash, subscription_id: '', preference: ['pow'], x_future_field: { nested: true } });
    mustStatus(r, 200);
  });
});

describe('server › tickets on uploads', () => {
  // No x-bitmaelum-ticket header. api.md §3.1 P6 (same for P7–P11).
  it('BM-TICKET-013 MUST answer 401 "invalid ticket id or ticket not valid" to an upload without a ticket', async () => {
    mustServerError(await api.upload(undefined, 'catalog', new Uint8Array([1, 2, 3])), 401, 'invalid ticket id or ticket not valid');
  });

  // A ticket id nobody issued. api.md §3.1 P6.
  it('BM-TICKET-013 MUST answer 401 to an upload with an unknown ticket', async () => {
    mustServerError(await api.upload('00000000-0000-4000-8000-000000000000', 'catalog', new Uint8Array([1])), 401, 'invalid ticket id or ticket not valid');
  });

  // A public ticket whose work was never done. api.md §3.1 P4–P6.
  it('BM-TICKET-013 MUST answer 401 to an upload with a ticket whose work is not done', async () => {
    const t = await newPublicTicket();
    if (t.Valid) fail('setup: expected an unvalidated public ticket', { Valid: false }, t);
    mustServerError(await api.upload(t.ID, 'catalog', new Uint8Array([1])), 401, 'invalid ticket id or ticket not valid');
  });
});
