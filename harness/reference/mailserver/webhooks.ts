/**
 * Webhooks of the reference mail server (spec/api.md §3.7 A20–A26, §2.2; Go
 * cmd/bm-server/handler/webhooks.go:51-229, internal/webhook/{webhook,events}.go,
 * internal/dispatcher/{dispatcher,worker}.go, routes main.go:285-293). Off unless the mail server
 * option `webhooks` is true, as Go's `webhooks.enabled` (default false): without it the routes
 * are not registered and answer 404.
 *
 * The three parts:
 * - routes ({@link registerWebhookRoutes}), behind the same authenticator as Go's "auth" router
 *   (account JWT, then on-behalf JWT): create, list, get, update (replaces only `Config`),
 *   delete, enable, disable — each acting only on the account's own webhooks, otherwise
 *   `404 "webhook not found"`;
 * - the store (webhookstore.ts): one record per webhook under `hook/<account>/<id>` of the
 *   server's blob store, so memory or durable exactly like the server's other per-account data;
 * - the dispatcher ({@link Webhooks.dispatch}): for each ENABLED webhook of the account whose
 *   `Event` is the event or 999 (all), POST the payload with
 *   `"meta":{"account","event":<label>,"id"}` added, Go-marshalled (a Go map, so keys sorted),
 *   to `Config.URL` (HTTP type 0) or the default Slack text to `Config.WebhookURL` (Slack type 1);
 *   5-s timeout, no retries, no signing (worker.go). Fire-and-forget: the event that triggered it
 *   never waits for, or fails because of, a webhook; failures are logged. `idle()` waits for the
 *   posts in flight (close() and tests).
 *
 * The webhook object has no json tags in Go, so its keys are the field names in struct order:
 * `{"ID","Account","Type","Event","Enabled","Config"}`; `Config` is the config text re-marshalled
 * by Go after decoding it into `interface{}` (objects with sorted keys, numbers as float64,
 * HTML-escaped strings: {@link goConfigText}).
 *
 * Where we differ from Go (harness/reference/DEVIATIONS.md MAIL-16): an empty list is `[]` (Go:
 * `null`, or `500` before the first webhook exists on a Bolt backend); an unknown `type` or
 * `event` is `400 "incorrect body"` (Go stores anything); an update's `config` must parse as JSON
 * too (Go stores any text); remote delivery is reported to the sending account (Go dispatches it
 * on the recipient's hash, which has no webhooks on the sending server); a webhook deletion is
 * reported as `webhookdeleted` (Go sends event 8, `authkeydeleted`). A custom Slack `Template`
 * (a Go text/template) is not interpreted: the default text is sent.
 * @module
 */
import { request as undiciRequest, type Dispatcher } from 'undici';
import { HttpError, type Handler, type HttpResponse, type PathParams } from '../handler.ts';
import type { Router, RouteOptions } from '../router.ts';
import { goMap, goMarshal, goMarshalIndent, goQuote, GoMap, parseJsonLossless, type GoValue, type JsonValue } from '../../protocol/gojson.ts';
import { uuidv4 } from '../../protocol/random.ts';
import { decodeBody } from './body.ts';
import type { Ctx, WebhookEvents } from './context.ts';
import type { AccountRecord } from './repo.ts';
import { WebhookStore, type WebhookRecord } from './webhookstore.ts';

/** Event numbers and their labels (internal/webhook/events.go:31-48). */
export const WEBHOOK_EVENTS: Readonly<Record<number, string>> = Object.freeze({
  1: 'localdelivery',
  2: 'faileddelivery',
  3: 'remotedelivery',
  4: 'apikeycreated',
  5: 'apikeydeleted',
  6: 'apikeyupdated',
  7: 'authkeycreated',
  8: 'authkeydeleted',
  9: 'authkeyupdated',
  10: 'webhookcreated',
  11: 'webhookdeleted',
  12: 'webhookupdated',
  13: 'invitecreated',
  14: 'accountcreated',
  998: 'test',
  999: 'all',
});

export const EVENT = Object.freeze({
  localDelivery: 1,
  remoteDelivery: 3,
  apiKeyCreated: 4,
  apiKeyDeleted: 5,
  authKeyCreated: 7,
  authKeyDeleted: 8,
  webhookCreated: 10,
  webhookDeleted: 11,
  webhookUpdated: 12,
  all: 999,
} as const);

/** Webhook destination types (internal/webhook/webhook.go: TypeHTTP = 0, TypeSlack = 1). */
export const WEBHOOK_TYPES: Readonly<Record<number, string>> = Object.freeze({ 0: 'HTTP', 1: 'Slack' });

/** Go's JSON of a webhook (struct order). */
export function webhookJson(w: WebhookRecord): GoValue {
  return { ID: w.ID, Account: w.Account, Type: w.Type, Event: w.Event, Enabled: w.Enabled, Config: w.Config };
}

/** Go's float64 text in encoding/json (shortest repr; exponent form below 1e-6 and from 1e21, as JS). */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError('not a float64');
  return Object.is(n, -0) ? '-0' : String(n);
}

function goJsonOfAny(v: JsonValue, depth = 0): string {
  if (depth > 512) throw new RangeError('nesting too deep');
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return goQuote(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return goFloat(v);
    case 'bigint': return goFloat(Number(v)); // float64, rounded to nearest as strconv.ParseFloat
    default: break;
  }
  if (Array.isArray(v)) return `[${v.map((e) => goJsonOfAny(e, depth + 1)).join(',')}]`;
  const keys = Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  return `{${keys.map((k) => `${goQuote(k)}:${goJsonOfAny((v as Record<string, JsonValue>)[k]!, depth + 1)}`).join(',')}}`;
}

/**
 * `json.Unmarshal(config, &interface{})` then `json.Marshal` (internal/webhook/webhook.go
 * NewWebhook): the canonical text Go stores, or undefined when the text is not one JSON value
 * (or holds a number beyond float64).
 */
export function goConfigText(text: string): string | undefined {
  let v: JsonValue;
  try {
    v = parseJsonLossless(text);
  } catch {
    return undefined;
  }
  try {
    return goJsonOfAny(v);
  } catch {
    return undefined;
  }
}

/** The config field Go's `ConfigHTTP` / `ConfigSlack` decoding would fill (exact name first, then case-insensitive). */
function configField(config: string, name: string): JsonValue | undefined {
  let v: JsonValue;
  try {
    v = parseJsonLossless(config);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, JsonValue>;
  if (Object.hasOwn(o, name)) return o[name];
  const k = Object.keys(o).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
}

// ---------------------------------------------------------------------------------------------
// Dispatcher

/** Go's default Slack template (worker.go), rendered for one payload. */
function slackText(event: string, account: string, payload: GoMap): string {
  return `\nEvent *${event}* for account *${account}*:\n\n\`\`\`\n${goMarshalIndent(payload, '  ')}\`\`\``;
}

export class Webhooks implements WebhookEvents {
  readonly store: WebhookStore;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  /**
   * @param http the dispatcher outgoing webhook posts use (the server's: trusts the run CA for
   *   https; plain http works too)
   */
  constructor(private readonly ctx: Ctx, private readonly http: Dispatcher) {
    this.store = new WebhookStore(ctx.repo.blobs);
  }

  /**
   * An event happened to `account`: post `payload` (a Go map's entries) to every enabled
   * webhook of the account listening for `event` or for all. Never throws, never waits for the
   * posts (see {@link idle}).
   */
  async dispatch(account: string, event: number, payload: Record<string, GoValue>): Promise<void> {
    if (this.stopped) return;
    let hooks: WebhookRecord[];
    try {
      hooks = await this.store.list(account);
    } catch (e) {
      this.ctx.log(`webhooks: cannot list the webhooks of ${account}: ${(e as Error).message}`);
      return;
    }
    if (this.ctx.faults.dropWebhookEvents) return;
    for (const w of hooks) {
      if (!w.Enabled || (w.Event !== event && w.Event !== EVENT.all)) continue;
      // The event itself, never "all" (dispatcher.go: the label of the event, not the webhook's).
      const body = goMap({ ...payload, meta: goMap({ id: w.ID, account: w.Account, event: WEBHOOK_EVENTS[event] ?? '' }) });
      const p = this.post(w, event, body).catch((e: unknown) => this.ctx.log(`webhook ${w.ID}: ${(e as Error).message}`));
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }
  }

  /** Fire-and-forget wrapper for callers that must not wait: errors are logged. */
  fire(account: string, event: number, payload: Record<string, GoValue>): void {
    const p = this.dispatch(account, event, payload).catch((e: unknown) => this.ctx.log(`webhooks: ${(e as Error).message}`));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Resolves when no webhook post is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** No new posts (the server is closing). */
  stop(): void {
    this.stopped = true;
  }

  private async post(w: WebhookRecord, event: number, payload: GoMap): Promise<void> {
    let url: JsonValue | undefined;
    let body: string;
    if (w.Type === 0) {
      url = configField(w.Config, 'URL');
      body = goMarshal(payload);
    } else if (w.Type === 1) {
      url = configField(w.Config, 'WebhookURL');
      const s: Record<string, GoValue> = {};
      for (const [k, f] of [['channel', 'Channel'], ['username', 'Username'], ['icon_emoji', 'IconEmoji'], ['icon_url', 'IconURL']] as const) {
        const v = configField(w.Config, f);
        if (typeof v === 'string' && v !== '') s[k] = v;
      }
      s.text = slackText(WEBHOOK_EVENTS[event] ?? '', w.Account, payload);
      body = goMarshal(goMap(s));
    } else {
      throw new Error(`type ${w.Type} has no destination`);
    }
    if (typeof url !== 'string') throw new Error('config has no URL');
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`config URL is not a URL: ${JSON.stringify(url)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`config URL is not http(s): ${url}`);
    const r = await undiciRequest(u, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      dispatcher: this.http,
      signal: AbortSignal.timeout(5_000), // Go: http.Client{Timeout: 5 * time.Second}
    });
    await r.body.dump();
    if (r.statusCode >= 400) throw new Error(`POST ${u.origin}${u.pathname}: HTTP ${r.statusCode}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Routes (A20–A26)

const BODY = { type: 'int', event: 'int', enabled: 'bool', config: 'string' } as const;

/** `handler(account, params, body)` behind the account authenticator. */
export type AccountRoute = (h: (a: AccountRecord, p: PathParams, body: Uint8Array) => Promise<HttpResponse>) => Handler;

async function owned(hooks: WebhookEvents, a: AccountRecord, id: string | undefined): Promise<WebhookRecord> {
  const w = id === undefined ? undefined : await hooks.store.get(a.hash, id);
  if (!w || w.Account !== a.hash) throw new HttpError(404, 'webhook not found');
  return w;
}

/** A20 `POST /account/{addr}/webhook`. */
export async function createWebhook(ctx: Ctx, hooks: WebhookEvents, a: AccountRecord, body: Uint8Array): Promise<HttpResponse> {
  const b = decodeBody(body, BODY);
  if (!(b.type in WEBHOOK_TYPES) || !(b.event in WEBHOOK_EVENTS)) throw new HttpError(400, 'incorrect body');
  const config = goConfigText(b.config);
  if (config === undefined) throw new HttpError(400, 'incorrect body');
  // Created disabled whatever `enabled` says (webhook.go NewWebhook).
  const w: WebhookRecord = { ID: uuidv4(ctx.rng), Account: a.hash, Type: b.type, Event: b.event, Enabled: false, Config: config };
  await hooks.store.put(w);
  hooks.fire(a.hash, EVENT.webhookCreated, { webhook: webhookJson(w) });
  return { status: 201, json: webhookJson(w) };
}

/** A21 `GET /account/{addr}/webhook`. */
export async function listWebhooks(hooks: WebhookEvents, a: AccountRecord): Promise<HttpResponse> {
  return { status: 200, json: (await hooks.store.list(a.hash)).map(webhookJson) };
}

/** A22 `GET …/webhook/{id}`. */
export async function getWebhook(hooks: WebhookEvents, a: AccountRecord, id: string | undefined): Promise<HttpResponse> {
  return { status: 200, json: webhookJson(await owned(hooks, a, id)) };
}

/** A23 `POST …/webhook/{id}`: replaces only `Config`; 201 as Go. */
export async function updateWebhook(hooks: WebhookEvents, a: AccountRecord, id: string | undefined, body: Uint8Array): Promise<HttpResponse> {
  const w = await owned(hooks, a, id);
  const b = decodeBody(body, BODY);
  if (goConfigText(b.config) === undefined) throw new HttpError(400, 'incorrect body');
  w.Config = b.config;
  await hooks.store.put(w);
  hooks.fire(a.hash, EVENT.webhookUpdated, { webhook: webhookJson(w) });
  return { status: 201, json: webhookJson(w) };
}

/** A24 `DELETE …/webhook/{id}`. */
export async function deleteWebhook(hooks: WebhookEvents, a: AccountRecord, id: string | undefined): Promise<HttpResponse> {
  const w = await owned(hooks, a, id);
  await hooks.store.delete(w);
  hooks.fire(a.hash, EVENT.webhookDeleted, { webhook: goMap({ id: w.ID }) });
  return { status: 204 };
}

/** A25/A26 `POST …/webhook/{id}/enable|disable` → `200 {}`. */
export async function enableWebhook(hooks: WebhookEvents, a: AccountRecord, id: string | undefined, enabled: boolean): Promise<HttpResponse> {
  const w = await owned(hooks, a, id);
  w.Enabled = enabled;
  await hooks.store.put(w);
  hooks.fire(a.hash, EVENT.webhookUpdated, { webhook: webhookJson(w) });
  return { status: 200, json: {} };
}

/** Register A20–A26 (main.go:285-293) on `r`; `route` wraps a handler in the account authenticator. */
export function registerWebhookRoutes(r: Router, ctx: Ctx, hooks: WebhookEvents, route: AccountRoute, json: RouteOptions): void {
  const W = '/account/{addr:[A-Za-z0-9]{64}}/webhook';
  r.post(W, route((a, _p, b) => createWebhook(ctx, hooks, a, b)), json);
  r.get(W, route((a) => listWebhooks(hooks, a)));
  r.post(`${W}/{id}/enable`, route((a, p) => enableWebhook(hooks, a, p.id, true)), json);
  r.post(`${W}/{id}/disable`, route((a, p) => enableWebhook(hooks, a, p.id, false)), json);
  r.get(`${W}/{id}`, route((a, p) => getWebhook(hooks, a, p.id)));
  r.post(`${W}/{id}`, route((a, p, b) => updateWebhook(hooks, a, p.id, b)), json);
  r.delete(`${W}/{id}`, route((a, p) => deleteWebhook(hooks, a, p.id)));
}
