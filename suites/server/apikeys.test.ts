/**
 * Profile `server`, areas `APIKEY` and `ADMIN`: account API keys and the management endpoints
 * (api.md §2.3c, §3.4, §3.8; formats.md §10.8; Go cmd/bm-server/handler/api_key.go,
 * middleware/auth/auth_apikey.go, handler/mgmt/*).
 *
 * An account API key (`BMK-` + 32 alphanumerics) with permission `get-headers` reads the box list
 * of its own account and nothing else. Where Go's permission names and expiry do not line up
 * (api.md §8 items 3, 4), the tests follow the intended behaviour the registry states
 * (BM-APIKEY-005/006, go_conforms false).
 *
 * Peer/resolver: none. The management key is the target's BM_ADMIN_KEY.
 */
import { beforeEach, describe, it } from 'vitest';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { nowUnix } from '../_support/jwt.ts';
import { fail, mustBe, mustEqual, mustJson, mustJsonObject, mustSchema, mustServerError, mustServerOk, mustStatus } from '../_support/must.ts';
import { isObject, show } from '../_support/match.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-apikeys', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-apikeys', target.serverUrl);

const KEY_RE = /^BMK-[A-Za-z0-9]{32}$/;
let alice: MailAccount;
let bob: MailAccount;
let aliceKey: string;
const setup = setupOnce(async () => {
  alice = await accounts.create('ak-alice');
  bob = await accounts.create('ak-bob');
  aliceKey = await createKey(alice, { expires: nowUnix() + 3600, description: 'main' });
});
beforeEach(() => setup());

function postKey(a: MailAccount, body: { permissions?: string[]; expires?: number; description?: string }) {
  return api.account('POST', a, '/apikey', { json: { permissions: body.permissions ?? ['get-headers'], expires: body.expires ?? nowUnix() + 3600, description: body.description ?? '' } });
}

async function createKey(a: MailAccount, body: { permissions?: string[]; expires?: number; description?: string } = {}): Promise<string> {
  const r = await postKey(a, body);
  mustStatus(r, 201, 'create API key');
  const k = mustJsonObject(r).api_key;
  if (typeof k !== 'string') fail(`create API key: no api_key in ${show(r.json)}`, '{"api_key":…}', r.json);
  return k;
}

describe('server › API keys', () => {
  // A12 with the account permission and a future expiry. api.md §3.4; formats.md §10.8.
  it('BM-APIKEY-004 BM-APIKEY-001 MUST create an API key BMK-<32 alphanumerics>', async () => {
    const r = await postKey(alice, { description: 'format' });
    mustStatus(r, 201);
    mustSchema(r.json, 'server_api_schema_v1.json#/$defs/ApiKeyCreated');
    const k = String(mustJsonObject(r).api_key);
    mustBe(KEY_RE.test(k), `api_key must be BMK- and 32 letters/digits, got ${k}`, KEY_RE.source, k);
  });

  // Permission names other than the account one. api.md §3.4.
  it('BM-APIKEY-004 MUST answer 400 "incorrect permissions" to an unknown permission', async () => {
    mustServerError(await postKey(alice, { permissions: ['read-everything'] }), 400, 'incorrect permissions');
  });

  // The key reads its own account's box list. api.md §2.3c, §3.3 (intended, §8 item 3).
  it('BM-APIKEY-005 MUST accept an account API key with get-headers on GET /account/{addr}/boxes', async () => {
    mustStatus(await api.account('GET', alice, '/boxes', { token: aliceKey }), 200);
  });

  // expires 0 means "no expiry", not 1970. api.md §8 item 4 (intended).
  it('BM-APIKEY-006 MUST accept a key created with expires 0', async () => {
    const k = await createKey(alice, { expires: 0, description: 'no expiry' });
    mustStatus(await api.account('GET', alice, '/boxes', { token: k }), 200);
  });

  // alice's key on bob's account. api.md §2.3c ("address_hash must equal {addr}").
  it('BM-APIKEY-007 MUST answer 401 "Unauthorized" to an API key used on another account', async () => {
    mustServerError(await api.account('GET', bob, '/boxes', { token: aliceKey }), 401, 'Unauthorized');
  });

  // A route the key's permissions do not cover (reading messages). api.md §2.3c.
  it('BM-APIKEY-007 MUST answer 401 "Unauthorized" to an API key on a route its permissions do not allow', async () => {
    mustServerError(await api.account('GET', alice, '/box/1', { token: aliceKey }), 401, 'Unauthorized');
  });

  // A13: each key once, with its own values, in the documented shape. api.md §3.4 (Go's Bolt
  // backend repeats the last record, §8).
  it('BM-APIKEY-008 BM-APIKEY-003 MUST list each API key of the account once with its own values', async () => {
    const a = await accounts.create('ak-lister');
    const k1 = await createKey(a, { description: 'first' });
    const k2 = await createKey(a, { description: 'second' });
    const r = await api.account('GET', a, '/apikey');
    mustStatus(r, 200);
    const list = mustJson(r);
    if (!Array.isArray(list)) fail(`the key list must be an array, got ${show(list)}`, 'array', list);
    for (const item of list) mustSchema(item, 'server_api_schema_v1.json#/$defs/ApiKey');
    const seen = list.filter(isObject).map((x) => [x.key, x.description, x.address_hash]);
    mustEqual(seen.sort(), [[k1, 'first', a.hash], [k2, 'second', a.hash]].sort(), 'listed keys');
  });

  // A13 for an account that never made a key: an empty list, not a crash. api.md §3.4.
  it('BM-APIKEY-008 MUST answer an empty list when the account has no API keys', async () => {
    const r = await api.account('GET', bob, '/apikey', { allowDrop: true });
    mustStatus(r, 200);
    const j = mustJson(r);
    mustBe(j === null || (Array.isArray(j) && j.length === 0), `expected [] (or Go's null), got ${show(j)}`, [], j);
  });

  // A14/A15 on the owner's key, then on another account's. api.md §3.4.
  it('BM-APIKEY-009 MUST get and delete the account\'s own key and answer 404 for another account\'s', async () => {
    const k = await createKey(alice, { description: 'to delete' });
    mustServerError(await api.account('GET', bob, `/apikey/${k}`), 404, 'api key not found');
    mustServerError(await api.account('DELETE', bob, `/apikey/${k}`), 404, 'api key not found');
    const got = await api.account('GET', alice, `/apikey/${k}`);
    mustStatus(got, 200, 'get own key');
    mustEqual(mustJsonObject(got).key, k, 'key');
    mustStatus(await api.account('DELETE', alice, `/apikey/${k}`), 204, 'delete own key');
    mustServerError(await api.account('GET', alice, `/apikey/${k}`), 404, 'api key not found');
  });

  // API-key and authorised-key storage used back to back answers promptly (Go's default
  // deployment opens one Bolt file twice and hangs, §3.5). api.md §3.4–§3.5.
  it('BM-APIKEY-010 MUST answer API-key and authorised-key requests promptly one after the other', async () => {
    for (const path of ['/authkey', '/apikey', '/authkey', '/apikey']) {
      mustStatus(await api.account('GET', alice, path, { timeoutMs: 5_000 }), 200, `GET ${path}`);
    }
  });
});

describe('server › management', () => {
  // /admin needs the management key: no Authorization, or an account JWT, is 401. api.md §3.8.
  it('BM-ADMIN-001 MUST refuse POST /admin/invite without the management key', async () => {
    mustServerError(await accounts.postInvite(alice.hash, 1, null), 401);
  });

  // An account's own JWT is not a management key. api.md §3.8.
  it('BM-ADMIN-001 MUST refuse POST /admin/invite with an account JWT', async () => {
    mustServerError(await accounts.postInvite(alice.hash, 1, api.jwt(alice)), 401);
  });

  // POST /admin/flush. api.md §3.8.
  it('BM-ADMIN-003 MUST answer POST /admin/flush with 200 "Flushing queues"', async () => {
    if (!target.adminKey) fail('no management key (--admin-key)');
    mustServerOk(await api.req('POST', '/admin/flush', { bearer: target.adminKey }), 200, 'Flushing queues');
  });

  // The management key mints a key with the invite permission, and that key invites.
  // api.md §3.8 (intended; Go's route demands a permission nobody can create, §8 item 3).
  it('BM-ADMIN-004 MUST let the management key create a management API key that works', async () => {
    if (!target.adminKey) fail('no management key (--admin-key)');
    const r = await api.req('POST', '/admin/apikey', { bearer: target.adminKey, json: { permissions: ['invite'], expires: nowUnix() + 3600, hash: '', description: 'invites only' } });
    mustStatus(r, 201);
    const k = String(mustJsonObject(r).api_key);
    const inv = await accounts.postInvite(accounts.identity('ak-invited').hash, 1, k);
    mustStatus(inv, 201, 'invite with the new management key');
  });

  // A management key on an account route: 401, not a crash (Go panics). api.md §3.8.
  it('BM-ADMIN-005 MUST answer 401 to a management key on an account route', async () => {
    if (!target.adminKey) fail('no management key (--admin-key)');
    mustServerError(await api.account('GET', alice, '/boxes', { token: target.adminKey, allowDrop: true }), 401);
  });
});
