/**
 * Options of the reference mail server: where it finds the resolver, which keys it holds, its
 * limits, and the fault switches that make it deliberately wrong in one way each.
 *
 * Fault switches exist so the harness can prove that a conformance test really detects a defect:
 * flipping one switch must make exactly the tests of that fault class fail (a later harness test
 * checks this). Every switch defaults to `false` (the conforming behaviour).
 * @module
 */
import type { Clock, Rng } from '../../protocol/random.ts';
import type { Scheduler } from './timer.ts';
import type { CertificateAuthority } from '../tls.ts';
import type { StorageFaults } from '../durable-storage.ts';

/** One boolean per fault class. `true` = the server has that defect. */
export interface Faults {
  /** Deliver mail whose `signatures.client` does not verify (spec/api.md §5.5, formats.md §4.4). */
  skipClientSignatureCheck: boolean;
  /** Deliver mail whose `signatures.server` does not verify against the origin's routing key. */
  skipServerSignatureCheck: boolean;
  /** Deliver mail whose `authorized_by.signature` (account key over the auth key) does not verify. */
  skipAuthorizationCheck: boolean;
  /** Deliver mail whose uploaded catalog bytes do not match `catalog.size` / `catalog.checksum`. */
  skipCatalogChecksum: boolean;
  /** Accept account JWTs whose `exp` has passed or whose `nbf`/`iat` lie in the future (§2.3a). */
  acceptExpiredTokens: boolean;
  /** Accept JWTs with `alg: none` and an empty signature (RFC 8725 §3.1 attack). */
  acceptAlgNone: boolean;
  /** Accept JWTs whose `sub` names another account (token of account X used on account Y). */
  acceptWrongSubject: boolean;
  /** Accept account proofs of work below the required bits, or over other data (§3.1 P2, P5). */
  acceptWeakProofOfWork: boolean;
  /** Accept invite tokens that fail verification or are bound to another address/server (§5.1). */
  acceptBadInvite: boolean;
  /** Keep a ticket usable after `POST /incoming` (upload replay with a spent ticket). */
  allowTicketReplay: boolean;
  /** Issue a client ticket whose `sender` is not the authenticated account (§8.6). */
  skipSenderBinding: boolean;
  /** Accept `POST /incoming` before the header and catalog were uploaded. */
  acceptIncompleteUpload: boolean;
  /** Accept on-behalf JWTs signed by an authorised key whose `expires` has passed (Go's §8 item 9). */
  acceptExpiredAuthKeys: boolean;
  /** Never post to enabled webhooks (the routes still work): events are lost silently. */
  dropWebhookEvents: boolean;
  /** Account routes match an {addr} segment of any length and characters, not only 64 of [A-Za-z0-9] (api.md §2.2). */
  looseAddressRoute: boolean;
  /** Store a key/value entry whose signature does not verify (api.md §3.6, formats.md §10.5). */
  acceptUnsignedStoreEntries: boolean;
  /** Store a key/value entry under a parent that does not exist (api.md §3.6). */
  acceptOrphanStoreEntries: boolean;
  /** Delete a key/value entry that has children, leaving them without a parent (api.md §3.6). */
  deleteStoreEntriesWithChildren: boolean;
  /** Relay with capitalised JSON keys (`Sender`, `Proof`): Go reads them, a stricter server may not (api.md §2.4). */
  capitaliseTicketRequest: boolean;
  /** Relay without solving the remote ticket's proof of work (proof 0), so the remote server never validates the ticket (api.md §5.5). */
  skipRemoteProofOfWork: boolean;
  /** Register the routing record as the bare host, without the port the server listens on, so others dial 2424 (api.md §2.1, §7.5). */
  registerRoutingWithoutPort: boolean;
  /** Validate a ticket on the proof 0 without checking any work (formats.md §9 HasDoneWork). */
  acceptProofZero: boolean;
  /** Accept an account JWT without `exp` (jwt-go's default: no exp, no expiry; formats.md §8). */
  acceptTokensWithoutExp: boolean;
  /** Accept an on-behalf JWT (signed by an authorised key) on every account route, not only the on-behalf ones (api.md §2.3b). */
  acceptOnBehalfEverywhere: boolean;
  /** Store a block or attachment whose id is `catalog` or `header` over that part of the message, as Go's one-folder layout does (api.md §3.1 P8, §8 item 12). */
  blockOverwritesParts: boolean;
  /** Answer 200 to a move or copy into a box that does not exist (a moved message then leaves its box for nowhere; api.md §3.2 A9/A10). */
  fileIntoMissingBoxes: boolean;
  /** Create an account whose address is not hash(user_hash + org_hash) (api.md §3.1 P2 step 4). */
  skipAddressHashCheck: boolean;
  /** Let any bearer token (an account JWT, an unknown key) act as the management key on `/admin/*` (api.md §3.8). */
  skipManagementKeyCheck: boolean;
  /** Accept an account API key on any account and for any route, ignoring its account and permissions (api.md §3.4). */
  skipApiKeyScope: boolean;
  /** Accept uploads with a ticket whose proof of work was never validated (api.md §3.1 P6-P10). */
  acceptUnvalidatedTickets: boolean;
  /** Accept a header whose from/to addresses are not the ticket's sender and recipient (api.md §3.1 P6). */
  skipHeaderAddressCheck: boolean;
  /** Store an authorised key whose signature is not by the account's key, as Go does at creation (api.md §3.5, §8 item 9). */
  acceptUnsignedAuthKeys: boolean;
  /** Delete a mandatory box (inbox, outbox, trash, any id up to 99) like one the account created (api.md §3.2 A2). */
  deleteMandatoryBoxes: boolean;
}

export const NO_FAULTS: Readonly<Faults> = Object.freeze({
  skipClientSignatureCheck: false,
  skipServerSignatureCheck: false,
  skipAuthorizationCheck: false,
  skipCatalogChecksum: false,
  acceptExpiredTokens: false,
  acceptAlgNone: false,
  acceptWrongSubject: false,
  acceptWeakProofOfWork: false,
  acceptBadInvite: false,
  allowTicketReplay: false,
  skipSenderBinding: false,
  acceptIncompleteUpload: false,
  acceptExpiredAuthKeys: false,
  dropWebhookEvents: false,
  looseAddressRoute: false,
  acceptUnsignedStoreEntries: false,
  acceptOrphanStoreEntries: false,
  deleteStoreEntriesWithChildren: false,
  capitaliseTicketRequest: false,
  skipRemoteProofOfWork: false,
  registerRoutingWithoutPort: false,
  acceptProofZero: false,
  acceptTokensWithoutExp: false,
  acceptOnBehalfEverywhere: false,
  blockOverwritesParts: false,
  fileIntoMissingBoxes: false,
  skipAddressHashCheck: false,
  skipManagementKeyCheck: false,
  skipApiKeyScope: false,
  acceptUnvalidatedTickets: false,
  skipHeaderAddressCheck: false,
  acceptUnsignedAuthKeys: false,
  deleteMandatoryBoxes: false,
});

export const FAULT_NAMES = Object.keys(NO_FAULTS) as (keyof Faults)[];

export interface Limits {
  /** Largest JSON request body (bytes). Go has none; 1 MiB is plenty for every JSON body. */
  maxJsonBytes: number;
  /** Largest catalog / block / attachment upload (bytes). */
  maxBlobBytes: number;
  /** Proof-of-work bits demanded for tickets of remote senders (Go config `work.pow.bits`, default 25). */
  ticketPowBits: number;
  /**
   * Minimum bits for the account proof of work. `undefined` = ask the resolver's
   * `/config.json` (`proof_of_work.address`), falling back to 20 as Go does (§3.1 P2 step 2).
   */
  accountPowBits: number | undefined;
  /** Ticket lifetime in seconds (Go: 1800). */
  ticketTtlSeconds: number;
  /** Give up remote delivery after this many retries (Go: more than 30). */
  maxRetries: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxJsonBytes: 1024 * 1024,
  maxBlobBytes: 32 * 1024 * 1024,
  ticketPowBits: 25,
  accountPowBits: undefined,
  ticketTtlSeconds: 1800,
  maxRetries: 30,
});

export interface MailServerOptions {
  /** Base URL of the key resolver, e.g. `https://127.0.0.1:40001`. */
  resolverUrl: string;
  /** PEM of the CA that signed the resolver's and peer servers' certificates (trusted for outgoing calls). */
  caPem: string;
  /** TLS certificate chain + key of this server (PEM). Omit to have one issued by `ca`. */
  tls?: { cert: string; key: string } | { certPem: string; keyPem: string };
  /** The run's CA (harness/reference/tls.ts), used to issue this server's certificate when `tls` is omitted. */
  ca?: CertificateAuthority;
  /** Routing key pair as key strings (`"ed25519 MC4C…"` / `"ed25519 MCow…"`). */
  routingKey: { privateKey: string; publicKey: string };
  /** Routing ID; defaults to `hash.New(hex(raw ed25519 public key))` (spec/api.md §1.1). */
  routingId?: string;
  /** Management API key (`BMK-…`) accepted on `/admin/*` with every admin permission. Omit = admin routes answer 401. */
  adminKey?: string;
  /** Persist to this directory (durable, atomic writes). Omit = in memory. */
  dataDir?: string;
  /**
   * Defects of the durable storage under `dataDir` (durable-storage.ts `StorageFaults`). Not in `faults`:
   * no conformance test can see them, only a kill of the server can (durability.slow.test.ts).
   */
  storageFaults?: Partial<StorageFaults>;
  /** Register `routing id → 127.0.0.1:port` on the resolver at start (Go main.go:151-180). Default true. */
  registerRouting?: boolean;
  /** Port to listen on (127.0.0.1). Default 0 = any free port. */
  port?: number;
  limits?: Partial<Limits>;
  faults?: Partial<Faults>;
  rng?: Rng;
  clock?: Clock;
  scheduler?: Scheduler;
  /** Organisation names whose accounts may register here (Go config `organisations:`). */
  organisations?: string[];
  /** Log function for delivery events (default: silent). */
  log?: (msg: string) => void;
  /**
   * Webhook routes and dispatching (spec/api.md §3.7, webhooks.ts), Go's `webhooks.enabled`.
   * Default false, as Go's default config: the webhook routes are absent (404).
   */
  webhooks?: boolean;
  /** Called with every routed request and its body before it is handled (tests record the wire). */
  onRequest?: (req: { method: string; path: string; body: Uint8Array }) => void;
}
