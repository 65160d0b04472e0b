/**
 * Profile `interop`: server-to-server delivery between the target and a reference peer, both ways,
 * for senders of every key type (api.md §5.4–§5.5; formats.md §4; Go
 * cmd/bm-server/processor/process.go:151-289).
 *
 * A client of the sending server composes and signs a message (two blocks — one large enough to
 * be zlib-compressed — and a binary attachment), sends it to its own server as in §5.4; that
 * server resolves the recipient on the key resolver, asks the other server for a ticket, solves
 * its proof of work, uploads header (with its server signature), catalog and every file, and
 * completes. The recipient then fetches the message from its server and must read exactly what
 * was sent: subject, blocks, attachment bytes; the header's client signature verifies with the
 * sender's key and the server signature with the routing key of the sender's server.
 *
 * Key types: ed25519, ecdsa, rsa (2048, Go test key) and rsa4096 (our fixture) senders; the
 * recipient has the same key type, except for ecdsa senders, whose recipient is ed25519 (a catalog
 * key cannot be encrypted to an ecdsa key, formats.md §1.7).
 *
 * Peer/resolver: one reference peer mail server (suites/_support/peer.ts) on the target's key
 * resolver, conforming (no fault switches), asking 8-bit ticket proofs of work. The resolver holds
 * both servers' routing records and every account's address record.
 */
import { afterAll, beforeEach, describe, it } from 'vitest';
import type { KeyType } from '../../harness/protocol/keys.ts';
import { verifyClientHeader, verifyServerHeader } from '../../harness/protocol/header.ts';
import { toB64 } from '../../harness/protocol/bytes.ts';
import { setupOnce } from '../_support/target.ts';
import { testDeadline } from '../_support/pow.ts';
import { useMailTarget, MailApi, compose, waitFor, type Content } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, AccountsByType, type MailAccount } from '../_support/accounts.ts';
import { startPeer, type Peer } from '../_support/peer.ts';
import { fail, mustBe, mustEqual, mustStatus } from '../_support/must.ts';
import { isObject } from '../_support/match.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('interop', target.resolverUrl);
const onTarget = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const tApi = new MailApi('interop-target', target.serverUrl);

const SENDERS: KeyType[] = ['ed25519', 'ecdsa', 'rsa', 'rsa4096'];
const recipientType = (s: KeyType): KeyType => (s === 'ecdsa' ? 'ed25519' : s);

let peer: Peer;
let pApi: MailApi;
let onPeer: AccountFactory;
// One account per key type on each side. The file's set-up makes the peer and the ed25519
// accounts (every test needs them; they are also the witness that a refusal of another type is
// about the type); each other type is made by the set-up of its own tests, in its own hook
// (accounts can cost a 20-bit proof of work each, api.md §3.1 P2). A type the target or its
// resolver refuses makes only the tests that name it `unsupported`, and the others run.
const targetAccounts = new AccountsByType<MailAccount>();
const peerAccounts = new AccountsByType<MailAccount>();

const setup = setupOnce(async () => {
  peer = await startPeer('interop', { ticketPowBits: 8 });
  pApi = new MailApi('interop-peer', peer.url);
  onPeer = new AccountFactory(resolver, { url: peer.url, adminKey: peer.adminKey });
  await targetAccounts.make(['ed25519'], (t) => onTarget.create(`io-t-${t}`, t));
  await peerAccounts.make(['ed25519'], (t) => onPeer.create(`io-p-${t}`, t));
});
beforeEach(() => setup());

/** The set-up of the tests of key type `t` (after the file's): its accounts on both sides. Call in the type's describe. */
function useKeyType(t: KeyType): void {
  const typed = setupOnce(async () => {
    await setup();
    if (t === 'ed25519') return;
    await targetAccounts.make([t], (k) => onTarget.create(`io-t-${k}`, k));
    await peerAccounts.make([t], (k) => onPeer.create(`io-p-${k}`, k));
  });
  beforeEach(() => typed());
}
afterAll(async () => {
  await peer?.close();
});

/** CanonicalHost (api.md §2.1): scheme https and port 2424 unless given. */
function canonicalHost(routing: string): string {
  const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(routing) ? routing : `https://${routing}`);
  return `${u.protocol}//${u.host}${u.port ? '' : ':2424'}`;
}

function content(label: string): Content {
  const attachment = new Uint8Array(tApi.rng.bytes(2048));
  return {
    subject: `interop ${label}`,
    blocks: [
      { type: 'default', content: `Hello from ${label} — ünïcödé <&> ✓` },
      { type: 'html', content: `<p>${'compressible '.repeat(120)}</p>` },
    ],
    attachments: [{ filename: 'payload.bin', content: attachment }],
  };
}

/** Wait for the message whose client signature is `sig` in box 1 of `a` on `api`'s server; returns its id there. */
async function arrival(api: MailApi, a: MailAccount, sig: string, waitMs = untilNearDeadline()): Promise<string> {
  return waitFor(`a message with client signature ${sig.slice(0, 16)}… in box 1 of ${a.address} on ${api.url}`, async () => {
    const r = await api.account('GET', a, '/box/1');
    mustStatus(r, 200, 'list box 1');
    const msgs = isObject(r.json) && Array.isArray(r.json.messages) ? r.json.messages : [];
    const hit = msgs.find((m) => isObject(m) && isObject(m.header) && isObject(m.header.signatures) && m.header.signatures.client === sig);
    return isObject(hit) ? String(hit.id) : undefined;
  }, waitMs, 150);
}

/** The time left in the running test less a margin, so a message that never arrives is a failure, not a test timeout. */
function untilNearDeadline(): number {
  return Math.max(1_000, testDeadline() - Date.now() - Math.min(3_000, Math.floor(target.timeoutMs / 10)));
}

const TICKET_KEYS = ['sender', 'recipient', 'subscription_id', 'preference'];

/** A request body that must be one JSON object. */
function mustJsonText(body: Uint8Array, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    fail(`${what}: not JSON: ${Buffer.from(body).toString('utf8').slice(0, 200)}`, 'a JSON object', 'not JSON');
  }
  if (!isObject(v as never)) fail(`${what}: expected a JSON object`, 'object', v);
  return v as Record<string, unknown>;
}

/** Send from `from` (via `fromApi`) to `to` (read via `toApi`) and check the recipient reads exactly what was sent. */
async function roundTrip(fromApi: MailApi, from: MailAccount, toApi: MailApi, to: MailAccount, label: string, senderServerRoutingId: string): Promise<void> {
  const sent = content(label);
  const m = compose(fromApi.rng, from, to, sent);
  const { completion } = await fromApi.sendAsClient(from, m);
  mustStatus(completion, 202, 'POST /incoming on the sender\'s server');
  const id = await arrival(toApi, to, m.header.signatures.client);
  const got = await toApi.read(to, id);
  mustEqual(got.catalog.subject, sent.subject, 'subject');
  mustEqual(got.blocks, sent.blocks, 'blocks');
  mustEqual(got.attachments.map((a) => [a.filename, toB64(a.content)]), sent.attachments!.map((a) => [a.filename, toB64(a.content)]), 'attachments');
  mustBe(verifyClientHeader(got.header, from.publicKey), 'the delivered header\'s client signature must verify with the sender\'s key', 'valid', got.header.signatures.client);
  const route = await resolver.read('routing', senderServerRoutingId);
  mustBe(verifyServerHeader(got.header, String(route.public_key)), 'the delivered header\'s server signature must verify with the sending server\'s routing key', 'valid', got.header.signatures.server);
}

// Both directions per key type, so each type's accounts are made by its own set-up (useKeyType).
for (const t of SENDERS) {
  describe(`interop › ${t} senders`, () => {
    useKeyType(t); // the recipient is of type t too, or ed25519 (the file's set-up)

    // The target relays its client's message to the peer (ticket, PoW, uploads, completion) and
    // the peer's account reads it exactly. api.md §5.5 "Remote recipient".
    it(`BM-DELIV-004 BM-SIG-006 BM-MSG-001 MUST deliver mail from a ${t} sender on the target to the reference peer, read back exactly as sent`, async () => {
      const from = targetAccounts.get(t);
      const to = peerAccounts.get(recipientType(t));
      await roundTrip(tApi, from, pApi, to, `target ${t} → peer ${recipientType(t)}`, from.routingId);
    });

    // The peer relays to the target: the target issues a ticket with work, accepts the proof and
    // the uploads, checks both signatures without re-signing, and files the message for its
    // account. api.md §5.5 (receiving server verifies both signatures, does not re-sign).
    it(`BM-DELIV-005 BM-DELIV-002 BM-MSG-002 MUST accept mail from a ${t} sender on the reference peer and serve it exactly as sent`, async () => {
      const from = peerAccounts.get(t);
      const to = targetAccounts.get(recipientType(t));
      await roundTrip(pApi, from, tApi, to, `peer ${t} → target ${recipientType(t)}`, peer.routingId);
    });
  });
}

describe('interop › what the target sends', () => {
  // The target relays as a client of the peer (api.md §5.5): its POST /ticket body and its proof
  // must use the Go structs' lower-case keys (`sender`, `recipient`, `subscription_id`,
  // `preference`; `proof`), which the peer records as they came off the wire. Go decodes keys
  // case-insensitively, so a server that writes `Sender` works with Go but not with a stricter
  // peer. api.md §2.4, §3.1 P4/P5.
  it('BM-API-014 MUST send its ticket request and proof to the remote server with the Go structs\' lower-case JSON keys', async () => {
    const from = targetAccounts.get('ed25519');
    const to = peerAccounts.get('ed25519');
    const seen = (await peer.requests()).length;
    await roundTrip(tApi, from, pApi, to, 'wire keys', from.routingId);
    const sent = (await peer.requests()).slice(seen);
    const ticket = sent.find((r) => r.method === 'POST' && r.path === '/ticket');
    if (ticket === undefined) fail(`the peer saw no POST /ticket from the target (requests: ${sent.map((r) => `${r.method} ${r.path}`).join(', ')})`, 'POST /ticket', 'none');
    const body = mustJsonText(ticket.body, 'POST /ticket body');
    mustBe(Object.keys(body).every((k) => TICKET_KEYS.includes(k)) && ['sender', 'recipient'].every((k) => k in body), `POST /ticket keys: expected only ${TICKET_KEYS.join(', ')} (sender and recipient present), got ${Object.keys(body).join(', ')}`, TICKET_KEYS, Object.keys(body));
    mustEqual(body.sender, from.hash, 'POST /ticket sender');
    for (const proof of sent.filter((r) => r.method === 'POST' && /^\/ticket\/[^/]+$/.test(r.path))) {
      const b = mustJsonText(proof.body, `POST ${proof.path} body`);
      mustEqual(Object.keys(b), ['proof'], `POST ${proof.path} keys`);
    }
  });
});

describe('interop › redirected addresses', () => {
  // An address record that redirects (`redir_hash`) to an account on the other server: the
  // sender writes the alias, its client encrypts to the key the resolver answers for it (the
  // final record's), and the sending server relays to the final account's server, which files
  // the message for that account. The signed header keeps the alias as `to.address`. Go asks
  // for the ticket with the final hash but keeps the alias in the header, and the remote server
  // refuses it forever. api.md §5.5, §6.2, §8 item 10.
  it.each([
    ['the target to an alias of a peer account', 'target'],
    ['the peer to an alias of a target account', 'peer'],
  ] as const)('BM-DELIV-006 MUST deliver mail sent from %s to the final account', async (_what, from) => {
    const [fromApi, toApi] = from === 'target' ? [tApi, pApi] : [pApi, tApi];
    const sender = (from === 'target' ? targetAccounts : peerAccounts).get('ed25519');
    const final = (from === 'target' ? peerAccounts : targetAccounts).get('ed25519');
    const alias = resolver.account(`io-alias-${from}`);
    await resolver.createAddress(alias, { redirHash: final.hash });
    const resolved = await resolver.read('address', alias.hash);
    mustEqual(resolved.hash, final.hash, `the resolver's answer for the alias ${alias.address}`);
    const sent = content(`redirect ${from}`);
    const m = compose(fromApi.rng, sender, { address: alias.address, publicKey: String(resolved.public_key) }, sent);
    const { completion } = await fromApi.sendAsClient(sender, m);
    mustStatus(completion, 202, 'POST /incoming on the sender\'s server');
    // Half the test's time, so a message that never arrives is a failure, not a test timeout.
    const id = await arrival(toApi, final, m.header.signatures.client, target.requestTimeoutMs);
    const got = await toApi.read(final, id);
    mustEqual(got.header.to.address, alias.hash, 'to.address of the delivered header (the alias, as signed)');
    mustEqual(got.blocks, sent.blocks, 'blocks');
  });
});

describe('interop › routing', () => {
  // The target's routing record on the resolver names the host and port it serves on, so other
  // servers can reach it. api.md §2.1 (start-up registration), §7.5.
  it('BM-TLS-005 BM-TLS-002 MUST have a routing record on the resolver that points at the target', async () => {
    const acc = targetAccounts.get('ed25519');
    const route = await resolver.read('routing', acc.routingId);
    const u = new URL(target.serverUrl!);
    mustEqual(canonicalHost(String(route.routing)), `${u.protocol}//${u.host}${u.port ? '' : ':443'}`, 'canonical host of the routing record');
  });
});
