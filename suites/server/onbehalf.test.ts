/**
 * Profile `server`, area `AUTHKEY`: authorised ("on-behalf") keys — storing them, tokens signed
 * by them, and mail sent with them (api.md §2.3b, §3.5, §3.1 P6; formats.md §10.3, §4.4; Go
 * cmd/bm-server/handler/auth_key.go, middleware/auth/auth_onbehalf_jwt.go,
 * handler/incoming.go:68-85).
 *
 * The account alice authorises a helper key by signing the ASCII hex of hash.New(helper public
 * key string) and storing it at `/account/{addr}/authkey`. A JWT signed by the helper key with
 * `sub` = alice then acts for alice on the "auth" routes, except the box list and key
 * management; mail the helper signs goes out as `signed_by: "authorized"`, and alice's server
 * fills `authorized_by` from the stored key.
 *
 * Peer/resolver: none.
 */
import { beforeEach, describe, it } from 'vitest';
import { signAuthorization } from '../../harness/protocol/authorization.ts';
import { verifyClientHeader } from '../../harness/protocol/header.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi, compose, ticketBody, ticketOf } from '../_support/mail.ts';
import { SuiteResolver, type KeyPair } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { clientJwt, nowUnix } from '../_support/jwt.ts';
import { mustBe, mustEqual, mustJson, mustJsonObject, mustSchema, mustServerError, mustStatus } from '../_support/must.ts';
import { isObject } from '../_support/match.ts';
import type { HttpResponse } from '../_support/http.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-onbehalf', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-onbehalf', target.serverUrl);

let alice: MailAccount;
let bob: MailAccount;
let helper: KeyPair;
/** An authorised key that expires 3 s after setup, stored and tried then (BM-JWT-020 waits it out last). */
let expiring: { key: KeyPair; expires: number; stored: HttpResponse; beforeExpiry: HttpResponse };
const setup = setupOnce(async () => {
  alice = await accounts.create('ob-alice');
  bob = await accounts.create('ob-bob');
  helper = resolver.key('ed25519');
  const r = await postAuthKey(alice, helper, signAuthorization(alice.privateKey, helper.publicKey, api.rng));
  mustStatus(r, 201, 'setup: store the helper key');
  const key = resolver.key('ed25519');
  const expires = nowUnix() + 3;
  const stored = await postAuthKey(alice, key, signAuthorization(alice.privateKey, key.publicKey, api.rng), expires);
  const beforeExpiry = await api.account('GET', alice, '/box/1', { token: clientJwt(key.privateKey, alice.hash, api.rng) });
  expiring = { key, expires, stored, beforeExpiry };
});
beforeEach(() => setup());

/** Store `k` as an authorised key of `a` (expires 0 = never). */
function postAuthKey(a: MailAccount, k: { publicKey: string }, signature: string, expires = 0) {
  return api.account('POST', a, '/authkey', { json: { public_key: k.publicKey, signature, expires, description: 'conformance helper' } });
}
/** An on-behalf JWT: signed by the helper key, sub = alice. */
const onBehalf = () => clientJwt(helper.privateKey, alice.hash, api.rng);

describe('server › authorised keys', () => {
  // Storing a key the account signed answers 201 with the key's fingerprint. api.md §3.5.
  it('BM-AUTHKEY-003 MUST store an authorised key and answer 201 with its fingerprint', async () => {
    const k = resolver.key('ed25519');
    const r = await postAuthKey(alice, k, signAuthorization(alice.privateKey, k.publicKey, api.rng));
    mustStatus(r, 201);
    mustSchema(r.json, 'server_api_schema_v1.json#/$defs/AuthKeyCreated');
    mustEqual(mustJsonObject(r).auth_key, k.fingerprint, 'auth_key');
  });

  // A "signature" by some other key: the account did not authorise this key. api.md §3.5 (Go
  // checks it only at delivery, §8 item 9).
  it('BM-AUTHKEY-004 MUST refuse an authorised key whose signature is not the account\'s', async () => {
    const k = resolver.key('ed25519');
    const stranger = resolver.key('ed25519');
    mustServerError(await postAuthKey(alice, k, signAuthorization(stranger.privateKey, k.publicKey, api.rng)), 400);
  });

  // A body without public_key: a 4xx answer (Go dereferences nil and drops the connection).
  // api.md §3.5, §2.4 [panic].
  it('BM-API-012 MUST answer 4xx, not drop the connection, to an authorised key without public_key', async () => {
    const r = await api.account('POST', alice, '/authkey', { json: { signature: 'Zm9vYmFy', expires: 0, description: '' }, allowDrop: true });
    mustServerError(r, [400, 422]);
  });

  // List, get, delete, then get again. api.md §3.5.
  it('BM-AUTHKEY-005 MUST list, get and delete authorised keys', async () => {
    const k = resolver.key('ed25519');
    mustStatus(await postAuthKey(alice, k, signAuthorization(alice.privateKey, k.publicKey, api.rng)), 201, 'store');
    const list = await api.account('GET', alice, '/authkey');
    mustStatus(list, 200);
    const items = mustJson(list);
    mustBe(Array.isArray(items), 'the list must be a JSON array', 'array', items);
    const mine = (items as unknown[]).filter((x) => isObject(x) && x.fingerprint === k.fingerprint);
    mustEqual(mine.length, 1, 'entries for the stored key');
    mustSchema(mine[0], 'server_api_schema_v1.json#/$defs/AuthKey');
    mustEqual({ address_hash: (mine[0] as Record<string, unknown>).address_hash, public_key: (mine[0] as Record<string, unknown>).public_key }, { address_hash: alice.hash, public_key: k.publicKey }, 'stored key');
    mustStatus(await api.account('GET', alice, `/authkey/${k.fingerprint}`), 200, 'get');
    mustStatus(await api.account('DELETE', alice, `/authkey/${k.fingerprint}`), 204, 'delete');
    mustServerError(await api.account('GET', alice, `/authkey/${k.fingerprint}`), 404, 'auth key not found');
  });
});

describe('server › on-behalf tokens', () => {
  // A token signed by the stored helper key with sub = alice reads alice's mail. api.md §2.3b.
  it('BM-JWT-019 MUST accept a JWT signed by an authorised key of the account', async () => {
    mustStatus(await api.account('GET', alice, '/box/1', { token: onBehalf() }), 200);
  });

  // …but not the box list, which only takes account JWTs and API keys. api.md §2.3b, §3.3.
  it('BM-JWT-021 MUST NOT accept an on-behalf JWT on GET /account/{addr}/boxes', async () => {
    mustServerError(await api.account('GET', alice, '/boxes', { token: onBehalf() }), 401);
  });

  // A delegated key must not mint credentials of its own. api.md §8 item 9.
  it('BM-JWT-022 SHOULD NOT let an on-behalf JWT create API keys', async () => {
    const r = await api.account('POST', alice, '/apikey', { token: onBehalf(), json: { permissions: ['get-headers'], expires: 0, description: 'by helper' } });
    mustServerError(r, [401, 403]);
  });

  // A client ticket fetched with an on-behalf JWT names the helper key. api.md §3.2 A4.
  it('BM-TICKET-011 MUST put the authorised key\'s fingerprint in AuthKey of a ticket fetched on behalf', async () => {
    const r = await api.clientTicket(alice, ticketBody(alice.hash, bob.hash), onBehalf());
    mustStatus(r, 200);
    mustEqual(ticketOf(r).AuthKey, helper.fingerprint, 'AuthKey');
  });
});

describe('server › on-behalf mail', () => {
  // The helper sends as alice: signed_by "authorized", client signature by the helper key, ticket
  // fetched on behalf. alice's server adds authorized_by from the stored key, and the delivered
  // header verifies against alice's resolver key. api.md §3.1 P6, §5.4; formats.md §4.4.
  it('BM-UPLOAD-003 BM-SIG-011 MUST deliver mail sent on behalf with the stored authorized_by', async () => {
    const m = compose(api.rng, alice, bob, { subject: 'on behalf', blocks: [{ type: 'default', content: 'sent by the helper' }] }, { signedBy: 'authorized', signer: helper.privateKey });
    const { id, completion } = await api.sendAsClient(alice, m, onBehalf());
    mustStatus(completion, 202);
    await api.waitForMessage(bob, id);
    const got = await api.read(bob, id);
    mustEqual(got.header.authorized_by?.public_key, helper.publicKey, 'authorized_by.public_key');
    mustBe(verifyClientHeader(got.header, alice.publicKey), 'the delivered header must verify through the authorized_by chain with alice\'s key', 'valid chain', got.header);
  });

  // signed_by "authorized" with a ticket fetched with alice's own JWT: the server has no
  // authorised key to fill in. The client is at fault, so 400 like every other header P6
  // refuses (Go answers 500, a server error: registry go_deviation). api.md §3.1 P6, §2.4.
  it('BM-UPLOAD-004 MUST refuse with 400 an on-behalf header when the ticket was not fetched on behalf', async () => {
    const m = compose(api.rng, alice, bob, { subject: 'no key', blocks: [{ type: 'default', content: 'x' }] }, { signedBy: 'authorized', signer: helper.privateKey });
    const t = await api.validClientTicket(alice, bob.hash);
    mustServerError(await api.uploadHeader(t.ID, m.header), 400);
  });
});

describe('server › expired authorised keys', () => {
  // An authorised key stored (in the setup) with `expires` three seconds ahead: its token was
  // accepted then, and once the time has passed it is refused. Last in the file, so the wait is
  // mostly spent on the tests before it. The harness clock decides, which every target kind
  // shares (loopback and host-networked containers on this machine). Go never checks the expiry.
  // api.md §2.3b, §3.5, §8 item 9.
  it('BM-JWT-020 MUST refuse (401) an on-behalf JWT once the authorised key\'s expires has passed', async () => {
    const { key, expires, stored, beforeExpiry } = expiring;
    mustStatus(stored, 201, `store a key with expires ${expires}`);
    mustStatus(beforeExpiry, 200, 'before its expiry the key is accepted');
    // Passed once the harness clock reads expires + 1; the server reads its clock after that.
    while (nowUnix() <= expires) await new Promise((r) => setTimeout(r, 100));
    mustServerError(await api.account('GET', alice, '/box/1', { token: clientJwt(key.privateKey, alice.hash, api.rng) }), 401);
  });
});
