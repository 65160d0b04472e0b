/**
 * The reference key resolver (spec/api.md §7; Go `bitmaelum/key-resolver-go` @ 7d3c4fc,
 * internal/handler/{address,routing,organisation}.go, internal/http/http.go): address, routing
 * and organisation records over HTTPS, with the lambda deployment's endpoint set.
 *
 * Endpoints (all bodies JSON; errors `{"message":…,"status":"error"}`, messages
 * `{"message":…,"status":"ok"}`, every JSON body indented with two spaces, Go map key order):
 *   GET  /                                    text/html banner
 *   GET  /config.json                         {"proof_of_work":{"address":N,"organisation":M}}
 *   GET  /reserved/{hash}                     [] or the reserved domains (our addition, §8.15)
 *   GET|POST|DELETE /address/{hash}           record; create (PoW) / update (bearer); hard delete
 *   POST /address/{hash}/delete|undelete      soft delete / undelete (bearer)
 *   GET|POST /address/{hash}/status/{fp}      key status history (POST: bearer, see DEVIATIONS.md)
 *   GET|POST|DELETE /routing/{hash}           record; create (proof of key) / update; delete
 *   GET|POST|DELETE /organisation/{hash}      record; create (PoW) / update; delete
 *   POST /organisation/{hash}/delete|undelete soft delete / undelete
 *
 * Authorisation (§7.3, formats.md §10.4): `Authorization: Bearer <b64 Sign(key, SHA256(text))>`
 * with text = hash + routing_id + serial (address) or hash + serial (routing, organisation),
 * checked against the record's current key and serial (optimistic concurrency: every change
 * gets a new, strictly larger serial). Serials are uint64 Unix nanoseconds and are handled as
 * bigint end to end (parsed losslessly, emitted exactly).
 *
 * Where Go is buggy (spec/api.md §8) this server implements the intended behaviour; each such
 * choice is one entry of harness/reference/DEVIATIONS.md. Request bodies are decoded like Go's
 * `json.Unmarshal` into the handler's struct: unknown fields ignored, field names matched
 * case-insensitively (last duplicate wins), `null` leaves a field empty, a wrong JSON type or a
 * trailing byte is an error (requests.ts). Options and fault switches: options.ts.
 * @module
 */
import { ed25519PublicBytes, fingerprint, formatPublicKey, parsePublicKey, type PublicKey } from '../../protocol/keys.ts';
import { toHex } from '../../protocol/bytes.ts';
import { verifyResolverBearer } from '../../protocol/resolverauth.ts';
import { formatProofOfWork, parseProofOfWork, verifyPow, type ProofOfWork } from '../../protocol/pow.ts';
import { EMPTY_HASH, hashString, isHash, verifyHash } from '../../protocol/hash.ts';
import { goMap, goMarshalBytes, parseJsonLossless, type GoValue, type JsonValue } from '../../protocol/gojson.ts';
import { HttpError, type HttpRequest, type HttpResponse } from '../handler.ts';
import { resolverErrorFormat } from '../error-formats.ts';
import { Router } from '../router.ts';
import { startHttpServer, type RunningServer, type ServerOptions } from '../http.ts';
import { memoryStorage, type Storage } from '../storage.ts';
import { DEFAULT_POW, NO_RESOLVER_FAULTS, type ResolverFaults, type ResolverOptions } from './options.ts';
import { bearerOf, decodeStruct, isValidRouting } from './requests.ts';

export { NO_RESOLVER_FAULTS, type ResolverFaults, type ResolverOptions } from './options.ts';

// ---------------------------------------------------------------------------------------------
// Records

interface AddressRecord {
  hash: string;
  userHash: string;
  orgHash: string;
  publicKey: string;
  routingId: string;
  proof: string;
  redirHash: string;
  serial: bigint;
  deleted: boolean;
}
interface RoutingRecord { hash: string; publicKey: string; routing: string; serial: bigint }
interface OrganisationRecord { hash: string; publicKey: string; proof: string; validations: string[] | null; serial: bigint; deleted: boolean }

const NS_ADDRESS = 'resolver-address';
const NS_ROUTING = 'resolver-routing';
const NS_ORG = 'resolver-organisation';
const NS_KEYSTATUS = 'resolver-keystatus';

function encodeRecord(r: Record<string, GoValue>): Uint8Array {
  return goMarshalBytes(r);
}
function decodeRecord(b: Uint8Array): Record<string, JsonValue> {
  return parseJsonLossless(Buffer.from(b).toString('utf8')) as Record<string, JsonValue>;
}
const big = (v: JsonValue | undefined): bigint => (typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(v) : 0n);
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

const ok = (message: string, status = 200): HttpResponse => ({ status, json: goMap({ message, status: 'ok' }), indent: '  ' });
const fail = (status: number, message: string): never => { throw new HttpError(status, message); };

const BANNER = `<pre>BitMaelum key resolver (bitmaelum-conformance reference)</pre>\n`;

// ---------------------------------------------------------------------------------------------
// The resolver

export interface Resolver {
  readonly router: Router;
  readonly storage: Storage;
  readonly pow: { address: number; organisation: number };
}

/** Build the resolver's router over `opts.storage`. Mount it with {@link startResolver} or `startHttpServer`. */
export function createResolver(opts: ResolverOptions = {}): Resolver {
  const storage = opts.storage ?? memoryStorage();
  const pow = { ...DEFAULT_POW, ...(opts.pow ?? {}) };
  const faults: ResolverFaults = { ...NO_RESOLVER_FAULTS, ...(opts.faults ?? {}) };
  const reserved = opts.reserved ?? {};
  const strictRouting = opts.routingCreateNeedsSignature ?? true;
  const maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024;
  const serialClock = opts.serialClock ?? (() => BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n));
  let lastSerial = 0n;
  const nextSerial = (previous: bigint): bigint => {
    let s = serialClock();
    if (s <= lastSerial) s = lastSerial + 1n;
    if (s <= previous) s = previous + 1n;
    if (faults.lossySerials && s >= 2n ** 59n) s = ((s >> 8n) << 8n) + 0x55n + (((s & 0xffn) > 0x55n) ? 0x100n : 0n);
    lastSerial = s;
    return s;
  };
  const serialOut = (s: bigint): bigint | number => (faults.lossySerials ? BigInt(Number(s)) : s);

  // One writer at a time: read-verify-write must not interleave (serials are the concurrency token).
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  const checkHash = (h: string | undefined): string => {
    if (h === undefined || !isHash(h)) fail(400, 'invalid hash');
    return h!;
  };

  const keyTypes = opts.keyTypes;
  const parseKey = (text: string | string[] | null | undefined, message: string): PublicKey => {
    if (typeof text !== 'string') return fail(400, message);
    let key: PublicKey;
    try {
      key = parsePublicKey(text);
    } catch {
      return fail(400, message);
    }
    if (keyTypes && !keyTypes.includes(key.type)) fail(400, message);
    return key;
  };
  const parseProof = (text: string | string[] | null | undefined, message: string): ProofOfWork | undefined => {
    if (text === undefined || text === null) return undefined;
    if (typeof text !== 'string') return fail(400, message);
    try {
      return parseProofOfWork(text);
    } catch {
      return fail(400, message);
    }
  };
  const checkPow = (p: ProofOfWork | undefined, hash: string, minBits: number) => {
    if (faults.acceptWeakProofOfWork) return;
    let valid = false;
    try {
      valid = p !== undefined && p.dataText === hash && verifyPow(p.bits, p.data, p.proof);
    } catch {
      valid = false;
    }
    if (!valid) fail(400, 'incorrect proof-of-work');
    if (p!.bits < minBits) fail(400, `proof-of-work too weak (need ${minBits} bits)`);
  };
  const checkBearer = (req: HttpRequest, publicKeyText: string, fields: { hash: string; routingId?: string; serial: bigint }) => {
    if (faults.skipBearerCheck) return;
    const bearer = bearerOf(req);
    let good = false;
    if (bearer !== undefined) {
      try {
        good = verifyResolverBearer(parsePublicKey(publicKeyText), fields, bearer);
      } catch {
        good = false;
      }
    }
    if (!good) fail(401, 'unauthenticated');
  };

  const getAddress = async (h: string): Promise<AddressRecord | undefined> => {
    const b = await storage.get(NS_ADDRESS, h);
    if (!b) return undefined;
    const r = decodeRecord(b);
    return {
      hash: str(r.hash), userHash: str(r.user_hash), orgHash: str(r.org_hash), publicKey: str(r.public_key),
      routingId: str(r.routing_id), proof: str(r.proof), redirHash: str(r.redir_hash), serial: big(r.serial), deleted: r.deleted === true,
    };
  };
  const addressOps = (r: AddressRecord) => ({
    op: 'put' as const, ns: NS_ADDRESS, key: r.hash,
    value: encodeRecord({ hash: r.hash, user_hash: r.userHash, org_hash: r.orgHash, public_key: r.publicKey, routing_id: r.routingId, proof: r.proof, redir_hash: r.redirHash, serial: r.serial, deleted: r.deleted }),
  });
  const keyStatusKey = (h: string, fp: string) => `${h}/${fp}`;
  /** Record a key in the address's key history as `normal` unless it already has a status. */
  const keyHistoryOps = async (h: string, key: PublicKey) => {
    const k = keyStatusKey(h, fingerprint(key));
    return (await storage.has(NS_KEYSTATUS, k)) ? [] : [{ op: 'put' as const, ns: NS_KEYSTATUS, key: k, value: Buffer.from('normal') }];
  };

  /** Follow redirects (§7.2 GET): at most `depth - 1` hops, cycles refused, deleted = missing. */
  const resolveAddress = async (start: string, depth: number): Promise<AddressRecord> => {
    let h = start;
    const seen: string[] = [];
    let hops = 0;
    for (;;) {
      const info = isHash(h) ? await getAddress(h) : undefined;
      if (!info || info.deleted) return fail(404, 'hash not found');
      if (info.redirHash === '') return info;
      hops += 1;
      if (hops >= depth) fail(400, 'maximum redirection reached');
      if (seen.includes(h)) fail(400, 'cyclic dependency detected');
      seen.push(h);
      h = info.redirHash;
    }
  };
  const MAX_REDIRECT_DEPTH = 10;

  const isReservedOk = async (h: string, check: (txt: string[]) => boolean): Promise<boolean> => {
    const domains = reserved[h];
    if (!domains || domains.length === 0) return true;
    if (!opts.lookupTxt) return false;
    for (const d of domains) {
      try {
        if (check(await opts.lookupTxt(`_bitmaelum.${d}`))) return true;
      } catch {
        /* lookup failure = not validated */
      }
    }
    return false;
  };

  const r = new Router({ errorFormat: resolverErrorFormat });
  const route = { maxBodyBytes };

  r.get('/', () => ({ status: 200, text: BANNER, headers: { 'content-type': 'text/html; charset=utf-8' } }));
  const publishConfig = opts.publishConfig ?? true;
  r.get('/config.json', () => (publishConfig ? {
    status: 200,
    json: goMap({ proof_of_work: goMap({ address: pow.address, organisation: pow.organisation }) }),
    indent: '  ',
  } : fail(400, 'invalid hash')));
  r.get('/reserved/{hash}', (_req, p) => {
    const h = checkHash(p.hash);
    return { status: 200, json: reserved[h] ?? [], indent: '  ' };
  });

  // ----- address -----
  r.get('/address/{hash}', async (_req, p) => {
    const info = await resolveAddress(checkHash(p.hash), MAX_REDIRECT_DEPTH);
    const out: Record<string, GoValue> = { hash: info.hash, public_key: info.publicKey, serial_number: serialOut(info.serial), proof: info.proof };
    if (info.routingId !== '') out.routing_id = info.routingId;
    return { status: 200, json: goMap(out), indent: '  ' };
  });

  r.post('/address/{hash}', (req, p, body) => exclusive(async () => {
    const h = checkHash(p.hash);
    const b = decodeStruct(body, { user_hash: 'string', org_hash: 'string', public_key: 'string', routing_id: 'string', proof: 'string', redir_hash: 'string' }, 'invalid data');
    const key = parseKey(b.public_key, 'invalid data'); // Go panics on a missing key; intended: 400
    const proof = parseProof(b.proof, 'invalid data');
    const userHash = (b.user_hash as string | null) ?? '';
    const orgHash = (b.org_hash as string | null) ?? '';
    const routingId = (b.routing_id as string | null) ?? '';
    const redirHash = (b.redir_hash as string | null) ?? '';
    if (!verifyHash(h, userHash, orgHash)) fail(400, 'hash verification failed');
    if (routingId !== '' && !isHash(routingId)) fail(400, 'invalid routing id');
    const isOrg = orgHash !== '' && orgHash !== EMPTY_HASH;
    if (isOrg && redirHash === '') fail(400, 'organisation account must use redirection');
    if (isOrg && routingId !== '') fail(400, 'cannot add routing to an organisation account');
    if (redirHash === '' && routingId === '') fail(400, 'both redir hash and routing ID cannot be empty');
    if (redirHash !== '' && !faults.acceptDanglingRedirects) await resolveAddress(redirHash, MAX_REDIRECT_DEPTH - 1);

    const current = await getAddress(h);
    if (current) {
      checkBearer(req, current.publicKey, { hash: current.hash, routingId: current.routingId, serial: current.serial });
      const next: AddressRecord = { ...current, publicKey: formatPublicKey(key), routingId, redirHash, serial: nextSerial(current.serial) };
      await storage.commit([addressOps(next), ...(await keyHistoryOps(h, key))]);
      return ok('address has been updated');
    }
    if (!(await isReservedOk(h, (txt) => txt.includes(fingerprint(key))))) fail(400, 'reserved address');
    checkPow(proof, h, pow.address);
    const rec: AddressRecord = {
      hash: h, userHash, orgHash, publicKey: formatPublicKey(key), routingId, proof: proof ? formatProofOfWork(proof) : '',
      redirHash, serial: nextSerial(0n), deleted: false,
    };
    await storage.commit([addressOps(rec), ...(await keyHistoryOps(h, key))]);
    return ok('address has been created', 201);
  }), route);

  r.delete('/address/{hash}', (req, p) => exclusive(async () => {
    const h = checkHash(p.hash);
    const current = await getAddress(h);
    if (!current || current.deleted) fail(404, 'cannot find record'); // Go: 500 for a missing record (§8.15)
    checkBearer(req, current!.publicKey, { hash: current!.hash, routingId: current!.routingId, serial: current!.serial });
    const statusKeys = await storage.list(NS_KEYSTATUS, `${h}/`);
    await storage.commit([{ op: 'delete', ns: NS_ADDRESS, key: h }, ...statusKeys.map((k) => ({ op: 'delete' as const, ns: NS_KEYSTATUS, key: k }))]);
    return ok('address has been deleted');
  }), route);

  r.post('/address/{hash}/delete', (req, p) => exclusive(async () => {
    const h = checkHash(p.hash);
    const current = await getAddress(h);
    if (!current) fail(404, 'cannot find record');
    checkBearer(req, current!.publicKey, { hash: current!.hash, routingId: current!.routingId, serial: current!.serial });
    if (current!.deleted) fail(404, 'cannot find record');
    // Lambda/DynamoDB semantics (§7.3): a soft-deleted record has serial 0; the Go client signs undelete over 0.
    await storage.commit([addressOps({ ...current!, deleted: true, serial: 0n })]);
    return ok('address has been soft-deleted');
  }), route);

  r.post('/address/{hash}/undelete', (req, p) => exclusive(async () => {
    const h = checkHash(p.hash);
    const current = await getAddress(h);
    if (!current) fail(404, 'cannot find record');
    if (!current!.deleted) fail(400, 'not deleted');
    checkBearer(req, current!.publicKey, { hash: current!.hash, routingId: current!.routingId, serial: current!.serial });
    await storage.commit([addressOps({ ...current!, deleted: false, serial: nextSerial(current!.serial) })]);
    return ok('address has been undeleted');
  }), route);

  r.get('/address/{hash}/status/{fingerprint}', async (_req, p) => {
    const h = checkHash(p.hash);
    const fp = p.fingerprint!;
    const v = isHash(fp) ? await storage.get(NS_KEYSTATUS, keyStatusKey(h, fp)) : undefined;
    if (!v) fail(404, 'not found');
    const s = Buffer.from(v!).toString('utf8');
    return ok(s === 'normal' || s === 'compromised' ? s : 'unknown');
  });

  r.post('/address/{hash}/status/{fingerprint}', (req, p, body) => exclusive(async () => {
    const h = checkHash(p.hash);
    const fp = p.fingerprint!;
    const b = body.length === 0 ? {} : decodeStruct(body, { status: 'string' }, 'invalid body data');
    const status = typeof b.status === 'string' ? b.status.toLowerCase() : '';
    if (status !== 'normal' && status !== 'compromised') fail(400, 'invalid status');
    const current = await getAddress(h);
    if (!current) fail(400, 'error while updating');
    // Go has no authentication here (§8.15); we require the address owner's bearer.
    checkBearer(req, current!.publicKey, { hash: current!.hash, routingId: current!.routingId, serial: current!.serial });
    if (!isHash(fp) || !(await storage.has(NS_KEYSTATUS, keyStatusKey(h, fp)))) fail(400, 'error while updating');
    await storage.put(NS_KEYSTATUS, keyStatusKey(h, fp), Buffer.from(status));
    return ok('key status has been updated');
  }), route);

  // ----- routing -----
  const getRouting = async (h: string): Promise<RoutingRecord | undefined> => {
    const b = await storage.get(NS_ROUTING, h);
    if (!b) return undefined;
    const r = decodeRecord(b);
    return { hash: str(r.hash), publicKey: str(r.public_key), routing: str(r.routing), serial: big(r.serial) };
  };
  const putRouting = (rec: RoutingRecord) => storage.put(NS_ROUTING, rec.hash, encodeRecord({ hash: rec.hash, public_key: rec.publicKey, routing: rec.routing, serial: rec.serial }));

  r.get('/routing/{hash}', async (_req, p) => {
    const info = await getRouting(checkHash(p.hash));
    if (!info) fail(404, 'hash not found');
    return { status: 200, json: goMap({ hash: info!.hash, routing: info!.routing, public_key: info!.publicKey, serial_number: serialOut(info!.serial) }), indent: '  ' };
  });

  r.post('/routing/{hash}', (req, p, body) => exclusive(async () => {
    const h = checkHash(p.hash);
    const b = decodeStruct(body, { public_key: 'string', routing: 'string' }, 'invalid data');
    const key = parseKey(b.public_key, 'invalid data');
    const routing = typeof b.routing === 'string' ? b.routing : '';
    if (!isValidRouting(routing)) fail(400, 'invalid data');
    const current = await getRouting(h);
    if (current) {
      checkBearer(req, current.publicKey, { hash: current.hash, serial: current.serial });
      await putRouting({ ...current, publicKey: formatPublicKey(key), routing, serial: nextSerial(current.serial) });
      return ok('routing has been updated');
    }
    // Go: first come, first served, no proof of key (§8.15). Intended (BM-RES-031): the creator
    // proves it holds the key (the Go client already sends a bearer over serial 0) and, for an
    // ed25519 routing key (the only kind Go generates), the id is hash.New(hex(raw key)) (§1.1).
    if (strictRouting) {
      if (key.type === 'ed25519' && h !== hashString(toHex(ed25519PublicBytes(key)))) fail(400, 'routing id does not match the public key');
      checkBearer(req, formatPublicKey(key), { hash: h, serial: 0n });
    }
    await putRouting({ hash: h, publicKey: formatPublicKey(key), routing, serial: nextSerial(0n) });
    return ok('routing has been created', 201);
  }), route);

  r.delete('/routing/{hash}', (req, p) => exclusive(async () => {
    const h = checkHash(p.hash);
    const current = await getRouting(h);
    if (!current) fail(404, 'cannot find record');
    checkBearer(req, current!.publicKey, { hash: current!.hash, serial: current!.serial });
    await storage.delete(NS_ROUTING, h);
    return ok('routing has been deleted');
  }), route);

  // ----- organisation -----
  const getOrg = async (h: string): Promise<OrganisationRecord | undefined> => {
    const b = await storage.get(NS_ORG, h);
    if (!b) return undefined;
    const r = decodeRecord(b);
    const v = r.validations;
    return {
      hash: str(r.hash), publicKey: str(r.public_key), proof: str(r.proof),
      validations: Array.isArray(v) ? v.map((e) => str(e)) : null, serial: big(r.serial), deleted: r.deleted === true,
    };
  };
  const putOrg = (o: OrganisationRecord) => storage.put(NS_ORG, o.hash, encodeRecord({ hash: o.hash, public_key: o.publicKey, proof: o.proof, validations: o.validations, serial: o.serial, deleted: o.deleted }));

  r.get('/organisation/{hash}', async (_req, p) => {
    const info = await getOrg(checkHash(p.hash));
    if (!info || info.deleted) fail(404, 'hash not found');
    return {
      status: 200,
      json: goMap({ hash: info!.hash, public_key: info!.publicKey, proof: info!.proof, validations: info!.validations, serial_number: serialOut(info!.serial) }),
      indent: '  ',
    };
  });

  r.post('/organisation/{hash}', (req, p, body) => exclusive(async () => {
    const h = checkHash(p.hash);
    const b = decodeStruct(body, { public_key: 'string', proof: 'string', validations: 'string[]' }, 'invalid data');
    const key = parseKey(b.public_key, 'invalid data');
    const proof = parseProof(b.proof, 'invalid data');
    const validations = Array.isArray(b.validations) ? b.validations : null;
    const current = await getOrg(h);
    if (current) {
      checkBearer(req, current.publicKey, { hash: current.hash, serial: current.serial });
      await putOrg({ ...current, publicKey: formatPublicKey(key), proof: proof ? formatProofOfWork(proof) : current.proof, validations, serial: nextSerial(current.serial) });
      return ok('organisation has been updated');
    }
    checkPow(proof, h, pow.organisation);
    if (!(await isReservedOk(h, (txt) => txt.some((t) => t.toLowerCase().includes(h.toLowerCase()))))) {
      fail(400, 'reserved organisation but validation in DNS not found');
    }
    await putOrg({ hash: h, publicKey: formatPublicKey(key), proof: formatProofOfWork(proof!), validations, serial: nextSerial(0n), deleted: false });
    return ok('organisation has been created', 201);
  }), route);

  r.delete('/organisation/{hash}', (req, p) => exclusive(async () => {
    const h = checkHash(p.hash);
    const current = await getOrg(h);
    if (!current || current.deleted) fail(404, 'cannot find record');
    checkBearer(req, current!.publicKey, { hash: current!.hash, serial: current!.serial });
    await storage.delete(NS_ORG, h);
    return ok('organisation has been deleted');
  }), route);

  r.post('/organisation/{hash}/delete', (req, p) => exclusive(async () => {
    const h = checkHash(p.hash);
    const current = await getOrg(h);
    if (!current) fail(404, 'cannot find record');
    checkBearer(req, current!.publicKey, { hash: current!.hash, serial: current!.serial });
    if (current!.deleted) fail(404, 'cannot find record');
    await putOrg({ ...current!, deleted: true, serial: 0n });
    return ok('organisation has been soft-deleted');
  }), route);

  r.post('/organisation/{hash}/undelete', (req, p) => exclusive(async () => {
    const h = checkHash(p.hash);
    const current = await getOrg(h);
    if (!current) fail(404, 'cannot find record');
    if (!current!.deleted) fail(400, 'not deleted');
    checkBearer(req, current!.publicKey, { hash: current!.hash, serial: current!.serial });
    await putOrg({ ...current!, deleted: false, serial: nextSerial(current!.serial) });
    return ok('organisation has been undeleted');
  }), route);

  return { router: r, storage, pow };
}

export interface StartedResolver extends RunningServer {
  readonly resolver: Resolver;
}

/** Create the resolver and serve it (HTTPS when `server.tls` is given) on `server.host:server.port`. */
export async function startResolver(opts: ResolverOptions = {}, server: ServerOptions = {}): Promise<StartedResolver> {
  const resolver = createResolver(opts);
  const srv = await startHttpServer(resolver.router, { maxBodyBytes: opts.maxBodyBytes ?? 64 * 1024, ...server });
  return { ...srv, resolver };
}
