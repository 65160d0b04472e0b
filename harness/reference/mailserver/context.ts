/**
 * Everything a mail-server handler needs, built once by `startMailServer` (index.ts).
 * @module
 */
import type { Clock, Rng } from '../../protocol/random.ts';
import type { PrivateKey, PublicKey } from '../../protocol/keys.ts';
import type { Faults, Limits } from './options.ts';
import type { Repo } from './repo.ts';
import type { Scheduler } from './timer.ts';
import type { Delivery } from './delivery.ts';
import type { Webhooks } from './webhooks.ts';

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
  delivery: Delivery;
  /** The webhook routes, store and dispatcher; undefined unless the `webhooks` option is on (Go's default: off). */
  webhooks?: Webhooks;
}
