/**
 * Profile `server`, area `DELIV`: what the target checks before it delivers a message to a local
 * account (api.md §5.5; formats.md §4.3–§4.4; Go cmd/bm-server/processor/process.go:96-120,
 * internal/message/signature.go:53-198): the server signature of the sender's home server, then
 * the client signature with the key `signed_by` selects — and, beyond Go, that the uploaded
 * catalog bytes are the ones the signed header describes.
 *
 * Two ways in, as in real traffic:
 * - as the sender's client (the target is the origin and adds the server signature itself):
 *   for faults in what the client signed — a header field changed after signing, a signature by
 *   another key, catalog bytes that do not match;
 * - as the sender's home server relaying to the target (public ticket + proof of work): for faults
 *   in the server signature. The home server is a {@link RemoteOrigin}: a routing key and routing
 *   record on the resolver, with sender addresses registered under it, signing as the test says.
 * "Not delivered" = refused at completion, or absent once a later good message from the same
 * sender has arrived (suites/_support/mail.ts).
 *
 * Peer/resolver: no running peer; the resolver holds the remote origin's routing record and its
 * senders' address records (created here), which the target reads to verify signatures.
 */
import { beforeEach, describe, it } from 'vitest';
import { signClientHeader, signServerHeader } from '../../harness/protocol/header.ts';
import { signAuthorization } from '../../harness/protocol/authorization.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi, RemoteOrigin, compose, waitFor, withHeader, type Outgoing } from '../_support/mail.ts';
import { SuiteResolver, type AccountIdentity, type KeyPair } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { mustBe, mustEqual, mustStatus } from '../_support/must.ts';
import { isObject } from '../_support/match.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-delivery', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-delivery', target.serverUrl);

let alice: MailAccount;
let bob: MailAccount;
let origin: RemoteOrigin;
let remote: AccountIdentity;
let mallory: KeyPair;
const setup = setupOnce(async () => {
  alice = await accounts.create('dl-alice');
  bob = await accounts.create('dl-bob');
  origin = new RemoteOrigin(resolver);
  remote = await origin.adopt(accounts.identity('dl-remote'));
  mallory = resolver.key('ed25519');
});
beforeEach(() => setup());

const content = (subject: string) => ({ subject, blocks: [{ type: 'default', content: `body of ${subject}` }] });
/** alice → bob, as composed and signed by alice's client. */
const fromAlice = (subject: string): Outgoing => compose(api.rng, alice, bob, content(subject));
/** remote → bob, client-signed by remote and server-signed by its home server. */
function fromRemote(subject: string): Outgoing {
  const m = compose(api.rng, remote, bob, content(subject));
  return withHeader(m, origin.sign(m.header, api.rng));
}
/** Barriers: a good message from the same sender, returning its id. */
const aliceBarrier = async () => (await api.sendAsClient(alice, fromAlice('barrier'))).id;
const remoteBarrier = async () => (await api.sendAsRemote(fromRemote('barrier'))).id;

describe('server › delivery: redirected addresses', () => {
  // An alias whose resolver record redirects (`redir_hash`) to bob, an account of the same
  // server: alice's client writes the alias and encrypts to the key the resolver answers for it
  // (bob's); the server files the message for bob, with the alias kept in the signed header.
  // Go's local check looks for an account of the alias and relays the message to itself.
  // api.md §5.5, §6.2, §8 item 10.
  it('BM-DELIV-006 MUST deliver mail to an address that redirects to an account of the same server to that account', async () => {
    const alias = resolver.account('dl-alias');
    await resolver.createAddress(alias, { redirHash: bob.hash });
    const resolved = await resolver.read('address', alias.hash);
    mustEqual(resolved.hash, bob.hash, `the resolver's answer for the alias ${alias.address}`);
    const m = compose(api.rng, alice, { address: alias.address, publicKey: String(resolved.public_key) }, content('to an alias'));
    const { id, completion } = await api.sendAsClient(alice, m);
    mustStatus(completion, 202, 'POST /incoming');
    await waitFor(`message ${id} in bob's box 1`, async () => {
      const r = await api.account('GET', bob, '/box/1');
      return isObject(r.json) && Array.isArray(r.json.messages) && r.json.messages.some((x) => isObject(x) && x.id === id) ? true : undefined;
    }, target.requestTimeoutMs);
    const got = await api.read(bob, id);
    mustEqual(got.header.to.address, alias.hash, 'to.address of the delivered header (the alias, as signed)');
    mustEqual(got.blocks, content('to an alias').blocks, 'blocks');
  });
});

describe('server › delivery: the client signature', () => {
  // The client signed the header, then a covered field (to.fingerprint) was changed; the origin
  // server signs what it got, so only the client signature can tell. formats.md §4.3, api.md §5.5.
  it('BM-DELIV-002 BM-SIG-009 MUST NOT deliver a message whose header was changed after the client signed it', async () => {
    const m = fromAlice('changed-after-signing');
    const bad = withHeader(m, { ...m.header, to: { ...m.header.to, fingerprint: 'cd'.repeat(32) } });
    const { id, completion } = await api.sendAsClient(alice, bad);
    await api.mustNotDeliver(bob, id, completion, aliceBarrier);
  });

  // A client signature by a key that is not the sender's (the resolver's key for from.address
  // decides). formats.md §4.4, api.md §5.5.
  it('BM-DELIV-002 BM-SIG-009 MUST NOT deliver a message whose client signature is by another key', async () => {
    const m = fromAlice('other-key');
    const { id, completion } = await api.sendAsClient(alice, withHeader(m, signClientHeader(m.header, mallory.privateKey, api.rng)));
    await api.mustNotDeliver(bob, id, completion, aliceBarrier);
  });

  // The origin learns of a bad client signature before it accepts the message (at the header
  // upload or at completion) and says so with a 4xx, instead of dropping it later. api.md §8 item 7.
  it('BM-UPLOAD-006 SHOULD refuse with a 4xx, before accepting it, a message whose client signature does not verify', async () => {
    const m = fromAlice('refused-early');
    const bad = signClientHeader(m.header, mallory.privateKey, api.rng);
    const t = await api.validClientTicket(alice, bob.hash);
    const h = await api.uploadHeader(t.ID, bad);
    if (h.status >= 400 && h.status < 500) return;
    mustStatus(h, 200, 'header upload (a 4xx here is also a refusal)');
    await api.uploadAll(t.ID, m, ['catalog', 'files']);
    const c = await api.complete(t.ID);
    mustBe(c.status >= 400 && c.status < 500, `POST /incoming of a message with a bad client signature: expected a 4xx refusal, got ${c.status}`, '4xx', c.status);
  });
});

describe('server › delivery: the server signature', () => {
  // Baseline for the relay path: a message signed by the sender's client and its home server,
  // handed over with a public ticket, is delivered with the header as signed — the receiving
  // server does not re-sign it. api.md §5.5 (remote server "does not re-sign"), §3.1 P6.
  it('BM-DELIV-005 BM-UPLOAD-005 BM-SIG-013 MUST deliver a correctly signed message from a remote origin without re-signing it', async () => {
    const m = fromRemote('remote-ok');
    const { id, completion } = await api.sendAsRemote(m);
    mustStatus(completion, 202);
    await api.waitForMessage(bob, id);
    const got = await api.read(bob, id);
    mustEqual(got.header.signatures, m.header.signatures, 'stored signatures');
    mustEqual(got.blocks, [{ type: 'default', content: 'body of remote-ok' }], 'blocks');
  });

  // The server signature is by a key that is not the routing key of the sender's home server.
  // The client signature is good. formats.md §4.4, api.md §5.5.
  it('BM-DELIV-002 BM-SIG-013 BM-SIG-016 MUST NOT deliver a message whose server signature is not by the sender\'s home server', async () => {
    const m = compose(api.rng, remote, bob, content('wrong-server-key'));
    const bad = withHeader(m, signServerHeader(m.header, mallory.privateKey, api.rng));
    const { id, completion } = await api.sendAsRemote(bad);
    await api.mustNotDeliver(bob, id, completion, remoteBarrier);
  });

  // Postmaster mail: signed_by "server", from.address = the routing id, client signature by the
  // routing key; no server signature is needed. formats.md §4.4, api.md §5.2.
  it('BM-SIG-010 BM-SIG-014 MUST deliver server-signed (postmaster) mail whose client signature is by the routing key', async () => {
    const m = compose(api.rng, { address: origin.routing.hash, privateKey: origin.routing.privateKey }, bob, content('postmaster'), { signedBy: 'server' });
    const { id, completion } = await api.sendAsRemote(m);
    mustStatus(completion, 202);
    await api.waitForMessage(bob, id);
  });

  // On-behalf mail from a remote origin: authorized_by carries the authorised key and the
  // account's signature over it, the client signature is the authorised key's, the home server
  // signs over both. formats.md §4.4 (authorized), api.md §5.5.
  it('BM-SIG-011 BM-DELIV-002 MUST deliver on-behalf mail whose authorized_by chain verifies', async () => {
    const helper = resolver.key('ed25519');
    const authorizedBy = { publicKey: helper.publicKey, signature: signAuthorization(remote.privateKey, helper.publicKey, api.rng) };
    const m = compose(api.rng, remote, bob, content('on-behalf'), { signedBy: 'authorized', signer: helper.privateKey, authorizedBy });
    const { id, completion } = await api.sendAsRemote(withHeader(m, origin.sign(m.header, api.rng)));
    mustStatus(completion, 202);
    await api.waitForMessage(bob, id);
  });
});

describe('server › delivery: the catalog', () => {
  // The catalog bytes uploaded are not the ones whose size and checksums the client signed (one
  // bit flipped): the recipient could not open it, and a server that checks nothing would store
  // bytes nobody vouched for. formats.md §4.1 step 5, api.md §5.5.
  it('BM-DELIV-010 SHOULD NOT deliver a message whose catalog bytes do not match the signed size and checksum', async () => {
    const m = fromAlice('catalog-flipped');
    const blob = Uint8Array.from(m.catalogBlob, (b, i) => (i === 20 ? b ^ 0x01 : b));
    const { id, completion } = await api.sendAsClient(alice, { ...m, catalogBlob: blob });
    await api.mustNotDeliver(bob, id, completion, aliceBarrier);
  });
});
