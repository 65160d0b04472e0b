/**
 * Profile `server`, area `UPLOAD`: the upload sequence of a message and its answers (api.md §3.1
 * P6–P11, §5.4; formats.md §4.1 step 6; Go cmd/bm-server/handler/incoming.go).
 *
 * A client with a valid ticket uploads the header (JSON), the encrypted catalog and every block
 * and attachment (raw bytes), in any order, then completes with `POST /incoming` (202). The
 * ticket is spent by completing or cancelling (`DELETE /incoming`). Each test sends one message
 * from alice to bob, both accounts of the target, with one step done differently.
 *
 * Peer/resolver: none; the target is the origin of every message here, and the resolver tells it
 * so (alice's address record names the target's routing id).
 */
import { beforeEach, describe, it } from 'vitest';
import { headerJson, verifyServerHeader, verifyClientHeader } from '../../harness/protocol/header.ts';
import { toB64 } from '../../harness/protocol/bytes.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi, compose, type Outgoing } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { mustBe, mustEqual, mustServerError, mustServerOk, mustStatus } from '../_support/must.ts';
import { isObject } from '../_support/match.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-upload', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-upload', target.serverUrl);

let alice: MailAccount;
let bob: MailAccount;
let carol: MailAccount;
const setup = setupOnce(async () => {
  alice = await accounts.create('up-alice');
  bob = await accounts.create('up-bob');
  carol = await accounts.create('up-carol');
});
beforeEach(() => setup());

/** A message alice → bob (one block, optionally an attachment). */
function message(subject: string, attachment?: Uint8Array, to: MailAccount = bob): Outgoing {
  return compose(api.rng, alice, to, { subject, blocks: [{ type: 'default', content: `body of ${subject}` }], ...(attachment ? { attachments: [{ filename: 'a.bin', content: attachment }] } : {}) });
}

describe('server › upload sequence', () => {
  // The whole sequence with each answer of api.md §3.1: header 200 "saved message header",
  // catalog 200 "saved message catalog", block 200 "saved message block", POST /incoming 202
  // "message accepted", each body exactly {"status":"<message>"} with no `error` member.
  // api.md §1.6, §5.4 steps 2–4.
  it('BM-UPLOAD-003 BM-UPLOAD-007 BM-UPLOAD-008 BM-UPLOAD-012 BM-API-002 MUST answer each upload step with its status and a {"status": message} body', async () => {
    const m = message('sequence');
    const t = await api.validClientTicket(alice, bob.hash);
    mustServerOk(await api.uploadHeader(t.ID, m.header), 200, 'saved message header');
    mustServerOk(await api.upload(t.ID, 'catalog', m.catalogBlob), 200, 'saved message catalog');
    for (const [id, data] of m.blocks) mustServerOk(await api.upload(t.ID, `block/${id}`, data), 200, 'saved message block');
    mustServerOk(await api.complete(t.ID), 202, 'message accepted');
  });

  // Completed mail for a local account lands in its box 1 under the ticket id, and nowhere else
  // (not in box 2 or 3, not in the sender's boxes). api.md §5.5, §3.2 ("only into box 1").
  it('BM-DELIV-001 BM-DELIV-003 BM-BOX-013 MUST file a delivered message into box 1 of the recipient under the ticket id', async () => {
    const { id, completion } = await api.sendAsClient(alice, message('filed'));
    mustStatus(completion, 202);
    await api.waitForMessage(bob, id);
    for (const box of [2, 3]) mustBe(!(await api.boxIds(bob, box)).includes(id), `message must not be in box ${box}`, 'absent', box);
    mustBe(!(await api.allIds(alice)).has(id), 'the sender must not get a copy in its boxes', 'absent', id);
  });

  // The origin server adds signatures.server over the header as uploaded (routing key of the
  // sender's home server, checked via the resolver) and leaves the client signature alone.
  // api.md §3.1 P6, §5.3; formats.md §4.4.
  it('BM-UPLOAD-003 BM-SIG-006 MUST add a server signature by its routing key to a local sender\'s header', async () => {
    const m = message('server-signed');
    const { id, completion } = await api.sendAsClient(alice, m);
    mustStatus(completion, 202);
    await api.waitForMessage(bob, id);
    const got = await api.read(bob, id);
    const route = await resolver.read('routing', alice.routingId);
    mustBe(verifyServerHeader(got.header, String(route.public_key)), 'signatures.server must verify with the routing key of the sender\'s home server', 'valid server signature', got.header.signatures.server);
    mustEqual(got.header.signatures.client, m.header.signatures.client, 'signatures.client');
    mustBe(verifyClientHeader(got.header, alice.publicKey), 'the stored header must still carry a valid client signature', 'valid client signature', headerJson(got.header));
  });

  // Parts may come in any order: blocks, then catalog, then header. api.md §5.4 step 3
  // ("in any order / in parallel").
  it('BM-UPLOAD-012 BM-MSG-005 MUST accept the parts of a message uploaded in another order', async () => {
    const m = message('reordered');
    const t = await api.validClientTicket(alice, bob.hash);
    await api.uploadAll(t.ID, m, ['files', 'catalog', 'header']);
    mustServerOk(await api.complete(t.ID), 202, 'message accepted');
    await api.waitForMessage(bob, t.ID);
  });

  // An attachment on its own route is stored like a block and served back byte for byte at
  // …/attachment/{id}. api.md §3.1 P9, §3.2 A7.
  it('BM-UPLOAD-009 BM-BOX-008 MUST store an attachment posted to /incoming/attachment/{id}', async () => {
    const bytes = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));
    const m = message('attachment', bytes);
    const t = await api.validClientTicket(alice, bob.hash);
    await api.uploadAll(t.ID, { ...m, attachments: new Map() }); // header, catalog, blocks
    const [attId, data] = [...m.attachments][0]!;
    mustServerOk(await api.upload(t.ID, `attachment/${attId}`, data), 200, 'saved message attachment');
    mustStatus(await api.complete(t.ID), 202);
    await api.waitForMessage(bob, t.ID);
    const r = await api.account('GET', bob, `/message/${t.ID}/attachment/${attId}`);
    mustStatus(r, 200);
    mustEqual(toB64(r.body), toB64(data), 'attachment bytes');
  });

  // A block id that names another part of the message ("catalog", "header") is a block like any
  // other: it must not replace the catalog or the header. The server may refuse such an id.
  // api.md §3.1 P8 ("An id of catalog would overwrite the catalog"), §8 item 12.
  it.each(['catalog', 'header'])('BM-UPLOAD-010 MUST NOT let a block named "%s" overwrite that part of the message', async (name) => {
    const m = message(`block-named-${name}`);
    const t = await api.validClientTicket(alice, bob.hash);
    await api.uploadAll(t.ID, m);
    const b = await api.upload(t.ID, `block/${name}`, new TextEncoder().encode('{"not":"the real one"}'));
    mustBe(b.status === 200 || (b.status >= 400 && b.status < 500), `block "${name}": expected 200 or a 4xx refusal, got ${b.status}`, '200 or 4xx', b.status);
    mustServerOk(await api.complete(t.ID), 202, 'message accepted');
    await api.waitForMessage(bob, t.ID);
    const r = await api.account('GET', bob, `/message/${t.ID}`);
    mustStatus(r, 200);
    const j = isObject(r.json) ? r.json : {};
    mustEqual(j.c, toB64(m.catalogBlob), 'stored catalog (c)');
    mustEqual(isObject(j.h) && isObject(j.h.signatures) ? j.h.signatures.client : undefined, m.header.signatures.client, 'stored header signatures.client');
  });
});

describe('server › upload errors', () => {
  // Header body that is not JSON. api.md §3.1 P6.
  it('BM-UPLOAD-001 MUST answer 400 "invalid header posted" to a header that is not JSON', async () => {
    const t = await api.validClientTicket(alice, bob.hash);
    mustServerError(await api.uploadHeader(t.ID, '{"from": '), 400, 'invalid header posted');
  });

  // The header is for carol but the ticket is for bob. api.md §3.1 P6.
  it('BM-UPLOAD-002 MUST answer 400 when the header recipient is not the ticket recipient', async () => {
    const t = await api.validClientTicket(alice, bob.hash);
    mustServerError(await api.uploadHeader(t.ID, message('to-carol', undefined, carol).header), 400, 'header from/to address do not match the ticket');
  });

  // Completing before the header was uploaded: nothing to deliver. api.md §3.1 P10 (Go accepts
  // and drops the message later, §8).
  it('BM-UPLOAD-013 SHOULD refuse to complete a message whose header was not uploaded', async () => {
    const m = message('no-header');
    const t = await api.validClientTicket(alice, bob.hash);
    await api.uploadAll(t.ID, m, ['catalog', 'files']);
    mustServerError(await api.complete(t.ID), [400, 409, 422]);
  });

  // Completing before the catalog was uploaded. api.md §3.1 P10.
  it('BM-UPLOAD-013 SHOULD refuse to complete a message whose catalog was not uploaded', async () => {
    const m = message('no-catalog');
    const t = await api.validClientTicket(alice, bob.hash);
    await api.uploadAll(t.ID, m, ['header', 'files']);
    mustServerError(await api.complete(t.ID), [400, 409, 422]);
  });

  // Cancelling before anything was uploaded. api.md §3.1 P11.
  it('BM-UPLOAD-014 MUST answer 404 "message not found" to DELETE /incoming before any upload', async () => {
    const t = await api.validClientTicket(alice, bob.hash);
    mustServerError(await api.cancel(t.ID), 404, 'message not found');
  });

  // Cancelling after the parts were uploaded removes them. api.md §3.1 P11.
  it('BM-UPLOAD-014 MUST answer 200 "message removed" to DELETE /incoming after uploads', async () => {
    const t = await api.validClientTicket(alice, bob.hash);
    await api.uploadAll(t.ID, message('cancelled'));
    mustServerOk(await api.cancel(t.ID), 200, 'message removed');
    mustBe(!(await api.allIds(bob)).has(t.ID), 'a cancelled message must not be delivered', 'absent', t.ID);
  });

  // The cancel also removes the ticket: uploading with it afterwards is 401. api.md §3.1 P11
  // ("removes files and ticket").
  it('BM-UPLOAD-014 BM-UPLOAD-015 MUST refuse uploads with a ticket whose upload was cancelled', async () => {
    const m = message('cancel-reuse');
    const t = await api.validClientTicket(alice, bob.hash);
    await api.uploadAll(t.ID, m);
    mustStatus(await api.cancel(t.ID), 200);
    mustServerError(await api.uploadHeader(t.ID, m.header), 401, 'invalid ticket id or ticket not valid');
  });

  // A completed upload spends its ticket: a further upload with it is 401. api.md §3.1 P10
  // ("deletes the ticket").
  it('BM-UPLOAD-015 MUST refuse uploads with a ticket whose message was completed', async () => {
    const m = message('used-ticket');
    const { id, completion } = await api.sendAsClient(alice, m);
    mustStatus(completion, 202);
    mustServerError(await api.uploadHeader(id, m.header), 401, 'invalid ticket id or ticket not valid');
  });
});
