/**
 * Options of the reference key resolver (server.ts): its store, proof-of-work minimums,
 * reserved hashes, serial clock, deployment variants, and the fault switches that make it
 * deliberately wrong in one way each, so a resolver-profile test can be shown to detect it.
 * Every switch defaults to `false` (the conforming behaviour).
 * @module
 */
import type { KeyType } from '../../protocol/keys.ts';
import type { Storage } from '../storage.ts';

/** Deliberate defects, for proving that resolver-profile tests detect them. All default false. */
export interface ResolverFaults {
  /** Create address/organisation records with too few PoW bits or PoW over other data. */
  acceptWeakProofOfWork: boolean;
  /** Accept any (or no) bearer on update/delete/undelete. */
  skipBearerCheck: boolean;
  /**
   * Emit serials rounded through a JS number (the classic JSON.parse bug, §1.5) while verifying
   * bearers against the exact stored serial: a client signing what it read gets 401.
   * With the switch on, every issued serial from 2^59 on (all wall-clock serials since 2006)
   * has its low byte set to 0x55, so rounding always changes it and never by exactly one: the
   * defect shows on every record, not only on the 255 in 256 whose serial is not a double, and a
   * test signing over `read + 1` is never right by accident.
   */
  lossySerials: boolean;
  /** Store an address whose `redir_hash` does not resolve (unknown, deleted, or one hop too many) (api.md §7.2). */
  acceptDanglingRedirects: boolean;
}

export const NO_RESOLVER_FAULTS: Readonly<ResolverFaults> = Object.freeze({
  acceptWeakProofOfWork: false,
  skipBearerCheck: false,
  lossySerials: false,
  acceptDanglingRedirects: false,
});

export interface ResolverOptions {
  /** Record store (default: a fresh in-memory store). */
  storage?: Storage;
  /** Minimum PoW bits (`/config.json`). Default: the lambda's 27 / 29 (api.md §9.2). */
  pow?: { address: number; organisation: number };
  /**
   * Reserved hashes → domains (`GET /reserved/{hash}`). Creating a reserved record needs a TXT
   * record `_bitmaelum.<domain>` equal to the key fingerprint (address) or containing the hash
   * (organisation), looked up with `lookupTxt`; without `lookupTxt` reserved hashes cannot be created.
   */
  reserved?: Record<string, string[]>;
  lookupTxt?: (name: string) => Promise<string[]>;
  /** Source of serials, Unix ns (default: wall clock in ns). Serials always strictly increase. */
  serialClock?: () => bigint;
  /**
   * Creating a routing record requires proof of key possession (bearer over `hash + "0"`) and, for
   * ed25519 keys, routing id = hash.New(hex(raw key)). Default true; false = Go's first come, first served.
   */
  routingCreateNeedsSignature?: boolean;
  /** Largest request body (default 64 KiB; the largest real body is an RSA-4096 key, ~1 KiB). */
  maxBodyBytes?: number;
  faults?: Partial<ResolverFaults>;
  /**
   * Answer `GET /config.json` (default true). false = as the Go standalone resolver
   * (cmd/bm-keyresolver), whose router has no such route: 400 "invalid hash" (api.md §7.2, §8
   * item 15). A deployment variant the suites must cope with (`--pow-bits`), not a fault switch.
   */
  publishConfig?: boolean;
  /**
   * Key types whose keys records may hold (default: every type of the current format). A smaller
   * set = an older library, e.g. key-resolver-go's Nov-2020 one without `rsa4096` (api.md §7.4):
   * a key of another type is "invalid data", as a key that does not parse.
   */
  keyTypes?: readonly KeyType[];
}

/** The lambda deployment's minimums (api.md §9.2). */
export const DEFAULT_POW = { address: 27, organisation: 29 } as const;
