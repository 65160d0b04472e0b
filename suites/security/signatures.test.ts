/**
 * Profile `security`, area `SIG`: tampering with the signatures of a message on its way to the
 * recipient's server (formats.md §4.3–§4.4; api.md §5.5; Go internal/message/signature.go:53-198):
 * - signature stripping: an empty client signature; an empty server signature;
 * - relabelling: `signed_by` changed to `server` (to skip the server signature) or to
 *   `authorized` without the `authorized_by` chain, or with a chain the account never signed;
 * - downgrade: `catalog.crypto` rewritten from `rsa/oaep` to the legacy `rsa` (PKCS#1 v1.5, the
 *   padding-oracle-prone scheme, formats.md §1.7) by a relaying server that re-signs its own part;
 * - impersonation: a foreign server sends mail "from" a local account.
 * None of these may be delivered (refused at completion, or absent once a later good message from
 * the same sender has arrived; suites/_support/mail.ts).
 *
 * The relaying server is a {@link RemoteOrigin}: a routing key with a routing record and a sender
 * address on the resolver, and nothing else — the test signs as it.
 *
 * Peer/resolver: no running peer; the resolver holds the remote origin's routing record and its
 * sender's address record.
 */
import { beforeEach, describe, it } from 'vitest';
import { signClientHeader, type Header } from '../../harness/protocol/header.ts';
import { signAuthorization } from '../../harness/protocol/authorization.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi, RemoteOrigin, compose, withHeader, type Outgoing } from '../_support/mail.ts';
import { SuiteResolver, type AccountIdentity, type KeyPair } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { mustEqual } from '../_support/must.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('security-signatures', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('security-signatures', target.serverUrl);

let alice: MailAccount;
let bob: MailAccount;
let rita: MailAccount; // rsa recipient: catalog key encrypted with rsa/oaep
let origin: RemoteOrigin;
let remote: AccountIdentity;
let mallory: KeyPair;
const setup = setupOnce(async () => {
  alice = await accounts.create('sig-alice');
  bob = await accounts.create('sig-bob');
  rita = await accounts.create('sig-rita', 'rsa');
  origin = new RemoteOrigin(resolver);
  remote = await origin.adopt(accounts.identity('sig-remote'));
  mallory = resolver.key('ed25519');
});
beforeEach(() => setup());

const content = (subject: string) => ({ subject, blocks: [{ type: 'default', content: `body of ${subject}` }] });
/** A change to a remote message's header, then the origin's server signature over the result. */
const relay = (m: Outgoing, change: (h: Header) => Header): Outgoing => withHeader(m, origin.sign(change(m.header), api.rng));
const aliceBarrier = (to: MailAccount) => async () => (await api.sendAsClient(alice, compose(api.rng, alice, to, content('barrier')))).id;
const remoteBarrier = (to: MailAccount) => async () => (await api.sendAsRemote(relay(compose(api.rng, remote, to, content('barrier')), (h) => h))).id;

describe('security › stripped signatures', () => {
  // The client signature removed before upload (the origin still adds its server signature).
  // formats.md §4.4 ("sig must be non-empty").
  it('BM-SIG-008 BM-DELIV-002 MUST NOT deliver a message whose client signature was stripped', async () => {
    const m = compose(api.rng, alice, bob, content('no-client-signature'));
    const stripped = withHeader(m, { ...m.header, signatures: { ...m.header.signatures, client: '' } });
    const { id, completion } = await api.sendAsClient(alice, stripped);
    await api.mustNotDeliver(bob, id, completion, aliceBarrier(bob));
  });

  // A relayed message with the server signature removed (client signature intact).
  // formats.md §4.4 ("empty sig → false").
  it('BM-SIG-013 BM-SIG-016 MUST NOT deliver a relayed message whose server signature was stripped', async () => {
    const m = compose(api.rng, remote, bob, content('no-server-signature'));
    const { id, completion } = await api.sendAsRemote(withHeader(m, { ...m.header, signatures: { ...m.header.signatures, server: '' } }));
    await api.mustNotDeliver(bob, id, completion, remoteBarrier(bob));
  });
});

describe('security › relabelled signers', () => {
  // signed_by rewritten to "server" so the server signature is skipped: the client signature
  // must then be the routing key of from.address — which is an account, not a server.
  // formats.md §4.4 (server → from.address is a routing ID).
  it('BM-SIG-010 MUST NOT deliver a message relabelled signed_by "server" whose sender is not a server', async () => {
    const m = compose(api.rng, remote, bob, content('relabelled-server'));
    const bad = relay(m, (h) => signClientHeader({ ...h, from: { ...h.from, signed_by: 'server' } }, remote.privateKey, api.rng));
    const { id, completion } = await api.sendAsRemote(bad);
    await api.mustNotDeliver(bob, id, completion, remoteBarrier(bob));
  });

  // signed_by "authorized" with no authorized_by: the chain to the account key is missing.
  // formats.md §4.4 (authorized → authorized_by must be present).
  it('BM-SIG-012 MUST NOT deliver an on-behalf message without authorized_by', async () => {
    const helper = resolver.key('ed25519');
    const m = compose(api.rng, remote, bob, content('no-chain'), { signedBy: 'authorized', signer: helper.privateKey });
    const { id, completion } = await api.sendAsRemote(relay(m, (h) => h));
    await api.mustNotDeliver(bob, id, completion, remoteBarrier(bob));
  });

  // authorized_by names a helper key, but the "account signature" over it is mallory's: the
  // account never authorised that key. formats.md §4.4, §10.3.
  // bm-server 95952d1 dereferences a nil key on this message and dies (docs/security-go-server-crash.md).
  const crash = 'bm-server 95952d1 dies on it: nil key from getSignerPublicKey (internal/message/signature.go:135-141,178-182)';
  it('BM-SIG-011 BM-SIG-012 MUST NOT deliver an on-behalf message whose authorized_by was not signed by the account', { meta: { takesTargetDown: crash } }, async () => {
    const helper = resolver.key('ed25519');
    const forged = { publicKey: helper.publicKey, signature: signAuthorization(mallory.privateKey, helper.publicKey, api.rng) };
    const m = compose(api.rng, remote, bob, content('forged-chain'), { signedBy: 'authorized', signer: helper.privateKey, authorizedBy: forged });
    const { id, completion } = await api.sendAsRemote(relay(m, (h) => h));
    await api.mustNotDeliver(bob, id, completion, remoteBarrier(bob));
  });
});

describe('security › downgrade and impersonation', () => {
  // The relaying server rewrites catalog.crypto "rsa/oaep" → "rsa" (legacy PKCS#1 v1.5) and
  // re-signs its own server signature; the client signature covers catalog.crypto.
  // formats.md §4.3 (client_catalog), §1.7; api.md §5.5.
  it('BM-DELIV-002 BM-SIG-009 MUST NOT deliver a message whose catalog.crypto was downgraded to legacy rsa', async () => {
    const m = compose(api.rng, remote, rita, content('downgrade'));
    mustEqual(m.header.catalog.crypto, 'rsa/oaep', 'setup: catalog.crypto for an rsa recipient');
    const bad = relay(m, (h) => ({ ...h, catalog: { ...h.catalog, crypto: 'rsa' } }));
    const { id, completion } = await api.sendAsRemote(bad);
    await api.mustNotDeliver(rita, id, completion, remoteBarrier(rita));
  });

  // A foreign server hands over mail "from" alice (a local account) signed with mallory's key and
  // its own server signature. formats.md §4.4 (sender key = resolver key of from.address; server
  // key = routing key of the sender's home).
  it('BM-SIG-009 BM-SIG-013 MUST NOT deliver mail from a foreign server that impersonates a local sender', async () => {
    const m = compose(api.rng, alice, bob, content('impersonated'), { signer: mallory.privateKey });
    const { id, completion } = await api.sendAsRemote(relay(m, (h) => h));
    await api.mustNotDeliver(bob, id, completion, aliceBarrier(bob));
  });
});
