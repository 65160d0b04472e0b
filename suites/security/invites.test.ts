/**
 * Profile `security`, areas `ACCT` and `INV`: getting an account without a proper invite
 * (api.md §3.1 P2 step 6, §5.1, §8 item 5; formats.md §10.2; Go internal/signature/invite.go,
 * cmd/bm-server/handler/account.go:97-101):
 * - an invite issued for one address used to register another (Go never compares them);
 * - an invite signed by a key that is not the server's routing key;
 * - a token that is not an invite at all (Go panics on fewer than four parts);
 * - an invite past its expiry.
 * Each request is otherwise valid: fresh address, proof of work at the resolver's minimum.
 *
 * Peer/resolver: none (the resolver's /config.json gives the proof-of-work minimum).
 */
import { beforeEach, describe, it } from 'vitest';
import { createInvite, parseInvite } from '../../harness/protocol/invite.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget } from '../_support/mail.ts';
import { SuiteResolver, type AccountIdentity } from '../_support/resolver.ts';
import { AccountFactory } from '../_support/accounts.ts';
import { nowUnix } from '../_support/jwt.ts';
import { mustJsonObject, mustServerError, mustStatus } from '../_support/must.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('security-invites', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });

let bits: number;
let routingId: string;
const setup = setupOnce(async () => {
  bits = await accounts.powBits();
  routingId = parseInvite(await accounts.invite(accounts.identity('inv-probe').hash)).routingId;
});
beforeEach(() => setup());

/** POST /account for `id` with `token` and a valid proof. */
const register = async (id: AccountIdentity, token: string) => accounts.postAccount(accounts.accountBody(id, { token, proof: await resolver.proof(id.hash, bits) }));

describe('security › invites', () => {
  // A genuine invite for victim-to-be X, used to register Y. api.md §8 item 5.
  it('BM-ACCT-006 MUST refuse an invite token issued for another address', async () => {
    const invited = accounts.identity('inv-invited');
    const other = accounts.identity('inv-other');
    const token = await accounts.invite(invited.hash);
    mustServerError(await register(other, token), 400, 'cannot validate token');
  });

  // An invite with the right address, routing id and expiry, signed by a key of our own.
  // api.md §5.1 ("Verified: signature …").
  it('BM-ACCT-005 BM-INV-004 MUST refuse an invite token not signed by the server\'s routing key', async () => {
    const id = accounts.identity('inv-forged');
    const forger = resolver.key('ed25519');
    const token = createInvite(forger.privateKey, id.hash, routingId, nowUnix() + 3600, resolver.rng);
    mustServerError(await register(id, token), 400, 'cannot validate token');
  });

  // base64 of "abc:def": fewer than four parts. 400, not a dropped connection. formats.md §10.2,
  // api.md §3.1 P2 step 6 [panic].
  it('BM-INV-003 BM-API-012 MUST answer 400 to a token with fewer than four parts', async () => {
    const id = accounts.identity('inv-short');
    mustServerError(await register(id, Buffer.from('abc:def').toString('base64')), 400, 'cannot validate token');
  });

  // An invite valid for 0 days, used one second after its expiry. formats.md §10.2 (now not after
  // expiry), api.md §3.8.
  it('BM-INV-004 BM-INV-007 MUST refuse an invite token after its expiry', async () => {
    const id = accounts.identity('inv-expired');
    const r = await accounts.postInvite(id.hash, 0);
    mustStatus(r, 201, 'setup: an invite valid for 0 days');
    const j = mustJsonObject(r);
    const expiry = Number(j.expiry);
    while (nowUnix() <= expiry) await new Promise((res) => setTimeout(res, 200));
    mustServerError(await register(id, String(j.token)), 400, 'cannot validate token');
  });
});
