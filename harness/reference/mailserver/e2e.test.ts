/**
 * End-to-end tests of the reference mail server and client: two mail servers and one key
 * resolver on loopback, an account of each key type on each server, mail both ways, on-behalf
 * sending, tampered messages refused with a visible reason, remote-delivery retries on a manual
 * scheduler (spec/api.md §3–§5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GO_ED25519_1, GO_ED25519_2, GO_ED25519_3, GO_KEY_1, GO_KEY_2, ALICE_ECDSA, BOB_ECDSA } from '../../protocol/fixtures.ts';
import { parsePrivateKey, generateKeyPair } from '../../protocol/keys.ts';
import { signServerHeader, signClientHeader, headerJson } from '../../protocol/header.ts';
import { parseProofOfWork, solvePow } from '../../protocol/pow.ts';
import { manualTime, type MailServer } from './index.ts';
import { startTestEnv, type TestEnv } from './_testenv.ts';
import { ApiError } from '../apierror.ts';
import type { ClientAccount } from '../client.ts';

let env: TestEnv;
let A: MailServer;
let B: MailServer;
const time = manualTime(0); // only the scheduler of server A is manual; clocks are real
const acct: Record<string, ClientAccount> = {};

beforeAll(async () => {
  env = await startTestEnv('e2e');
  A = await env.startServer({ scheduler: time });
  B = await env.startServer();
  const mk = async (s: MailServer, name: string, priv: string) => (acct[name] = await env.account(s, `${name}!`, priv));
  await Promise.all([
    mk(A, 'aliceed', GO_ED25519_1.privateKey),
    mk(A, 'alicersa', GO_KEY_1.privateKey),
    mk(A, 'aliceec', ALICE_ECDSA.privateKey),
    mk(B, 'bobed', GO_ED25519_2.privateKey),
    mk(B, 'bobrsa', GO_KEY_2.privateKey),
    mk(B, 'bobec', BOB_ECDSA.privateKey),
  ]);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

const attachment = new Uint8Array(Buffer.from('R0lGODlhAQABAAAAACH5BAEAAAAALAAAAAABAAEAAAI=', 'base64'));

async function inbox(a: ClientAccount): Promise<string[]> {
  return (await env.client.list(a, 1)).messages.map((m) => m.id);
}

/** Id of the message in `a`'s inbox carrying this client signature (ids differ per server). */
async function findBySignature(a: ClientAccount, clientSig: string): Promise<string | undefined> {
  const list = await env.client.list(a, 1);
  return list.messages.find((m) => (m.header as { signatures: { client: string } }).signatures.client === clientSig)?.id;
}

describe('mail server e2e: delivery between two servers', () => {
  const senders = ['ed', 'rsa', 'ec'];
  const recipients = ['ed', 'rsa']; // ecdsa keys cannot be encrypted to (formats.md §1.7)
  for (const [fromSide, toSide] of [['alice', 'bob'], ['bob', 'alice']] as const) {
    for (const s of senders) {
      for (const r of recipients) {
        it(`delivers a ${s} → ${r} message from ${fromSide} to ${toSide} that the recipient decrypts to exactly what was sent`, async () => {
          const from = acct[`${fromSide}${s}`]!;
          const to = acct[`${toSide}${r}`]!;
          const big = 'x'.repeat(3000); // ≥ 1024 bytes → zlib-compressed block
          const subject = `hello ${s}->${r} <&>`;
          const sent = await env.client.send(from, to.address, {
            subject,
            blocks: [{ type: 'text', content: `body from ${from.address}` }, { type: 'html', content: big }],
            attachments: [{ filename: 'image.png', content: attachment }],
          });
          await Promise.all(env.servers.map((x) => x.idle()));
          expect((await env.client.deliveryStatus(from, sent.id)).state).toBe('delivered');
          const id = await findBySignature(to, sent.header.signatures.client);
          expect(id).toBeDefined();
          const found = await env.client.read(to, id!);
          expect(found.catalog.subject).toBe(subject);
          expect(found.header.from.address).toBe(from.hash);
          expect(found.blocks.map((b) => [b.type, b.content])).toEqual([['text', `body from ${from.address}`], ['html', big]]);
          expect(found.attachments.map((x) => [x.filename, Buffer.from(x.content).toString('hex')])).toEqual([['image.png', Buffer.from(attachment).toString('hex')]]);
          expect(found.header.signatures.server).not.toBe('');
        });
      }
    }
  }

  it('delivers locally (same server) into box 1', async () => {
    const sent = await env.client.send(acct.aliceed!, acct.alicersa!.address, { subject: 'local', blocks: [{ type: 'text', content: 'hi' }] });
    expect(await inbox(acct.alicersa!)).toContain(sent.id);
    const m = await env.client.read(acct.alicersa!, sent.id);
    expect(m.blocks[0]!.content).toBe('hi');
  });

  it('delivers a message sent on behalf of an account with an authorised key, marked authorized', async () => {
    const kp = GO_ED25519_3;
    await env.client.addAuthKey(acct.aliceed!, kp);
    const sent = await env.client.send(acct.aliceed!, acct.bobed!.address, { subject: 'on behalf', blocks: [{ type: 'text', content: 'ob' }] }, { onBehalf: kp });
    await A.idle();
    await B.idle();
    const id = await findBySignature(acct.bobed!, sent.header.signatures.client);
    const m = await env.client.read(acct.bobed!, id!);
    expect(m.catalog.subject).toBe('on behalf');
    expect(m!.header.from.signed_by).toBe('authorized');
    expect(m!.header.authorized_by?.public_key).toContain('ed25519 ');
    // The on-behalf JWT also reads the sender's delivery status.
    expect((await env.client.deliveryStatus(acct.aliceed!, sent.id)).state).toBe('delivered');
  });

  it('lets the recipient delete a message and then no longer lists or serves it', async () => {
    const sent = await env.client.send(acct.aliceed!, acct.alicersa!.address, { subject: 'to delete', blocks: [{ type: 'text', content: 'bye' }] });
    await env.client.deleteMessage(acct.alicersa!, sent.id);
    expect(await inbox(acct.alicersa!)).not.toContain(sent.id);
    await expect(env.client.read(acct.alicersa!, sent.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('mail server e2e: tampered messages are not delivered and the sender learns why', () => {
  const tamperCases: [string, (m: import('../client.ts').OutgoingMessage) => import('../client.ts').OutgoingMessage, RegExp][] = [
    [
      'a header field changed after signing',
      (m) => ({ ...m, header: { ...m.header, to: { ...m.header.to, fingerprint: 'ab'.repeat(32) } } }),
      /client signature does not verify/,
    ],
    [
      'a client signature by another key',
      (m) => ({ ...m, header: signClientHeader(m.header, parsePrivateKey(GO_ED25519_3.privateKey)) }),
      /client signature does not verify/,
    ],
    [
      'changed catalog bytes',
      (m) => {
        const c = m.catalogBlob.slice();
        c[20] = c[20]! ^ 1;
        return { ...m, catalogBlob: c };
      },
      /catalog checksum does not match/,
    ],
  ];
  for (const [name, tamper, reason] of tamperCases) {
    it(`refuses a message with ${name} at POST /incoming with the reason, and does not deliver it`, async () => {
      const before = await inbox(acct.bobed!);
      const err = await env.client
        .send(acct.aliceed!, acct.bobed!.address, { subject: `tampered ${name}`, blocks: [{ type: 'text', content: 't' }] }, { tamper })
        .then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect((err as ApiError).message).toMatch(reason);
      expect((err as ApiError).body).toMatchObject({ error: true, status: expect.stringMatching(reason) });
      await A.idle();
      await B.idle();
      expect(await inbox(acct.bobed!)).toEqual(before);
    });
  }

  it('refuses at the recipient server a relayed message whose server signature is not the origin server’s', async () => {
    // Act as a (rogue) relaying server towards B: public ticket, PoW, upload, complete.
    let header: import('../../protocol/header.ts').Header | undefined;
    let out: import('../client.ts').OutgoingMessage | undefined;
    // Compose and sign a genuine message, but capture it instead of uploading it.
    await env.client
      .send(acct.aliceed!, acct.bobed!.address, { subject: 'rogue', blocks: [{ type: 'text', content: 'r' }] }, {
        tamper: (m) => {
          out = m;
          throw new Error('captured');
        },
      })
      .catch(() => undefined);
    expect(out).toBeDefined();
    const rogueKey = generateKeyPair('ed25519', env.rng).privateKey;
    header = signServerHeader(out!.header, rogueKey);
    const c = env.client;
    const json = { 'content-type': 'application/json' };
    const t = await c.raw('POST', `${B.url}/ticket`, { headers: json, body: JSON.stringify({ sender: acct.aliceed!.hash, recipient: acct.bobed!.hash, subscription_id: '' }) });
    expect(t.status).toBe(200);
    const ticket = t.json as { ID: string; Valid: boolean; Work: { Data: string } };
    expect(ticket.Valid).toBe(false);
    const w = parseProofOfWork(ticket.Work.Data);
    const v = await c.raw('POST', `${B.url}/ticket/${ticket.ID}`, { headers: json, body: `{"proof":${solvePow(w.bits, w.data, 1n)}}` });
    expect((v.json as { Valid: boolean }).Valid).toBe(true);
    const th = { 'x-bitmaelum-ticket': ticket.ID };
    expect((await c.raw('POST', `${B.url}/incoming/header`, { headers: { ...th, ...json }, body: headerJson(header) })).status).toBe(200);
    expect((await c.raw('POST', `${B.url}/incoming/catalog`, { headers: th, body: out!.catalogBlob })).status).toBe(200);
    for (const [id, d] of out!.blocks) expect((await c.raw('POST', `${B.url}/incoming/block/${id}`, { headers: th, body: d })).status).toBe(200);
    const before = await inbox(acct.bobed!);
    const done = await c.raw('POST', `${B.url}/incoming`, { headers: th });
    expect(done.status).toBe(400);
    expect(done.json).toEqual({ error: true, status: 'message rejected: server signature does not verify' });
    expect(await inbox(acct.bobed!)).toEqual(before);
  });

  it('keeps the refusal for the sender at GET /account/{addr}/delivery/{id}', async () => {
    let ticketId = '';
    const err = await env.client
      .send(acct.aliceed!, acct.bobed!.address, { subject: 'x', blocks: [{ type: 'text', content: 'x' }] }, {
        tamper: (m) => ({ ...m, header: { ...m.header, signatures: { ...m.header.signatures, client: 'Zm9vYmFy' } } }),
      })
      .catch((e: ApiError) => e);
    expect(err).toBeInstanceOf(ApiError);
    // Find the refused job through the status endpoint: the ticket id is in no inbox, so list A's jobs.
    const jobs = await A.ctx.repo.listJobs();
    const job = jobs.find((j) => j.state === 'failed' && /client signature/.test(j.reason) && j.sender === acct.aliceed!.hash);
    expect(job).toBeDefined();
    ticketId = job!.id;
    const st = await env.client.deliveryStatus(acct.aliceed!, ticketId);
    expect(st).toMatchObject({ state: 'failed', reason: 'message rejected: client signature does not verify' });
  });
});

describe('mail server e2e: remote delivery retries', () => {
  it('retries a remote delivery on the Go schedule until the recipient server is reachable, then delivers', async () => {
    const bob = acct.bobrsa!;
    const route = await env.client.resolver.getRouting(B.routingId);
    const routingPriv = B.ctx.routingPriv;
    // Point B's routing record at a dead port.
    await env.client.resolver.uploadRouting({ hash: B.routingId, publicKey: route!.publicKey, routing: '127.0.0.1:9' }, routingPriv);
    const sent = await env.client.send(acct.alicersa!, bob.address, { subject: 'retry me', blocks: [{ type: 'text', content: 'later' }] });
    await A.idle();
    let st = await env.client.deliveryStatus(acct.alicersa!, sent.id);
    expect(st.state).toBe('retrying');
    expect(st.retries).toBe(1);
    time.advance(60);
    await A.idle();
    st = await env.client.deliveryStatus(acct.alicersa!, sent.id);
    expect(st).toMatchObject({ state: 'retrying', retries: 2 });
    // Restore the route; the next scheduled retry delivers.
    await env.client.resolver.uploadRouting({ hash: B.routingId, publicKey: route!.publicKey, routing: route!.routing }, routingPriv);
    time.advance(60);
    await A.idle();
    await B.idle();
    st = await env.client.deliveryStatus(acct.alicersa!, sent.id);
    expect(st.state).toBe('delivered');
    const id = await findBySignature(bob, sent.header.signatures.client);
    expect((await env.client.read(bob, id!)).catalog.subject).toBe('retry me');
  });
});
