/**
 * A key-resolver client (spec/api.md §7, formats.md §10.4; Go `internal/resolver/remote.go`)
 * for tests, the reference mail server and the harness. It talks HTTPS through undici, trusting
 * the CA it is given (never `rejectUnauthorized: false`), and keeps serial numbers exact as
 * bigint (§1.5: they exceed 2^53).
 *
 * Uploads and deletes follow the Go client: GET the record to learn the current serial (0 when
 * absent), sign `hash [+ routing_id] + serial` with the record's key (`resolverauth.ts`), send
 * `Authorization: Bearer <sig>`. Undelete signs serial 0 (remote.go:381-385: a soft-deleted
 * record has serial 0). Upload bodies are Go maps (sorted keys).
 *
 * Reads return `null` for 404; any other non-2xx status, or a body that is not the documented
 * shape, throws {@link ApiError} (with status and the server's message).
 *
 * @example
 * ```ts
 * const rc = new ResolverClient({ baseUrl: ref.resolverUrl, ca: ref.caPem });
 * await rc.uploadRouting({ hash: routingId, publicKey: pubText, routing: '127.0.0.1:2424' }, routingPriv);
 * const rec = await rc.getAddress(addrHash);      // { hash, publicKey, proof, routingId, serialNumber: 1606…n } | null
 * await rc.close();
 * ```
 * @module
 */
import { Agent, request, type Dispatcher } from 'undici';
import { goMap, goMarshal, parseJsonLossless, type GoValue, type JsonValue } from '../../protocol/gojson.ts';
import type { PrivateKey } from '../../protocol/keys.ts';
import { resolverBearer } from '../../protocol/resolverauth.ts';
import type { Rng } from '../../protocol/random.ts';
import { trustingAgent } from '../tls.ts';
import { ApiError } from '../apierror.ts';

export interface AddressInfo {
  hash: string;
  publicKey: string;
  proof: string;
  /** Empty when the record redirects (the GET returns the final record of a redirect chain). */
  routingId: string;
  serialNumber: bigint;
}
export interface RoutingInfo { hash: string; publicKey: string; routing: string; serialNumber: bigint }
export interface OrganisationInfo { hash: string; publicKey: string; proof: string; validations: string[] | null; serialNumber: bigint }
/** A resolver `{"message":…,"status":"ok"}` answer with its HTTP status. */
export interface ResolverMessage { status: number; message: string }

export interface ResolverClientOptions {
  baseUrl: string;
  /** PEM CA to trust (per-run reference CA). Ignored when `dispatcher` is given. */
  ca?: string;
  /** Your own undici dispatcher (e.g. shared agent). */
  dispatcher?: Dispatcher;
  /** Per-request timeout, default 15 s (the Go client's HTTP timeout, api.md §2.1). */
  timeoutMs?: number;
  /** Signature randomness (ECDSA); default system. */
  rng?: Rng;
}

type Json = { [k: string]: JsonValue };

function serialOf(v: JsonValue | undefined): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (v === undefined || v === null) return 0n;
  throw new TypeError('serial_number: expected unsigned integer');
}
const s = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

export class ResolverClient {
  readonly baseUrl: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownDispatcher: Agent | undefined;
  private readonly timeoutMs: number;
  private readonly rng: Rng | undefined;

  constructor(opts: ResolverClientOptions) {
    if (typeof opts?.baseUrl !== 'string' || !/^https?:\/\//.test(opts.baseUrl)) throw new TypeError('ResolverClient: baseUrl: expected http(s) URL');
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    if (opts.dispatcher) this.dispatcher = opts.dispatcher;
    else {
      this.ownDispatcher = opts.ca ? trustingAgent(opts.ca) : new Agent();
      this.dispatcher = this.ownDispatcher;
    }
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.rng = opts.rng;
  }

  /** Close the agent this client created (not a dispatcher passed in). */
  async close(): Promise<void> {
    await this.ownDispatcher?.close();
  }

  /** Raw request: status and body text. Path segments must already be safe (hashes are hex). */
  async raw(method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
    const res = await request(this.baseUrl + path, {
      method: method as Dispatcher.HttpMethod,
      body,
      headers: body !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
      dispatcher: this.dispatcher,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    return { status: res.statusCode, text, headers: res.headers };
  }

  private async json(method: string, path: string, body?: GoValue, auth?: string): Promise<{ status: number; json: Json | null; text: string }> {
    const r = await this.raw(method, path, body === undefined ? undefined : goMarshal(body), auth ? { authorization: `Bearer ${auth}` } : {});
    let json: Json | null = null;
    try {
      const v = parseJsonLossless(r.text);
      if (v && typeof v === 'object' && !Array.isArray(v)) json = v as Json;
    } catch {
      json = null;
    }
    return { status: r.status, json, text: r.text };
  }

  private fail(r: { status: number; json: Json | null; text: string }): never {
    const msg = r.json && typeof r.json.message === 'string' ? r.json.message : r.text.slice(0, 200);
    throw new ApiError(r.status, `resolver: HTTP ${r.status}: ${msg}`, r.json ?? r.text);
  }

  private async getRecord(path: string): Promise<Json | null> {
    const r = await this.json('GET', path);
    if (r.status === 404) return null;
    if (r.status !== 200 || !r.json) this.fail(r);
    return r.json;
  }

  private async mutate(method: string, path: string, body: GoValue | undefined, auth: string): Promise<ResolverMessage> {
    const r = await this.json(method, path, body, auth);
    if (r.status < 200 || r.status > 299 || !r.json) this.fail(r);
    return { status: r.status, message: s(r.json.message) };
  }

  private sign(priv: PrivateKey, fields: { hash: string; routingId?: string; serial: bigint }): string {
    const b = resolverBearer(priv, fields, this.rng);
    return b.replace(/^bearer /i, '');
  }

  // ----- reads -----

  async getConfig(): Promise<{ address: number; organisation: number }> {
    const r = await this.json('GET', '/config.json');
    const p = r.json?.proof_of_work as Json | undefined;
    if (r.status !== 200 || !p || typeof p.address !== 'number' || typeof p.organisation !== 'number') this.fail(r);
    return { address: p.address as number, organisation: p.organisation as number };
  }

  async getAddress(hash: string): Promise<AddressInfo | null> {
    const j = await this.getRecord(`/address/${encodeURIComponent(hash)}`);
    return j && { hash: s(j.hash), publicKey: s(j.public_key), proof: s(j.proof), routingId: s(j.routing_id), serialNumber: serialOf(j.serial_number) };
  }

  async getRouting(hash: string): Promise<RoutingInfo | null> {
    const j = await this.getRecord(`/routing/${encodeURIComponent(hash)}`);
    return j && { hash: s(j.hash), publicKey: s(j.public_key), routing: s(j.routing), serialNumber: serialOf(j.serial_number) };
  }

  async getOrganisation(hash: string): Promise<OrganisationInfo | null> {
    const j = await this.getRecord(`/organisation/${encodeURIComponent(hash)}`);
    if (!j) return null;
    const v = j.validations;
    return { hash: s(j.hash), publicKey: s(j.public_key), proof: s(j.proof), validations: Array.isArray(v) ? v.map((e) => s(e)) : null, serialNumber: serialOf(j.serial_number) };
  }

  /** Key status of `fingerprint` in the history of `hash`: 'normal' | 'compromised' | 'unknown', or null (404). */
  async getKeyStatus(hash: string, fingerprint: string): Promise<string | null> {
    const r = await this.json('GET', `/address/${encodeURIComponent(hash)}/status/${encodeURIComponent(fingerprint)}`);
    if (r.status === 404) return null;
    if (r.status !== 200 || !r.json) this.fail(r);
    return s(r.json.message);
  }

  // ----- writes (prefetch serial, sign, send) -----

  /**
   * Create or update an address record. `priv` is the record's current key (for an update) or
   * the new key (create; the resolver then checks the PoW in `proof`).
   */
  async uploadAddress(
    rec: { hash: string; userHash: string; orgHash: string; publicKey: string; routingId?: string; proof?: string; redirHash?: string },
    priv: PrivateKey,
  ): Promise<ResolverMessage> {
    const current = await this.getAddress(rec.hash).catch(() => null);
    // The GET of a redirecting record returns the chain's final record; sign with what we upload.
    const serial = current && current.hash === rec.hash ? current.serialNumber : 0n;
    const routingId = current && current.hash === rec.hash ? current.routingId : rec.routingId ?? '';
    // An update may omit the proof: resend the stored one (a `""` proof is "invalid data" in Go too).
    const proof = rec.proof ?? (current && current.hash === rec.hash ? current.proof : undefined);
    const body = goMap({
      user_hash: rec.userHash, org_hash: rec.orgHash, public_key: rec.publicKey,
      routing_id: rec.routingId ?? '', redir_hash: rec.redirHash ?? '', ...(proof ? { proof } : {}),
    });
    return this.mutate('POST', `/address/${rec.hash}`, body, this.sign(priv, { hash: rec.hash, routingId, serial }));
  }

  async uploadRouting(rec: { hash: string; publicKey: string; routing: string }, priv: PrivateKey): Promise<ResolverMessage> {
    const current = await this.getRouting(rec.hash).catch(() => null);
    const serial = current?.serialNumber ?? 0n;
    return this.mutate('POST', `/routing/${rec.hash}`, goMap({ public_key: rec.publicKey, routing: rec.routing }), this.sign(priv, { hash: rec.hash, serial }));
  }

  async uploadOrganisation(rec: { hash: string; publicKey: string; proof: string; validations?: string[] }, priv: PrivateKey): Promise<ResolverMessage> {
    const current = await this.getOrganisation(rec.hash).catch(() => null);
    const serial = current?.serialNumber ?? 0n;
    return this.mutate('POST', `/organisation/${rec.hash}`, goMap({ public_key: rec.publicKey, proof: rec.proof, validations: rec.validations ?? [] }), this.sign(priv, { hash: rec.hash, serial }));
  }

  /** Hard delete (`DELETE /address/{hash}`); needs the record's current serial and routing id. */
  async deleteAddress(hash: string, priv: PrivateKey): Promise<ResolverMessage> {
    const cur = await this.getAddress(hash);
    if (!cur) throw new ApiError(404, 'resolver: address not found', null);
    return this.mutate('DELETE', `/address/${hash}`, undefined, this.sign(priv, { hash, routingId: cur.routingId, serial: cur.serialNumber }));
  }

  /** Soft delete (`POST /address/{hash}/delete`, body `null` as the Go client sends). */
  async softDeleteAddress(hash: string, priv: PrivateKey): Promise<ResolverMessage> {
    const cur = await this.getAddress(hash);
    if (!cur) throw new ApiError(404, 'resolver: address not found', null);
    return this.mutate('POST', `/address/${hash}/delete`, null, this.sign(priv, { hash, routingId: cur.routingId, serial: cur.serialNumber }));
  }

  /** Undelete (`POST /address/{hash}/undelete`): signs serial 0, as the Go client does. */
  async undeleteAddress(hash: string, routingId: string, priv: PrivateKey): Promise<ResolverMessage> {
    return this.mutate('POST', `/address/${hash}/undelete`, null, this.sign(priv, { hash, routingId, serial: 0n }));
  }

  /** Set a key's status; signed by the address key (our resolver requires it, see DEVIATIONS.md). */
  async setKeyStatus(hash: string, fingerprint: string, status: 'normal' | 'compromised', priv: PrivateKey): Promise<ResolverMessage> {
    const cur = await this.getAddress(hash).catch(() => null);
    const fields = { hash, routingId: cur && cur.hash === hash ? cur.routingId : '', serial: cur && cur.hash === hash ? cur.serialNumber : 0n };
    return this.mutate('POST', `/address/${hash}/status/${fingerprint}`, goMap({ status }), this.sign(priv, fields));
  }

  async deleteRouting(hash: string, priv: PrivateKey): Promise<ResolverMessage> {
    const cur = await this.getRouting(hash);
    if (!cur) throw new ApiError(404, 'resolver: routing not found', null);
    return this.mutate('DELETE', `/routing/${hash}`, undefined, this.sign(priv, { hash, serial: cur.serialNumber }));
  }

  async deleteOrganisation(hash: string, priv: PrivateKey): Promise<ResolverMessage> {
    const cur = await this.getOrganisation(hash);
    if (!cur) throw new ApiError(404, 'resolver: organisation not found', null);
    return this.mutate('DELETE', `/organisation/${hash}`, undefined, this.sign(priv, { hash, serial: cur.serialNumber }));
  }

  async softDeleteOrganisation(hash: string, priv: PrivateKey): Promise<ResolverMessage> {
    const cur = await this.getOrganisation(hash);
    if (!cur) throw new ApiError(404, 'resolver: organisation not found', null);
    return this.mutate('POST', `/organisation/${hash}/delete`, null, this.sign(priv, { hash, serial: cur.serialNumber }));
  }

  async undeleteOrganisation(hash: string, priv: PrivateKey): Promise<ResolverMessage> {
    return this.mutate('POST', `/organisation/${hash}/undelete`, null, this.sign(priv, { hash, serial: 0n }));
  }
}
