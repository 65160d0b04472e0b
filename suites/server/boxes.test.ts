/**
 * Profile `server`, area `BOX`: boxes, message listings and message housekeeping (api.md §3.2
 * A1–A3, A5–A11, §3.3 B1, §4; Go cmd/bm-server/handler/boxes.go, handler/message.go).
 *
 * Listing shapes are validated with schemas/server_api_schema_v1.json. The message list keeps
 * Go's capital `Meta` key (BM-BOX-002; api.md §3.2 A3), the box list its lower-case `meta`.
 * Where Go is defective the tests require the intended behaviour (registry `go_deviation`):
 * `parent_box_id` names the parent of a new box (BM-BOX-005, §8 item 13) and `DELETE …/box/{box}`
 * works as its handler intends (BM-BOX-006, §8 item 1).
 *
 * Setup: bob receives several messages from alice (sent as alice's client, waited for in box 1);
 * tests that move or delete a message use their own.
 *
 * Peer/resolver: none.
 */
import { beforeEach, describe, it } from 'vitest';
import { toB64 } from '../../harness/protocol/bytes.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi, compose, type Outgoing } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { nowUnix } from '../_support/jwt.ts';
import { header as headerOf } from '../_support/http.ts';
import { fail, mustBe, mustEqual, mustJsonObject, mustSchema, mustServerError, mustStatus } from '../_support/must.ts';
import { isObject, show } from '../_support/match.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-boxes', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-boxes', target.serverUrl);

let alice: MailAccount;
let bob: MailAccount;
let carol: MailAccount;
/** Messages in bob's box 1 that no test moves: id → what was sent. */
const kept = new Map<string, Outgoing>();
let firstId: string;

async function deliver(subject: string, attachment?: Uint8Array): Promise<{ id: string; m: Outgoing }> {
  const m = compose(api.rng, alice, bob, { subject, blocks: [{ type: 'default', content: `body of ${subject}` }], ...(attachment ? { attachments: [{ filename: 'data.bin', content: attachment }] } : {}) });
  const { id, completion } = await api.sendAsClient(alice, m);
  mustStatus(completion, 202, `setup: send ${subject}`);
  await api.waitForMessage(bob, id);
  return { id, m };
}

const setup = setupOnce(async () => {
  alice = await accounts.create('bx-alice');
  bob = await accounts.create('bx-bob');
  carol = await accounts.create('bx-carol');
  for (const s of ['one', 'two', 'three']) {
    const { id, m } = await deliver(s, s === 'one' ? new Uint8Array([1, 2, 3, 250]) : undefined);
    kept.set(id, m);
  }
  firstId = [...kept.keys()][0]!;
});
beforeEach(() => setup());

async function listIds(a: MailAccount, box: number, query = ''): Promise<string[]> {
  const r = await api.account('GET', a, `/box/${box}${query}`);
  mustStatus(r, 200, `list box ${box}${query}`);
  const msgs = mustJsonObject(r).messages;
  if (!Array.isArray(msgs)) fail(`list box ${box}: "messages" must be an array, got ${show(msgs)}`, 'array', msgs);
  return msgs.map((m) => (isObject(m) ? String(m.id) : ''));
}

/**
 * Create a box under `parent` (0 = top level) and return its id — the one box the listing
 * gained, so nothing depends on the body of the 201 (Go's is `""`). BM-BOX-005: it must be a
 * new box, not one with the parent's id (Go's defect, api.md §8 item 13).
 */
async function createBox(a: MailAccount, parent: number): Promise<number> {
  const before = await boxNumbers(a);
  const r = await api.account('POST', a, '/boxes', { json: { parent_box_id: parent } });
  mustStatus(r, 201, `create a box under ${parent}`);
  const after = await boxNumbers(a);
  const added = after.filter((id) => !before.includes(id));
  mustBe(added.length === 1 && after.length === before.length + 1, `creating a box under parent ${parent} must add exactly one new box to the listing`, 'one new box', { before, after });
  mustBe(added[0] !== parent, `the new box must not take the parent's id ${parent} (parent_box_id names the parent)`, `an id other than ${parent}`, added[0]);
  return added[0]!;
}

async function boxNumbers(a: MailAccount): Promise<number[]> {
  const r = await api.account('GET', a, '/boxes');
  mustStatus(r, 200, 'list boxes');
  const boxes = mustJsonObject(r).boxes;
  return Array.isArray(boxes) ? boxes.map((b) => (isObject(b) ? Number(b.id) : NaN)) : [];
}

describe('server › listings', () => {
  // B1: {"meta":{"total","returned"},"boxes":[{"id","total","messages"}]} with bob's mail in box 1.
  // api.md §3.3.
  it('BM-BOX-001 MUST list the boxes of an account with their message ids', async () => {
    const r = await api.account('GET', bob, '/boxes');
    mustStatus(r, 200);
    mustSchema(r.json, 'server_api_schema_v1.json#/$defs/BoxListResponse');
    const boxes = mustJsonObject(r).boxes as JsonValue[];
    const one = boxes.find((b) => isObject(b) && Number(b.id) === 1);
    const ids = isObject(one) && Array.isArray(one.messages) ? one.messages : [];
    for (const id of kept.keys()) mustBe(ids.includes(id), `box 1 must list message ${id}`, id, ids);
  });

  // A3: paging metadata and each message with its header and base64 catalog. api.md §3.2 A3.
  it('BM-BOX-002 BM-JSON-007 MUST list the messages of a box with header and catalog', async () => {
    const r = await api.account('GET', bob, '/box/1');
    mustStatus(r, 200);
    const j = mustJsonObject(r);
    mustSchema(j, 'server_api_schema_v1.json#/$defs/MessageListResponse');
    const item = (j.messages as JsonValue[]).find((m) => isObject(m) && m.id === firstId);
    if (!isObject(item)) fail(`message ${firstId} missing from the list`, firstId, j.messages);
    mustEqual(item.catalog, toB64(kept.get(firstId)!.catalogBlob), 'catalog');
    mustEqual(isObject(item.header) && isObject(item.header.signatures) ? item.header.signatures.client : undefined, kept.get(firstId)!.header.signatures.client, 'header.signatures.client');
  });

  // An empty box lists "messages": [] (not null). api.md §3.2 A3.
  it('BM-BOX-002 MUST list an empty box with an empty messages array', async () => {
    const r = await api.account('GET', carol, '/box/1');
    mustStatus(r, 200);
    mustEqual(mustJsonObject(r).messages, [], 'messages');
  });

  // The paging object is under Go's untagged field name "Meta" (capital M), unlike the box
  // list's "meta": a client that reads JSON keys case-sensitively, written against Go, finds
  // nothing under "meta". api.md §3.2 A3, §1.5, §8 item 2 (an inconsistency, not a defect).
  it('BM-BOX-002 MUST put the paging metadata of a message list under the capital key Meta', async () => {
    const r = await api.account('GET', carol, '/box/1?limit=5');
    mustStatus(r, 200);
    const j = mustJsonObject(r);
    const metaKeys = Object.keys(j).filter((k) => k.toLowerCase() === 'meta');
    mustEqual(metaKeys, ['Meta'], 'keys spelling "meta" in any case');
    mustEqual(j.Meta, { total: 0, returned: 0, limit: 5, offset: 0 }, 'Meta of an empty box listed with limit=5');
  });

  // limit and offset page through the box. api.md §3.2 A3.
  it('BM-BOX-003 MUST honour limit and offset', async () => {
    const first = await listIds(bob, 1, '?limit=1');
    const second = await listIds(bob, 1, '?limit=1&offset=1');
    mustEqual(first.length, 1, 'messages with limit=1');
    mustEqual(second.length, 1, 'messages with limit=1&offset=1');
    mustBe(first[0] !== second[0], 'offset=1 must skip the first message', 'different ids', [first[0], second[0]]);
  });

  // since (Unix seconds of linking) in the future selects nothing. api.md §3.2 A3.
  it('BM-BOX-003 MUST honour since', async () => {
    mustEqual(await listIds(bob, 1, `?since=${nowUnix() + 3600}`), [], 'messages since an hour from now');
  });

  // A limit that is not an integer falls back to the default (1000). api.md §3.2 A3.
  it('BM-BOX-003 MUST fall back to the default for a limit that is not an integer', async () => {
    const ids = await listIds(bob, 1, '?limit=abc');
    for (const id of kept.keys()) mustBe(ids.includes(id), `message ${id} must be listed with limit=abc`, id, ids);
  });

  // A box number the account does not have. api.md §3.2 A3 (Go's text is "account not found").
  it('BM-BOX-004 MUST answer 404 for a box that does not exist', async () => {
    mustServerError(await api.account('GET', bob, '/box/77'), 404);
  });
});

describe('server › fetching messages', () => {
  // A5: {"id","h","c"} with the stored header and base64 catalog. api.md §3.2 A5.
  it('BM-BOX-007 MUST return a message as {"id","h","c"}', async () => {
    const r = await api.account('GET', bob, `/message/${firstId}`);
    mustStatus(r, 200);
    mustSchema(r.json, 'server_api_schema_v1.json#/$defs/Message');
    const j = mustJsonObject(r);
    mustEqual(j.id, firstId, 'id');
    mustEqual(j.c, toB64(kept.get(firstId)!.catalogBlob), 'c');
  });

  // A5 for an id that is not one of the account's messages. api.md §3.2 A5.
  it('BM-BOX-007 MUST answer 404 for an unknown message', async () => {
    mustServerError(await api.account('GET', bob, '/message/00000000-0000-4000-8000-000000000000'), 404);
  });

  // A6: the block bytes as uploaded, Content-Type application/binary. api.md §3.2 A6.
  it('BM-BOX-008 MUST return a block byte for byte as application/binary', async () => {
    const [blockId, data] = [...kept.get(firstId)!.blocks][0]!;
    const r = await api.account('GET', bob, `/message/${firstId}/block/${blockId}`);
    mustStatus(r, 200);
    mustEqual(toB64(r.body), toB64(data), 'block bytes');
    mustEqual((headerOf(r, 'content-type') ?? '').split(';')[0]!.trim(), 'application/binary', 'Content-Type');
  });

  // A7 (attachments were uploaded on the block route, as the Go client does). api.md §3.2 A7.
  it('BM-BOX-008 MUST return an attachment byte for byte', async () => {
    const [attId, data] = [...kept.get(firstId)!.attachments][0]!;
    const r = await api.account('GET', bob, `/message/${firstId}/attachment/${attId}`);
    mustStatus(r, 200);
    mustEqual(toB64(r.body), toB64(data), 'attachment bytes');
  });

  // A6 for a block id the message does not have. api.md §3.2 A6.
  it('BM-BOX-008 MUST answer 400 for an unknown block id', async () => {
    mustServerError(await api.account('GET', bob, `/message/${firstId}/block/00000000-0000-4000-8000-000000000000`), 400);
  });

  // The whole message opens with the recipient key to what was sent. api.md §4 step 5.
  it('BM-MSG-002 MUST serve a message that opens with the recipient key to what was sent', async () => {
    const got = await api.read(bob, firstId);
    mustEqual(got.catalog.subject, 'one', 'subject');
    mustEqual(got.blocks, [{ type: 'default', content: 'body of one' }], 'blocks');
    mustEqual(got.attachments.map((a) => [a.filename, toB64(a.content)]), [['data.bin', toB64(new Uint8Array([1, 2, 3, 250]))]], 'attachments');
  });
});

describe('server › moving, copying, removing, deleting', () => {
  // A9 between two existing boxes. api.md §3.2 A9.
  it('BM-BOX-010 MUST move a message from one box to another', async () => {
    const { id } = await deliver('to-move');
    mustStatus(await api.account('POST', bob, `/message/${id}/move`, { json: { from: 1, to: 3 } }), 200);
    mustBe((await listIds(bob, 3)).includes(id), 'the message must be in box 3', id, await listIds(bob, 3));
    mustBe(!(await listIds(bob, 1)).includes(id), 'the message must have left box 1', 'absent', id);
  });

  // A9 to a box the account does not have: refused, and the message stays where it was (its own
  // message, so no earlier test's outcome decides this one). api.md §3.2 A9.
  it('BM-BOX-010 MUST answer 404 to a move into a box that does not exist', async () => {
    const { id } = await deliver('move-nowhere');
    mustServerError(await api.account('POST', bob, `/message/${id}/move`, { json: { from: 1, to: 77 } }), 404);
    mustBe((await listIds(bob, 1)).includes(id), 'a refused move must leave the message in box 1', id, await listIds(bob, 1));
  });

  // A10 links the message into another box too. api.md §3.2 A10.
  it('BM-BOX-011 MUST copy a message into another box', async () => {
    const { id } = await deliver('to-copy');
    mustStatus(await api.account('POST', bob, `/message/${id}/copy`, { json: { to: 2 } }), 200);
    mustBe((await listIds(bob, 2)).includes(id) && (await listIds(bob, 1)).includes(id), 'the message must be in boxes 1 and 2', [1, 2], id);
  });

  // A10 into a box the account does not have: refused, the message still in its box (its own
  // message, as above). api.md §3.2 A10.
  it('BM-BOX-011 MUST answer 404 to a copy into a box that does not exist', async () => {
    const { id } = await deliver('copy-nowhere');
    mustServerError(await api.account('POST', bob, `/message/${id}/copy`, { json: { to: 77 } }), 404);
    mustBe((await listIds(bob, 1)).includes(id), 'a refused copy must leave the message in box 1', id, await listIds(bob, 1));
  });

  // A11 from one of two boxes: still readable from the other. api.md §3.2 A11.
  it('BM-BOX-012 MUST unlink a message from one box and keep it in the other', async () => {
    const { id } = await deliver('remove-one-link');
    mustStatus(await api.account('POST', bob, `/message/${id}/copy`, { json: { to: 2 } }), 200, 'copy');
    mustStatus(await api.account('POST', bob, `/message/${id}/delete`, { json: { from: 1 } }), 200, 'remove from box 1');
    mustBe(!(await listIds(bob, 1)).includes(id), 'the message must have left box 1', 'absent', id);
    mustStatus(await api.account('GET', bob, `/message/${id}`), 200, 'still readable');
  });

  // A11 from its only box: the message is deleted entirely. api.md §3.2 A11.
  it('BM-BOX-012 MUST delete a message removed from its last box', async () => {
    const { id } = await deliver('remove-last-link');
    mustStatus(await api.account('POST', bob, `/message/${id}/delete`, { json: { from: 1 } }), 200);
    mustServerError(await api.account('GET', bob, `/message/${id}`), 404);
  });

  // A8 removes the message from every box. api.md §3.2 A8.
  it('BM-BOX-009 MUST delete a message and its links from all boxes', async () => {
    const { id } = await deliver('to-delete');
    mustStatus(await api.account('POST', bob, `/message/${id}/copy`, { json: { to: 3 } }), 200, 'copy');
    mustStatus(await api.account('DELETE', bob, `/message/${id}`), 200);
    mustBe(!(await api.allIds(bob)).has(id), 'the message must be in no box', 'absent', id);
    mustServerError(await api.account('GET', bob, `/message/${id}`), 404);
  });

  // A8 for a message that does not exist: 200 as well. api.md §3.2 A8.
  it('BM-BOX-009 MUST answer 200 to deleting a message that does not exist', async () => {
    mustStatus(await api.account('DELETE', bob, '/message/00000000-0000-4000-8000-000000000000'), 200);
  });
});

describe('server › boxes', () => {
  // A1 with an existing parent: each call makes another box (Go makes "box 1" again, i.e.
  // nothing). api.md §3.2 A1 [bug], §8 item 13; boxes.go:44 "a new box under a specific parent".
  it('BM-BOX-005 MUST create a new box under an existing parent each time, never one with the parent\'s id', async () => {
    const first = await createBox(carol, 1);
    const second = await createBox(carol, 1);
    mustBe(first !== second, 'two creations under the same parent must make two boxes', 'two ids', [first, second]);
  });

  // A1 with parent_box_id 0: a top-level box (Go makes a box numbered 0). api.md §3.2 A1.
  it('BM-BOX-005 MUST create a new top-level box for parent_box_id 0', async () => {
    await createBox(carol, 0);
  });

  // A1 naming a parent the account does not have (Go creates a box with that number).
  // api.md §3.2 A1, §8 item 13.
  it('BM-BOX-005 MUST answer 404 to a parent that does not exist and create nothing', async () => {
    const before = await boxNumbers(carol);
    const missing = Math.max(4242, ...before) + 1;
    mustServerError(await api.account('POST', carol, '/boxes', { json: { parent_box_id: missing } }), 404);
    mustEqual(await boxNumbers(carol), before, 'boxes after the refused creation');
  });

  // Boxes up to 99 are mandatory and stay: 404 "cannot delete mandatory box", as the handler
  // answers every DeleteBox error. api.md §3.2 A2 (intended; Go's route is dead, §8 item 1).
  it('BM-BOX-006 MUST refuse to delete a mandatory box with 404', async () => {
    mustServerError(await api.account('DELETE', carol, '/box/2'), 404, 'cannot delete mandatory box');
    mustBe((await boxNumbers(carol)).includes(2), 'box 2 must still exist', 2, await boxNumbers(carol));
  });

  // A box the account created can be deleted. api.md §3.2 A2.
  it('BM-BOX-006 MUST delete a box the account created', async () => {
    const id = await createBox(carol, 0);
    mustStatus(await api.account('DELETE', carol, `/box/${id}`), 204);
    mustBe(!(await boxNumbers(carol)).includes(id), `box ${id} must be gone`, 'absent', id);
  });
});
