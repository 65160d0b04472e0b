/**
 * The mail server's data model over a flat key/value blob store: accounts with their keys and
 * boxes, stored messages, tickets, uploads in progress, the delivery queue with per-message
 * status, API keys, authorised keys and the per-account key/value store.
 *
 * Layout of keys (every variable part is validated before it reaches a key, so no request can
 * name a key outside its own area):
 *   acct/<hash>                        account record (keys, the boxes and their parents)
 *   link/<hash>/<box>/<msgid>          a message's place in a box ({at, seq}): one small key per
 *                                      link, so filing a message never rewrites the account record
 *   msg/<hash>/<msgid>/header          stored header JSON      (…/catalog, …/blk/<id>)
 *   ticket/<id>                        ticket record
 *   up/<ticket>/header|catalog|blk/<id> upload in progress, then the queued message
 *   queue/<id>                         delivery job (state, retries, reason)
 *   apikey/<BMK-…>, authkey/<hash>/<fingerprint>, kv/<hash>/<pathhash>
 *
 * A delivery adds one link key, without the account's lock; box changes (create, delete, move,
 * copy, remove) read the account with its links, change it, and write what changed as one commit.
 * An account record of the earlier layout, its links inside the boxes, is read the same way and
 * written in the new one on its next change.
 *
 * Account hashes and message IDs are lower-cased before use, as the Go server's on-disk paths
 * are (spec/api.md §1.1), so they are case-insensitive.
 * @module
 */
import type { BlobStore } from './blobstore.ts';

export interface BoxRecord {
  id: number;
  parent: number | null;
  /** Message ids with the unix time they were linked into this box, in link order. */
  messages: { id: string; at: number }[];
}

/** The value of a `link/…` key: when the message was linked, and a counter that keeps link order. */
interface LinkRecord {
  at: number;
  seq: number;
}

/** A write of a {@link Repo.commit}: puts and deletes of blob keys, applied together. */
export type BlobOp = { op: 'put'; key: string; value: Uint8Array } | { op: 'delete'; key: string };

export interface AccountRecord {
  hash: string;
  publicKeys: string[];
  createdAt: number;
  boxes: BoxRecord[];
}

export interface TicketRecord {
  id: string;
  valid: boolean;
  /** Unix seconds. */
  expiry: number;
  /** Proof-of-work challenge while the ticket is not yet valid. */
  work: { bits: number; data: string; proof?: bigint } | null;
  sender: string;
  recipient: string;
  subscriptionId: string;
  /** Fingerprint of the authorised key used to obtain the ticket ('' if none). */
  authKey: string;
  /** Issued to an authenticated local client: this server is the message's origin. */
  origin: boolean;
  /** Set once `POST /incoming` accepted the message or `DELETE /incoming` cancelled it. */
  spent: boolean;
}

export type DeliveryState = 'queued' | 'retrying' | 'delivered' | 'failed';

export interface QueueRecord {
  id: string;
  sender: string;
  recipient: string;
  /** True when this server signed the message as origin (the sender is local). */
  origin: boolean;
  state: DeliveryState;
  reason: string;
  retries: number;
  createdAt: number;
  retryAt: number;
  lastRetriedAt: number;
  /** Ids of the block/attachment files uploaded with the message. */
  files: string[];
}

export interface ApiKeyRecord {
  key: string;
  address_hash: string;
  /** Unix seconds, 0 = no expiry. */
  expires: number;
  permissions: string[];
  admin: boolean;
  description: string;
}

export interface AuthKeyRecord {
  fingerprint: string;
  address_hash: string;
  expires: number;
  public_key: string;
  signature: string;
  description: string;
}

export interface KvEntry {
  path: string;
  parent: string | null;
  data: string; // base64
  timestamp: number;
  signature: string; // base64
}

const enc = (v: unknown) => new Uint8Array(Buffer.from(JSON.stringify(v), 'utf8'));
const dec = <T>(b: Uint8Array | undefined): T | undefined => (b === undefined ? undefined : (JSON.parse(Buffer.from(b).toString('utf8')) as T));

/** A tiny async mutex per name, so read-modify-write of one record never interleaves. */
class Locks {
  private readonly tails = new Map<string, Promise<void>>();
  async with<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => next);
    this.tails.set(name, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}

export class Repo {
  private readonly locks = new Locks();
  constructor(readonly blobs: BlobStore) {}

  private async getJson<T>(key: string): Promise<T | undefined> {
    return dec<T>(await this.blobs.get(key));
  }
  private putJson(key: string, v: unknown): Promise<void> {
    return this.blobs.put(key, enc(v));
  }

  /** Apply puts and deletes all-or-nothing, durable when resolved (one batch of the storage). */
  commit(ops: BlobOp[]): Promise<void> {
    return ops.length === 0 ? Promise.resolve() : this.blobs.commit(ops);
  }

  // -- accounts -------------------------------------------------------------------------------
  async hasAccount(hash: string): Promise<boolean> {
    return (await this.blobs.get(`acct/${hash.toLowerCase()}`)) !== undefined;
  }
  /** The account with every box's messages (its link keys, plus those of an earlier-layout record). */
  async getAccount(hash: string): Promise<AccountRecord | undefined> {
    const h = hash.toLowerCase();
    const a = await this.getJson<AccountRecord>(`acct/${h}`);
    if (!a) return undefined;
    const prefix = `link/${h}/`;
    const byBox = new Map<number, ({ id: string } & LinkRecord)[]>();
    for (const k of await this.blobs.list(prefix)) {
      const [box, id] = k.slice(prefix.length).split('/');
      const v = await this.getJson<LinkRecord>(k);
      if (!v || id === undefined) continue;
      const list = byBox.get(Number(box)) ?? [];
      list.push({ id, ...v });
      byBox.set(Number(box), list);
    }
    for (const b of a.boxes) {
      const links = (byBox.get(b.id) ?? []).sort((x, y) => x.seq - y.seq);
      const legacy = new Set(b.messages.map((m) => m.id));
      b.messages = [...b.messages, ...links.filter((l) => !legacy.has(l.id)).map((l) => ({ id: l.id, at: l.at }))];
    }
    return a;
  }
  async createAccount(rec: AccountRecord): Promise<boolean> {
    const h = rec.hash.toLowerCase();
    return this.locks.with(`acct/${h}`, async () => {
      if (await this.blobs.get(`acct/${h}`)) return false;
      await this.putJson(`acct/${h}`, { ...rec, hash: h });
      return true;
    });
  }
  /**
   * Read-modify-write an account under its lock; `fn` returns the value to hand back. What `fn`
   * changed is written as one commit: the links added and removed, and the record itself only if
   * the boxes changed (or it still carries links of the earlier layout).
   */
  async updateAccount<T>(hash: string, fn: (a: AccountRecord) => T): Promise<T | undefined> {
    const h = hash.toLowerCase();
    return this.locks.with(`acct/${h}`, async () => {
      const stored = await this.getJson<AccountRecord>(`acct/${h}`);
      const a = await this.getAccount(h);
      if (!stored || !a) return undefined;
      const links = (rec: AccountRecord) => new Map(rec.boxes.flatMap((b) => b.messages.map((x) => [`${b.id}/${x.id}`, x.at] as const)));
      const legacyLinks = stored.boxes.some((b) => b.messages.length > 0);
      const before = links(a);
      for (const k of links(stored).keys()) before.delete(k); // earlier layout: not link keys yet
      const shape = (rec: AccountRecord) => JSON.stringify(rec.boxes.map((b) => [b.id, b.parent]));
      const oldShape = shape(a);
      const r = fn(a);
      const after = links(a);
      const ops: BlobOp[] = [];
      for (const k of before.keys()) if (!after.has(k)) ops.push({ op: 'delete', key: `link/${h}/${k}` });
      for (const [k, at] of after) {
        if (!before.has(k)) ops.push({ op: 'put', key: `link/${h}/${k}`, value: enc({ at, seq: await this.nextLinkSeq() } satisfies LinkRecord) });
      }
      if (legacyLinks || shape(a) !== oldShape || JSON.stringify({ ...a, boxes: [] }) !== JSON.stringify({ ...stored, boxes: [] })) {
        ops.push({ op: 'put', key: `acct/${h}`, value: enc({ ...a, boxes: a.boxes.map((b) => ({ ...b, messages: [] })) }) });
      }
      await this.commit(ops);
      return r;
    });
  }

  /** Whether a message is linked into a box of the account. */
  async isLinked(hash: string, box: number, id: string): Promise<boolean> {
    const h = hash.toLowerCase();
    if (await this.blobs.get(`link/${h}/${box}/${id.toLowerCase()}`)) return true;
    const stored = await this.getJson<AccountRecord>(`acct/${h}`);
    return stored?.boxes.some((b) => b.id === box && b.messages.some((m) => m.id === id.toLowerCase())) ?? false;
  }
  /** The put that links a message into a box (for a commit of the caller's). */
  async linkOp(hash: string, box: number, id: string, at: number): Promise<BlobOp> {
    return { op: 'put', key: `link/${hash.toLowerCase()}/${box}/${id.toLowerCase()}`, value: enc({ at, seq: await this.nextLinkSeq() } satisfies LinkRecord) };
  }

  private linkSeq: number | undefined;
  /** Link order survives restarts: the counter starts above every stored link's. */
  private async nextLinkSeq(): Promise<number> {
    if (this.linkSeq === undefined) {
      let max = 0;
      for (const k of await this.blobs.list('link/')) max = Math.max(max, (await this.getJson<LinkRecord>(k))?.seq ?? 0);
      this.linkSeq ??= max;
    }
    return ++this.linkSeq;
  }

  // -- stored messages ------------------------------------------------------------------------
  private msgKey(acct: string, id: string) {
    return `msg/${acct.toLowerCase()}/${id.toLowerCase()}`;
  }
  async putMessageFile(acct: string, id: string, name: string, data: Uint8Array): Promise<void> {
    await this.blobs.put(this.messageFileKey(acct, id, name), data);
  }
  messageFileKey(acct: string, id: string, name: string): string {
    return `${this.msgKey(acct, id)}/${name}`;
  }
  getMessageFile(acct: string, id: string, name: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(`${this.msgKey(acct, id)}/${name}`);
  }
  async hasMessage(acct: string, id: string): Promise<boolean> {
    return (await this.blobs.get(`${this.msgKey(acct, id)}/header`)) !== undefined;
  }
  async deleteMessageFiles(acct: string, id: string): Promise<void> {
    await this.commit((await this.blobs.list(`${this.msgKey(acct, id)}/`)).map((key) => ({ op: 'delete', key })));
  }

  // -- tickets --------------------------------------------------------------------------------
  getTicket(id: string): Promise<TicketRecord | undefined> {
    return this.getJson<TicketRecord>(`ticket/${id.toLowerCase()}`);
  }
  putTicket(t: TicketRecord): Promise<void> {
    return this.putJson(`ticket/${t.id.toLowerCase()}`, t);
  }
  ticketOp(t: TicketRecord): BlobOp {
    return { op: 'put', key: `ticket/${t.id.toLowerCase()}`, value: enc(t) };
  }
  withTicket<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.with(`ticket/${id.toLowerCase()}`, fn);
  }
  deleteTicket(id: string): Promise<void> {
    return this.blobs.delete(`ticket/${id.toLowerCase()}`);
  }

  // -- uploads (also the queued message's files) -----------------------------------------------
  private upKey(ticket: string) {
    return `up/${ticket.toLowerCase()}`;
  }
  putUpload(ticket: string, name: string, data: Uint8Array): Promise<void> {
    return this.blobs.put(`${this.upKey(ticket)}/${name}`, data);
  }
  getUpload(ticket: string, name: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(`${this.upKey(ticket)}/${name}`);
  }
  async listUpload(ticket: string): Promise<string[]> {
    const p = `${this.upKey(ticket)}/`;
    return (await this.blobs.list(p)).map((k) => k.slice(p.length));
  }
  async deleteUpload(ticket: string): Promise<void> {
    await this.commit(await this.deleteUploadOps(ticket));
  }
  async deleteUploadOps(ticket: string): Promise<BlobOp[]> {
    return (await this.blobs.list(`${this.upKey(ticket)}/`)).map((key) => ({ op: 'delete', key }));
  }

  // -- delivery queue -------------------------------------------------------------------------
  getJob(id: string): Promise<QueueRecord | undefined> {
    return this.getJson<QueueRecord>(`queue/${id.toLowerCase()}`);
  }
  putJob(j: QueueRecord): Promise<void> {
    return this.putJson(`queue/${j.id.toLowerCase()}`, j);
  }
  jobOp(j: QueueRecord): BlobOp {
    return { op: 'put', key: `queue/${j.id.toLowerCase()}`, value: enc(j) };
  }
  async listJobs(): Promise<QueueRecord[]> {
    const out: QueueRecord[] = [];
    for (const k of await this.blobs.list('queue/')) {
      const j = await this.getJson<QueueRecord>(k);
      if (j) out.push(j);
    }
    return out;
  }

  // -- API keys and authorised keys ---------------------------------------------------------
  getApiKey(key: string): Promise<ApiKeyRecord | undefined> {
    return this.getJson<ApiKeyRecord>(`apikey/${key}`);
  }
  putApiKey(k: ApiKeyRecord): Promise<void> {
    return this.putJson(`apikey/${k.key}`, k);
  }
  deleteApiKey(key: string): Promise<void> {
    return this.blobs.delete(`apikey/${key}`);
  }
  async listApiKeys(acct: string): Promise<ApiKeyRecord[]> {
    const out: ApiKeyRecord[] = [];
    for (const k of await this.blobs.list('apikey/')) {
      const r = await this.getJson<ApiKeyRecord>(k);
      if (r && r.address_hash === acct.toLowerCase()) out.push(r);
    }
    return out;
  }
  getAuthKey(acct: string, fp: string): Promise<AuthKeyRecord | undefined> {
    return this.getJson<AuthKeyRecord>(`authkey/${acct.toLowerCase()}/${fp.toLowerCase()}`);
  }
  putAuthKey(k: AuthKeyRecord): Promise<void> {
    return this.putJson(`authkey/${k.address_hash.toLowerCase()}/${k.fingerprint.toLowerCase()}`, k);
  }
  deleteAuthKey(acct: string, fp: string): Promise<void> {
    return this.blobs.delete(`authkey/${acct.toLowerCase()}/${fp.toLowerCase()}`);
  }
  async listAuthKeys(acct: string): Promise<AuthKeyRecord[]> {
    const out: AuthKeyRecord[] = [];
    for (const k of await this.blobs.list(`authkey/${acct.toLowerCase()}/`)) {
      const r = await this.getJson<AuthKeyRecord>(k);
      if (r) out.push(r);
    }
    return out;
  }

  // -- key/value store ------------------------------------------------------------------------
  getKv(acct: string, path: string): Promise<KvEntry | undefined> {
    return this.getJson<KvEntry>(`kv/${acct.toLowerCase()}/${path.toLowerCase()}`);
  }
  putKv(acct: string, path: string, e: KvEntry): Promise<void> {
    return this.putJson(`kv/${acct.toLowerCase()}/${path.toLowerCase()}`, e);
  }
  deleteKv(acct: string, path: string): Promise<void> {
    return this.blobs.delete(`kv/${acct.toLowerCase()}/${path.toLowerCase()}`);
  }
  async listKv(acct: string): Promise<KvEntry[]> {
    const out: KvEntry[] = [];
    for (const k of await this.blobs.list(`kv/${acct.toLowerCase()}/`)) {
      const r = await this.getJson<KvEntry>(k);
      if (r) out.push(r);
    }
    return out;
  }
  withKv<T>(acct: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.with(`kv/${acct.toLowerCase()}`, fn);
  }
}
