/**
 * Delivery of accepted messages (spec/api.md §5.5; Go cmd/bm-server/processor/process.go,
 * processor/retry_queue.go): a message whose recipient has an account here is filed into the
 * recipient's box 1; any other message is relayed to the recipient's server found through the
 * resolver, acting as a client of that server (`POST /ticket`, proof of work, uploads,
 * `POST /incoming`).
 *
 * Every accepted message has a job record (`queue/<id>`) with its state
 * (`queued` → `delivered` | `retrying` → … → `failed`) and the last failure reason; the sender
 * reads it at `GET /account/<sender>/delivery/<id>` (our addition, see DEVIATIONS.md: Go drops
 * failures silently and only sends a postmaster mail after 30 retries).
 *
 * Retries: a transient failure (network, 5xx, resolver miss) schedules the next attempt with the
 * Go schedule — first after 60 s; after retry n: n ≤ 5 → 1 min, 6–17 → 5 min, 18–25 → 30 min,
 * ≥ 26 → 60 min — through the injected {@link Scheduler}; after `limits.maxRetries` the job
 * fails. A refusal by the remote server (a 4xx with an error body) is final: the message is
 * refused for a reason a retry cannot change. `flush()` (`POST /admin/flush`) runs every waiting
 * retry now; `idle()` resolves when no attempt is running.
 *
 * Webhooks (webhooks.ts, only with the `webhooks` option): a message filed into a local inbox is
 * a `localdelivery` event of the recipient, a message relayed for a local sender a
 * `remotedelivery` event of the sender; both fire-and-forget, after the state is stored.
 *
 * Crash safety: a local delivery is one commit (the spent ticket, the message files copied into the
 * recipient's mailbox, the box link, the job `delivered`, the upload removed), so after a crash it happened
 * whole or not at all; a message accepted for a local recipient is answered only after that
 * commit is on disk. Every step is idempotent, so `resume()` at start-up simply re-runs every job
 * still `queued` or `retrying`.
 * @module
 */
import { solvePow, parseProofOfWork } from '../../protocol/pow.ts';
import type { Ctx, DeliveryQueue } from './context.ts';
import type { BlobOp, QueueRecord } from './repo.ts';
import type { Scheduled } from './timer.ts';
import { EVENT } from './webhooks.ts';
import { goMap, type GoMap } from '../../protocol/gojson.ts';

/** Go retry_queue.go schedule: delay in seconds before the next attempt, given retries so far. */
export function retryDelaySeconds(retries: number): number {
  if (retries <= 5) return 60;
  if (retries <= 17) return 300;
  if (retries <= 25) return 1800;
  return 3600;
}

/** `CanonicalHost` (internal/api/client.go:253-280): https by default, port 2424 by default. */
export function canonicalHost(routing: string): string {
  let s = routing.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
  const u = new URL(s);
  if (u.port === '') u.port = '2424';
  return `${u.protocol}//${u.host}`;
}

class Permanent extends Error {}

/** The resolver's record of a recipient (ResolverView.address). */
type RecipientRecord = NonNullable<Awaited<ReturnType<Ctx['resolver']['address']>>>;

export class Delivery implements DeliveryQueue {
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Map<string, Scheduled>();
  private stopped = false;

  constructor(private readonly ctx: Ctx) {}

  /**
   * Queue an accepted message, committing `alongside` (the spent ticket) with it; local delivery
   * happens before this resolves.
   */
  async accept(alongside: BlobOp[], job: QueueRecord): Promise<void> {
    if (await this.ctx.repo.hasAccount(job.recipient)) {
      await this.deliverLocal(job, alongside);
      return;
    }
    await this.ctx.repo.commit([...alongside, this.ctx.repo.jobOp(job)]);
    this.start(job.id);
  }

  /** Re-run every unfinished job (after a restart). */
  async resume(): Promise<void> {
    for (const j of await this.ctx.repo.listJobs()) {
      if (j.state === 'queued' || j.state === 'retrying') this.start(j.id);
    }
  }

  /** Attempt every waiting retry now (`POST /admin/flush`). */
  flush(): void {
    for (const [id, t] of [...this.timers]) {
      t.cancel();
      this.timers.delete(id);
      this.start(id);
    }
  }

  /** Resolves when no delivery attempt is in progress. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private start(id: string): void {
    if (this.stopped) return;
    const p = this.attempt(id).catch((e: unknown) => this.ctx.log(`delivery ${id}: ${(e as Error).message}`));
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async attempt(id: string): Promise<void> {
    const repo = this.ctx.repo;
    const job = await repo.getJob(id);
    if (!job || job.state === 'delivered' || job.state === 'failed') return;
    if (await repo.hasAccount(job.recipient)) return this.deliverLocal(job);
    try {
      const where = await this.route(job);
      if ('local' in where) {
        job.recipient = where.local;
        await repo.putJob(job);
        return await this.deliverLocal(job);
      }
      await this.deliverRemote(job, where.remote);
      // Reported to the sending account (Go dispatches on the recipient's hash: DEVIATIONS.md MAIL-16).
      const ref = job.origin && this.ctx.webhooks ? await this.messageRef(job, 'up') : undefined;
      job.state = 'delivered';
      job.reason = '';
      await repo.putJob(job);
      await repo.deleteUpload(job.id);
      this.ctx.log(`delivery ${id}: delivered remotely`);
      if (ref) this.ctx.webhooks?.fire(job.sender, EVENT.remoteDelivery, { message: ref });
    } catch (e) {
      const msg = (e as Error).message;
      const now = this.ctx.clock.now();
      job.lastRetriedAt = now;
      if (e instanceof Permanent) {
        job.state = 'failed';
        job.reason = msg;
        await repo.putJob(job);
        await repo.deleteUpload(job.id);
        return;
      }
      if (job.retries >= this.ctx.limits.maxRetries) {
        job.state = 'failed';
        job.reason = `gave up after ${job.retries} retries: ${msg}`;
        await repo.putJob(job);
        await repo.deleteUpload(job.id);
        return;
      }
      const delay = job.retries === 0 ? 60 : retryDelaySeconds(job.retries);
      job.retries += 1;
      job.state = 'retrying';
      job.reason = msg;
      job.retryAt = now + delay;
      await repo.putJob(job);
      if (!this.stopped) {
        this.timers.set(
          id,
          this.ctx.scheduler.schedule(delay, () => {
            this.timers.delete(id);
            this.start(id);
          }),
        );
      }
    }
  }

  /**
   * Where a recipient without an account here goes, from its resolver record (redirects already
   * followed): an account of this server it redirects to, filed there with the header keeping the
   * address the sender wrote (BM-DELIV-006), or the record to relay by.
   */
  private async route(job: QueueRecord): Promise<{ local: string } | { remote: RecipientRecord }> {
    const addr = await this.ctx.resolver.address(job.recipient);
    if (!addr) throw new Error('recipient not found on the resolver');
    if (await this.ctx.repo.hasAccount(addr.hash)) return { local: addr.hash.toLowerCase() };
    if (addr.routingId.toLowerCase() === this.ctx.routingId.toLowerCase()) {
      throw new Permanent('recipient is registered to this server but has no account here');
    }
    return { remote: addr };
  }

  /** File the message into the recipient's box 1 (idempotent): one commit, see the module comment. */
  private async deliverLocal(job: QueueRecord, alongside: BlobOp[] = []): Promise<void> {
    const repo = this.ctx.repo;
    const names = await repo.listUpload(job.id);
    const files: BlobOp[] = [];
    for (const n of names) {
      const data = await repo.getUpload(job.id, n);
      if (data) files.push({ op: 'put', key: repo.messageFileKey(job.recipient, job.id, n), value: data });
    }
    if (!names.includes('header') && !(await repo.hasMessage(job.recipient, job.id))) {
      job.state = 'failed';
      job.reason = 'message files lost before delivery';
      await repo.commit([...alongside, repo.jobOp(job)]);
      return;
    }
    const linked = !(await repo.isLinked(job.recipient, 1, job.id));
    const link = linked ? [await repo.linkOp(job.recipient, 1, job.id, this.ctx.clock.now())] : [];
    job.state = 'delivered';
    job.reason = '';
    await repo.commit([...alongside, ...files, ...link, repo.jobOp(job), ...(await repo.deleteUploadOps(job.id))]);
    this.ctx.log(`delivery ${job.id}: delivered locally`);
    // Once per message, when it is first filed (a resumed job does not report it again).
    if (linked && this.ctx.webhooks) this.ctx.webhooks.fire(job.recipient, EVENT.localDelivery, { message: await this.messageRef(job, 'box') });
  }

  /**
   * The webhook payload of a delivery (dispatcher.go DispatchLocalDelivery): `from` and `to` as
   * the header says them, `id` = the message id; the queue record's hashes if the header cannot be read.
   */
  private async messageRef(job: QueueRecord, where: 'box' | 'up'): Promise<GoMap> {
    let from = job.sender;
    let to = job.recipient;
    try {
      const raw = where === 'box' ? await this.ctx.repo.getMessageFile(job.recipient, job.id, 'header') : await this.ctx.repo.getUpload(job.id, 'header');
      const h = raw && (JSON.parse(Buffer.from(raw).toString('utf8')) as { from?: { address?: unknown }; to?: { address?: unknown } });
      if (h && typeof h.from?.address === 'string') from = h.from.address;
      if (h && typeof h.to?.address === 'string') to = h.to.address;
    } catch {
      /* keep the queue record's hashes */
    }
    return goMap({ from, to, id: job.id });
  }

  /** Relay to the recipient's server. Throws Permanent for a refusal, Error for a transient failure. */
  private async deliverRemote(job: QueueRecord, addr: RecipientRecord): Promise<void> {
    const { resolver, peer, repo } = this.ctx;
    const route = await resolver.routing(addr.routingId);
    if (!route) throw new Error("recipient's routing record not found on the resolver");
    const base = canonicalHost(route.routing);
    const call = async (path: string, init: { method: string; headers?: Record<string, string>; body?: Uint8Array | string }) => {
      let r;
      try {
        r = await peer.request(base + path, init);
      } catch (e) {
        throw new Error(`${init.method} ${path}: ${(e as Error).message}`);
      }
      if (r.status >= 200 && r.status < 300) return r;
      let reason = `HTTP ${r.status}`;
      try {
        const b = JSON.parse(Buffer.from(r.body).toString('utf8')) as { status?: unknown };
        if (typeof b.status === 'string') reason = `${r.status} ${b.status}`;
      } catch {
        /* body not JSON */
      }
      const msg = `remote server refused ${init.method} ${path}: ${reason}`;
      if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) throw new Permanent(msg);
      throw new Error(msg);
    };
    const json = { 'content-type': 'application/json' };

    // Ticket, with proof of work when asked (spec/api.md §3.1 P4/P5).
    const { faults } = this.ctx;
    const ticketRequest = faults.capitaliseTicketRequest
      ? { Sender: job.sender, Recipient: addr.hash, Subscription_ID: '', Preference: ['pow'] }
      : { sender: job.sender, recipient: addr.hash, subscription_id: '', preference: ['pow'] };
    const tr = await call('/ticket', { method: 'POST', headers: json, body: JSON.stringify(ticketRequest) });
    let ticket = JSON.parse(Buffer.from(tr.body).toString('utf8')) as { ID: string; Valid: boolean; Work?: { Data?: string } | null };
    if (!ticket.Valid) {
      const work = parseProofOfWork(String(ticket.Work?.Data ?? ''));
      const proof = faults.skipRemoteProofOfWork ? 0n : solvePow(work.bits, work.data, 1n);
      const pr = await call(`/ticket/${encodeURIComponent(ticket.ID)}`, { method: 'POST', headers: json, body: `{"${faults.capitaliseTicketRequest ? 'Proof' : 'proof'}":${proof}}` });
      ticket = JSON.parse(Buffer.from(pr.body).toString('utf8')) as typeof ticket;
      if (!ticket.Valid) throw new Error('remote server did not accept our proof of work');
    }
    const th = { 'x-bitmaelum-ticket': ticket.ID };
    const names = await repo.listUpload(job.id);
    const header = await repo.getUpload(job.id, 'header');
    const catalog = await repo.getUpload(job.id, 'catalog');
    if (!header || !catalog) throw new Permanent('message files lost before delivery');
    try {
      await call('/incoming/header', { method: 'POST', headers: { ...th, ...json }, body: header });
      await call('/incoming/catalog', { method: 'POST', headers: { ...th, 'content-type': 'application/octet-stream' }, body: catalog });
      for (const n of names) {
        if (!n.startsWith('blk/')) continue;
        const data = await repo.getUpload(job.id, n);
        if (!data) continue;
        await call(`/incoming/block/${encodeURIComponent(n.slice(4))}`, { method: 'POST', headers: { ...th, 'content-type': 'application/octet-stream' }, body: data });
      }
      await call('/incoming', { method: 'POST', headers: th });
    } catch (e) {
      // Go: on an upload error, cancel the remote upload, then retry later.
      await peer.request(`${base}/incoming`, { method: 'DELETE', headers: th }).catch(() => undefined);
      throw e;
    }
  }
}
