/**
 * Profile `client`, area `delivery`: the client's messages over a real mail server (spec/api.md
 * §5.4 sending, §4 reading; formats.md §4.1). The network side is the harness's reference
 * client (harness/reference/client.ts) and the reference mail server and key resolver; the
 * client under test does what an adapter can do — compose and open — and the server judges
 * its output the way it judges any upload (client signature against the sender's resolver key,
 * header checks at `POST /incoming`).
 *
 * Counterparties: the run's reference mail server and resolver when the target provides them
 * (BM_SERVER_URL, BM_RESOLVER_URL, BM_CA_FILE, BM_ADMIN_KEY: builtin runs with server
 * profiles), else a reference started for this file (command targets, or `--profile client`).
 */
import { afterAll, describe, it } from 'vitest';
import { ReferenceClient, type ClientAccount, type OutgoingMessage } from '../../harness/reference/index.ts';
import { parseHeader } from '../../harness/protocol/header.ts';
import { formatPrivateKey, generateKeyPair } from '../../harness/protocol/keys.ts';
import { parseAddress } from '../../harness/protocol/address.ts';
import { fromB64, toB64, utf8 } from '../../harness/protocol/bytes.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import { suiteAdapter } from '../_support/adapter.ts';
import { runNonce, setupOnce, startOwnReference, suiteRng, suiteTarget } from '../_support/target.ts';
import { mustOp } from '../_support/op.ts';
import { trace } from '../_support/http.ts';
import { fail, mustBe, mustEqual } from '../_support/must.ts';
import { isObject, show } from '../_support/match.ts';

const adapter = await suiteAdapter();
afterAll(() => adapter.close());

const CONTENT = {
  subject: 'Conformance: client-composed mail over the reference server',
  blocks: [
    { type: 'default', content: 'Composed by the client under test.' },
    { type: 'html', content: `<p>${'long enough to be compressed; '.repeat(50)}</p>` },
  ],
  attachments: [{ filename: 'hello.txt', content: utf8('attached bytes\n') }],
};

let client: ReferenceClient | undefined;
let server: { url: string; adminKey: string };
let ownReference: { close(): Promise<void> } | undefined;

/** An invite token for `address` on the server (POST /admin/invite with the management key, api.md §3.8). */
async function invite(address: string): Promise<string> {
  const r = await client!.raw('POST', `${server.url}/admin/invite`, {
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ address: parseAddress(address).hash, days: 1 }),
  });
  if (r.status !== 201 || !isObject(r.json) || typeof r.json.token !== 'string') fail(`setup: POST /admin/invite answered ${r.status}: ${show(r.json ?? Buffer.from(r.body).toString())}`);
  return r.json.token;
}

async function account(name: string): Promise<ClientAccount> {
  const address = `${name}-${runNonce()}!`;
  const priv = formatPrivateKey(generateKeyPair('ed25519', suiteRng(`delivery:${name}:${runNonce()}`)).privateKey);
  return client!.createAccount({ address, privateKey: priv, inviteToken: await invite(address) });
}

/** Wait (bounded, with a message) until `box` of `acc` lists a message whose client signature is `sig`; returns its id. */
async function waitFor(acc: ClientAccount, sig: string): Promise<string> {
  const deadline = Date.now() + Math.min(10_000, suiteTarget().requestTimeoutMs);
  for (;;) {
    const list = await client!.list(acc, 1);
    const hit = list.messages.find((m) => isObject(m.header as JsonValue) && isObject((m.header as { signatures?: JsonValue }).signatures as JsonValue) && (m.header as { signatures: { client: string } }).signatures.client === sig);
    if (hit) return hit.id;
    if (Date.now() > deadline) fail(`the message with client signature ${sig.slice(0, 16)}… did not arrive in ${acc.address}'s inbox within the wait (${list.messages.length} messages listed)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The counterparties and two accounts, made on first use (not in beforeAll: a dead server must
 * fail each test with the real cause, not skip them).
 */
const setup = setupOnce(async () => {
  const t = suiteTarget();
  if (t.serverUrl && t.resolverUrl && t.caPem && t.adminKey) {
    server = { url: t.serverUrl, adminKey: t.adminKey };
    client = new ReferenceClient({ resolverUrl: t.resolverUrl, caPem: t.caPem, rng: suiteRng('delivery-client') });
  } else {
    const ref = await startOwnReference();
    ownReference = ref;
    if (!ref.mailUrl) throw new Error('the reference mail server did not start');
    server = { url: ref.mailUrl, adminKey: ref.adminKey };
    client = new ReferenceClient({ resolverUrl: ref.resolverUrl, caPem: ref.caPem, rng: suiteRng('delivery-client') });
  }
  const alice = await account('client-alice');
  const bob = await account('client-bob');
  return { client, alice, bob };
});
afterAll(async () => {
  await client?.close();
  await ownReference?.close();
});

describe('client › delivery', { meta: { area: 'delivery' } }, () => {
  // The client composes (message.compose) as alice for bob's resolver key; the reference client
  // uploads exactly those bytes (ticket, header, catalog, blocks, attachments, POST /incoming);
  // the server accepts the client signature; bob reads the message back through the server
  // and the reference opens it to the composed content. formats.md §4.1, api.md §5.4–5.5.
  it('BM-MSG-001 MUST compose a message that the reference mail server accepts, delivers and the recipient reads back', async () => {
    const { client, alice, bob } = await setup();
    const rec = await client.resolver.getAddress(bob.hash);
    if (!rec) fail(`setup: ${bob.address} is not on the resolver`);
    const res = await mustOp(adapter, 'message.compose', {
      sender: { address: alice.address, private_key: alice.privateKey, name: 'Alice' },
      recipient: { address: bob.address, public_key: rec.publicKey },
      subject: CONTENT.subject,
      blocks: CONTENT.blocks,
      attachments: CONTENT.attachments.map((a) => ({ filename: a.filename, content_b64: toB64(a.content) })),
    });
    const toMap = (v: JsonValue | undefined) => new Map(Object.entries(isObject(v) ? v : {}).map(([id, b]) => [id, fromB64(String(b), id)]));
    const composed: OutgoingMessage = { header: parseHeader(res.header), catalogBlob: fromB64(String(res.catalog_b64), 'catalog_b64'), blocks: toMap(res.blocks), attachments: toMap(res.attachments) };
    trace(`(reference client uploads the client's message from ${alice.address} to ${bob.address})`);
    let sent: { id: string };
    try {
      sent = await client.send(alice, bob.address, { subject: 'replaced by the client message', blocks: [] }, { tamper: () => composed });
    } catch (e) {
      fail(`the reference server refused the client-composed message: ${(e as Error).message}`, 'accepted', (e as { body?: unknown }).body ?? (e as Error).message);
    }
    trace(`(sent as ${sent.id})`);
    const id = await waitFor(bob, composed.header.signatures.client);
    const m = await client.read(bob, id);
    mustEqual(m.catalog.subject, CONTENT.subject, 'subject bob reads');
    mustEqual(m.blocks.map((b) => ({ type: b.type, content: b.content })), CONTENT.blocks, 'blocks bob reads');
    mustEqual(m.attachments.map((a) => ({ filename: a.filename, content: toB64(a.content) })), CONTENT.attachments.map((a) => ({ filename: a.filename, content: toB64(a.content) })), 'attachments bob reads');
  });

  // The reference sends bob → alice; the client opens the message exactly as the server serves
  // it (header now carrying the server signature, raw catalog, block and attachment bytes from
  // the message endpoints). formats.md §4.1 "Reading", api.md §4.
  it('BM-MSG-002 MUST open a message as the mail server delivers it', async () => {
    const { client, alice, bob } = await setup();
    const sent = await client.send(bob, alice.address, { subject: 'Conformance: delivered to the client', blocks: CONTENT.blocks, attachments: CONTENT.attachments });
    const id = await waitFor(alice, sent.header.signatures.client);
    const opened = await client.read(alice, id); // learns the item ids (the client under test would, from the catalog)
    const auth = { authorization: `Bearer ${client.login(alice)}` };
    const base = `${alice.serverUrl}/account/${alice.hash}/message/${id}`;
    const msg = await client.raw('GET', base, { headers: auth });
    mustBe(msg.status === 200 && isObject(msg.json as JsonValue), `GET message: ${msg.status}`);
    const j = msg.json as { h: unknown; c: string };
    const blocks: Record<string, string> = {};
    for (const b of opened.blocks) blocks[b.id] = toB64((await client.raw('GET', `${base}/block/${b.id}`, { headers: auth })).body);
    const attachments: Record<string, string> = {};
    for (const a of opened.attachments) attachments[a.id] = toB64((await client.raw('GET', `${base}/attachment/${a.id}`, { headers: auth })).body);
    const r = await mustOp(adapter, 'message.open', { private_key: alice.privateKey, header: j.h, catalog_b64: j.c, blocks, attachments });
    mustEqual(Array.isArray(r.blocks) ? r.blocks.map((b) => (isObject(b) ? { type: b.type, content: b.content } : b)) : r.blocks, CONTENT.blocks, 'blocks the client reads');
    mustEqual(Array.isArray(r.attachments) ? r.attachments.map((a) => (isObject(a) ? { filename: a.filename, content_b64: a.content_b64 } : a)) : r.attachments, CONTENT.attachments.map((a) => ({ filename: a.filename, content_b64: toB64(a.content) })), 'attachments the client reads');
  });
});
