/**
 * The reference BitMaelum mail server (spec/api.md §2–§5; Go cmd/bm-server at suite 95952d1):
 * every endpoint of §3 over HTTPS on 127.0.0.1, JWT / on-behalf / API-key / admin-key
 * authentication, tickets with proof of work, the upload sequence, verification of client and
 * server signatures, server signing as origin, local delivery into box 1 and remote delivery
 * through the key resolver with retries on an injected clock and scheduler.
 *
 * Endpoints (Go route names in parentheses where Go has them):
 *   GET  /                                         logo (text/html)
 *   POST /account                                  create (PoW + invite)          — accounts.ts
 *   GET  /account/{addr}/keys                      public keys
 *   POST /ticket, POST /ticket/{id}                remote-sender ticket, its PoW   — tickets.ts
 *   POST /incoming/header|catalog                  upload (x-bitmaelum-ticket)   — uploads.ts, origin.ts
 *   POST /incoming/block/{id}|attachment/{id}
 *   POST /incoming, DELETE /incoming               complete (verify + queue), cancel
 *   POST /account/{addr}/ticket                    client ticket (JWT / on-behalf)
 *   GET  /account/{addr}/boxes (boxes)             JWT or API key `get-headers`   — mailbox.ts
 *   POST /account/{addr}/boxes                     create box
 *   GET|DELETE /account/{addr}/box/{box}           list messages / delete box
 *   GET|DELETE /account/{addr}/message/{msg}       fetch {id,h,c} / delete
 *   GET  /account/{addr}/message/{msg}/block/{id}|attachment/{id}
 *   POST /account/{addr}/message/{msg}/move|copy|delete
 *   GET  /account/{addr}/delivery/{msg}            delivery state of a sent message (ours)
 *   POST|GET /account/{addr}/apikey, GET|DELETE …/apikey/{key}           — keys.ts
 *   POST|GET /account/{addr}/authkey, GET|DELETE …/authkey/{fingerprint}
 *   GET|POST|DELETE /account/{addr}/store/{path}   key/value store              — kvstore.ts
 *   POST /admin/flush|invite|apikey                management key               — accounts.ts, keys.ts
 * With the `webhooks` option only (Go's `webhooks.enabled`, default off: the paths answer 404):
 *   POST|GET /account/{addr}/webhook, GET|POST|DELETE …/webhook/{id},
 *   POST …/webhook/{id}/enable|disable            and their dispatching       — webhooks.ts
 *
 * Every answer to a bad request is a JSON error body `{"error":true,"status":…}` with the status
 * of spec/api.md, or the intended status where §8 calls Go's defective; each such choice is in
 * harness/reference/DEVIATIONS.md. `faults` switch single defects on (options.ts).
 * @module
 */
import { request as undiciRequest, type Dispatcher } from 'undici';
import type { HttpRequest, HttpResponse, PathParams } from '../handler.ts';
import { mailErrorFormat } from '../error-formats.ts';
import { Router } from '../router.ts';
import { startHttpServer } from '../http.ts';
import { issueServerCert, trustingAgent } from '../tls.ts';
import { memoryStorage, type Storage } from '../storage.ts';
import { openDurableStorage } from '../durable-storage.ts';
import { ResolverClient } from '../resolver/client.ts';
import { parsePrivateKey, parsePublicKey, formatPublicKey, ed25519PublicBytes } from '../../protocol/keys.ts';
import { hashString } from '../../protocol/hash.ts';
import { toHex } from '../../protocol/bytes.ts';
import { systemClock, systemRng } from '../../protocol/random.ts';
import { DEFAULT_LIMITS, NO_FAULTS, type Faults, type Limits, type MailServerOptions } from './options.ts';
import { systemScheduler } from './timer.ts';
import { blobStoreOver } from './blobstore.ts';
import { Repo } from './repo.ts';
import { Delivery } from './delivery.ts';
import type { Ctx, PeerClient, ResolverView } from './context.ts';
import { authenticateAdmin, authenticateJwt, authenticateJwtOrApiKey, type AuthResult } from './auth.ts';
import { accountKeys, adminInvite, createAccount, homepage } from './accounts.ts';
import { clientTicket, publicTicket, submitProof } from './tickets.ts';
import { cancelUpload, completeUpload, uploadCatalog, uploadFile, uploadHeader } from './uploads.ts';
import {
  createBox, deleteBox, deleteMessage, deliveryStatus, getMessage, getMessageFile, listBoxes, listMessages, moveCopyRemove,
} from './mailbox.ts';
import { adminCreateApiKey, createApiKey, createAuthKey, getOrDeleteApiKey, getOrDeleteAuthKey, listApiKeys, listAuthKeys } from './keys.ts';
import { deleteKv, getKv, putKv } from './kvstore.ts';
import { registerWebhookRoutes, Webhooks } from './webhooks.ts';

export type { MailServerOptions, Faults, Limits } from './options.ts';
export { NO_FAULTS, FAULT_NAMES, DEFAULT_LIMITS } from './options.ts';
export { manualTime, type ManualTime, type Scheduler } from './timer.ts';

export interface MailServer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The routing value published on the resolver (`127.0.0.1:<port>`). */
  readonly routing: string;
  readonly routingId: string;
  /** Resolves when no delivery attempt (and no webhook post) is running (tests await it after `POST /incoming`). */
  idle(): Promise<void>;
  /** Run every waiting delivery retry now (what `POST /admin/flush` does). */
  flush(): void;
  /** Stop serving and delivering; closes the storage. */
  close(): Promise<void>;
  /** @internal the handler context, for white-box tests. */
  readonly ctx: Ctx;
}

/** `hash.New(hex(raw ed25519 public key))` (internal/config/routing.go:122-152). */
export function routingIdOf(publicKeyText: string): string {
  const pub = parsePublicKey(publicKeyText);
  if (pub.type !== 'ed25519') throw new RangeError('routingIdOf: the routing key must be ed25519 (or give routingId)');
  return hashString(toHex(ed25519PublicBytes(pub)));
}

function resolverView(rc: ResolverClient): ResolverView {
  const quiet = async <T>(f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch {
      return undefined; // Go: any non-200 or undecodable answer is "not found" (§7.5)
    }
  };
  return {
    address: async (h) => {
      const r = await quiet(() => rc.getAddress(h));
      return r ? { hash: r.hash, publicKey: r.publicKey, routingId: r.routingId } : undefined;
    },
    routing: async (id) => {
      const r = await quiet(() => rc.getRouting(id));
      return r ? { hash: r.hash, routing: r.routing, publicKey: r.publicKey } : undefined;
    },
    organisation: async (h) => {
      const r = await quiet(() => rc.getOrganisation(h));
      return r ? { hash: r.hash, publicKey: r.publicKey } : undefined;
    },
    addressPowBits: async () => (await quiet(() => rc.getConfig()))?.address,
  };
}

function peerClient(dispatcher: Dispatcher): PeerClient {
  return {
    async request(url, init) {
      const r = await undiciRequest(url, {
        method: init.method as 'POST',
        headers: init.headers ?? {},
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body),
        dispatcher,
        headersTimeout: 15_000,
        bodyTimeout: 15_000,
      });
      const body = new Uint8Array(await r.body.arrayBuffer());
      return { status: r.statusCode, body };
    },
  };
}

/**
 * `?pretty=1` (exactly "1") indents a handler's JSON answer by two spaces, as Go's prettyjson
 * middleware and `JSONOut` do; the content stays the same (BM-API-015). Error bodies
 * (Go's `ErrorOut`) and bodies that are not JSON are left alone.
 */
function prettyJson(req: HttpRequest, res: HttpResponse): HttpResponse {
  if (req.query.get('pretty') !== '1' || res.json === undefined || res.indent !== undefined) return res;
  return { ...res, indent: '  ' };
}

type AuthMode = 'jwt' | 'jwt+onbehalf' | 'jwt+apikey';
type AuthedHandler = (auth: AuthResult, req: HttpRequest, p: PathParams, body: Uint8Array) => Promise<HttpResponse> | HttpResponse;

/** Build the router of a mail server for `ctx` (exported for in-process tests). */
export function buildRouter(ctx: Ctx, onRequest?: MailServerOptions['onRequest']): Router {
  const r = new Router({
    errorFormat: mailErrorFormat,
    finish: prettyJson,
    ...(onRequest ? { observe: (req: HttpRequest, body: Uint8Array) => onRequest({ method: req.method, path: req.path, body }) } : {}),
    // mux `{addr:[A-Za-z0-9]{64}}` (main.go:217-339); asked per request so the fault switch can loosen it.
    matchers: { accountHash: (v) => ctx.faults.looseAddressRoute || /^[A-Za-z0-9]{64}$/.test(v) },
  });
  const json = { maxBodyBytes: ctx.limits.maxJsonBytes };
  const blob = { maxBodyBytes: ctx.limits.maxBlobBytes };
  const A = '/account/{addr:@accountHash}';
  const authed = (mode: AuthMode, h: AuthedHandler) => async (req: HttpRequest, p: PathParams, body: Uint8Array) => {
    const addr = p.addr!;
    const auth =
      mode === 'jwt+apikey' ? await authenticateJwtOrApiKey(ctx, req, addr) : await authenticateJwt(ctx, req, addr, mode === 'jwt+onbehalf');
    return h(auth, req, p, body);
  };
  const admin = (perm: string, h: (body: Uint8Array) => Promise<HttpResponse> | HttpResponse) => async (req: HttpRequest, _p: PathParams, body: Uint8Array) => {
    await authenticateAdmin(ctx, req, perm);
    return h(body);
  };
  const c = <T extends unknown[]>(f: (ctx: Ctx, ...a: T) => Promise<HttpResponse>) => (...a: T) => f(ctx, ...a);

  // Public (main.go:227-244)
  r.get('/', () => homepage());
  r.post('/account', c(createAccount), json);
  r.get('/account/{addr}/keys', c(accountKeys));
  r.post('/ticket', c(publicTicket), json);
  r.post('/ticket/{ticket:[A-Za-z0-9-]+}', c(submitProof), json);
  r.post('/incoming/header', c(uploadHeader), json);
  r.post('/incoming/catalog', c(uploadCatalog), blob);
  r.post('/incoming/block/{id:[A-Za-z0-9-]+}', (q, p, b) => uploadFile('block')(ctx, q, p, b), blob);
  r.post('/incoming/attachment/{id:[A-Za-z0-9-]+}', (q, p, b) => uploadFile('attachment')(ctx, q, p, b), blob);
  r.post('/incoming', (q) => completeUpload(ctx, q), json);
  r.delete('/incoming', (q) => cancelUpload(ctx, q), json);

  // auth2: account JWT or API key (main.go:303-317)
  r.get(`${A}/boxes`, authed('jwt+apikey', (a) => listBoxes(a.account)), { name: 'boxes' });

  // auth: account JWT, then on-behalf JWT (main.go:249-298)
  const ob = 'jwt+onbehalf' as const;
  r.post(`${A}/boxes`, authed(ob, (a, _q, _p, b) => createBox(ctx, a.account, b)), json);
  r.get(`${A}/box/{box:[0-9]+}`, authed(ob, (a, q, p) => listMessages(ctx, a.account, p.box, q)));
  r.delete(`${A}/box/{box:[0-9]+}`, authed(ob, (a, _q, p) => deleteBox(ctx, a.account, p.box)));
  r.post(`${A}/ticket`, authed(ob, (a, _q, _p, b) => clientTicket(ctx, a, b)), json);
  const M = `${A}/message/{msg:[A-Za-z0-9-]+}`;
  r.get(M, authed(ob, (a, _q, p) => getMessage(ctx, a.account, p.msg)));
  r.delete(M, authed(ob, (a, _q, p) => deleteMessage(ctx, a.account, p.msg)));
  r.get(`${M}/block/{block:[A-Za-z0-9-]+}`, authed(ob, (a, _q, p) => getMessageFile(ctx, a.account, p.msg, p.block, 'block')));
  r.get(`${M}/attachment/{att:[A-Za-z0-9-]+}`, authed(ob, (a, _q, p) => getMessageFile(ctx, a.account, p.msg, p.att, 'attachment')));
  r.post(`${M}/move`, authed(ob, (a, _q, p, b) => moveCopyRemove(ctx, a.account, p.msg, 'move', b)), json);
  r.post(`${M}/copy`, authed(ob, (a, _q, p, b) => moveCopyRemove(ctx, a.account, p.msg, 'copy', b)), json);
  r.post(`${M}/delete`, authed(ob, (a, _q, p, b) => moveCopyRemove(ctx, a.account, p.msg, 'remove', b)), json);
  r.get(`${A}/delivery/{msg:[A-Za-z0-9-]+}`, authed(ob, (a, _q, p) => deliveryStatus(ctx, a.account, p.msg)));

  // Key management: account JWT only (intended: an authorised key cannot mint keys, §8 item 9).
  r.post(`${A}/apikey`, authed('jwt', (a, _q, _p, b) => createApiKey(ctx, a.account, b)), json);
  r.get(`${A}/apikey`, authed('jwt', (a) => listApiKeys(ctx, a.account)));
  r.get(`${A}/apikey/{key}`, authed('jwt', (a, _q, p) => getOrDeleteApiKey(ctx, a.account, p.key, false)));
  r.delete(`${A}/apikey/{key}`, authed('jwt', (a, _q, p) => getOrDeleteApiKey(ctx, a.account, p.key, true)));
  r.post(`${A}/authkey`, authed('jwt', (a, _q, _p, b) => createAuthKey(ctx, a.account, b)), json);
  r.get(`${A}/authkey`, authed('jwt', (a) => listAuthKeys(ctx, a.account)));
  r.get(`${A}/authkey/{key}`, authed('jwt', (a, _q, p) => getOrDeleteAuthKey(ctx, a.account, p.key, false)));
  r.delete(`${A}/authkey/{key}`, authed('jwt', (a, _q, p) => getOrDeleteAuthKey(ctx, a.account, p.key, true)));

  // Webhooks: only when enabled (main.go:285-293), on the "auth" router like Go.
  if (ctx.webhooks) registerWebhookRoutes(r, ctx, ctx.webhooks, (h) => authed(ob, (a, _q, p, b) => h(a.account, p, b)), json);

  const S = `${A}/store/{path:[A-Za-z0-9]{64}}`;
  r.get(S, authed(ob, (a, q, p) => getKv(ctx, a.account, p.path, q)));
  r.post(S, authed(ob, (a, _q, p, b) => putKv(ctx, a.account, p.path, b)), json);
  r.delete(S, authed(ob, (a, _q, p) => deleteKv(ctx, a.account, p.path)));

  // Management (main.go:320-336)
  r.post('/admin/flush', admin('flush', () => {
    ctx.delivery.flush();
    return { status: 200, json: { status: 'Flushing queues' } };
  }), json);
  r.post('/admin/invite', admin('invite', (b) => adminInvite(ctx, b)), json);
  r.post('/admin/apikey', admin('apikey', (b) => adminCreateApiKey(ctx, b)), json);
  return r;
}

/** Start a reference mail server. Registers its routing record on the resolver unless told not to. */
export async function startMailServer(options: MailServerOptions): Promise<MailServer> {
  if (!options || typeof options.resolverUrl !== 'string' || typeof options.caPem !== 'string') {
    throw new TypeError('startMailServer: resolverUrl and caPem are required');
  }
  if (!options.routingKey || typeof options.routingKey.privateKey !== 'string' || typeof options.routingKey.publicKey !== 'string') {
    throw new TypeError('startMailServer: routingKey {privateKey, publicKey} (key strings) is required');
  }
  const faults: Faults = { ...NO_FAULTS, ...(options.faults ?? {}) };
  const limits: Limits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  const routingPriv = parsePrivateKey(options.routingKey.privateKey);
  const routingPub = parsePublicKey(options.routingKey.publicKey);
  const routingPubText = formatPublicKey(routingPub);
  const routingId = (options.routingId ?? routingIdOf(options.routingKey.publicKey)).toLowerCase();

  let tls: { cert: string; key: string } | undefined =
    options.tls && 'certPem' in options.tls ? { cert: options.tls.certPem, key: options.tls.keyPem } : options.tls;
  if (!tls) {
    if (!options.ca) throw new TypeError('startMailServer: give tls or ca');
    const cert = await issueServerCert(options.ca);
    tls = { cert: cert.cert, key: cert.key };
  }
  const storage: Storage = options.dataDir ? await openDurableStorage(options.dataDir, { faults: options.storageFaults ?? {} }) : memoryStorage();
  const dispatcher = trustingAgent(options.caPem);
  const rc = new ResolverClient({ baseUrl: options.resolverUrl, dispatcher, ...(options.rng ? { rng: options.rng } : {}) });

  const ctx: Ctx = {
    repo: new Repo(blobStoreOver(storage)),
    faults,
    limits,
    rng: options.rng ?? systemRng,
    clock: options.clock ?? systemClock,
    scheduler: options.scheduler ?? systemScheduler,
    routingId,
    routingPriv,
    routingPub,
    routingPubText,
    adminKey: options.adminKey,
    organisations: options.organisations ?? [],
    resolver: resolverView(rc),
    peer: peerClient(dispatcher),
    log: options.log ?? (() => undefined),
    delivery: undefined as unknown as Delivery,
  };
  ctx.delivery = new Delivery(ctx);
  if (options.webhooks === true) ctx.webhooks = new Webhooks(ctx, dispatcher);

  const srv = await startHttpServer(buildRouter(ctx, options.onRequest), {
    host: '127.0.0.1',
    port: options.port ?? 0,
    tls,
    maxBodyBytes: limits.maxJsonBytes,
    onError: (e, req) => ctx.log(`500 on ${req.method} ${req.path}: ${(e as Error)?.stack ?? String(e)}`),
  });
  const routing = faults.registerRoutingWithoutPort ? '127.0.0.1' : `127.0.0.1:${srv.port}`;
  try {
    if (options.registerRouting ?? true) {
      const cur = await rc.getRouting(routingId).catch(() => null);
      if (!cur || cur.routing !== routing || cur.publicKey !== routingPubText) {
        await rc.uploadRouting({ hash: routingId, publicKey: routingPubText, routing }, routingPriv);
      }
    }
    await ctx.delivery.resume();
  } catch (e) {
    await srv.close();
    await storage.close();
    await dispatcher.close();
    throw new Error(`mail server could not register on the resolver: ${(e as Error).message}`, { cause: e });
  }

  let closed: Promise<void> | undefined;
  return {
    url: srv.url,
    port: srv.port,
    routing,
    routingId,
    ctx,
    idle: async () => {
      await ctx.delivery.idle();
      await ctx.webhooks?.idle();
    },
    flush: () => ctx.delivery.flush(),
    close() {
      closed ??= (async () => {
        ctx.delivery.stop();
        await srv.close();
        await ctx.delivery.idle();
        ctx.webhooks?.stop();
        await ctx.webhooks?.idle();
        await storage.close();
        await dispatcher.close();
      })();
      return closed;
    },
  };
}
