/**
 * Webhooks of the reference mail server (webhooks.ts; spec/api.md §3.7 A20–A26, §2.2): absent
 * by default as in Go's default config, and with the `webhooks` option the routes, the Go
 * object shape, ownership, persistence and the dispatcher posting to a receiver on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type ReceivedRequest, type Receiver } from '../receiver.ts';
import { GO_ED25519_1, GO_ED25519_2 } from '../../protocol/fixtures.ts';
import { parsePrivateKey } from '../../protocol/keys.ts';
import { createJwt } from '../../protocol/jwt.ts';
import { systemClock } from '../../protocol/random.ts';
import type { ClientAccount, RawResponse } from '../client.ts';
import type { MailServer } from './index.ts';
import { startTestEnv, type TestEnv } from './_testenv.ts';
import { goConfigText } from './webhooks.ts';

let env: TestEnv;
let S: MailServer;
let carol: ClientAccount;
let dave: ClientAccount;
let rx: Receiver;
const logs: string[] = [];

beforeAll(async () => {
  env = await startTestEnv('webhooks');
  S = await env.startServer({ webhooks: true, log: (m) => logs.push(m) });
  carol = await env.account(S, 'carol!', GO_ED25519_1.privateKey);
  dave = await env.account(S, 'dave!', GO_ED25519_2.privateKey);
  rx = await startReceiver();
}, 60_000);
afterAll(async () => {
  await env?.close();
  await rx?.close();
});

const jwt = (a: ClientAccount) => createJwt(parsePrivateKey(a.privateKey), a.hash, systemClock);
const call = (server: MailServer, method: string, path: string, token?: string, body?: unknown) =>
  env.client.raw(method, `${server.url}${path}`, {
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
const hook = (a: ClientAccount, rest = '', method = 'GET', body?: unknown, server = S) => call(server, method, `/account/${a.hash}/webhook${rest}`, jwt(a), body);
function expectError(r: RawResponse, status: number, message?: string | RegExp) {
  expect(r.status).toBe(status);
  expect(r.json).toMatchObject({ error: true });
  if (message !== undefined) expect((r.json as { status: string }).status).toMatch(message);
}
const text = (r: RawResponse) => Buffer.from(r.body).toString('utf8');
async function create(a: ClientAccount, event: number, url: string, type = 0): Promise<string> {
  const r = await hook(a, '', 'POST', { type, event, enabled: true, config: JSON.stringify({ URL: url }) });
  expect(r.status).toBe(201);
  return (r.json as { ID: string }).ID;
}
/** Wait (bounded) until the receiver holds `n` requests. */
async function received(n: number, ms = 5_000): Promise<ReceivedRequest[]> {
  const until = Date.now() + ms;
  while (rx.got.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await S.idle();
  return rx.got.splice(0);
}

describe('webhooks: off by default (Go webhooks.enabled: false)', () => {
  it('answers 404 on every webhook route of a server started without the option', async () => {
    const plain = await env.startServer();
    const a = await env.account(plain, 'erin!', GO_ED25519_1.privateKey);
    for (const [m, p] of [['POST', ''], ['GET', ''], ['GET', '/x'], ['POST', '/x/enable'], ['DELETE', '/x']] as const) {
      expectError(await hook(a, p, m, m === 'POST' ? { type: 0, event: 1, config: '{}' } : undefined, plain), 404);
    }
  });
});

describe('webhooks: routes (A20–A26)', () => {
  it('creates a disabled webhook and answers 201 with Go\'s untagged fields in struct order', async () => {
    const url = `${rx.url}/shape`;
    const r = await hook(carol, '', 'POST', { type: 0, event: 1, enabled: true, config: `{"URL": "${url}"}` });
    expect(r.status).toBe(201);
    const id = (r.json as { ID: string }).ID;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Config is re-marshalled compactly, as Go's NewWebhook does.
    expect(text(r)).toBe(`{"ID":"${id}","Account":"${carol.hash}","Type":0,"Event":1,"Enabled":false,"Config":${JSON.stringify(`{"URL":"${url}"}`)}}`);
  });

  it('re-marshals Config as Go does: sorted keys, float64 numbers, HTML-escaped strings', () => {
    expect(goConfigText('{"b": 1.50, "a": [1e-7, 1E21, 0.000001, -0, "<&>"], "c": 12345678901234567890}')).toBe(
      '{"a":[1e-7,1e+21,0.000001,-0,"\\u003c\\u0026\\u003e"],"b":1.5,"c":12345678901234567000}',
    );
    expect(goConfigText('"x"')).toBe('"x"');
    for (const bad of ['', 'nope', '{"a":1} x', '{"a":1e400}']) expect(goConfigText(bad)).toBeUndefined();
  });

  it('answers 400 "incorrect body" to a config that is not JSON, and to an unknown type or event', async () => {
    expectError(await hook(carol, '', 'POST', { type: 0, event: 1, config: 'not json' }), 400, /^incorrect body$/);
    expectError(await hook(carol, '', 'POST', { type: 0, event: 1 }), 400, /^incorrect body$/);
    expectError(await hook(carol, '', 'POST', { type: 7, event: 1, config: '{}' }), 400, /^incorrect body$/);
    expectError(await hook(carol, '', 'POST', { type: 0, event: 500, config: '{}' }), 400, /^incorrect body$/);
    expectError(await hook(carol, '', 'POST', '{"type":"http"}'), 400, /^Malformed JSON/);
  });

  it('lists, gets, updates (Config only, 201), enables, disables and deletes the account\'s own webhook', async () => {
    const id = await create(dave, 12, `${rx.url}/own`);
    const list = (await hook(dave)).json as { ID: string }[];
    expect(list.map((w) => w.ID)).toContain(id);
    expect(((await hook(dave, `/${id}`)).json as { ID: string }).ID).toBe(id);
    const up = await hook(dave, `/${id}`, 'POST', { type: 1, event: 3, config: `{"URL":"${rx.url}/new"}` });
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ ID: id, Type: 0, Event: 12, Enabled: false, Config: `{"URL":"${rx.url}/new"}` });
    expectError(await hook(dave, `/${id}`, 'POST', { config: 'nope' }), 400, /^incorrect body$/);
    const en = await hook(dave, `/${id}/enable`, 'POST');
    expect([en.status, text(en)]).toEqual([200, '{}']);
    // Enabling is a "webhookupdated" event, and this webhook listens for it (event 12).
    const upd = await received(1);
    expect(upd.map((g) => g.path)).toEqual(['/new']);
    expect(JSON.parse(upd[0]!.body)).toMatchObject({ meta: { event: 'webhookupdated', id }, webhook: { ID: id, Enabled: true } });
    expect(((await hook(dave, `/${id}`)).json as { Enabled: boolean }).Enabled).toBe(true);
    const dis = await hook(dave, `/${id}/disable`, 'POST');
    expect([dis.status, text(dis)]).toEqual([200, '{}']);
    expect(((await hook(dave, `/${id}`)).json as { Enabled: boolean }).Enabled).toBe(false);
    const del = await hook(dave, `/${id}`, 'DELETE');
    expect([del.status, del.body.length]).toEqual([204, 0]);
    expectError(await hook(dave, `/${id}`), 404, 'webhook not found');
    expect(await received(0, 0)).toEqual([]); // disabled before the disable and delete events
  });

  it('answers 404 "webhook not found" on every route for another account\'s webhook and for an unknown id', async () => {
    const id = await create(carol, 1, `${rx.url}/foreign`);
    for (const [m, p] of [['GET', ''], ['POST', ''], ['DELETE', ''], ['POST', '/enable'], ['POST', '/disable']] as const) {
      expectError(await hook(dave, `/${id}${p}`, m, m === 'POST' && p === '' ? { config: '{}' } : undefined), 404, 'webhook not found');
      expectError(await hook(carol, `/00000000-0000-4000-8000-000000000000${p}`, m, m === 'POST' && p === '' ? { config: '{}' } : undefined), 404, 'webhook not found');
    }
    expect(((await hook(dave)).json as { ID: string }[]).map((w) => w.ID)).not.toContain(id);
    expect(((await hook(carol, `/${id}`)).json as { Enabled: boolean }).Enabled).toBe(false);
    await hook(carol, `/${id}`, 'DELETE');
  });

  it('lists [] for an account without webhooks and needs the account\'s JWT', async () => {
    const a = await env.account(S, 'frank!', GO_ED25519_2.privateKey);
    const r = await hook(a);
    expect([r.status, text(r)]).toEqual([200, '[]']);
    expectError(await call(S, 'GET', `/account/${a.hash}/webhook`), 401, 'Unauthorized');
    expectError(await call(S, 'GET', `/account/${a.hash}/webhook`, jwt(carol)), 401, 'Unauthorized');
  });
});

describe('webhooks: dispatching', () => {
  it('POSTs the local delivery to an enabled HTTP webhook once, Go-marshalled with meta, and nothing for a disabled one', async () => {
    const on = await create(carol, 1, `${rx.url}/on`);
    await create(carol, 1, `${rx.url}/off`); // stays disabled
    expect((await hook(carol, `/${on}/enable`, 'POST')).status).toBe(200);
    await received(0, 0);
    const sent = await env.client.send(dave, carol.address, { subject: 'hooked', blocks: [{ type: 'text', content: 'hi' }] });
    const got = await received(1);
    expect(got.map((g) => [g.method, g.path, g.headers['content-type']])).toEqual([['POST', '/on', 'application/json']]);
    expect(got[0]!.body).toBe(`{"message":{"from":"${dave.hash}","id":"${sent.id}","to":"${carol.hash}"},"meta":{"account":"${carol.hash}","event":"localdelivery","id":"${on}"}}`);
    await hook(carol, `/${on}/disable`, 'POST');
  });

  it('reports key events to an "all" webhook with the event\'s own label', async () => {
    const all = await create(dave, 999, `${rx.url}/all`);
    await hook(dave, `/${all}/enable`, 'POST');
    await received(1); // its own "webhookupdated"
    const r = await call(S, 'POST', `/account/${dave.hash}/apikey`, jwt(dave), { permissions: ['get-headers'], expires: 0, description: 'hooked' });
    const key = (r.json as { api_key: string }).api_key;
    await call(S, 'DELETE', `/account/${dave.hash}/apikey/${key}`, jwt(dave));
    const got = (await received(2)).map((g) => JSON.parse(g.body) as { meta: { event: string; id: string }; key: Record<string, unknown> });
    expect(got.map((g) => [g.meta.event, g.meta.id])).toEqual([['apikeycreated', all], ['apikeydeleted', all]]);
    expect(got[0]!.key).toMatchObject({ key, address_hash: dave.hash, description: 'hooked' });
    expect(got[1]!.key).toEqual({ id: key });
    // The deletion is not reported to the webhook being deleted: it is gone first.
    expect((await hook(dave, `/${all}`, 'DELETE')).status).toBe(204);
    expect(await received(0, 0)).toEqual([]);
  });

  it('delivers the mail even when the webhook receiver refuses or is not there, and logs the failure', async () => {
    const dead = await startReceiver();
    const deadUrl = dead.url;
    await dead.close();
    const id = await create(carol, 1, `${deadUrl}/gone`);
    await hook(carol, `/${id}/enable`, 'POST');
    logs.length = 0;
    const sent = await env.client.send(dave, carol.address, { subject: 'unhooked', blocks: [{ type: 'text', content: 'hi' }] });
    await S.idle();
    const box = (await call(S, 'GET', `/account/${carol.hash}/box/1`, jwt(carol))).json as { messages: { id: string }[] };
    expect(box.messages.map((m) => m.id)).toContain(sent.id);
    expect(logs.some((l) => l.startsWith(`webhook ${id}:`))).toBe(true);
    await hook(carol, `/${id}`, 'DELETE');
  });
});

describe('webhooks: storage', () => {
  it('keeps webhooks in the durable store across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bm-hooks-'));
    try {
      const s1 = await env.startServer({ webhooks: true, dataDir: dir });
      const a = await env.account(s1, 'gina!', GO_ED25519_1.privateKey);
      const r = await hook(a, '', 'POST', { type: 0, event: 1, config: '{"URL":"http://127.0.0.1:9/x"}' }, s1);
      const id = (r.json as { ID: string }).ID;
      await s1.close();
      const s2 = await env.startServer({ webhooks: true, dataDir: dir });
      const got = await hook(a, `/${id}`, 'GET', undefined, s2);
      expect(got.status).toBe(200);
      expect(got.json).toMatchObject({ ID: id, Account: a.hash, Enabled: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
