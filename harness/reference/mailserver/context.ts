/**
 * Everything a mail-server handler needs, built once by `startMailServer` (index.ts). The
 * context names what it needs of the delivery queue and of the webhooks as interfaces here
 * ({@link DeliveryQueue}, {@link WebhookEvents}), which delivery.ts and webhooks.ts implement,
 * so no module imports back the context's own importers.
 * @module
 */
import type { Clock, Rng } from '../../protocol/random.ts';
import type { PrivateKey, PublicKey } from '../../protocol/keys.ts';
import type { Faults, Limits } from './options.ts';
import type { Repo } from './repo.ts';
import type { Scheduler } from './timer.ts';
import type { GoValue } from '../../protocol/gojson.ts';
import type { BlobOp, QueueRecord } from './repo.ts';
import type { WebhookStore } from './webhookstore.ts';

/** What the server asks of the key resolver (spec/api.md §7.5). `undefined` = not found. */
export interface ResolverView {
  /** `GET /address/<hash>`: final record after redirects. */
  address(hash: string): Promise<{ hash: string; publicKey: string; routingId: string } | undefined>;
  /** `GET /routing/<id>`. */
  routing(id: string): Promise<{ hash: string; routing: string; publicKey: string } | undefined>;
  /** `GET /organisation/<hash>`. */
  organisation(hash: string): Promise<{ hash: string; publicKey: string } | undefined>;
  /** `/config.json` `proof_of_work.address`, or undefined when unavailable. */
  addressPowBits(): Promise<number | undefined>;
}

/** A minimal HTTPS client for talking to peer mail servers (trusting the run's CA). */
export interface PeerClient {
  request(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: Uint8Array | string },
  ): Promise<{ status: number; body: Uint8Array }>;
}

/** The delivery queue (delivery.ts `Delivery`), as the handlers and the server drive it. */
export interface DeliveryQueue {
  /** Queue an accepted message, committing `alongside` (the spent ticket) with it; local delivery happens before this resolves. */
  accept(alongside: BlobOp[], job: QueueRecord): Promise<void>;
  /** At start-up: re-run every job still queued or retrying. */
  resume(): Promise<void>;
  /** Run every waiting retry now. */
  flush(): void;
  /** Resolves when no delivery attempt is running. */
  idle(): Promise<void>;
  /** No new attempts (the server is closing). */
  stop(): void;
}

/** The webhooks (webhooks.ts `Webhooks`): their store and the events handlers report to them. */
export interface WebhookEvents {
  readonly store: WebhookStore;
  /** An event happened to `account` (webhooks.ts `EVENT`); posts happen in the background. */
  fire(account: string, event: number, payload: Record<string, GoValue>): void;
  /** Resolves when no webhook post is in flight. */
  idle(): Promise<void>;
  /** No new posts (the server is closing). */
  stop(): void;
}

export interface Ctx {
  readonly repo: Repo;
  readonly faults: Readonly<Faults>;
  readonly limits: Readonly<Limits>;
  readonly rng: Rng;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly routingId: string;
  readonly routingPriv: PrivateKey;
  readonly routingPub: PublicKey;
  /** The routing public key as a key string (what the resolver's routing record holds). */
  readonly routingPubText: string;
  readonly adminKey: string | undefined;
  readonly organisations: readonly string[];
  readonly resolver: ResolverView;
  readonly peer: PeerClient;
  readonly log: (msg: string) => void;
  /** Set after construction (delivery needs the context too). */
  delivery: DeliveryQueue;
  /** The webhook store and dispatcher; undefined unless the `webhooks` option is on (Go's default: off). */
  webhooks?: WebhookEvents;
}
