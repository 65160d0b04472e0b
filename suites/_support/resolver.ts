/**
 * A key-resolver client for suites (spec/api.md §7, formats.md §10.4): makes identities,
 * proofs of work, bearer signatures and request bodies with the protocol library, and sends
 * them through http.ts (so every exchange lands in the test's wire trace and a dead resolver is
 * an `error`, not a `fail`).
 *
 * Unlike harness/reference/resolver/client.ts (the reference's own client, which hides the
 * protocol behind "upload"/"delete"), this one exposes each step so a test can get one of them
 * wrong on purpose: the proof (missing, weak, over other data), the bearer (wrong key, wrong or
 * stale serial, absent, odd prefix) and the body. Setup helpers (`create…`) do the whole step
 * the way the Go client does and fail the test when the resolver refuses.
 *
 * - Identities are drawn from the run seed (target.ts `suiteRng`) mixed with a per-process
 *   nonce, so names and routing ids are fresh on every run against a resolver that keeps its
 *   records (a url target), and keys are reproducible within a run.
 * - Bodies are Go maps with sorted keys, as the Go client sends them (formats.md §10.4,
 *   BM-RES-043): address `{org_hash, proof, public_key, redir_hash, routing_id, user_hash}`,
 *   routing `{public_key, routing}`, organisation `{proof, public_key, validations}`.
 * - Bearer = `b64(Sign(key, SHA-256(hash ‖ routing_id ‖ decimal serial)))` (routing and
 *   organisation: no routing id); serials are bigint end to end (§1.5).
 * @module
 */
import { goMap, type GoValue, type JsonValue } from '../../harness/protocol/gojson.ts';
import { formatPublicKey, generateKeyPair, ed25519PublicBytes, fingerprint, parsePublicKey, type KeyType, type PrivateKey } from '../../harness/protocol/keys.ts';
import { parseAddress, organisationHash } from '../../harness/protocol/address.ts';
import { hashString } from '../../harness/protocol/hash.ts';
import { toHex } from '../../harness/protocol/bytes.ts';
import { formatProofOfWork, verifyPow } from '../../harness/protocol/pow.ts';
import { resolverBearer } from '../../harness/protocol/resolverauth.ts';
import type { Rng } from '../../harness/protocol/random.ts';
import { request, type HttpResponse, type RequestOptions } from './http.ts';
import { isObject, show, uint64Of } from './match.ts';
import { fail, mustStatus } from './must.ts';
import { runNonce, suiteRng, suiteTarget } from './target.ts';
import { solveWithinTest } from './pow.ts';
import { HarnessError } from './errors.ts';

/** A difficulty a proof of work can have (0..256 bits). */
const isBits = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 256;

export type RecordKind = 'address' | 'routing' | 'organisation';

/** A key pair: the private key object and the public key string as stored on the resolver. */
export interface KeyPair {
  readonly type: KeyType;
  readonly privateKey: PrivateKey;
  readonly publicKey: string;
  /** Fingerprint of the public key (hex SHA-256 of SPKI DER). */
  readonly fingerprint: string;
}

/** An address and its key. */
export interface AccountIdentity extends KeyPair {
  readonly address: string;
  readonly hash: string;
  readonly localHash: string;
  readonly orgHash: string;
}

/** A mail server routing identity: ed25519 key and routing id = hash.New(hex(raw public key)) (§1.1). */
export interface RoutingIdentity extends KeyPair {
  readonly hash: string;
}

/** An organisation and its key. */
export interface OrganisationIdentity extends KeyPair {
  readonly name: string;
  readonly hash: string;
}

/** Bearer fields (resolverauth.ts): routing id only for address records. */
export interface BearerFields {
  hash: string;
  routingId?: string;
  serial: bigint;
}

/**
 * The Go mail server's and client's account minimum when the resolver's /config.json does not
 * answer (api.md §3.1 P2 step 2, §7.5: internal/resolver/service.go:188-204). It is what a
 * server asks of `POST /account` then (BM-ACCT-001), not the resolver's own minimum, which the
 * suite never guesses (see {@link SuiteResolver.config}).
 */
export const SERVER_FALLBACK_POW_BITS = 20;

/** A resolver's proof-of-work minimums and where the suite learned them. */
export interface PowMinimums {
  readonly address: number;
  readonly organisation: number;
  /** `config.json`: the resolver published them; `pow-bits`: the run declared them (`--pow-bits`). */
  readonly source: 'config.json' | 'pow-bits';
}

/** A loopback routing value for routing records (never dialled by the resolver). */
export const LOOPBACK_ROUTING = '127.0.0.1:2424';

export class SuiteResolver {
  readonly url: string;
  readonly rng: Rng;
  private seq = 0;
  private cfg: PowMinimums | undefined;
  /** What /config.json answered: minimums, null = none, undefined = not asked yet. */
  private published: PowMinimums | null | undefined;
  /** Proofs of the records this client created: the Go client resends the proof on every upload (an empty one is "invalid data"). */
  private readonly proofs = new Map<string, string>();
  /** Proofs of address records posted but not yet known to be accepted. */
  private readonly pendingProofs = new Map<string, string>();
  /** Key types of the address records this client created (the witness for a key-type refusal, accounts.ts). */
  readonly acceptedKeyTypes = new Set<KeyType>();

  /**
   * @param url resolver base URL (default: the target's BM_RESOLVER_URL)
   * @param label names this client's identity stream (use the suite file's name)
   */
  constructor(label: string, url: string | undefined = suiteTarget().resolverUrl) {
    if (!url) throw new TypeError('SuiteResolver: no resolver URL (BM_RESOLVER_URL)');
    this.url = url.replace(/\/+$/, '');
    this.rng = suiteRng(`resolver:${label}:${runNonce()}`);
  }

  // ----- identities -----

  /** A fresh key pair of `type` (ed25519/ecdsa from the seeded stream; rsa from node's generator). */
  key(type: KeyType = 'ed25519'): KeyPair {
    const kp = generateKeyPair(type, this.rng);
    return { type, privateKey: kp.privateKey, publicKey: formatPublicKey(kp.publicKey), fingerprint: fingerprint(kp.publicKey) };
  }

  /** A fresh address `<name>-<nonce><n>!` (or `…@<org>!`) with a new key. */
  account(name: string, opts: { type?: KeyType; key?: KeyPair; organisation?: string } = {}): AccountIdentity {
    const local = `${name}-${runNonce()}${(this.seq++).toString(36)}`.toLowerCase();
    const a = parseAddress(opts.organisation ? `${local}@${opts.organisation}!` : `${local}!`);
    const k = opts.key ?? this.key(opts.type);
    return { ...k, address: a.address, hash: a.hash, localHash: a.localHash, orgHash: a.orgHash };
  }

  /** A fresh routing identity (ed25519; id derived from the key). */
  routing(): RoutingIdentity {
    const k = this.key('ed25519');
    return { ...k, hash: hashString(toHex(ed25519PublicBytes(parsePublicKey(k.publicKey)))) };
  }

  /** A fresh organisation `<name><nonce><n>` with a new key. */
  organisation(name: string, type: KeyType = 'ed25519'): OrganisationIdentity {
    const org = `${name}${runNonce()}${(this.seq++).toString(36)}`.toLowerCase();
    return { ...this.key(type), name: org, hash: organisationHash(org) };
  }

  // ----- configuration and proofs -----

  /**
   * The resolver's proof-of-work minimums (cached): what `GET /config.json` answers, or — when it
   * does not answer them (the Go standalone resolver has no such route) — the run's `--pow-bits`
   * for both (the Go resolver's one `-bits` flag sets both).
   * @throws HarnessError (`config`) when neither says: the suite does not guess a difficulty
   *   (solving the Go client's 20-bit fallback for every record made runs time out on a slow
   *   machine, and a wrong guess makes the minimum tests meaningless)
   */
  async config(): Promise<PowMinimums> {
    if (this.cfg) return this.cfg;
    const published = await this.publishedMinimums();
    if (published) return (this.cfg = published);
    const bits = suiteTarget().powBits;
    if (bits === undefined) {
      throw new HarnessError('config', `the key resolver ${this.url} publishes no proof-of-work minimum (GET /config.json does not answer {"proof_of_work":{"address":N,"organisation":M}}); pass --pow-bits N with its minimum (the Go standalone resolver's -bits)`);
    }
    return (this.cfg = { address: bits, organisation: bits, source: 'pow-bits' });
  }

  /** The minimums `GET /config.json` answers (200 with both numbers; cached), or undefined. */
  async publishedMinimums(): Promise<PowMinimums | undefined> {
    if (this.published !== undefined) return this.published ?? undefined;
    const r = await this.get('/config.json');
    const p = isObject(r.json) ? r.json.proof_of_work : undefined;
    this.published = r.status === 200 && isObject(p) && isBits(p.address) && isBits(p.organisation)
      ? { address: p.address, organisation: p.organisation, source: 'config.json' }
      : null;
    return this.published ?? undefined;
  }

  /**
   * A valid proof-of-work string `<bits>$<b64(data)>$<proof>` over `data` (spec/api.md §1.4),
   * solved off the event loop when it is large (pow.ts).
   * @throws HarnessError (`work`) when the search outlives the running test's or set-up's deadline
   */
  async proof(data: string, bits: number): Promise<string> {
    return formatProofOfWork({ bits, data, proof: await solveWithinTest(bits, data) });
  }

  /** A proof-of-work string over `data` claiming `bits` whose counter does NOT satisfy them. */
  invalidProof(data: string, bits: number): string {
    let p = 0n;
    while (verifyPow(bits, data, p)) p++;
    return formatProofOfWork({ bits, data, proof: p });
  }

  /** The address-creation proof at the resolver's minimum (or `bits`). */
  async addressProof(acc: { hash: string }, bits?: number): Promise<string> {
    return await this.proof(acc.hash, bits ?? (await this.config()).address);
  }

  /** The organisation-creation proof at the resolver's minimum (or `bits`). */
  async organisationProof(org: { hash: string }, bits?: number): Promise<string> {
    return await this.proof(org.hash, bits ?? (await this.config()).organisation);
  }

  // ----- authorisation -----

  /** `Bearer <b64 signature>` over the record fields (formats.md §10.4). */
  authorization(priv: PrivateKey, fields: BearerFields, prefix = 'Bearer'): string {
    return `${prefix} ${resolverBearer(priv, fields, this.rng)}`;
  }

  // ----- raw requests -----

  async get(path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    return request('GET', this.url + path, opts);
  }

  async send(method: 'POST' | 'DELETE', path: string, body: GoValue | string | undefined, authorization?: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (authorization !== undefined) headers.authorization = authorization;
    const o: RequestOptions = { ...opts, headers };
    if (typeof body === 'string') {
      o.body = body;
      headers['content-type'] ??= 'application/json';
    } else if (body !== undefined) o.json = body;
    return request(method, this.url + path, o);
  }

  /** `GET /<kind>/<hash>`. */
  record(kind: RecordKind, hash: string): Promise<HttpResponse> {
    return this.get(`/${kind}/${hash}`);
  }

  /** The record's current serial (the record must exist: 200). */
  async serial(kind: RecordKind, hash: string): Promise<bigint> {
    const r = await this.record(kind, hash);
    mustStatus(r, 200, `read ${kind} record serial`);
    const s = isObject(r.json) ? uint64Of(r.json.serial_number) : undefined;
    if (s === undefined) fail(`${kind} record: serial_number is not an unsigned 64-bit integer: ${show(r.json)}`, 'uint64 serial_number', r.json);
    return s;
  }

  /** The record JSON (must be 200). */
  async read(kind: RecordKind, hash: string): Promise<Record<string, JsonValue>> {
    const r = await this.record(kind, hash);
    mustStatus(r, 200, `read ${kind} record`);
    if (!isObject(r.json)) fail(`${kind} record: expected a JSON object, got ${show(r.text)}`);
    return r.json;
  }

  // ----- bodies (Go maps, sorted keys) -----

  /** Address upload body; `proof` defaults to the one this client created the record with. */
  addressBody(acc: AccountIdentity, f: { routingId?: string; redirHash?: string; proof?: string; publicKey?: string } = {}): GoValue {
    return goMap({
      user_hash: acc.localHash, org_hash: acc.orgHash, public_key: f.publicKey ?? acc.publicKey,
      routing_id: f.routingId ?? '', redir_hash: f.redirHash ?? '', proof: f.proof ?? this.proofs.get(acc.hash) ?? '',
    });
  }

  routingBody(r: { publicKey: string }, routing = LOOPBACK_ROUTING): GoValue {
    return goMap({ public_key: r.publicKey, routing });
  }

  /** Organisation upload body; `proof` defaults to the one this client created the record with. */
  organisationBody(o: { publicKey: string; hash?: string }, f: { proof?: string; validations?: string[] } = {}): GoValue {
    return goMap({ public_key: o.publicKey, proof: f.proof ?? (o.hash ? this.proofs.get(o.hash) : undefined) ?? '', validations: f.validations ?? [] });
  }

  // ----- writes as the Go client makes them -----

  /** `POST /address/<hash>` with `body`, bearer by `signer` over the given fields (omit `auth` for no header). */
  postAddress(hash: string, body: GoValue | string, authorization?: string): Promise<HttpResponse> {
    return this.send('POST', `/address/${hash}`, body, authorization);
  }

  postRouting(hash: string, body: GoValue | string, authorization?: string): Promise<HttpResponse> {
    return this.send('POST', `/routing/${hash}`, body, authorization);
  }

  postOrganisation(hash: string, body: GoValue | string, authorization?: string): Promise<HttpResponse> {
    return this.send('POST', `/organisation/${hash}`, body, authorization);
  }

  /**
   * Create an address record with a valid proof at the resolver's minimum and the Go client's
   * bearer (over serial 0). Fails the test unless the resolver answers 201. Returns the serial.
   */
  async createAddress(acc: AccountIdentity, f: { routingId?: string; redirHash?: string } = {}): Promise<bigint> {
    const { response } = await this.postNewAddress(acc, f);
    return this.finishCreateAddress(acc, response);
  }

  /** The create request of {@link createAddress}, answer unchecked (the proof is remembered only once it is accepted). */
  async postNewAddress(acc: AccountIdentity, f: { routingId?: string; redirHash?: string } = {}): Promise<{ response: HttpResponse; proof: string }> {
    const routingId = f.routingId ?? (f.redirHash ? '' : this.routing().hash);
    const proof = await this.addressProof(acc);
    const body = this.addressBody(acc, { routingId, redirHash: f.redirHash ?? '', proof });
    const response = await this.postAddress(acc.hash, body, this.authorization(acc.privateKey, { hash: acc.hash, routingId, serial: 0n }));
    this.pendingProofs.set(acc.hash, proof);
    return { response, proof };
  }

  /** Check a {@link postNewAddress} answer (201, or the test fails) and return the record's serial. */
  async finishCreateAddress(acc: AccountIdentity, response: HttpResponse): Promise<bigint> {
    mustStatus(response, 201, `setup: create address record ${acc.address}`);
    const proof = this.pendingProofs.get(acc.hash);
    if (proof !== undefined) this.proofs.set(acc.hash, proof);
    this.acceptedKeyTypes.add(acc.type);
    return this.serial('address', acc.hash);
  }

  /** Create a routing record (bearer by its own key over serial 0, as the Go client sends). Returns the serial. */
  async createRouting(rt: RoutingIdentity, routing = LOOPBACK_ROUTING): Promise<bigint> {
    const r = await this.postRouting(rt.hash, this.routingBody(rt, routing), this.authorization(rt.privateKey, { hash: rt.hash, serial: 0n }));
    mustStatus(r, 201, `setup: create routing record ${rt.hash.slice(0, 12)}…`);
    return this.serial('routing', rt.hash);
  }

  /** Create an organisation record with a valid proof at the organisation minimum. Returns the serial. */
  async createOrganisation(org: OrganisationIdentity, validations: string[] = []): Promise<bigint> {
    const proof = await this.organisationProof(org);
    const body = this.organisationBody(org, { proof, validations });
    const r = await this.postOrganisation(org.hash, body, this.authorization(org.privateKey, { hash: org.hash, serial: 0n }));
    mustStatus(r, 201, `setup: create organisation record ${org.name}`);
    this.proofs.set(org.hash, proof);
    return this.serial('organisation', org.hash);
  }

  /**
   * Update an address record the Go way: GET it for the current serial and routing id, sign
   * them with `signer` (default the account key), POST the new fields.
   */
  async updateAddress(acc: AccountIdentity, f: { routingId?: string; redirHash?: string; publicKey?: string; proof?: string }, signer: PrivateKey = acc.privateKey): Promise<HttpResponse> {
    const cur = await this.read('address', acc.hash);
    const serial = uint64Of(cur.serial_number) ?? 0n;
    const routingId = typeof cur.routing_id === 'string' ? cur.routing_id : '';
    const body = this.addressBody(acc, { routingId: f.routingId ?? routingId, redirHash: f.redirHash ?? '', publicKey: f.publicKey ?? acc.publicKey, proof: f.proof ?? (typeof cur.proof === 'string' ? cur.proof : '') });
    return this.postAddress(acc.hash, body, this.authorization(signer, { hash: acc.hash, routingId, serial }));
  }

  /** `DELETE /<kind>/<hash>` with an optional Authorization value. */
  deleteRecord(kind: RecordKind, hash: string, authorization?: string): Promise<HttpResponse> {
    return this.send('DELETE', `/${kind}/${hash}`, undefined, authorization);
  }

  /** `POST /<kind>/<hash>/delete|undelete` with the Go client's `null` body. */
  softDelete(kind: 'address' | 'organisation', hash: string, op: 'delete' | 'undelete', authorization?: string): Promise<HttpResponse> {
    return this.send('POST', `/${kind}/${hash}/${op}`, 'null', authorization);
  }

  /** `GET /address/<hash>/status/<fingerprint>`. */
  keyStatus(hash: string, fp: string): Promise<HttpResponse> {
    return this.get(`/address/${hash}/status/${fp}`);
  }

  /** `POST /address/<hash>/status/<fingerprint>` `{"status":…}`. */
  setKeyStatus(hash: string, fp: string, status: string, authorization?: string): Promise<HttpResponse> {
    return this.send('POST', `/address/${hash}/status/${fp}`, goMap({ status }), authorization);
  }
}
