/**
 * The reference BitMaelum client: what `bm-client` does over the wire (spec/api.md §4, §5.4,
 * §6.1; Go cmd/bm-client/handlers/create_account.go, internal/messages/send.go,
 * internal/api/*.go), built on harness/protocol and undici trusting the run's CA.
 *
 * - {@link ReferenceClient.createAccount}: proof of work over the address hash with the resolver's
 *   `/config.json` bits, `POST /account` with the invite token on the server the token names,
 *   then the address record on the resolver (`routing_id` from the token).
 * - {@link ReferenceClient.login}: an account JWT (harness/protocol/jwt.ts), re-minted per request.
 * - {@link ReferenceClient.send}: resolve the recipient's key, compose and sign
 *   (harness/protocol/message.ts), `POST /account/<from>/ticket`, upload header, catalog, every
 *   block and attachment (`/incoming/block/<id>`, as the Go client does), `POST /incoming`; on an
 *   upload error `DELETE /incoming`. On behalf of an account: `signed_by: "authorized"` and the
 *   client signature and JWT by the authorised key.
 * - {@link ReferenceClient.list}, {@link ReferenceClient.read} (fetch, verify the client
 *   signature with the sender's resolver key, decrypt), {@link ReferenceClient.deleteMessage}.
 *
 * Errors from a server come back as {@link ApiError} with the HTTP status and the server's
 * `status` message.
 * @module
 */
import type { Dispatcher } from 'undici';
import { trustingAgent } from './tls.ts';
import { ResolverClient } from './resolver/client.ts';
import { parseAddress } from '../protocol/address.ts';
import { solvePow, formatProofOfWork } from '../protocol/pow.ts';
import { parsePrivateKey, parsePublicKey, publicKeyOf, formatPublicKey, type PrivateKey } from '../protocol/keys.ts';
import { createJwt } from '../protocol/jwt.ts';
import { parseInvite } from '../protocol/invite.ts';
import { composeMessage, openMessage } from '../protocol/message.ts';
import { parseHeader, headerJson, signClientHeader, verifyClientHeader, headerToGo, type Header } from '../protocol/header.ts';
import { decryptSecret } from '../protocol/secret.ts';
import { decryptCatalog, type Catalog } from '../protocol/catalog.ts';
import { signAuthorization } from '../protocol/authorization.ts';
import { fromB64 } from '../protocol/bytes.ts';
import { systemClock, systemRng, type Clock, type Rng } from '../protocol/random.ts';
import { canonicalHost } from './mailserver/delivery.ts';
import { ApiError } from './apierror.ts';

/** An account this client can act for. Keys are BitMaelum key strings. */
export interface ClientAccount {
  readonly address: string;
  readonly hash: string;
  readonly privateKey: string;
  readonly publicKey: string;
  /** Base URL of the account's mail server. */
  readonly serverUrl: string;
  readonly routingId: string;
}

/** Acting for an account with an authorised key (spec/api.md §2.3b, §3.5). */
export interface OnBehalf {
  readonly privateKey: string;
  readonly publicKey: string;
}

export interface ClientOptions {
  resolverUrl: string;
  caPem: string;
  rng?: Rng;
  clock?: Clock;
  /** Use this undici dispatcher instead of one trusting `caPem` (it is not closed by `close()`). */
  dispatcher?: Dispatcher;
}

export interface SendContent {
  subject: string;
  blocks: { type: string; content: string }[];
  attachments?: { filename: string; content: Uint8Array }[];
}

export interface OpenedMessage {
  id: string;
  header: Header;
  catalog: Catalog;
  blocks: { id: string; type: string; content: string }[];
  attachments: { id: string; filename: string; content: Uint8Array }[];
}

/** A composed, signed message as it will be uploaded. */
export interface OutgoingMessage {
  header: Header;
  catalogBlob: Uint8Array;
  blocks: Map<string, Uint8Array>;
  attachments: Map<string, Uint8Array>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

/** Most parsed private keys a {@link ReferenceClient} keeps (see its `keys`). */
const KEY_CACHE_MAX = 256;

export class ReferenceClient {
  readonly resolver: ResolverClient;
  private readonly dispatcher: Dispatcher;
  private readonly ownDispatcher: boolean;
  private readonly rng: Rng;
  private readonly clock: Clock;
  /**
   * Parsed private keys by their key string. Parsing an Ed25519 key derives its public point
   * (a scalar multiplication), and the client signs a JWT for every authenticated request, so
   * each key is parsed once. Bounded: cleared when it reaches {@link KEY_CACHE_MAX} keys.
   */
  private readonly keys = new Map<string, PrivateKey>();

  constructor(opts: ClientOptions) {
    this.ownDispatcher = opts.dispatcher === undefined;
    this.dispatcher = opts.dispatcher ?? trustingAgent(opts.caPem);
    this.resolver = new ResolverClient({ baseUrl: opts.resolverUrl, dispatcher: this.dispatcher });
    this.rng = opts.rng ?? systemRng;
    this.clock = opts.clock ?? systemClock;
  }

  async close(): Promise<void> {
    if (this.ownDispatcher) await this.dispatcher.close();
  }

  /** `parsePrivateKey(text)`, parsed once per key string (throws as parsePrivateKey does). */
  private privateKey(text: string): PrivateKey {
    let k = this.keys.get(text);
    if (!k) {
      k = parsePrivateKey(text);
      if (this.keys.size >= KEY_CACHE_MAX) this.keys.clear();
      this.keys.set(text, k);
    }
    return k;
  }

  /** One HTTP request; never throws for an HTTP status. */
  async raw(method: string, url: string, init: { body?: Uint8Array | string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
    // The path is sent exactly as given (no URL normalisation of `.`/`..`/`%2e`), so tests can
    // probe path tricks.
    const m = /^(https?:\/\/[^/?#]+)(.*)$/.exec(url);
    if (!m) throw new TypeError(`raw: not an absolute http(s) URL: ${url}`);
    const r = await this.dispatcher.request({
      origin: m[1]!,
      path: m[2] || '/',
      method: method as 'GET',
      headers: init.headers ?? {},
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body),
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
    const body = new Uint8Array(await r.body.arrayBuffer());
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body).toString('utf8'));
    } catch {
      json = undefined;
    }
    return { status: r.statusCode, headers: r.headers, body, json };
  }

  /** A request that must succeed (2xx), else ApiError. */
  private async call(method: string, url: string, init: { body?: Uint8Array | string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
    const r = await this.raw(method, url, init);
    if (r.status < 200 || r.status > 299) {
      const msg = r.json && typeof r.json === 'object' && typeof (r.json as { status?: unknown }).status === 'string' ? (r.json as { status: string }).status : `HTTP ${r.status}`;
      throw new ApiError(r.status, `${method} ${new URL(url).pathname}: ${r.status} ${msg}`, r.json ?? Buffer.from(r.body).toString('utf8'));
    }
    return r;
  }

  /** An account JWT (or an on-behalf JWT signed by an authorised key) for `account`. */
  login(account: ClientAccount, onBehalf?: OnBehalf): string {
    return createJwt(this.privateKey(onBehalf ? onBehalf.privateKey : account.privateKey), account.hash, this.clock, this.rng);
  }

  private auth(account: ClientAccount, onBehalf?: OnBehalf): Record<string, string> {
    return { authorization: `Bearer ${this.login(account, onBehalf)}` };
  }

  /**
   * Create an account (spec/api.md §6.1): PoW over the address hash, `POST /account` on the
   * server of the invite's routing id, then the resolver address record.
   */
  async createAccount(input: {
    address: string;
    privateKey: string;
    inviteToken: string;
    /** Override the server URL (default: the routing record of the invite's routing id). */
    serverUrl?: string;
    /** Override the PoW bits (default: resolver `/config.json`). */
    powBits?: number;
  }): Promise<ClientAccount> {
    const addr = parseAddress(input.address);
    const priv = parsePrivateKey(input.privateKey);
    const publicKey = formatPublicKey(publicKeyOf(priv));
    const invite = parseInvite(input.inviteToken);
    const routingId = invite.routingId;
    let serverUrl = input.serverUrl;
    if (!serverUrl) {
      const route = await this.resolver.getRouting(routingId);
      if (!route) throw new ApiError(404, `routing ${routingId} not found on the resolver`, null);
      serverUrl = canonicalHost(route.routing);
    }
    const bits = input.powBits ?? (await this.resolver.getConfig().catch(() => ({ address: 20 }))).address;
    const proof = solvePow(bits, addr.hash);
    const pow = formatProofOfWork({ bits, data: addr.hash, proof });
    await this.call('POST', `${serverUrl}/account`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        address: addr.hash, user_hash: addr.localHash, org_hash: addr.orgHash, token: input.inviteToken, public_key: publicKey, proof_of_work: pow,
      }),
    });
    await this.resolver.uploadAddress({ hash: addr.hash, userHash: addr.localHash, orgHash: addr.orgHash, publicKey, routingId, proof: pow }, priv);
    return { address: addr.address, hash: addr.hash, privateKey: input.privateKey, publicKey, serverUrl, routingId };
  }

  /** Authorise `key` to act for `account` (spec/api.md §3.5): signature by the account key. */
  async addAuthKey(account: ClientAccount, key: OnBehalf, opts: { expires?: number; description?: string } = {}): Promise<string> {
    const signature = signAuthorization(this.privateKey(account.privateKey), key.publicKey, this.rng);
    const r = await this.call('POST', `${account.serverUrl}/account/${account.hash}/authkey`, {
      headers: { ...this.auth(account), 'content-type': 'application/json' },
      body: JSON.stringify({ public_key: key.publicKey, signature, expires: opts.expires ?? 0, description: opts.description ?? '' }),
    });
    return (r.json as { auth_key: string }).auth_key;
  }

  /**
   * Send a message (spec/api.md §5.4). `to` is an address (`bob!`) or an address hash.
   * Returns the message id (the ticket id on the sender's server) and the header as signed by the client.
   */
  async send(
    from: ClientAccount,
    to: string,
    content: SendContent,
    opts: {
      onBehalf?: OnBehalf;
      senderName?: string;
      /** Test hook: change the signed message before upload (tampering tests). */
      tamper?: (m: OutgoingMessage) => OutgoingMessage;
    } = {},
  ): Promise<{ id: string; header: Header }> {
    const toHash = /^[0-9a-f]{64}$/.test(to) ? to : parseAddress(to).hash;
    const rec = await this.resolver.getAddress(toHash);
    if (!rec) throw new ApiError(404, `recipient ${to} not found on the resolver`, null);
    const signer = opts.onBehalf ? opts.onBehalf.privateKey : from.privateKey;
    const composed = composeMessage(
      {
        sender: { address: from.address, privateKey: this.privateKey(signer), name: opts.senderName ?? '' },
        recipient: { address: /^[0-9a-f]{64}$/.test(to) ? to : parseAddress(to).address, publicKey: rec.publicKey },
        subject: content.subject,
        blocks: content.blocks,
        attachments: content.attachments ?? [],
        signedBy: opts.onBehalf ? 'authorized' : 'origin',
      },
      this.rng,
      this.clock,
    );
    let header = composed.header;
    if (opts.onBehalf && header.from.signed_by !== 'authorized') {
      header = signClientHeader({ ...header, from: { ...header.from, signed_by: 'authorized' } }, this.privateKey(signer), this.rng);
    }
    let out: OutgoingMessage = { header, catalogBlob: composed.catalogBlob, blocks: composed.blocks, attachments: composed.attachments };
    if (opts.tamper) out = opts.tamper(out);
    header = out.header;
    const auth = this.auth(from, opts.onBehalf);
    const tr = await this.call('POST', `${from.serverUrl}/account/${from.hash}/ticket`, {
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ sender: from.hash, recipient: toHash, subscription_id: '', preference: ['pow'] }),
    });
    const ticket = tr.json as { ID: string; Valid: boolean };
    if (!ticket.Valid) throw new ApiError(400, 'client ticket is not valid', tr.json);
    const th = { 'x-bitmaelum-ticket': ticket.ID };
    const base = from.serverUrl;
    try {
      await this.call('POST', `${base}/incoming/header`, { headers: { ...th, 'content-type': 'application/json' }, body: headerJson(header, '  ') });
      await this.call('POST', `${base}/incoming/catalog`, { headers: th, body: out.catalogBlob });
      for (const [id, data] of out.blocks) await this.call('POST', `${base}/incoming/block/${id}`, { headers: th, body: data });
      for (const [id, data] of out.attachments) await this.call('POST', `${base}/incoming/block/${id}`, { headers: th, body: data });
      await this.call('POST', `${base}/incoming`, { headers: th });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 400 && /message rejected/.test(e.message))) {
        await this.raw('DELETE', `${base}/incoming`, { headers: th }).catch(() => undefined);
      }
      throw e;
    }
    return { id: ticket.ID, header };
  }

  /** `GET /account/<a>/delivery/<id>`: state of a sent message on the sender's server. */
  async deliveryStatus(account: ClientAccount, id: string): Promise<{ id: string; recipient: string; state: string; reason: string; retries: number }> {
    const r = await this.call('GET', `${account.serverUrl}/account/${account.hash}/delivery/${id}`, { headers: this.auth(account) });
    return r.json as { id: string; recipient: string; state: string; reason: string; retries: number };
  }

  /** Messages of a box with their headers (A3). */
  async list(account: ClientAccount, box = 1, query: { since?: number; offset?: number; limit?: number } = {}, onBehalf?: OnBehalf) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString() ? `?${q}` : '';
    const r = await this.call('GET', `${account.serverUrl}/account/${account.hash}/box/${box}${qs}`, { headers: this.auth(account, onBehalf) });
    return r.json as { Meta: { total: number; returned: number; limit: number; offset: number }; messages: { id: string; header: unknown; catalog: string }[] };
  }

  /** Fetch, verify (client signature against the sender's resolver key) and decrypt one message. */
  async read(account: ClientAccount, id: string, onBehalf?: OnBehalf): Promise<OpenedMessage> {
    const auth = this.auth(account, onBehalf);
    const base = `${account.serverUrl}/account/${account.hash}/message/${id}`;
    const r = await this.call('GET', base, { headers: auth });
    const m = r.json as { id: string; h: unknown; c: string };
    const header = parseHeader(m.h);
    const catalogBlob = fromB64(m.c, 'c');
    // Sender key from the resolver (routing key for server-signed mail).
    let senderKey: string | undefined;
    if (header.from.signed_by === 'server') senderKey = (await this.resolver.getRouting(header.from.address))?.publicKey;
    else senderKey = (await this.resolver.getAddress(header.from.address))?.publicKey;
    if (!senderKey || !verifyClientHeader(header, senderKey)) throw new ApiError(422, `message ${id}: client signature does not verify`, headerToGo(header));
    const priv: PrivateKey = this.privateKey(account.privateKey);
    const ek = header.catalog.encrypted_key;
    if (!ek) throw new ApiError(422, `message ${id}: no encrypted catalog key`, null);
    const key = decryptSecret(priv, ek, header.catalog.crypto, header.catalog.txid);
    const catalog = decryptCatalog(catalogBlob, key);
    const blocks = new Map<string, Uint8Array>();
    const attachments = new Map<string, Uint8Array>();
    for (const b of catalog.blocks ?? []) blocks.set(b.id, (await this.call('GET', `${base}/block/${b.id}`, { headers: auth })).body);
    for (const a of catalog.attachments ?? []) attachments.set(a.id, (await this.call('GET', `${base}/attachment/${a.id}`, { headers: auth })).body);
    const opened = openMessage(priv, header, catalogBlob, blocks, attachments);
    return {
      id,
      header,
      catalog: opened.catalog,
      blocks: opened.blocks.map((b) => ({ id: b.id, type: b.type, content: b.content })),
      attachments: opened.attachments.map((a) => ({ id: a.id, filename: a.filename, content: a.content })),
    };
  }

  /** `DELETE /account/<a>/message/<id>` (A8). */
  async deleteMessage(account: ClientAccount, id: string, onBehalf?: OnBehalf): Promise<void> {
    await this.call('DELETE', `${account.serverUrl}/account/${account.hash}/message/${id}`, { headers: this.auth(account, onBehalf) });
  }

  /** Public keys of an account on its server (P3). */
  async publicKeys(account: ClientAccount): Promise<string[]> {
    const r = await this.call('GET', `${account.serverUrl}/account/${account.hash}/keys`);
    return (r.json as { public_keys: string[] }).public_keys;
  }
}

export { parsePublicKey };
