// Tests of the reference key resolver (server.ts) through its client (client.ts) and raw HTTPS:
// record shapes, PoW-gated creation, bearer-signed update/delete with exact uint64 serials, soft
// delete/undelete, key status, and the intended behaviour where Go is buggy (DEVIATIONS.md).
// PoW minimum is 8 bits so a proof is found in milliseconds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAddress } from '../../protocol/address.ts';
import { toHex } from '../../protocol/bytes.ts';
import { GO_KEY_1 } from '../../protocol/fixtures.ts';
import { hashString } from '../../protocol/hash.ts';
import { ed25519PublicBytes, fingerprint, formatPublicKey, generateKeyPair, parsePrivateKey, parsePublicKey, type PrivateKey } from '../../protocol/keys.ts';
import { formatProofOfWork, solvePow } from '../../protocol/pow.ts';
import { seededRng } from '../../protocol/random.ts';
import { resolverBearer } from '../../protocol/resolverauth.ts';
import { openDurableStorage } from '../durable-storage.ts';
import { createCa, issueServerCert, type CertificateAuthority, type ServerCertificate } from '../tls.ts';
import { ApiError } from '../apierror.ts';
import { ResolverClient } from './client.ts';
import { startResolver, type ResolverOptions, type StartedResolver } from './server.ts';

const rng = seededRng(new Uint8Array([1, 2, 3]));
const BITS = 8;
let ca: CertificateAuthority;
let leaf: ServerCertificate;
const started: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  ca = await createCa();
  leaf = await issueServerCert(ca);
});
afterAll(async () => {
  for (const s of started.reverse()) await s.close();
});

async function boot(opts: ResolverOptions = {}): Promise<{ srv: StartedResolver; rc: ResolverClient }> {
  const srv = await startResolver({ pow: { address: BITS, organisation: BITS }, ...opts }, { tls: leaf });
  const rc = new ResolverClient({ baseUrl: srv.url, ca: ca.cert });
  started.push(srv, rc);
  return { srv, rc };
}

function identity() {
  const kp = generateKeyPair('ed25519', rng);
  return { priv: kp.privateKey, pub: formatPublicKey(kp.publicKey), fp: fingerprint(kp.publicKey) };
}
const pow = (data: string, bits = BITS) => formatProofOfWork({ bits, data, proof: solvePow(bits, data) });
const routingIdFor = (pubText: string) => hashString(toHex(ed25519PublicBytes(parsePublicKey(pubText))));

/** Create `name` (e.g. `alice!`) with a fresh key routed to `routingId`. */
async function createAddress(rc: ResolverClient, name: string, routingId = 'a'.repeat(64)) {
  const a = parseAddress(name);
  const id = identity();
  const res = await rc.uploadAddress({ hash: a.hash, userHash: a.localHash, orgHash: a.orgHash, publicKey: id.pub, routingId, proof: pow(a.hash) }, id.priv);
  return { a, id, res, routingId };
}

/** POST a JSON body with an optional bearer; returns status and parsed body. */
async function post(rc: ResolverClient, path: string, body: string | undefined, bearer?: string, method = 'POST') {
  const r = await rc.raw(method, path, body, bearer ? { authorization: `Bearer ${bearer}` } : {});
  return { status: r.status, body: r.text, json: JSON.parse(r.text) as { message: string; status: string } };
}

const bearer = (priv: PrivateKey, f: { hash: string; routingId?: string; serial: bigint }) => resolverBearer(priv, f).replace(/^bearer /i, '');

describe('resolver basics', () => {
  it('BM-RES-009 serves GET / as text/html and /config.json with the configured PoW bits', async () => {
    const { rc } = await boot();
    const home = await rc.raw('GET', '/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    const cfg = await rc.raw('GET', '/config.json');
    expect(cfg.status).toBe(200);
    expect(cfg.headers['content-type']).toBe('application/json');
    expect(cfg.text).toBe(`{\n  "proof_of_work": {\n    "address": 8,\n    "organisation": 8\n  }\n}`);
    expect(await rc.getConfig()).toEqual({ address: 8, organisation: 8 });
  });

  it('BM-RES-007 BM-RES-029 BM-RES-034 answers an unknown record with 404 "hash not found" in the resolver error shape', async () => {
    const { rc } = await boot();
    for (const kind of ['address', 'routing', 'organisation']) {
      const r = await rc.raw('GET', `/${kind}/${'b'.repeat(64)}`);
      expect(r.status).toBe(404);
      expect(r.text).toBe('{\n  "message": "hash not found",\n  "status": "error"\n}');
    }
  });

  it('BM-RES-010 answers a hash that is not 64 hex characters with 400 "invalid hash" on every hash route', async () => {
    const { rc } = await boot();
    const bad = ['abc', 'g'.repeat(64), 'a'.repeat(63), 'a'.repeat(65)];
    const routes = [
      ['GET', '/address/H'], ['POST', '/address/H'], ['DELETE', '/address/H'], ['POST', '/address/H/delete'], ['POST', '/address/H/undelete'],
      ['GET', `/address/H/status/${'c'.repeat(64)}`], ['POST', `/address/H/status/${'c'.repeat(64)}`],
      ['GET', '/routing/H'], ['POST', '/routing/H'], ['DELETE', '/routing/H'],
      ['GET', '/organisation/H'], ['POST', '/organisation/H'], ['DELETE', '/organisation/H'], ['GET', '/reserved/H'],
    ];
    for (const h of bad) {
      for (const [m, p] of routes) {
        const r = await rc.raw(m!, p!.replace('H', h), m === 'GET' || m === 'DELETE' ? undefined : '{}');
        expect(r.status, `${m} ${p} ${h}`).toBe(400);
        expect(JSON.parse(r.text), `${m} ${p}`).toEqual({ message: 'invalid hash', status: 'error' });
      }
    }
  });
});

describe('address records', () => {
  it('BM-RES-011 BM-RES-019 creates an address with a valid proof of work (201) and returns the Go-shaped record', async () => {
    const { rc } = await boot();
    const { a, id, res, routingId } = await createAddress(rc, 'alice!');
    expect(res).toEqual({ status: 201, message: 'address has been created' });
    const raw = await rc.raw('GET', `/address/${a.hash}`);
    const keys = [...raw.text.matchAll(/^ {2}"([a-z_]+)":/gm)].map((m) => m[1]);
    expect(keys).toEqual(['hash', 'proof', 'public_key', 'routing_id', 'serial_number']); // Go map: sorted
    const rec = await rc.getAddress(a.hash);
    expect(rec).toMatchObject({ hash: a.hash, publicKey: id.pub, routingId, proof: pow(a.hash) });
    expect(rec!.serialNumber).toBeGreaterThan(2n ** 53n); // Unix ns
  });

  it('BM-RES-018 refuses a proof of work below the minimum with "proof-of-work too weak (need 8 bits)"', async () => {
    const { rc } = await boot();
    const a = parseAddress('weak!');
    const id = identity();
    const body = JSON.stringify({ user_hash: a.localHash, org_hash: a.orgHash, public_key: id.pub, routing_id: 'a'.repeat(64), proof: pow(a.hash, 4), redir_hash: '' });
    const r = await post(rc, `/address/${a.hash}`, body);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ message: 'proof-of-work too weak (need 8 bits)', status: 'error' });
  });

  it('BM-RES-018 refuses a proof of work over other data, an invalid proof, or none with "incorrect proof-of-work"', async () => {
    const { rc } = await boot();
    const a = parseAddress('cheat!');
    const id = identity();
    const other = parseAddress('other!').hash;
    let bad = 0n;
    while (solvePow(BITS, a.hash, bad) === bad) bad++; // a proof that does not solve it
    for (const proof of [pow(other), formatProofOfWork({ bits: BITS, data: a.hash, proof: bad }), undefined]) {
      const body = JSON.stringify({ user_hash: a.localHash, org_hash: a.orgHash, public_key: id.pub, routing_id: 'a'.repeat(64), proof });
      const r = await post(rc, `/address/${a.hash}`, body);
      expect(r.status, String(proof)).toBe(400);
      expect(r.json.message).toBe('incorrect proof-of-work');
    }
    expect(await rc.getAddress(a.hash)).toBeNull();
  });

  it('BM-RES-014 BM-RES-015 BM-RES-016 checks the body in Go order: hash verification, routing id, organisation rules, routing or redirect', async () => {
    const { rc } = await boot();
    const a = parseAddress('bob!');
    const org = parseAddress('bob@acme!');
    const id = identity();
    const cases: [string, Record<string, unknown>, string][] = [
      [a.hash, { user_hash: a.localHash, org_hash: 'x', routing_id: 'a'.repeat(64) }, 'hash verification failed'],
      [a.hash, { user_hash: a.localHash, org_hash: a.orgHash, routing_id: 'zz' + 'a'.repeat(64) }, 'invalid routing id'],
      [org.hash, { user_hash: org.localHash, org_hash: org.orgHash, routing_id: 'a'.repeat(64) }, 'organisation account must use redirection'],
      [org.hash, { user_hash: org.localHash, org_hash: org.orgHash, routing_id: 'a'.repeat(64), redir_hash: a.hash }, 'cannot add routing to an organisation account'],
      [a.hash, { user_hash: a.localHash, org_hash: a.orgHash }, 'both redir hash and routing ID cannot be empty'],
    ];
    for (const [h, fields, msg] of cases) {
      const r = await post(rc, `/address/${h}`, JSON.stringify({ public_key: id.pub, proof: pow(h), ...fields }));
      expect(r.status, msg).toBe(400);
      expect(r.json.message).toBe(msg);
    }
  });

  it('BM-RES-013 BM-RES-040 BM-API-013 decodes bodies like Go: unknown fields ignored, field names case-insensitive, wrong types and missing key refused', async () => {
    const { rc } = await boot();
    const a = parseAddress('carol!');
    const id = identity();
    const base = { public_key: id.pub, routing_id: 'a'.repeat(64), proof: pow(a.hash) };
    for (const body of [
      JSON.stringify({ ...base, USER_HASH: 5, org_hash: a.orgHash }), // wrong type
      JSON.stringify({ ...base, user_hash: a.localHash, org_hash: a.orgHash, public_key: 'ed25519 AAAA' }), // bad key
      JSON.stringify({ user_hash: a.localHash, org_hash: a.orgHash, routing_id: 'a'.repeat(64), proof: pow(a.hash) }), // no key (Go panics)
      JSON.stringify({ ...base, user_hash: a.localHash, org_hash: a.orgHash, proof: '8$!!$1' }), // bad PoW text
      '[]', '"x"', '{"user_hash":', `${JSON.stringify({ ...base, user_hash: a.localHash, org_hash: a.orgHash })} trailing`,
    ]) {
      const r = await post(rc, `/address/${a.hash}`, body);
      expect(r.status, body).toBe(400);
      expect(r.json).toEqual({ message: 'invalid data', status: 'error' });
    }
    const ok = await post(rc, `/address/${a.hash}`, JSON.stringify({ ...base, User_Hash: a.localHash, ORG_HASH: a.orgHash, extra: [1, 2] }));
    expect(ok.status).toBe(201);
  });

  it('BM-RES-013 decodes a repeated body key as Go does: the last value counts, a later null keeps a string, a bad earlier occurrence is refused', async () => {
    const { rc } = await boot();
    const a = parseAddress('dave!');
    const id = identity();
    const hashes = `"user_hash":"${a.localHash}","org_hash":"${a.orgHash}"`;
    const proof = JSON.stringify(pow(a.hash));
    // The key given twice: garbage first, the real key last (first-wins would refuse it).
    const lastWins = `{"public_key":"ed25519 AAAA","routing_id":"${'a'.repeat(64)}","proof":${proof},${hashes},"PUBLIC_KEY":${JSON.stringify(id.pub)}}`;
    expect((await post(rc, `/address/${a.hash}`, lastWins)).status).toBe(201);
    expect((await rc.getAddress(a.hash))?.publicKey).toBe(id.pub);
    // A wrong type in an earlier occurrence fails, even though the last one is fine.
    const b = parseAddress('erin!');
    const hashesB = `"user_hash":"${b.localHash}","org_hash":"${b.orgHash}"`;
    const badFirst = `{"public_key":5,"public_key":${JSON.stringify(id.pub)},"routing_id":"${'a'.repeat(64)}","proof":${JSON.stringify(pow(b.hash))},${hashesB}}`;
    const r = await post(rc, `/address/${b.hash}`, badFirst);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ message: 'invalid data', status: 'error' });
    // null after the key leaves it (Go: null is a no-op for a string field).
    const c = parseAddress('frank!');
    const nullLast = `{"public_key":${JSON.stringify(id.pub)},"public_key":null,"routing_id":"${'a'.repeat(64)}","proof":${JSON.stringify(pow(c.hash))},"user_hash":"${c.localHash}","org_hash":"${c.orgHash}"}`;
    expect((await post(rc, `/address/${c.hash}`, nullLast)).status).toBe(201);
  });

  it('BM-RES-020 BM-RES-021 BM-RES-022 updates only with a bearer by the current key over hash+routing_id+current serial, and changes the serial', async () => {
    const { rc } = await boot();
    const { a, id, routingId } = await createAddress(rc, 'dave!');
    const before = (await rc.getAddress(a.hash))!;
    const other = identity();
    const body = JSON.stringify({ user_hash: a.localHash, org_hash: a.orgHash, public_key: other.pub, routing_id: 'b'.repeat(64) });
    // No header, wrong key, stale serial, lower-case prefix with a bad signature.
    expect((await post(rc, `/address/${a.hash}`, body)).status).toBe(401);
    expect((await post(rc, `/address/${a.hash}`, body, bearer(other.priv, { hash: a.hash, routingId, serial: before.serialNumber }))).json).toEqual({ message: 'unauthenticated', status: 'error' });
    expect((await post(rc, `/address/${a.hash}`, body, bearer(id.priv, { hash: a.hash, routingId, serial: before.serialNumber - 1n }))).status).toBe(401);
    expect((await rc.raw('POST', `/address/${a.hash}`, body, { authorization: 'bearer AAAA' })).status).toBe(401);
    // Right key, right serial (prefix case-insensitive).
    const good = await rc.raw('POST', `/address/${a.hash}`, body, { authorization: `bEaReR ${bearer(id.priv, { hash: a.hash, routingId, serial: before.serialNumber })}` });
    expect(good.status).toBe(200);
    expect(JSON.parse(good.text)).toEqual({ message: 'address has been updated', status: 'ok' });
    const after = (await rc.getAddress(a.hash))!;
    expect(after.publicKey).toBe(other.pub);
    expect(after.routingId).toBe('b'.repeat(64));
    expect(after.serialNumber).toBeGreaterThan(before.serialNumber);
    // The old bearer no longer works (serial moved on).
    expect((await post(rc, `/address/${a.hash}`, body, bearer(id.priv, { hash: a.hash, routingId, serial: before.serialNumber }))).status).toBe(401);
  });

  it('BM-RES-020 BM-RES-042 keeps serials above 2^53 exact end to end (GET text, bearer, update)', async () => {
    let next = 2n ** 63n + 12345n; // not representable as a double
    const { rc } = await boot({ serialClock: () => next++ });
    const { a, id, routingId } = await createAddress(rc, 'erin!');
    const raw = await rc.raw('GET', `/address/${a.hash}`);
    expect(raw.text).toContain('"serial_number": 9223372036854788153');
    const rec = (await rc.getAddress(a.hash))!;
    expect(rec.serialNumber).toBe(9223372036854788153n);
    const body = JSON.stringify({ user_hash: a.localHash, org_hash: a.orgHash, public_key: id.pub, routing_id: routingId });
    const lossy = BigInt(Number(rec.serialNumber)); // what JSON.parse would give a JS client
    expect(lossy).not.toBe(rec.serialNumber);
    expect((await post(rc, `/address/${a.hash}`, body, bearer(id.priv, { hash: a.hash, routingId, serial: lossy }))).status).toBe(401);
    expect((await post(rc, `/address/${a.hash}`, body, bearer(id.priv, { hash: a.hash, routingId, serial: rec.serialNumber }))).status).toBe(200);
    expect((await rc.getAddress(a.hash))!.serialNumber).toBe(9223372036854788154n);
  });

  it('BM-RES-023 BM-RES-024 hard-deletes with the right bearer only; a missing record is 404 "cannot find record" (Go: 500)', async () => {
    const { rc } = await boot();
    const { a, id } = await createAddress(rc, 'frank!');
    const other = identity();
    await expect(rc.deleteAddress(a.hash, other.priv)).rejects.toMatchObject({ status: 401 });
    expect(await rc.deleteAddress(a.hash, id.priv)).toEqual({ status: 200, message: 'address has been deleted' });
    expect(await rc.getAddress(a.hash)).toBeNull();
    const r = await rc.raw('DELETE', `/address/${a.hash}`, undefined, { authorization: 'Bearer AAAA' });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toEqual({ message: 'cannot find record', status: 'error' });
  });

  it('BM-RES-025 soft-deletes (record reads 404, serial 0) and undeletes with a bearer over serial 0', async () => {
    const { rc } = await boot();
    const { a, id, routingId } = await createAddress(rc, 'grace!');
    const other = identity();
    await expect(rc.softDeleteAddress(a.hash, other.priv)).rejects.toMatchObject({ status: 401 });
    expect(await rc.softDeleteAddress(a.hash, id.priv)).toEqual({ status: 200, message: 'address has been soft-deleted' });
    expect(await rc.getAddress(a.hash)).toBeNull();
    // Soft-deleting again: the bearer is checked first (over serial 0), then "cannot find record".
    const again = await post(rc, `/address/${a.hash}/delete`, 'null', bearer(id.priv, { hash: a.hash, routingId, serial: 0n }));
    expect(again.status).toBe(404);
    expect(again.json.message).toBe('cannot find record');
    await expect(rc.undeleteAddress(a.hash, routingId, other.priv)).rejects.toMatchObject({ status: 401 });
    expect(await rc.undeleteAddress(a.hash, routingId, id.priv)).toEqual({ status: 200, message: 'address has been undeleted' });
    const rec = (await rc.getAddress(a.hash))!;
    expect(rec.serialNumber).toBeGreaterThan(0n);
    const not = await post(rc, `/address/${a.hash}/undelete`, 'null', bearer(id.priv, { hash: a.hash, routingId, serial: 0n }));
    expect(not.status).toBe(400);
    expect(not.json.message).toBe('not deleted');
    const missing = await post(rc, `/address/${'d'.repeat(64)}/undelete`, 'null');
    expect(missing.status).toBe(404);
  });

  it('BM-RES-011 BM-RES-017 follows a redirect to the final record and refuses a redirect to a missing hash', async () => {
    const { rc } = await boot();
    const { a: target, id: tid } = await createAddress(rc, 'henry!');
    const alias = parseAddress('henry@acme!');
    const id = identity();
    const res = await rc.uploadAddress({ hash: alias.hash, userHash: alias.localHash, orgHash: alias.orgHash, publicKey: id.pub, redirHash: target.hash, proof: pow(alias.hash) }, id.priv);
    expect(res.status).toBe(201);
    const rec = (await rc.getAddress(alias.hash))!;
    expect(rec.hash).toBe(target.hash);
    expect(rec.publicKey).toBe(tid.pub);
    const bad = parseAddress('ivy@acme!');
    const r = await post(rc, `/address/${bad.hash}`, JSON.stringify({ user_hash: bad.localHash, org_hash: bad.orgHash, public_key: id.pub, redir_hash: 'e'.repeat(64), proof: pow(bad.hash) }));
    expect(r.status).toBe(404);
    expect(r.json.message).toBe('hash not found');
  });

  it('BM-RES-012 limits redirect chains to 9 hops and answers a cycle with "cyclic dependency detected"', async () => {
    const { rc } = await boot();
    const chain = [await createAddress(rc, 'hop0!')];
    for (let i = 1; i <= 10; i++) {
      const a = parseAddress(`hop${i}!`);
      const id = identity();
      const up = rc.uploadAddress({ hash: a.hash, userHash: a.localHash, orgHash: a.orgHash, publicKey: id.pub, redirHash: chain[i - 1]!.a.hash, proof: pow(a.hash) }, id.priv);
      if (i <= 9) {
        expect((await up).status, `hop${i}`).toBe(201);
        chain.push({ a, id, res: await up, routingId: '' });
      } else {
        await expect(up).rejects.toMatchObject({ status: 400, message: expect.stringContaining('maximum redirection reached') });
      }
    }
    expect((await rc.getAddress(chain[9]!.a.hash))!.hash).toBe(chain[0]!.a.hash); // 9 hops resolve
    // Point the chain's root back at its first alias: a cycle.
    const root = chain[0]!;
    await rc.uploadAddress({ hash: root.a.hash, userHash: root.a.localHash, orgHash: root.a.orgHash, publicKey: root.id.pub, redirHash: chain[1]!.a.hash }, root.id.priv);
    const r = await rc.raw('GET', `/address/${chain[1]!.a.hash}`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ message: 'cyclic dependency detected', status: 'error' });
  });

  it('BM-RES-038 accepts an RSA key (Go key-1) and signs its updates with it', async () => {
    const { rc } = await boot();
    const a = parseAddress('rsa-user!');
    const priv = parsePrivateKey(GO_KEY_1.privateKey);
    const res = await rc.uploadAddress({ hash: a.hash, userHash: a.localHash, orgHash: a.orgHash, publicKey: GO_KEY_1.publicKey, routingId: 'a'.repeat(64), proof: pow(a.hash) }, priv);
    expect(res.status).toBe(201);
    expect((await rc.getAddress(a.hash))!.publicKey).toBe(formatPublicKey(parsePublicKey(GO_KEY_1.publicKey)));
  });
});

describe('key status', () => {
  it('BM-RES-026 BM-RES-027 records every key set on an address as normal and lets only the owner change it', async () => {
    const { rc } = await boot();
    const { a, id } = await createAddress(rc, 'judy!');
    expect(await rc.getKeyStatus(a.hash, id.fp)).toBe('normal');
    expect(await rc.getKeyStatus(a.hash, 'f'.repeat(64))).toBeNull();
    const stranger = identity();
    const unauth = await post(rc, `/address/${a.hash}/status/${id.fp}`, '{"status":"compromised"}');
    expect(unauth.status).toBe(401);
    await expect(rc.setKeyStatus(a.hash, id.fp, 'compromised', stranger.priv)).rejects.toMatchObject({ status: 401 });
    expect(await rc.setKeyStatus(a.hash, id.fp, 'compromised', id.priv)).toEqual({ status: 200, message: 'key status has been updated' });
    expect(await rc.getKeyStatus(a.hash, id.fp)).toBe('compromised');
    const raw = await rc.raw('GET', `/address/${a.hash}/status/${id.fp}`);
    expect(raw.text).toBe('{\n  "message": "compromised",\n  "status": "ok"\n}');
  });

  it('BM-RES-028 answers bad status bodies with "invalid body data" / "invalid status" and unknown pairs with "error while updating"', async () => {
    const { rc } = await boot();
    const { a, id } = await createAddress(rc, 'kim!');
    expect((await post(rc, `/address/${a.hash}/status/${id.fp}`, '{"status":')).json.message).toBe('invalid body data');
    expect((await post(rc, `/address/${a.hash}/status/${id.fp}`, '{"status":5}')).json.message).toBe('invalid body data');
    expect((await post(rc, `/address/${a.hash}/status/${id.fp}`, '{"status":"unknown"}')).json.message).toBe('invalid status');
    expect((await post(rc, `/address/${a.hash}/status/${id.fp}`, '')).json.message).toBe('invalid status');
    await expect(rc.setKeyStatus(a.hash, 'f'.repeat(64), 'normal', id.priv)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('error while updating') });
    await expect(rc.setKeyStatus('0'.repeat(64), id.fp, 'normal', id.priv)).rejects.toMatchObject({ status: 400 });
  });
});

describe('routing records', () => {
  it('BM-RES-029 BM-RES-031 BM-RES-032 BM-RES-033 creates a routing record only with proof of key possession, then returns the Go-shaped record', async () => {
    const { rc } = await boot();
    const kp = generateKeyPair('ed25519', rng);
    const pub = formatPublicKey(kp.publicKey);
    const rid = routingIdFor(pub);
    const body = JSON.stringify({ public_key: pub, routing: '127.0.0.1:2424' });
    const noSig = await post(rc, `/routing/${rid}`, body);
    expect(noSig.status).toBe(401);
    const stranger = identity();
    expect((await post(rc, `/routing/${rid}`, body, bearer(stranger.priv, { hash: rid, serial: 0n }))).status).toBe(401);
    // A key that is not the one the routing id was derived from, even with its own valid bearer.
    const mismatch = await post(rc, `/routing/${rid}`, JSON.stringify({ public_key: stranger.pub, routing: '127.0.0.1:2424' }), bearer(stranger.priv, { hash: rid, serial: 0n }));
    expect(mismatch.json).toEqual({ message: 'routing id does not match the public key', status: 'error' });
    expect(await rc.uploadRouting({ hash: rid, publicKey: pub, routing: '127.0.0.1:2424' }, kp.privateKey)).toEqual({ status: 201, message: 'routing has been created' });
    const raw = await rc.raw('GET', `/routing/${rid}`);
    expect([...raw.text.matchAll(/^ {2}"([a-z_]+)":/gm)].map((m) => m[1])).toEqual(['hash', 'public_key', 'routing', 'serial_number']);
    const rec = (await rc.getRouting(rid))!;
    expect(rec).toMatchObject({ hash: rid, publicKey: pub, routing: '127.0.0.1:2424' });
    // Update and delete need the current key and serial.
    expect(await rc.uploadRouting({ hash: rid, publicKey: pub, routing: 'localhost:4000' }, kp.privateKey)).toEqual({ status: 200, message: 'routing has been updated' });
    expect((await rc.getRouting(rid))!.serialNumber).toBeGreaterThan(rec.serialNumber);
    await expect(rc.deleteRouting(rid, stranger.priv)).rejects.toBeInstanceOf(ApiError);
    expect(await rc.deleteRouting(rid, kp.privateKey)).toEqual({ status: 200, message: 'routing has been deleted' });
    expect(await rc.getRouting(rid)).toBeNull();
    expect((await rc.raw('DELETE', `/routing/${rid}`)).status).toBe(404);
  });

  it('creates without a signature only when routingCreateNeedsSignature is off (Go behaviour)', async () => {
    const { rc } = await boot({ routingCreateNeedsSignature: false });
    const id = identity(); // neither the key's own routing id nor a bearer
    const r = await post(rc, `/routing/${'1'.repeat(64)}`, JSON.stringify({ public_key: id.pub, routing: 'example.org' }));
    expect(r.status).toBe(201);
  });

  it('BM-RES-030 refuses routing values that are not host[:port] with "invalid data", without DNS', async () => {
    const { rc } = await boot();
    const kp = generateKeyPair('ed25519', rng);
    const pub = formatPublicKey(kp.publicKey);
    const rid = routingIdFor(pub);
    for (const routing of ['', 'host:0', 'host:65536', 'a b', 'http://x', '[::1', 'x:y', '-bad.example', 'a..b']) {
      const r = await post(rc, `/routing/${rid}`, JSON.stringify({ public_key: pub, routing }), bearer(kp.privateKey, { hash: rid, serial: 0n }));
      expect(r.status, routing).toBe(400);
      expect(r.json.message).toBe('invalid data');
    }
    for (const routing of ['[::1]:2424', '127.0.0.1', 'mail.example.org:443']) {
      const r = await post(rc, `/routing/${rid}`, JSON.stringify({ public_key: pub, routing }), bearer(kp.privateKey, { hash: rid, serial: (await rc.getRouting(rid))?.serialNumber ?? 0n }));
      expect(r.status, routing).toBeLessThan(300);
    }
  });
});

describe('organisation records', () => {
  it('BM-RES-034 BM-RES-035 BM-RES-036 BM-RES-037 creates with PoW, updates, soft-deletes, undeletes and deletes with the organisation key', async () => {
    const { rc } = await boot();
    const h = hashString('acme');
    const id = identity();
    const weak = await post(rc, `/organisation/${h}`, JSON.stringify({ public_key: id.pub, proof: pow(h, 4), validations: [] }));
    expect(weak.json).toEqual({ message: 'proof-of-work too weak (need 8 bits)', status: 'error' });
    expect(await rc.uploadOrganisation({ hash: h, publicKey: id.pub, proof: pow(h), validations: ['dns acme.example'] }, id.priv)).toEqual({ status: 201, message: 'organisation has been created' });
    const raw = await rc.raw('GET', `/organisation/${h}`);
    expect([...raw.text.matchAll(/^ {2}"([a-z_]+)":/gm)].map((m) => m[1])).toEqual(['hash', 'proof', 'public_key', 'serial_number', 'validations']);
    expect(await rc.getOrganisation(h)).toMatchObject({ hash: h, publicKey: id.pub, validations: ['dns acme.example'] });
    const stranger = identity();
    await expect(rc.uploadOrganisation({ hash: h, publicKey: stranger.pub, proof: pow(h) }, stranger.priv)).rejects.toMatchObject({ status: 401 });
    expect((await rc.uploadOrganisation({ hash: h, publicKey: id.pub, proof: pow(h), validations: [] }, id.priv)).message).toBe('organisation has been updated');
    expect((await rc.softDeleteOrganisation(h, id.priv)).message).toBe('organisation has been soft-deleted');
    expect(await rc.getOrganisation(h)).toBeNull();
    expect((await rc.undeleteOrganisation(h, id.priv)).message).toBe('organisation has been undeleted');
    expect(await rc.getOrganisation(h)).not.toBeNull();
    expect((await rc.deleteOrganisation(h, id.priv)).message).toBe('organisation has been deleted');
    expect(await rc.getOrganisation(h)).toBeNull();
  });
});

describe('durability and faults', () => {
  it('finds records again after a restart on the same data directory, serials unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bm-resolver-'));
    try {
      const st1 = await openDurableStorage(dir);
      const s1 = await startResolver({ storage: st1, pow: { address: BITS, organisation: BITS } }, { tls: leaf });
      const rc1 = new ResolverClient({ baseUrl: s1.url, ca: ca.cert });
      const { a } = await createAddress(rc1, 'leo!');
      const rec = (await rc1.getAddress(a.hash))!;
      await rc1.close();
      await s1.close();
      await st1.close();
      const st2 = await openDurableStorage(dir);
      const s2 = await startResolver({ storage: st2, pow: { address: BITS, organisation: BITS } }, { tls: leaf });
      const rc2 = new ResolverClient({ baseUrl: s2.url, ca: ca.cert });
      expect(await rc2.getAddress(a.hash)).toEqual(rec);
      await rc2.close();
      await s2.close();
      await st2.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fault acceptWeakProofOfWork lets a weak proof through (so a suite can detect it)', async () => {
    const { rc } = await boot({ faults: { acceptWeakProofOfWork: true } });
    const a = parseAddress('mallory!');
    const id = identity();
    const r = await post(rc, `/address/${a.hash}`, JSON.stringify({ user_hash: a.localHash, org_hash: a.orgHash, public_key: id.pub, routing_id: 'a'.repeat(64), proof: '1$YQ==$0' }));
    expect(r.status).toBe(201);
  });

  it('fault lossySerials emits rounded serials, so a client that signs what it read is refused', async () => {
    const { rc } = await boot({ faults: { lossySerials: true }, serialClock: () => 2n ** 60n + 1n });
    const { a, id } = await createAddress(rc, 'nina!');
    const other = identity();
    await expect(rc.uploadAddress({ hash: a.hash, userHash: a.localHash, orgHash: a.orgHash, publicKey: other.pub, routingId: 'a'.repeat(64) }, id.priv)).rejects.toMatchObject({ status: 401 });
  });

  // A clock reading that is itself a double would hide the defect; the switch moves it off.
  it.each([2n ** 60n, 2n ** 60n + 0x55n - 1n, 1_800_000_000_000_000_256n])('fault lossySerials shows even when the clock reads %s', async (at) => {
    const { rc } = await boot({ faults: { lossySerials: true }, serialClock: () => at });
    const { a, id } = await createAddress(rc, 'nora!');
    const read = (await rc.getAddress(a.hash))!.serialNumber;
    expect(BigInt(Number(read))).toBe(read);
    await expect(rc.uploadAddress({ hash: a.hash, userHash: a.localHash, orgHash: a.orgHash, publicKey: identity().pub, routingId: 'b'.repeat(64) }, id.priv)).rejects.toMatchObject({ status: 401 });
  });
});
