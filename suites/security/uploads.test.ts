/**
 * Profile `security`, areas `UPLOAD`, `TICKET`, `DELIV`: abuse of the upload path (api.md §3.1
 * P4–P11, §3.2 A4, §5.4–§5.5, §8 items 6, 7):
 * - ticket replay: someone who saw a spent ticket id reuses it to push a second message;
 * - a client ticket for a sender other than the authenticated account (mail "from" someone else
 *   that the origin server would sign);
 * - oversized bodies (Go buffers a header of any size in memory, §5.4 step 3);
 * - truncated catalogs: shorter than the signed size, or an upload cut off mid-body.
 *
 * Peer/resolver: none; sender and recipient are accounts of the target.
 */
import { beforeEach, describe, it } from 'vitest';
import { headerJson } from '../../harness/protocol/header.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi, compose, cutOffUpload, ticketBody, TICKET_HEADER, type Outgoing } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { mustBe, mustServerError, mustStatus } from '../_support/must.ts';
import type { HttpResponse } from '../_support/http.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('security-uploads', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('security-uploads', target.serverUrl);

let alice: MailAccount;
let bob: MailAccount;
let eve: MailAccount;
const setup = setupOnce(async () => {
  alice = await accounts.create('upl-alice');
  bob = await accounts.create('upl-bob');
  eve = await accounts.create('upl-eve');
});
beforeEach(() => setup());

const message = (from: MailAccount, subject: string): Outgoing => compose(api.rng, from, bob, { subject, blocks: [{ type: 'default', content: `body of ${subject}` }] });
const aliceBarrier = async () => (await api.sendAsClient(alice, message(alice, 'barrier'))).id;
const refused = (status: number) => status >= 400 && status < 500;

describe('security › tickets', () => {
  // After alice's message was completed, a second message is pushed with the same ticket id
  // (header, catalog, blocks, completion). Every step must be refused. api.md §3.1 P10
  // ("deletes the ticket").
  it('BM-UPLOAD-015 MUST refuse every upload that replays a spent ticket', async () => {
    const first = await api.sendAsClient(alice, message(alice, 'original'));
    mustStatus(first.completion, 202, 'the original message');
    const replay = message(alice, 'replayed');
    const steps: [string, HttpResponse][] = [];
    steps.push(['header', await api.uploadHeader(first.id, replay.header)]);
    steps.push(['catalog', await api.upload(first.id, 'catalog', replay.catalogBlob)]);
    for (const [bid, b] of replay.blocks) steps.push([`block ${bid}`, await api.upload(first.id, `block/${bid}`, b)]);
    steps.push(['completion', await api.complete(first.id)]);
    for (const [what, r] of steps) mustBe(refused(r.status), `replayed ${what}: expected a 4xx refusal, got ${r.status}`, '4xx', r.status);
  });

  // eve asks her server for a client ticket naming alice as sender: the origin would then sign
  // mail "from" alice. api.md §3.2 A4, §8 item 6 (Go does not check).
  it('BM-TICKET-012 MUST refuse a client ticket whose sender is not the authenticated account', async () => {
    const r = await api.clientTicket(eve, ticketBody(alice.hash, bob.hash));
    mustBe(refused(r.status), `a ticket for another sender: expected a 4xx refusal, got ${r.status}`, '4xx', r.status);
  });
});

describe('security › body sizes', () => {
  // A header padded to 2 MiB with an unknown field (which a lenient decoder would ignore): the
  // server bounds what it buffers, refuses with a 4xx, and keeps serving. api.md §2.1, §5.4 step 3.
  it('BM-UPLOAD-016 SHOULD refuse an oversized header upload with a 4xx and keep serving', async () => {
    const m = message(alice, 'oversized');
    const t = await api.validClientTicket(alice, bob.hash);
    const body = headerJson(m.header).replace(/^\{/, `{"padding":"${'x'.repeat(2 * 1024 * 1024)}",`);
    const r = await api.uploadHeader(t.ID, body);
    mustServerError(r, [400, 413]);
    mustStatus(await api.req('GET', '/'), 200, 'the server still answers');
  });
});

describe('security › truncated catalogs', () => {
  // The catalog uploaded is the real one minus its last 16 bytes (the GCM tag), so it no longer
  // matches the signed size and checksum. formats.md §4.1 step 5, api.md §5.5.
  it('BM-DELIV-010 SHOULD NOT deliver a message whose catalog was truncated', async () => {
    const m = message(alice, 'truncated');
    const { id, completion } = await api.sendAsClient(alice, { ...m, catalogBlob: m.catalogBlob.subarray(0, m.catalogBlob.length - 16) });
    await api.mustNotDeliver(bob, id, completion, aliceBarrier);
  });

  // The catalog upload is cut off halfway (the connection closes before the announced length);
  // the client then completes. A partial catalog must not be stored and delivered.
  // api.md §3.1 P7 (bodies stream to disk), §5.5.
  it('BM-DELIV-010 MUST NOT deliver a message whose catalog upload was cut off', async () => {
    const m = message(alice, 'cut-off');
    const t = await api.validClientTicket(alice, bob.hash);
    await api.uploadAll(t.ID, m, ['header', 'files']);
    await cutOffUpload(api.url, '/incoming/catalog', { [TICKET_HEADER]: t.ID, 'content-type': 'application/octet-stream' }, m.catalogBlob, Math.floor(m.catalogBlob.length / 2));
    const completion = await api.complete(t.ID);
    await api.mustNotDeliver(bob, t.ID, completion, aliceBarrier);
  });
});
