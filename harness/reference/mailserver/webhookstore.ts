/**
 * The webhook store of the reference mail server (spec/api.md §3.7; Go internal/webhook/webhook.go):
 * one record per webhook under `hook/<account>/<id>` of the server's blob store, so memory or
 * durable exactly like the server's other per-account data. The routes and the dispatcher that
 * use it are in webhooks.ts.
 * @module
 */
import type { BlobStore } from './blobstore.ts';

/** The stored webhook, field names and order as Go's untagged `webhook.Type`. */
export interface WebhookRecord {
  ID: string;
  Account: string;
  Type: number;
  Event: number;
  Enabled: boolean;
  Config: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Webhooks of every account over the server's blob store (`hook/<account>/<id>`). */
export class WebhookStore {
  constructor(private readonly blobs: BlobStore) {}

  private key(account: string, id: string): string {
    return `hook/${account.toLowerCase()}/${id}`;
  }

  /** The account's webhook `id`, or undefined (also for an id that is not one of ours). */
  async get(account: string, id: string): Promise<WebhookRecord | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    const b = await this.blobs.get(this.key(account, id));
    return b === undefined ? undefined : (JSON.parse(Buffer.from(b).toString('utf8')) as WebhookRecord);
  }

  put(w: WebhookRecord): Promise<void> {
    return this.blobs.put(this.key(w.Account, w.ID), new Uint8Array(Buffer.from(JSON.stringify(w), 'utf8')));
  }

  delete(w: WebhookRecord): Promise<void> {
    return this.blobs.delete(this.key(w.Account, w.ID));
  }

  /** The account's webhooks, by id (Go's Bolt cursor order: by key). */
  async list(account: string): Promise<WebhookRecord[]> {
    const out: WebhookRecord[] = [];
    for (const k of await this.blobs.list(`hook/${account.toLowerCase()}/`)) {
      const b = await this.blobs.get(k);
      if (b !== undefined) out.push(JSON.parse(Buffer.from(b).toString('utf8')) as WebhookRecord);
    }
    return out;
  }
}
