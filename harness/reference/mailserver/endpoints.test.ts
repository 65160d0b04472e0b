/**
 * The account endpoints of the reference mail server beyond sending and reading: boxes,
 * move/copy/remove, API keys, authorised keys, the key/value store, management endpoints and
 * `GET /` (spec/api.md §3.1–§3.8; intended behaviour per harness/reference/DEVIATIONS.md).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { GO_ED25519_3, GO_ED25519_4 } from '../../protocol/fixtures.ts';
import { parsePrivateKey } from '../../protocol/keys.ts';
import { createJwt } from '../../protocol/jwt.ts';
import { signAuthorization } from '../../protocol/authorization.ts';
import { sign } from '../../protocol/signature.ts';
import { hashString } from '../../protocol/hash.ts';
import { fixedClock, systemClock } from '../../protocol/random.ts';
import { manualTime } from './index.ts';
import type { MailServer } from './index.ts';
import { ADMIN_KEY, JSON_HEADERS, useTwoAccounts, type TestEnv } from './_testenv.ts';
import type { ClientAccount, RawResponse } from '../client.ts';

let env: TestEnv, S: MailServer, carol: ClientAccount, dave: ClientAccount;
useTwoAccounts('endpoints', (t) => ({ env, S, carol, dave } = t));
const json = JSON_HEADERS;

const jwt = (a: ClientAccount, priv = a.privateKey) => createJwt(parsePrivateKey(priv), a.hash, systemClock);
const call = (method: string, path: string, token?: string, body?: unknown) =>
  env.client.raw(method, `${S.url}${path}`, {
    headers: { ...json, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
function expectError(r: RawResponse, status: number, message?: string | RegExp) {
  expect(r.status).toBe(status);
  expect(r.json).toMatchObject({ error: true });
  if (message !== undefined) expect((r.json as { status: string }).status).toMatch(message);
}
async function mailToCarol(subject: string): Promise<string> {
  const sent = await env.client.send(dave, carol.address, { subject, blocks: [{ type: 'text', content: subject }] });
  return sent.id;
}

describe('mail server: GET /', () => {
  it('answers 200 text/html with the logo', async () => {
    const r = await env.client.raw('GET', `${S.url}/`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('mail server: ?pretty=1 (prettyjson middleware)', () => {
  it('indents handler bodies by two spaces for pretty=1 only, and leaves error bodies compact', async () => {
    const path = `/account/${carol.hash}/boxes`;
    const text = (r: RawResponse) => Buffer.from(r.body).toString('utf8');
    const plain = await call('GET', path, jwt(carol));
    const pretty = await call('GET', `${path}?pretty=1`, jwt(carol));
    expect(text(plain)).not.toContain('\n');
    expect(text(pretty)).toBe(JSON.stringify(plain.json, null, 2));
    expect(text(await call('GET', `${path}?pretty=true`, jwt(carol)))).toBe(text(plain));
    const refused = await call('GET', `${path}?pretty=1`);
    expect(refused.status).toBe(401);
    expect(text(refused)).not.toMatch(/\n./);
  });
});

describe('mail server: boxes and messages (A1–A3, A8–A11, B1)', () => {
  const A = () => `/account/${carol.hash}`;
  it('lists the three mandatory boxes of a new account in numeric order with lower-case meta', async () => {
    const r = await call('GET', `${A()}/boxes`, jwt(carol));
    expect(r.status).toBe(200);
    const b = r.json as { meta: { total: number; returned: number }; boxes: { id: number }[] };
    expect(b.boxes.map((x) => x.id).slice(0, 3)).toEqual([1, 2, 3]);
    expect(b.meta.total).toBe(b.boxes.length);
  });
  it('creates a box under a parent with a server-chosen id ≥ 100, and refuses an unknown parent', async () => {
    const r = await call('POST', `${A()}/boxes`, jwt(carol), { parent_box_id: 1 });
    expect(r.status).toBe(201);
    expect((r.json as { id: number }).id).toBeGreaterThanOrEqual(100);
    expectError(await call('POST', `${A()}/boxes`, jwt(carol), { parent_box_id: 77 }), 404, 'parent box not found');
  });
  it('moves, copies and removes a message between boxes, and deletes it once it is in no box', async () => {
    const id = await mailToCarol('housekeeping');
    const box = ((await call('POST', `${A()}/boxes`, jwt(carol), { parent_box_id: 0 })).json as { id: number }).id;
    expect((await call('POST', `${A()}/message/${id}/copy`, jwt(carol), { to: box })).status).toBe(200);
    let list = (await call('GET', `${A()}/box/${box}`, jwt(carol))).json as { Meta: { total: number }; messages: { id: string }[] };
    expect(list.messages.map((m) => m.id)).toEqual([id]);
    expect(list.Meta.total).toBe(1);
    expectError(await call('POST', `${A()}/message/${id}/move`, jwt(carol), { from: 1, to: 1 }), 400);
    expectError(await call('POST', `${A()}/message/${id}/move`, jwt(carol), { from: 1, to: 555 }), 404, 'box not found');
    expect((await call('POST', `${A()}/message/${id}/move`, jwt(carol), { from: 1, to: 3 })).status).toBe(200);
    list = (await call('GET', `${A()}/box/1`, jwt(carol))).json as typeof list;
    expect(list.messages.map((m) => m.id)).not.toContain(id);
    expect((await call('POST', `${A()}/message/${id}/delete`, jwt(carol), { from: 3 })).status).toBe(200);
    expect((await call('GET', `${A()}/message/${id}`, jwt(carol))).status).toBe(200); // still in `box`
    expect((await call('POST', `${A()}/message/${id}/delete`, jwt(carol), { from: box })).status).toBe(200);
    expectError(await call('GET', `${A()}/message/${id}`, jwt(carol)), 404, 'message not found');
  });
  it('deletes a user box (204), refuses a mandatory one with 404 as Go\'s handler does, and 404s an unknown box', async () => {
    const box = ((await call('POST', `${A()}/boxes`, jwt(carol), { parent_box_id: 0 })).json as { id: number }).id;
    expect((await call('DELETE', `${A()}/box/${box}`, jwt(carol))).status).toBe(204);
    expectError(await call('DELETE', `${A()}/box/2`, jwt(carol)), 404, 'cannot delete mandatory box');
    expectError(await call('DELETE', `${A()}/box/${box}`, jwt(carol)), 404, 'box not found');
    expectError(await call('GET', `${A()}/box/4242`, jwt(carol)), 404, 'box not found');
  });
  it('pages the message list with offset and limit and filters with since, under Go\'s capital Meta key', async () => {
    await mailToCarol('p1');
    await mailToCarol('p2');
    const all = (await call('GET', `${A()}/box/1`, jwt(carol))).json as { Meta: { total: number }; messages: unknown[] };
    const page = (await call('GET', `${A()}/box/1?offset=1&limit=1`, jwt(carol))).json as Record<string, unknown> & { Meta: { total: number; returned: number; limit: number; offset: number }; messages: unknown[] };
    expect(Object.keys(page)).toEqual(['Meta', 'messages']);
    expect(page.Meta).toEqual({ total: all.Meta.total, returned: 1, limit: 1, offset: 1 });
    const future = (await call('GET', `${A()}/box/1?since=${systemClock.now() + 3600}`, jwt(carol))).json as { messages: unknown[] };
    expect(future.messages).toEqual([]);
  });
  it('answers 200 null for deleting an unknown message, as Go does', async () => {
    const r = await call('DELETE', `${A()}/message/00000000-0000-4000-8000-000000000000`, jwt(carol));
    expect(r.status).toBe(200);
    expect(r.json).toBeNull();
  });
});

describe('mail server: API keys (A12–A15, §3.4) and management (§3.8)', () => {
  it('creates an account API key with get-headers that opens GET …/boxes, then deletes it', async () => {
    const r = await call('POST', `/account/${carol.hash}/apikey`, jwt(carol), { permissions: ['get-headers'], expires: 0, description: 'reader' });
    expect(r.status).toBe(201);
    const key = (r.json as { api_key: string }).api_key;
    expect(key).toMatch(/^BMK-[A-Za-z0-9]{32}$/);
    expect((await call('GET', `/account/${carol.hash}/boxes`, key)).status).toBe(200);
    expectError(await call('GET', `/account/${dave.hash}/boxes`, key), 401, 'Unauthorized');
    expectError(await call('GET', `/account/${carol.hash}/box/1`, key), 401); // API keys only open `boxes`
    const list = (await call('GET', `/account/${carol.hash}/apikey`, jwt(carol))).json as { key: string; expires: string }[];
    expect(list.find((k) => k.key === key)).toMatchObject({ expires: '0001-01-01T00:00:00Z', permissions: ['get-headers'] });
    expect((await call('GET', `/account/${carol.hash}/apikey/${key}`, jwt(carol))).status).toBe(200);
    expectError(await call('GET', `/account/${dave.hash}/apikey/${key}`, jwt(dave)), 404, 'api key not found');
    expect((await call('DELETE', `/account/${carol.hash}/apikey/${key}`, jwt(carol))).status).toBe(204);
    expectError(await call('GET', `/account/${carol.hash}/boxes`, key), 401);
  });
  it('refuses unknown permissions and a past expiry', async () => {
    expectError(await call('POST', `/account/${carol.hash}/apikey`, jwt(carol), { permissions: ['send-mail'], expires: 0 }), 400, 'incorrect permissions');
    expectError(await call('POST', `/account/${carol.hash}/apikey`, jwt(carol), { permissions: ['get-headers'], expires: 5 }), 400, 'incorrect expiry');
  });
  it('mints a management key with /admin/apikey that can invite but not flush', async () => {
    const r = await call('POST', '/admin/apikey', ADMIN_KEY, { permissions: ['invite'], expires: 0, hash: '', description: 'inviter' });
    expect(r.status).toBe(201);
    const key = (r.json as { api_key: string }).api_key;
    const inv = await call('POST', '/admin/invite', key, { address: hashString('x'), days: 1 });
    expect(inv.status).toBe(201);
    expect(inv.json).toMatchObject({ hash: hashString('x'), token: expect.any(String), expiry: expect.any(Number) });
    expectError(await call('POST', '/admin/flush', key), 401);
    expect((await call('POST', '/admin/flush', ADMIN_KEY)).json).toEqual({ status: 'Flushing queues' });
    expectError(await call('POST', '/admin/invite', ADMIN_KEY, { address: 'nope', days: 1 }), 400, 'incorrect address');
  });
});

describe('mail server: authorised keys and on-behalf JWTs (A16–A19, §2.3b, §3.5)', () => {
  const ak = GO_ED25519_3;
  it('refuses an auth key whose signature is not by the account key', async () => {
    const bad = signAuthorization(parsePrivateKey(dave.privateKey), ak.publicKey);
    expectError(await call('POST', `/account/${carol.hash}/authkey`, jwt(carol), { public_key: ak.publicKey, signature: bad, expires: 0 }), 400, /signature/);
    expectError(await call('POST', `/account/${carol.hash}/authkey`, jwt(carol), { signature: bad }), 400, /public_key/);
  });
  it('stores a signed auth key whose JWT then reads mail but cannot list boxes or mint keys', async () => {
    const signature = signAuthorization(parsePrivateKey(carol.privateKey), ak.publicKey);
    const r = await call('POST', `/account/${carol.hash}/authkey`, jwt(carol), { public_key: ak.publicKey, signature, expires: 0, description: 'phone' });
    expect(r.status).toBe(201);
    const fp = (r.json as { auth_key: string }).auth_key;
    const ob = jwt(carol, ak.privateKey);
    expect((await call('GET', `/account/${carol.hash}/box/1`, ob)).status).toBe(200);
    expectError(await call('GET', `/account/${carol.hash}/boxes`, ob), 401);
    expectError(await call('POST', `/account/${carol.hash}/apikey`, ob, { permissions: ['get-headers'] }), 401);
    expect((await call('GET', `/account/${carol.hash}/authkey/${fp}`, jwt(carol))).json).toMatchObject({ fingerprint: fp, public_key: ak.publicKey });
    expect(((await call('GET', `/account/${carol.hash}/authkey`, jwt(carol))).json as unknown[]).length).toBeGreaterThan(0);
    expect((await call('DELETE', `/account/${carol.hash}/authkey/${fp}`, jwt(carol))).status).toBe(204);
    expectError(await call('GET', `/account/${carol.hash}/box/1`, ob), 401);
    expectError(await call('GET', `/account/${carol.hash}/authkey/${fp}`, jwt(carol)), 404, 'auth key not found');
  });
  it('ignores an auth key past its expiry', async () => {
    const k = GO_ED25519_4;
    const signature = signAuthorization(parsePrivateKey(dave.privateKey), k.publicKey);
    const exp = systemClock.now() + 2;
    expect((await call('POST', `/account/${dave.hash}/authkey`, jwt(dave), { public_key: k.publicKey, signature, expires: exp })).status).toBe(201);
    const rec = await S.ctx.repo.getAuthKey(dave.hash, (await S.ctx.repo.listAuthKeys(dave.hash))[0]!.fingerprint);
    await S.ctx.repo.putAuthKey({ ...rec!, expires: systemClock.now() - 1 }); // age it without waiting
    expectError(await call('GET', `/account/${dave.hash}/box/1`, jwt(dave, k.privateKey)), 401, 'Unauthorized');
  });
});

describe('mail server: key/value store (A27–A29, §3.6)', () => {
  const path = (p: string) => hashString(carol.hash + p);
  function entry(p: string, parent: string | null, value: string, priv = carol.privateKey, pub = carol.publicKey) {
    const v = Buffer.from(value);
    const digest = createHash('sha256').update(path(p)).update(parent === null ? '' : path(parent)).update(v).digest();
    return { path: path(p), parent: parent === null ? null : path(parent), value: v.toString('base64'), signature: Buffer.from(sign(parsePrivateKey(priv), new Uint8Array(digest))).toString('base64'), public_key: pub };
  }
  it('stores a signed entry under the root, returns it recursively, and deletes it', async () => {
    const root = path('/');
    expect((await call('GET', `/account/${carol.hash}/store/${root}`, jwt(carol))).status).toBe(200);
    const r = await call('POST', `/account/${carol.hash}/store/${path('/a')}`, jwt(carol), entry('/a', '/', 'encrypted-blob'));
    expect(r.status).toBe(200);
    const got = (await call('GET', `/account/${carol.hash}/store/${root}?recursive=1`, jwt(carol))).json as { has_children: boolean; entries: { path: string; data: string }[] };
    expect(got.has_children).toBe(true);
    expect(got.entries.map((e) => [e.path, e.data])).toEqual([[path('/a'), Buffer.from('encrypted-blob').toString('base64')]]);
    expectError(await call('DELETE', `/account/${carol.hash}/store/${root}`, jwt(carol)), 404);
    expect((await call('DELETE', `/account/${carol.hash}/store/${path('/a')}`, jwt(carol))).status).toBe(204);
    expectError(await call('GET', `/account/${carol.hash}/store/${path('/a')}`, jwt(carol)), 404, 'store: path not found');
  });
  it('refuses a bad signature, a foreign key, a missing parent and a path that is not the URL', async () => {
    const e = entry('/b', '/', 'x');
    expectError(await call('POST', `/account/${carol.hash}/store/${path('/b')}`, jwt(carol), { ...e, value: Buffer.from('y').toString('base64') }), 400, 'store: signature does not verify');
    expectError(await call('POST', `/account/${carol.hash}/store/${path('/b')}`, jwt(carol), entry('/b', '/', 'x', dave.privateKey, dave.publicKey)), 400, /not a key of this account/);
    expectError(await call('POST', `/account/${carol.hash}/store/${path('/c/d')}`, jwt(carol), entry('/c/d', '/c', 'x')), 404, 'store: parent not found');
    expectError(await call('POST', `/account/${carol.hash}/store/${path('/z')}`, jwt(carol), e), 400, /does not match the URL/);
  });
});

describe('mail server: delivery status (our addition)', () => {
  it('shows a sent message as delivered to its sender only', async () => {
    const sent = await env.client.send(carol, dave.address, { subject: 's', blocks: [{ type: 'text', content: 's' }] });
    expect(await env.client.deliveryStatus(carol, sent.id)).toMatchObject({ id: sent.id, recipient: dave.hash, state: 'delivered', reason: '' });
    expectError(await call('GET', `/account/${dave.hash}/delivery/${sent.id}`, jwt(dave)), 404, 'message not found');
  });
});

describe('mail server: JWT time window (§2.3a, formats.md §8)', () => {
  it('accepts a token exactly from nbf (ct−30) through exp (ct+60) and answers "token time not valid" one second outside', async () => {
    // Go jwt_test.go: minted at 2020-01-01T12:34:56Z → nbf 12:34:00, exp 12:35:30.
    const minted = 1577882096;
    const time = manualTime(minted - 57); // 12:33:59
    const T = await env.startServer({ clock: time });
    const erin = await env.account(T, 'erin!', GO_ED25519_3.privateKey);
    const token = createJwt(parsePrivateKey(erin.privateKey), erin.hash, fixedClock(minted));
    const at = async () => (await env.client.raw('GET', `${T.url}/account/${erin.hash}/box/1`, { headers: { authorization: `Bearer ${token}` } }));
    expectError(await at(), 401, 'token time not valid');
    time.set(minted - 56); // 12:34:00 = nbf
    expect((await at()).status).toBe(200);
    time.set(minted + 34); // 12:35:30 = exp
    expect((await at()).status).toBe(200);
    time.set(minted + 35); // 12:35:31
    expectError(await at(), 401, 'token time not valid');
  });
});
