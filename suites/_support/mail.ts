/**
 * The mail server API for suites (api.md §3–§5): every endpoint as one call that returns the
 * answer for the test to judge (http.ts records each exchange in the wire trace), plus the flows
 * built from them — compose and sign a message (harness/protocol/message.ts, formats.md §4.1),
 * send it as a client of its home server (§5.4: client ticket, uploads, `POST /incoming`),
 * deliver it as a remote server would (§5.5: public ticket, proof of work, uploads), wait for
 * it in a box, and read it back (§4: fetch, verify, decrypt).
 *
 * "Not delivered" is judged the same way for every implementation (Go drops a bad message
 * silently at delivery, api.md §8 item 7; others refuse it at `POST /incoming`): a 4xx at
 * completion is a refusal; a 2xx is followed by a good message from the same sender (a barrier)
 * and, once that one has arrived, the bad one must not be in any box of the recipient.
 *
 * Remote senders without a running server: {@link RemoteOrigin} is a mail server identity that
 * exists only on the resolver (routing key + routing record + sender addresses pointing at it),
 * so a test can sign server signatures as "the sender's home server" — correctly, wrongly or not
 * at all — and hand the message to the target through the public ticket path, exactly as a
 * relaying server does. The target never dials that origin for inbound mail.
 *
 * {@link useMailTarget} is the first line of every mail-server suite file: under
 * `bm-conformance run` it returns the target; run directly under vitest the suites' global set-up
 * (suites/vitest.suites.setup.ts) has opened the builtin target, with the run's CA key for peer
 * servers.
 * @module
 */
import { composeMessage, openMessage, type ComposedMessage, type SignedBy } from '../../harness/protocol/message.ts';
import { headerJson, parseHeader, signClientHeader, signServerHeader, type Header } from '../../harness/protocol/header.ts';
import { parseProofOfWork } from '../../harness/protocol/pow.ts';
import { fromB64 } from '../../harness/protocol/bytes.ts';
import { decryptCatalog, type Catalog } from '../../harness/protocol/catalog.ts';
import { decryptSecret } from '../../harness/protocol/secret.ts';
import { systemClock, type Rng } from '../../harness/protocol/random.ts';
import type { PrivateKey } from '../../harness/protocol/keys.ts';
import type { GoValue, JsonValue } from '../../harness/protocol/gojson.ts';
import { HarnessError, request, trace, type HttpResponse } from './http.ts';
import { isObject, show } from './match.ts';
import { fail, mustBe, mustStatus, unsupported } from './must.ts';
import { solveWithinTest } from './pow.ts';
import { suiteRng, suiteTarget, useTarget, type SuiteTarget } from './target.ts';
import { clientJwt } from './jwt.ts';
import type { AccountIdentity, RoutingIdentity, SuiteResolver } from './resolver.ts';

/**
 * The target for a mail-server suite file (see the module doc). Call once, first, at the top
 * level of the file.
 */
export async function useMailTarget(): Promise<SuiteTarget> {
  // A developer's `vitest run suites/server/…` gets the builtin target from the suites' global
  // set-up (suites/vitest.suites.setup.ts), the same reference as `bm-conformance run`.
  return useTarget({ needs: ['server', 'resolver'] });
}

/** Anything with an account hash and a private key (MailAccount, AccountIdentity). */
export interface Signer {
  readonly hash: string;
  readonly privateKey: PrivateKey;
}

/** A composed message as uploaded: header, encrypted catalog, encrypted blocks and attachments. */
export interface Outgoing {
  readonly header: Header;
  readonly catalogBlob: Uint8Array;
  readonly blocks: ReadonlyMap<string, Uint8Array>;
  readonly attachments: ReadonlyMap<string, Uint8Array>;
}

/** What a test sends: subject, text blocks, attachments. */
export interface Content {
  subject: string;
  blocks: { type: string; content: string }[];
  attachments?: { filename: string; content: Uint8Array }[];
}

/** A ticket as the server returns it (Go field names, formats.md §10.6). */
export interface TicketJson {
  ID: string;
  Valid: boolean;
  Expiry: string;
  Work: { Type: string; Data: string } | null;
  Sender: string;
  Recipient: string;
  SubscriptionID: string;
  AuthKey: string;
}

/** Ticket request body (`preference` is ignored by Go, sent as the Go client does). */
export function ticketBody(sender: string, recipient: string): GoValue {
  return { sender, recipient, subscription_id: '', preference: ['pow'] };
}

export const TICKET_HEADER = 'x-bitmaelum-ticket';

export class MailApi {
  readonly url: string;
  readonly rng: Rng;

  /**
   * @param url server base URL (default: the target's BM_SERVER_URL)
   * @param label names this client's random stream (ECDSA signatures, message keys)
   */
  constructor(label: string, url: string | undefined = suiteTarget().serverUrl) {
    if (!url) throw new TypeError('MailApi: no mail server URL (BM_SERVER_URL)');
    this.url = url.replace(/\/+$/, '');
    this.rng = suiteRng(`mail:${label}`);
  }

  /** A fresh conforming account JWT (formats.md §8). */
  jwt(a: Signer): string {
    return clientJwt(a.privateKey, a.hash, this.rng);
  }

  // ----- raw -----

  req(method: string, path: string, opts: Parameters<typeof request>[2] = {}): Promise<HttpResponse> {
    return request(method, this.url + path, opts);
  }

  /** A request on `/account/<hash><path>` with `a`'s JWT (or `bearer`, or none when `bearer` is null). */
  account(method: string, a: { hash: string } & Partial<Signer>, path: string, opts: Parameters<typeof request>[2] & { token?: string | null } = {}): Promise<HttpResponse> {
    const { token, ...rest } = opts;
    const bearer = token === null ? undefined : token ?? (a.privateKey ? this.jwt(a as Signer) : undefined);
    return request(method, `${this.url}/account/${a.hash}${path}`, { ...rest, ...(bearer !== undefined ? { bearer } : {}) });
  }

  // ----- tickets (P4, P5, A4) -----

  clientTicket(a: Signer, body: GoValue = ticketBody(a.hash, a.hash), token?: string): Promise<HttpResponse> {
    return this.account('POST', a, '/ticket', { json: body, ...(token !== undefined ? { token } : {}) });
  }

  publicTicket(sender: string, recipient: string): Promise<HttpResponse> {
    return this.req('POST', '/ticket', { json: ticketBody(sender, recipient) });
  }

  submitProof(id: string, proof: bigint | number): Promise<HttpResponse> {
    return this.req('POST', `/ticket/${id}`, { json: { proof: typeof proof === 'bigint' ? proof : BigInt(proof) } });
  }

  /** A valid client ticket for `from` → `toHash` (must answer 200 Valid). */
  async validClientTicket(from: Signer, toHash: string, token?: string): Promise<TicketJson> {
    const r = await this.clientTicket(from, ticketBody(from.hash, toHash), token);
    mustStatus(r, 200, 'client ticket');
    const t = ticketOf(r);
    mustBe(t.Valid === true, `client ticket: expected "Valid":true, got ${show(r.json)}`, { Valid: true }, r.json);
    return t;
  }

  /** A public ticket made valid with proof of work (api.md §3.1 P4, P5; the remote server's steps). */
  async validPublicTicket(sender: string, recipient: string): Promise<TicketJson> {
    const r = await this.publicTicket(sender, recipient);
    mustStatus(r, 200, 'public ticket');
    const t = ticketOf(r);
    if (t.Valid) return t;
    const proof = await solveTicket(t);
    const p = await this.submitProof(t.ID, proof);
    mustStatus(p, 200, 'ticket proof of work');
    const v = ticketOf(p);
    mustBe(v.Valid === true, `ticket proof of work: a correct proof must validate the ticket, got ${show(p.json)}`, { Valid: true }, p.json);
    return v;
  }

  // ----- uploads (P6–P11) -----

  upload(ticketId: string | undefined, part: string, body: string | Uint8Array, contentType?: string): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (ticketId !== undefined) headers[TICKET_HEADER] = ticketId;
    if (contentType) headers['content-type'] = contentType;
    return this.req('POST', `/incoming/${part}`, { headers, body });
  }

  uploadHeader(ticketId: string | undefined, h: Header | string): Promise<HttpResponse> {
    return this.upload(ticketId, 'header', typeof h === 'string' ? h : headerJson(h, '  '), 'application/json');
  }

  complete(ticketId: string | undefined): Promise<HttpResponse> {
    return this.req('POST', '/incoming', { headers: ticketId !== undefined ? { [TICKET_HEADER]: ticketId } : {} });
  }

  cancel(ticketId: string | undefined): Promise<HttpResponse> {
    return this.req('DELETE', '/incoming', { headers: ticketId !== undefined ? { [TICKET_HEADER]: ticketId } : {} });
  }

  /**
   * Upload every part of `m` with `ticketId` (header, catalog, blocks and attachments on
   * `/incoming/block/<id>` as the Go client does); each must answer 200.
   */
  async uploadAll(ticketId: string, m: Outgoing, order: readonly ('header' | 'catalog' | 'files')[] = ['header', 'catalog', 'files']): Promise<void> {
    for (const step of order) {
      if (step === 'header') mustStatus(await this.uploadHeader(ticketId, m.header), 200, 'upload header');
      else if (step === 'catalog') mustStatus(await this.upload(ticketId, 'catalog', m.catalogBlob, 'application/octet-stream'), 200, 'upload catalog');
      else {
        for (const [id, data] of [...m.blocks, ...m.attachments]) {
          mustStatus(await this.upload(ticketId, `block/${id}`, data, 'application/octet-stream'), 200, `upload block ${id}`);
        }
      }
    }
  }

  /** Send `m` as `from`'s client (§5.4); returns the ticket (= message id) and the completion answer. */
  async sendAsClient(from: Signer, m: Outgoing, token?: string): Promise<{ id: string; completion: HttpResponse }> {
    const t = await this.validClientTicket(from, m.header.to.address, token);
    await this.uploadAll(t.ID, m);
    return { id: t.ID, completion: await this.complete(t.ID) };
  }

  /** Deliver `m` as a remote server would (§5.5: public ticket, proof of work, uploads, completion). */
  async sendAsRemote(m: Outgoing): Promise<{ id: string; completion: HttpResponse }> {
    const t = await this.validPublicTicket(m.header.from.address, m.header.to.address);
    await this.uploadAll(t.ID, m);
    return { id: t.ID, completion: await this.complete(t.ID) };
  }

  // ----- reading (A3, A5–A7, B1) -----

  /** `GET /account/<a>/box/<n>` (must answer 200): the message ids in it. */
  async boxIds(a: Signer, box = 1): Promise<string[]> {
    const r = await this.account('GET', a, `/box/${box}`);
    mustStatus(r, 200, `list box ${box}`);
    const list = isObject(r.json) && Array.isArray(r.json.messages) ? r.json.messages : fail(`list box ${box}: no messages array in ${show(r.json)}`);
    return list.map((m) => (isObject(m) && typeof m.id === 'string' ? m.id : fail(`list box ${box}: message without id: ${show(m)}`)));
  }

  /** Every message id in any box of `a`. */
  async allIds(a: Signer): Promise<Set<string>> {
    const r = await this.account('GET', a, '/boxes');
    mustStatus(r, 200, 'list boxes');
    const boxes = isObject(r.json) && Array.isArray(r.json.boxes) ? r.json.boxes : fail(`list boxes: no boxes array in ${show(r.json)}`);
    const ids = new Set<string>();
    for (const b of boxes) if (isObject(b) && Array.isArray(b.messages)) for (const m of b.messages) if (typeof m === 'string') ids.add(m);
    return ids;
  }

  /** Wait until message `id` is in box `box` of `a`. */
  async waitForMessage(a: Signer, id: string, box = 1, timeoutMs = 10_000): Promise<void> {
    await waitFor(`message ${id} in box ${box} of ${a.hash.slice(0, 12)}…`, async () => ((await this.boxIds(a, box)).includes(id) ? true : undefined), timeoutMs);
  }

  /**
   * Judge "not delivered" (see the module doc): `completion` is the answer to `POST /incoming`
   * of message `id` to `to`; `barrier` sends a good message from the same sender and returns its id.
   */
  async mustNotDeliver(to: Signer, id: string, completion: HttpResponse, barrier: () => Promise<string>): Promise<void> {
    if (completion.status >= 200 && completion.status < 300) {
      const b = await barrier();
      await this.waitForMessage(to, b);
    } else {
      mustBe(completion.status >= 400 && completion.status < 500, `POST /incoming of a bad message: expected 2xx (then dropped) or a 4xx refusal, got ${completion.status}`, '2xx or 4xx', completion.status);
    }
    const ids = await this.allIds(to);
    mustBe(!ids.has(id), `message ${id} must not be delivered, but it is in a box of the recipient`, 'not delivered', [...ids]);
  }

  /** Fetch message `id` of `a` with its blocks and attachments (A5–A7) and open it with `a`'s key. */
  async read(a: Signer, id: string): Promise<ReadMessage> {
    const r = await this.account('GET', a, `/message/${id}`);
    mustStatus(r, 200, 'fetch message');
    const j = isObject(r.json) ? r.json : fail(`fetch message: expected a JSON object, got ${show(r.text)}`);
    const header = parseHeader(j.h);
    const catalogBlob = typeof j.c === 'string' ? fromB64(j.c, 'c') : fail(`fetch message: "c" is not base64 text: ${show(j.c)}`);
    const ek = header.catalog.encrypted_key ?? fail('fetch message: header has no encrypted_key');
    const catalog: Catalog = decryptCatalog(catalogBlob, decryptSecret(a.privateKey, ek, header.catalog.crypto, header.catalog.txid));
    const blocks = new Map<string, Uint8Array>();
    const attachments = new Map<string, Uint8Array>();
    for (const b of catalog.blocks ?? []) {
      const br = await this.account('GET', a, `/message/${id}/block/${b.id}`);
      mustStatus(br, 200, `fetch block ${b.id}`);
      blocks.set(b.id, br.body);
    }
    for (const at of catalog.attachments ?? []) {
      const ar = await this.account('GET', a, `/message/${id}/attachment/${at.id}`);
      mustStatus(ar, 200, `fetch attachment ${at.id}`);
      attachments.set(at.id, ar.body);
    }
    const opened = openMessage(a.privateKey, header, catalogBlob, blocks, attachments);
    return { id, header, catalogBlob, catalog, blocks: opened.blocks.map((b) => ({ type: b.type, content: b.content })), attachments: opened.attachments.map((x) => ({ filename: x.filename, content: x.content })), raw: j };
  }
}

/** A message as read back and opened by its recipient. */
export interface ReadMessage {
  id: string;
  header: Header;
  catalogBlob: Uint8Array;
  catalog: Catalog;
  blocks: { type: string; content: string }[];
  attachments: { filename: string; content: Uint8Array }[];
  raw: Record<string, JsonValue>;
}

/** The ticket in an answer (fails the test if the body is not one). */
export function ticketOf(r: HttpResponse): TicketJson {
  const j = r.json;
  if (!isObject(j) || typeof j.ID !== 'string' || typeof j.Valid !== 'boolean') fail(`expected a ticket {"ID","Valid",…}, got ${show(j)}`, 'ticket', j);
  return j as unknown as TicketJson;
}

/** Largest ticket difficulty the suite solves (≈ 2^22 double SHA-256 ≈ tens of seconds). */
export const MAX_TICKET_BITS = 22;

/** Solve a ticket's work (formats.md §9: proof > 0; data = the decoded middle part). */
export async function solveTicket(t: TicketJson): Promise<bigint> {
  if (!t.Work || typeof t.Work.Data !== 'string') fail(`ticket ${t.ID} is not valid and carries no work: ${show(t)}`, 'Work', t.Work);
  const w = parseProofOfWork(t.Work.Data);
  if (w.bits > MAX_TICKET_BITS) unsupported(`the server asks ${w.bits}-bit ticket proofs of work; the suite solves at most ${MAX_TICKET_BITS} (configure work.pow.bits lower for conformance runs)`);
  return await solveWithinTest(w.bits, w.data, 1n);
}

/** Poll `probe` until it returns a value; fail with `what` after `timeoutMs` (STYLE.md: every wait has its timeout and message). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() >= until) fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Compose and sign a message from `from` to `to` (formats.md §4.1); `signer` defaults to `from`'s key. */
export function compose(
  rng: Rng,
  from: { address: string; privateKey: PrivateKey },
  to: { address: string; publicKey: string },
  content: Content,
  opts: { signedBy?: SignedBy; signer?: PrivateKey; authorizedBy?: { publicKey: string; signature: string } } = {},
): ComposedMessage {
  return composeMessage(
    {
      sender: { address: from.address, privateKey: opts.signer ?? from.privateKey },
      recipient: { address: to.address, publicKey: to.publicKey },
      subject: content.subject,
      blocks: content.blocks,
      attachments: content.attachments ?? [],
      ...(opts.signedBy ? { signedBy: opts.signedBy } : {}),
      ...(opts.authorizedBy ? { authorizedBy: opts.authorizedBy } : {}),
    },
    rng,
    systemClock,
  );
}

/** `m` with its header replaced. */
export function withHeader(m: Outgoing, header: Header): Outgoing {
  return { ...m, header };
}

/** Re-sign the client signature after a change (what a sender — or an attacker with the key — does). */
export function resignClient(h: Header, priv: PrivateKey, rng?: Rng): Header {
  return signClientHeader(h, priv, rng);
}

/**
 * A mail server that exists only on the resolver (see the module doc): its routing record and
 * sender addresses that name it as their home, so a test can sign as the sender's home server.
 */
export class RemoteOrigin {
  readonly routing: RoutingIdentity;
  private registered = false;

  constructor(readonly resolver: SuiteResolver) {
    this.routing = resolver.routing();
  }

  /** The routing record (created once). */
  async register(): Promise<void> {
    if (this.registered) return;
    await this.resolver.createRouting(this.routing);
    this.registered = true;
  }

  /** Register `id` on the resolver with this origin as its home. */
  async adopt(id: AccountIdentity): Promise<AccountIdentity> {
    await this.register();
    await this.resolver.createAddress(id, { routingId: this.routing.hash });
    return id;
  }

  /** The server signature this origin adds (formats.md §4.4), over the header as it is now. */
  sign(h: Header, rng?: Rng): Header {
    return signServerHeader(h, this.routing.privateKey, rng);
  }
}

/**
 * Send an upload whose body stops short: the request head announces `body.length` bytes, only
 * `sendBytes` are written, then the connection is closed (a client or relay that died mid-upload).
 * Raw TLS, because an HTTP client refuses to send a short body. Resolves once the socket is closed.
 */
export async function cutOffUpload(baseUrl: string, path: string, headers: Record<string, string>, body: Uint8Array, sendBytes: number, t: SuiteTarget = suiteTarget()): Promise<void> {
  const { connect } = await import('node:tls');
  const u = new URL(baseUrl);
  const port = Number(u.port || 443);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const head = [`POST ${path} HTTP/1.1`, `host: ${u.host}`, `content-length: ${body.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  trace(`> POST ${baseUrl}${path} (announces ${body.length} bytes, sends ${sendBytes}, then closes)`);
  await new Promise<void>((resolve, reject) => {
    const s = connect({ host, port, ...(t.insecure ? { rejectUnauthorized: false } : { ca: t.caPem, rejectUnauthorized: true }), ...(/^[\d.:]+$/.test(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => s.destroy(), 2_000);
    s.once('secureConnect', () => {
      s.write(head);
      s.write(body.subarray(0, sendBytes), () => setTimeout(() => s.destroy(), 100));
    });
    s.on('data', () => undefined);
    s.once('error', (e) => {
      clearTimeout(timer);
      if (s.writableFinished || s.bytesWritten > 0) resolve();
      else reject(new HarnessError('connect', `${baseUrl}${path}: ${e.message}`, { cause: e }));
    });
    s.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
