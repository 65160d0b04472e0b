/**
 * Accounts on a mail server under test, made the way the Go client makes them (api.md §6.1,
 * §3.1 P2, §3.8): an invite from the management API (`POST /admin/invite` with the target's
 * admin key), a proof of work over the address hash with the resolver's `/config.json` minimum,
 * `POST /account`, then the address record on the key resolver with the routing id the invite
 * names. Works for every key type: ed25519 and ecdsa keys come from the run's seeded stream
 * (resolver.ts), rsa and rsa4096 keys from fixtures (harness/protocol/fixtures.ts: the Go test
 * data keys and our RSA-4096 pair), because generating RSA keys costs seconds on a loaded
 * machine and their values do not matter here.
 *
 * Each step is also exposed (`invite`, `accountBody`, `postAccount`, `register`) so a test can
 * get exactly one of them wrong. Setup failures throw: a refused step fails the test (must.ts),
 * a missing admin key is a HarnessError (`config`: the run needs `--admin-key`).
 *
 * Key types: a set-up that needs accounts of several key types makes them with
 * {@link AccountsByType}, one type at a time, so a type the target refuses (the Go key resolver
 * answers 400 "invalid data" to an rsa4096 record, BM-RES-039) makes only the tests that name
 * that type `unsupported` ({@link KeyTypeRefused}), and the others still run.
 *
 * Proof of work for `POST /account`: the server's account minimum is the resolver's published
 * `/config.json` address minimum, or 20 bits when the resolver publishes none (api.md §3.1 P2
 * step 2, the Go server's fallback); when the server's 400 names another minimum ("Proof of work
 * must be at least N bits"), the factory solves N from then on — what the target says wins.
 * @module
 */
import { formatPublicKey, fingerprint, parsePrivateKey, publicKeyOf, type KeyType } from '../../harness/protocol/keys.ts';
import { GO_KEY_1, GO_KEY_2, GO_KEY_4, GO_KEY_5, GO_KEY_6, GO_KEY_7, GO_KEY_8, RSA4096_FIXTURE, type KeyPairText } from '../../harness/protocol/fixtures.ts';
import { parseInvite } from '../../harness/protocol/invite.ts';
import type { GoValue } from '../../harness/protocol/gojson.ts';
import { HarnessError } from './errors.ts';
import { request, type HttpResponse } from './http.ts';
import { isObject, show } from './match.ts';
import { fail, mustStatus, unsupported } from './must.ts';
import { SERVER_FALLBACK_POW_BITS, type AccountIdentity, type KeyPair, type SuiteResolver } from './resolver.ts';

/** An account that exists on a mail server and on the resolver. */
export interface MailAccount extends AccountIdentity {
  /** Base URL of its mail server. */
  readonly serverUrl: string;
  /** Routing id of its mail server (from the invite). */
  readonly routingId: string;
}

/** The mail server accounts are made on. */
export interface ServerRef {
  readonly url: string;
  /** Management API key (`BMK-…`) with the `invite` permission. */
  readonly adminKey: string | undefined;
}

/** RSA-2048 fixtures, handed out in turn (GO_KEY_3 is left for header KATs elsewhere). */
const RSA_FIXTURES: readonly KeyPairText[] = [GO_KEY_1, GO_KEY_2, GO_KEY_4, GO_KEY_5, GO_KEY_6, GO_KEY_7, GO_KEY_8];
let rsaNext = 0;

/** A key pair from a fixture text. */
export function fixtureKey(k: KeyPairText): KeyPair {
  const priv = parsePrivateKey(k.privateKey);
  const pub = publicKeyOf(priv);
  return { type: priv.type, privateKey: priv, publicKey: formatPublicKey(pub), fingerprint: fingerprint(pub) };
}

/**
 * The target refused a key type that it accepts for ed25519 (same request, other key): it does
 * not implement that type. Tests that need the type report `unsupported` ({@link AccountsByType}).
 */
export class KeyTypeRefused extends Error {
  override name = 'KeyTypeRefused';
  constructor(readonly type: KeyType, message: string) {
    super(message);
  }
}

/** The server's answer to a proof below its account minimum (api.md §3.1 P2 step 2). */
const TOO_WEAK_RE = /^Proof of work must be at least (\d{1,3}) bits$/;

export class AccountFactory {
  /** The account minimum the server named in a refusal (see the module doc). */
  private serverBits: number | undefined;

  constructor(
    readonly resolver: SuiteResolver,
    readonly server: ServerRef,
  ) {}

  /** A fresh identity (`<name>-<nonce><n>!`) with a key of `type`. */
  identity(name: string, type: KeyType = 'ed25519'): AccountIdentity {
    if (type === 'rsa') return this.resolver.account(name, { key: fixtureKey(RSA_FIXTURES[rsaNext++ % RSA_FIXTURES.length]!) });
    if (type === 'rsa4096') return this.resolver.account(name, { key: fixtureKey(RSA4096_FIXTURE) });
    return this.resolver.account(name, { type });
  }

  /** `POST /admin/invite {"address","days"}` (raw answer); `adminKey` null = no Authorization header. */
  postInvite(hash: string, days: number, adminKey: string | null | undefined = this.server.adminKey): Promise<HttpResponse> {
    return request('POST', `${this.server.url}/admin/invite`, { json: { address: hash, days }, ...(typeof adminKey === 'string' ? { bearer: adminKey } : {}) });
  }

  /** An invite token for `hash` from the management API (must answer 201). */
  async invite(hash: string, days = 1): Promise<string> {
    if (!this.server.adminKey) {
      throw new HarnessError('config', `no management key for ${this.server.url}: accounts are provisioned with POST /admin/invite (pass --admin-key)`);
    }
    const r = await this.postInvite(hash, days);
    mustStatus(r, 201, 'setup: POST /admin/invite');
    const tok = isObject(r.json) ? r.json.token : undefined;
    if (typeof tok !== 'string') fail(`setup: POST /admin/invite: no token in ${show(r.json)}`, '{"token":…}', r.json);
    return tok;
  }

  /**
   * The account proof-of-work minimum the server applies (api.md §3.1 P2 step 2): the resolver's
   * published `/config.json` address minimum, else the Go server's 20-bit fallback — unless the
   * server has named another one in a refusal.
   */
  async powBits(): Promise<number> {
    return this.serverBits ?? (await this.expectedPowBits());
  }

  /**
   * The account minimum the spec expects of the server (BM-ACCT-001): the resolver's published
   * `/config.json` address minimum, or 20 bits when it publishes none. Tests of that minimum use
   * this, never what the server named.
   */
  async expectedPowBits(): Promise<number> {
    return (await this.resolver.publishedMinimums())?.address ?? SERVER_FALLBACK_POW_BITS;
  }

  /** A `POST /account` body; every field can be overridden. */
  accountBody(id: AccountIdentity, f: { token: string; proof: string; address?: string; user_hash?: string; org_hash?: string; public_key?: string }): GoValue {
    return {
      address: f.address ?? id.hash,
      user_hash: f.user_hash ?? id.localHash,
      org_hash: f.org_hash ?? id.orgHash,
      token: f.token,
      public_key: f.public_key ?? id.publicKey,
      proof_of_work: f.proof,
    };
  }

  /** `POST /account` with `body` (raw answer). */
  postAccount(body: GoValue | string): Promise<HttpResponse> {
    return typeof body === 'string'
      ? request('POST', `${this.server.url}/account`, { body, headers: { 'content-type': 'application/json' } })
      : request('POST', `${this.server.url}/account`, { json: body });
  }

  /** Register the address on the resolver with `routingId` (the client's last step, §6.1 step 5). */
  async register(id: AccountIdentity, routingId: string): Promise<void> {
    const { response } = await this.resolver.postNewAddress(id, { routingId });
    refusedKeyType(id.type, response, this.resolver.acceptedKeyTypes, `the key resolver refuses ${id.type} address records`);
    await this.resolver.finishCreateAddress(id, response);
  }

  /** Make `id` an account on the server (invite, PoW, POST /account 201) without registering it on the resolver. */
  async createOnServer(id: AccountIdentity): Promise<{ token: string; routingId: string; proof: string }> {
    const token = await this.invite(id.hash);
    let bits = await this.powBits();
    let proof = await this.resolver.proof(id.hash, bits);
    let r = await this.postAccount(this.accountBody(id, { token, proof }));
    // The server named a higher minimum than the resolver's (e.g. its fallback when the resolver
    // publishes none): solve what it asks, once. The invite is checked after the proof, so it is unspent.
    const named = r.status === 400 && isObject(r.json) && typeof r.json.status === 'string' ? TOO_WEAK_RE.exec(r.json.status) : null;
    if (named && Number(named[1]) > bits) {
      bits = this.serverBits = Number(named[1]);
      proof = await this.resolver.proof(id.hash, bits);
      r = await this.postAccount(this.accountBody(id, { token, proof }));
    }
    refusedKeyType(id.type, r, this.serverAcceptedKeyTypes, `the mail server refuses accounts with ${id.type} keys`);
    mustStatus(r, 201, `setup: POST /account for ${id.address}`);
    this.serverAcceptedKeyTypes.add(id.type);
    return { token, routingId: parseInvite(token).routingId, proof };
  }

  /** Key types `POST /account` has accepted (the witness for {@link KeyTypeRefused}). */
  private readonly serverAcceptedKeyTypes = new Set<KeyType>();

  /** A complete account: on the server and on the resolver. */
  async create(name: string, type: KeyType = 'ed25519'): Promise<MailAccount> {
    return this.adopt(this.identity(name, type));
  }

  /** Make an existing identity a complete account. */
  async adopt(id: AccountIdentity): Promise<MailAccount> {
    const { routingId } = await this.createOnServer(id);
    await this.register(id, routingId);
    return { ...id, serverUrl: this.server.url, routingId };
  }
}

/**
 * Throw {@link KeyTypeRefused} when `r` is a 4xx refusal of an account or record of `type`
 * while the same step has accepted an ed25519 key: the refusal is about the key type, not the
 * request. Anything else is left to the caller's `mustStatus`.
 */
function refusedKeyType(type: KeyType, r: HttpResponse, accepted: ReadonlySet<KeyType>, what: string): void {
  if (type === 'ed25519' || r.status < 400 || r.status >= 500 || !accepted.has('ed25519')) return;
  throw new KeyTypeRefused(type, `${what}: ${r.method} ${new URL(r.url).pathname} answered ${r.status} ${show(r.json ?? r.text, 200)}, where the same request with an ed25519 key was accepted`);
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Set-up values (usually accounts) made per key type, each type on its own: a failure of one
 * type is kept for the tests that name that type, and the other types are still made. A test
 * names the types it needs with {@link AccountsByType.get}: a type the target refused
 * ({@link KeyTypeRefused}) makes the test `unsupported`; any other set-up failure of that type
 * is rethrown (fail, or error when the target could not be reached).
 */
export class AccountsByType<T> {
  private readonly made = new Map<KeyType, Settled<T>>();

  /**
   * Make a value for each of `types`, in order (put ed25519 first: it is the witness that makes a
   * refusal of another type a refusal of the type). After a HarnessError (the target could not be
   * reached) the remaining types are not tried: they get the same error.
   */
  async make(types: readonly KeyType[], fn: (type: KeyType) => Promise<T>): Promise<void> {
    let unreachable: HarnessError | undefined;
    for (const t of types) {
      if (unreachable) {
        this.made.set(t, { ok: false, error: unreachable });
        continue;
      }
      try {
        this.made.set(t, { ok: true, value: await fn(t) });
      } catch (error) {
        this.made.set(t, { ok: false, error });
        if (error instanceof HarnessError) unreachable = error;
      }
    }
  }

  /** The value made for `type`; `unsupported` if the target refused the type; the set-up's error otherwise. */
  get(type: KeyType): T {
    const s = this.made.get(type);
    if (s === undefined) throw new Error(`set-up made nothing for key type ${type} (add it to the types the set-up makes)`);
    if (s.ok) return s.value;
    if (s.error instanceof KeyTypeRefused) unsupported(s.error.message);
    throw s.error;
  }
}
