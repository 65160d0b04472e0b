/**
 * Profile `server`, area `ACCT`: creating accounts and reading their public keys (api.md §3.1
 * P2, P3, §3.8 `POST /admin/invite`, §6.1; Go cmd/bm-server/handler/account.go:48-174).
 *
 * `POST /account` checks, in order: JSON → proof-of-work bits → proof of work over the address
 * hash → user/org hashes → organisation → invite token → existing account. Each test sends a
 * request with exactly one thing wrong (or two, to pin the order) and an otherwise valid invite
 * from the management API and proof at the resolver's minimum.
 *
 * Peer/resolver: no peer; the key resolver is the target's, used for `/config.json` and for the
 * address record the client registers after `POST /account` (§6.1 step 5).
 */
import { beforeEach, describe, it } from 'vitest';
import { EMPTY_HASH } from '../../harness/protocol/hash.ts';
import { parseProofOfWork, verifyPow } from '../../harness/protocol/pow.ts';
import { createInvite } from '../../harness/protocol/invite.ts';
import { nowUnix } from '../_support/jwt.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { mustBe, mustEqual, mustJsonObject, mustSchema, mustServerError, mustServerOk, mustStatus, unsupported } from '../_support/must.ts';
import { isObject } from '../_support/match.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-accounts', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-accounts', target.serverUrl);

let bits: number;
let existing: MailAccount;
const setup = setupOnce(async () => {
  bits = await accounts.expectedPowBits();
  existing = await accounts.create('acct-existing');
});
beforeEach(() => setup());

describe('server › account creation', () => {
  // The Go client's sequence: an invite from POST /admin/invite, a proof over the address hash at
  // the resolver's minimum, POST /account → 201 with the fixed message, and the three mandatory
  // boxes exist for the new account. api.md §3.1 P2 step 8, §3.8, §6.1.
  it('BM-ACCT-008 BM-ADMIN-002 MUST create an account from an admin invite and give it boxes 1, 2 and 3', async () => {
    const id = accounts.identity('acct-new');
    const token = await accounts.invite(id.hash);
    const r = await accounts.postAccount(accounts.accountBody(id, { token, proof: await resolver.proof(id.hash, bits) }));
    mustServerOk(r, 201, 'BitMaelum account has been successfully created.');
    const boxes = await api.account('GET', id, '/boxes');
    mustStatus(boxes, 200, 'the new account lists its boxes');
    const ids = mustJsonObject(boxes).boxes;
    const have = Array.isArray(ids) ? ids.map((b) => (isObject(b) ? Number(b.id) : NaN)) : [];
    for (const n of [1, 2, 3]) mustBe(have.includes(n), `box ${n} must exist after account creation`, [1, 2, 3], have);
  });

  // The server does not publish the address: until the client registers it, the resolver does
  // not know it. api.md §3.1 P2 ("The server does not register the address"), §6.1 step 5.
  it('BM-ACCT-009 MUST NOT register the new address on the resolver', async () => {
    const id = accounts.identity('acct-noreg');
    await accounts.createOnServer(id);
    mustStatus(await resolver.record('address', id.hash), 404, 'the address is unknown to the resolver after POST /account');
  });

  // A genuine proof one bit below the resolver's /config.json minimum. api.md §3.1 P2 step 2.
  it('BM-ACCT-001 MUST reject an account proof of work with fewer bits than the resolver minimum', async () => {
    if (bits < 1) unsupported('the resolver asks no proof of work for addresses');
    const id = accounts.identity('acct-weak');
    const token = await accounts.invite(id.hash);
    const r = await accounts.postAccount(accounts.accountBody(id, { token, proof: await resolver.proof(id.hash, bits - 1) }));
    mustServerError(r, 400, `Proof of work must be at least ${bits} bits`);
  });

  // A proof string over the address at the right bits whose counter does not satisfy them.
  // api.md §3.1 P2 step 3, §1.4.
  it('BM-ACCT-002 BM-POW-001 MUST reject an account proof of work whose counter is not a solution', async () => {
    const id = accounts.identity('acct-badpow');
    const token = await accounts.invite(id.hash);
    const r = await accounts.postAccount(accounts.accountBody(id, { token, proof: resolver.invalidProof(id.hash, bits) }));
    mustServerError(r, 400, 'incorrect proof of work');
  });

  // A valid proof for another address does not count: the server checks the proof over the
  // address being registered. api.md §3.1 P2 step 3 ("data = address"), §1.4.
  it('BM-ACCT-002 BM-POW-006 MUST reject an account proof of work solved for another address', async () => {
    const id = accounts.identity('acct-powother');
    const token = await accounts.invite(id.hash);
    // The other address's proof satisfies this one by chance with probability 2^-bits: avoid that case.
    let proof = await resolver.proof(accounts.identity('acct-powother2').hash, bits);
    while (verifyPow(bits, id.hash, parseProofOfWork(proof).proof)) proof = await resolver.proof(accounts.identity('acct-powother3').hash, bits);
    const r = await accounts.postAccount(accounts.accountBody(id, { token, proof }));
    mustServerError(r, 400, 'incorrect proof of work');
  });

  // Order: the proof of work is checked before the invite token, so a request wrong in both is
  // refused for its proof. api.md §3.1 P2 steps 3 and 6.
  it('BM-ACCT-002 BM-ACCT-005 MUST check the proof of work before the invite token', async () => {
    const id = accounts.identity('acct-order1');
    const r = await accounts.postAccount(accounts.accountBody(id, { token: 'bm90IGEgdG9rZW4=', proof: resolver.invalidProof(id.hash, bits) }));
    mustServerError(r, 400, 'incorrect proof of work');
  });

  // user_hash must be 64 hex. api.md §3.1 P2 step 4.
  it('BM-ACCT-003 MUST answer 400 "invalid body: user_hash" when user_hash is not a hash', async () => {
    const id = accounts.identity('acct-uh');
    const token = await accounts.invite(id.hash);
    const r = await accounts.postAccount(accounts.accountBody(id, { token, proof: await resolver.proof(id.hash, bits), user_hash: 'not-a-hash' }));
    mustServerError(r, 400, 'invalid body: user_hash');
  });

  // address must be hash(user_hash + org_hash): another address's user hash is refused.
  // api.md §3.1 P2 step 4.
  it('BM-ACCT-003 MUST answer 400 "cant verify the address hashes" when address is not hash(user_hash + org_hash)', async () => {
    const id = accounts.identity('acct-mix');
    const other = accounts.identity('acct-mix2');
    const token = await accounts.invite(id.hash);
    const r = await accounts.postAccount(accounts.accountBody(id, { token, proof: await resolver.proof(id.hash, bits), user_hash: other.localHash, org_hash: EMPTY_HASH }));
    mustServerError(r, 400, 'cant verify the address hashes');
  });

  // Registering an existing account again with a fresh, valid invite. api.md §3.1 P2 step 7.
  it('BM-ACCT-007 MUST answer 400 "account already exists" for an existing account', async () => {
    const token = await accounts.invite(existing.hash);
    const r = await accounts.postAccount(accounts.accountBody(existing, { token, proof: await resolver.proof(existing.hash, bits) }));
    mustServerError(r, 400, 'account already exists');
  });

  // Order: the invite is checked before the existing-account check, so a stranger without an
  // invite learns nothing about which accounts exist. The token is well formed (address, this
  // server's routing id, an expiry an hour ahead) but signed by a key of our own, so only its
  // signature is wrong: a malformed token would test the parser instead (BM-INV-003, which
  // crashes Go's handler). api.md §3.1 P2 steps 6 and 7, §5.1.
  it('BM-ACCT-005 BM-ACCT-007 MUST check the invite token before reporting an existing account', async () => {
    const forged = createInvite(resolver.key('ed25519').privateKey, existing.hash, existing.routingId, nowUnix() + 3600, resolver.rng);
    const r = await accounts.postAccount(accounts.accountBody(existing, { token: forged, proof: await resolver.proof(existing.hash, bits) }));
    mustServerError(r, 400, 'cannot validate token');
  });
});

describe('server › public keys', () => {
  // P3 for a local account: its key, in the Go shape. api.md §3.1 P3.
  it('BM-ACCT-010 MUST answer GET /account/{addr}/keys with the account public keys', async () => {
    const r = await api.req('GET', `/account/${existing.hash}/keys`);
    mustStatus(r, 200);
    const j = mustJsonObject(r);
    mustSchema(j, 'server_api_schema_v1.json#/$defs/PublicKeysResponse');
    mustEqual(j.public_keys, [existing.publicKey], 'public_keys');
  });

  // P3 for a well-formed hash nobody registered. api.md §3.1 P3.
  it('BM-ACCT-010 MUST answer 404 "public keys not found" for an unknown account', async () => {
    mustServerError(await api.req('GET', `/account/${accounts.identity('acct-nobody').hash}/keys`), 404, 'public keys not found');
  });

  // P3 with 64 alphanumerics that are not hex. api.md §3.1 P3.
  it('BM-ACCT-010 MUST answer 400 "incorrect address" for an address that is not hex', async () => {
    mustServerError(await api.req('GET', `/account/${'z'.repeat(64)}/keys`), 400, 'incorrect address');
  });
});
