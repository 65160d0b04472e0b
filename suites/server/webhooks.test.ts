/**
 * Profile `server`, area `HOOK`: webhooks (api.md §3.7 A20–A26, §2.2; Go
 * cmd/bm-server/handler/webhooks.go:51-229, internal/dispatcher/{dispatcher,worker}.go, routes
 * main.go:285-293).
 *
 * Webhooks are optional: Go registers the routes only with `webhooks.enabled` (default false).
 * The target says whether it has them switched on (`features` of the target contract,
 * BM_FEATURES: the builtin reference declares `webhooks`, a url target `--features webhooks`, an
 * image its manifest's `features`), and the suite declares only the tests that apply:
 * - with `webhooks`: creation (disabled, Go's untagged object, a config that is not JSON refused),
 *   ownership (another account's webhook id is `404 "webhook not found"` on every route), and
 *   dispatching: an enabled HTTP webhook pointing at a receiver this file hosts on 127.0.0.1
 *   (plain http, ephemeral port) gets one POST `{"meta":{"id","account","event"},"message":{…}}`
 *   when a message is delivered to the account;
 * - without it: the webhook routes answer 404.
 * The target must reach the receiver: it runs on this machine's loopback (image targets use host
 * networking).
 *
 * Peer/resolver: none; accounts are provisioned on the target's resolver.
 */
import { afterAll, describe, it } from 'vitest';
import { startReceiver, type Receiver } from '../../harness/reference/index.ts';
import { setupOnce, runNonce } from '../_support/target.ts';
import { useMailTarget, MailApi, compose, waitFor } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { fail, must, mustBe, mustEqual, mustJson, mustJsonObject, mustSchema, mustServerError, mustStatus } from '../_support/must.ts';
import { isObject, matchJsonContentType, show } from '../_support/match.ts';
import { parseJsonLossless, type JsonValue } from '../../harness/protocol/gojson.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-webhooks', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-webhooks', target.serverUrl);

/** Event numbers (internal/webhook/events.go:31-48). */
const LOCAL_DELIVERY = 1;
const HTTP = 0;
/** Bound on the wait for the target's POST to the receiver (Go posts at once, 5-s client timeout). */
const DELIVERY_WAIT_MS = Math.min(10_000, Math.floor(target.timeoutMs / 2));

/** `…/webhook<rest>` under `/account/<hash>` (MailApi.account adds that). */
const hookPath = (rest = '') => `/webhook${rest}`;
/** `POST /account/<a>/webhook` with `a`'s JWT. */
const createHook = (a: MailAccount, config: string, event = LOCAL_DELIVERY, type = HTTP) =>
  api.account('POST', a, hookPath(), { json: { type, event, enabled: true, config } });

/** The id of a webhook created with 201 (fails the test otherwise). */
async function newHook(a: MailAccount, url: string, event = LOCAL_DELIVERY): Promise<string> {
  const r = await createHook(a, JSON.stringify({ URL: url }), event);
  mustStatus(r, 201, 'create webhook');
  const id = mustJsonObject(r, 'create webhook').ID;
  if (typeof id !== 'string' || id === '') fail(`create webhook: no "ID" in ${show(r.json)}`, '{"ID":…}', r.json);
  return id;
}

/** The webhook object of `GET …/webhook/<id>` (must answer 200). */
async function getHook(a: MailAccount, id: string): Promise<Record<string, JsonValue>> {
  const r = await api.account('GET', a, hookPath(`/${id}`));
  mustStatus(r, 200, `GET webhook ${id}`);
  return mustJsonObject(r, `GET webhook ${id}`);
}

if (target.features.has('webhooks')) {
  let alice: MailAccount;
  let bob: MailAccount;
  let rx: Receiver | undefined;
  afterAll(async () => {
    await rx?.close();
  });
  const setup = setupOnce(async () => {
    alice = await accounts.create('hook-alice');
    bob = await accounts.create('hook-bob');
    rx = await startReceiver();
    return rx;
  });

  describe('server › webhooks', { meta: { area: 'HOOK' } }, () => {
    // A20: created disabled whatever `enabled` says; the object is Go's untagged struct, Config
    // the config as JSON text. api.md §3.7, §1.5.
    it('BM-HOOK-001 MUST create a webhook disabled and answer 201 with {"ID","Account","Type","Event","Enabled","Config"}', async () => {
      await setup();
      const url = `http://127.0.0.1:9/hook-001-${runNonce()}`;
      const r = await createHook(alice, JSON.stringify({ URL: url }));
      mustStatus(r, 201);
      const w = mustJsonObject(r);
      mustSchema(w, 'server_api_schema_v1.json#/$defs/Webhook', 'created webhook');
      mustEqual([w.Account, w.Type, w.Event, w.Enabled], [alice.hash, HTTP, LOCAL_DELIVERY, false], '[Account, Type, Event, Enabled]');
      let config: JsonValue;
      try {
        config = parseJsonLossless(String(w.Config));
      } catch (e) {
        fail(`"Config" must be the config as JSON text, got ${show(w.Config)} (${(e as Error).message})`, JSON.stringify({ URL: url }), w.Config);
      }
      mustEqual(config, { URL: url }, 'Config (parsed)');
      mustEqual((await getHook(alice, String(w.ID))).Enabled, false, 'Enabled of the stored webhook');
    });

    // A20: `config` must itself parse as JSON. api.md §3.7 (webhooks.go:72-76).
    it('BM-HOOK-001 MUST answer 400 "incorrect body" to a webhook whose config is not JSON', async () => {
      await setup();
      mustServerError(await createHook(alice, '{"URL": "http://127.0.0.1:9/x"'), 400, 'incorrect body');
    });

    // A22, A24–A26 with bob's token on bob's path for alice's webhook id, and for an id nobody
    // has: each is 404 "webhook not found" and alice's webhook is untouched. api.md §3.7
    // (webhooks.go:210-229).
    it('BM-HOOK-002 MUST answer 404 "webhook not found" to GET, DELETE, enable and disable of another account\'s webhook', async () => {
      await setup();
      const id = await newHook(alice, `http://127.0.0.1:9/hook-002-${runNonce()}`);
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const hookId of [id, unknown]) {
        for (const [method, rest] of [['GET', ''], ['DELETE', ''], ['POST', '/enable'], ['POST', '/disable']] as const) {
          mustServerError(await api.account(method, bob, hookPath(`/${hookId}${rest}`)), 404, 'webhook not found', `${method} …/webhook/{${hookId === id ? "alice's id" : 'unknown id'}}${rest}`);
        }
      }
      const still = await getHook(alice, id);
      mustEqual([still.ID, still.Enabled], [id, false], "alice's webhook after bob's attempts [ID, Enabled]");
    });

    // A21, A22, A25, A26, A24 on the account's own webhook. api.md §3.7.
    it('BM-HOOK-002 MUST list, get, enable, disable and delete the account\'s own webhook', async () => {
      await setup();
      const id = await newHook(bob, `http://127.0.0.1:9/hook-002-own-${runNonce()}`);
      const list = await api.account('GET', bob, hookPath());
      mustStatus(list, 200, 'list webhooks');
      const items = mustJson(list, 'list webhooks');
      mustBe(Array.isArray(items) && items.some((x) => isObject(x) && x.ID === id), `the list must hold webhook ${id}, got ${show(items)}`, `[…{"ID":"${id}"}…]`, items);
      mustEqual((await getHook(bob, id)).ID, id, 'GET webhook ID');
      for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
        const r = await api.account('POST', bob, hookPath(`/${id}/${action}`));
        mustStatus(r, 200, action);
        mustSchema(r.json, 'server_api_schema_v1.json#/$defs/EmptyObject', `${action} answer`);
        mustEqual((await getHook(bob, id)).Enabled, enabled, `Enabled after ${action}`);
      }
      mustStatus(await api.account('DELETE', bob, hookPath(`/${id}`)), 204, 'delete');
      mustServerError(await api.account('GET', bob, hookPath(`/${id}`)), 404, 'webhook not found', 'GET after delete');
    });

    // Dispatching (worker.go execHTTP): bob's enabled HTTP webhook for `localdelivery` points at
    // our receiver; alice sends bob a message; the target POSTs JSON to the URL once, with
    // meta {id: the webhook, account: bob, event: "localdelivery"} and the message {from, to, id}.
    // api.md §3.7, dispatcher.go DispatchLocalDelivery.
    it('BM-HOOK-003 MUST POST {"meta":{"id","account","event"},"message":{"from","to","id"}} once to an enabled HTTP webhook\'s URL on local delivery', async () => {
      const recv = await setup();
      const path = `/hook-003-${runNonce()}`;
      const id = await newHook(bob, `${recv.url}${path}`);
      mustStatus(await api.account('POST', bob, hookPath(`/${id}/enable`)), 200, 'enable');
      const m = compose(api.rng, alice, bob, { subject: 'webhook', blocks: [{ type: 'default', content: 'a message that a webhook reports' }] });
      const { id: msgId, completion } = await api.sendAsClient(alice, m);
      mustStatus(completion, 202, 'POST /incoming');
      await api.waitForMessage(bob, msgId);
      const mine = () => recv.got.filter((g) => g.path === path);
      await waitFor(`a POST from the target to the webhook URL ${recv.url}${path} (webhook ${id}, enabled, event localdelivery) after message ${msgId} reached bob's inbox`, async () => (mine().length > 0 ? true : undefined), DELIVERY_WAIT_MS, 50);
      await new Promise((r) => setTimeout(r, 300)); // a second POST for the same event would arrive now
      const got = mine();
      mustEqual(got.length, 1, `POSTs to the webhook URL for one delivery (${got.map((g) => g.method).join(', ')})`);
      const hit = got[0]!;
      mustEqual(hit.method, 'POST', 'method');
      must(matchJsonContentType(hit.headers['content-type']), 'webhook request');
      let body: JsonValue;
      try {
        body = parseJsonLossless(hit.body);
      } catch (e) {
        fail(`the webhook body must be JSON, got ${show(hit.body)} (${(e as Error).message})`, 'JSON', hit.body);
      }
      mustSchema(body, 'server_api_schema_v1.json#/$defs/WebhookDelivery', 'webhook body');
      const b = body as Record<string, JsonValue>;
      mustEqual(b.meta, { id, account: bob.hash, event: 'localdelivery' }, 'meta');
      mustEqual(b.message, { from: alice.hash, to: bob.hash, id: msgId }, 'message');
      // Tidy up: the webhook would report this account's later deliveries to a closed receiver.
      await api.account('DELETE', bob, hookPath(`/${id}`));
    });
  });
} else {
  let carol: MailAccount;
  const setup = setupOnce(async () => {
    carol = await accounts.create('hook-carol');
  });

  describe('server › webhooks off', { meta: { area: 'HOOK' } }, () => {
    // Go registers the webhook routes only with webhooks.enabled (main.go:285-293, api.md §2.2):
    // with an account's valid JWT and a valid body, every webhook route is "no route" (404).
    it('BM-HOOK-004 SHOULD answer 404 on the webhook routes when the target has not declared webhooks', async () => {
      await setup();
      const config = JSON.stringify({ URL: 'http://127.0.0.1:9/off' });
      for (const [method, rest, json] of [
        ['POST', '', { type: HTTP, event: LOCAL_DELIVERY, enabled: true, config }],
        ['GET', '', undefined],
        ['GET', '/00000000-0000-4000-8000-000000000000', undefined],
        ['POST', '/00000000-0000-4000-8000-000000000000/enable', undefined],
      ] as const) {
        mustStatus(await api.account(method, carol, hookPath(rest), json ? { json } : {}), 404, `${method} /account/{addr}/webhook${rest}`);
      }
    });
  });
}
