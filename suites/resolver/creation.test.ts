/**
 * Profile `resolver`, area `creation`: creating address, organisation and routing records
 * (spec/api.md §7.2 "POST /address|organisation|routing/{hash}", §1.4 proof of work, §6.1–6.2;
 * Go [R] internal/handler/address.go:81-125,276-331, organisation.go:70-162, routing.go:62-116).
 *
 * Creation of address and organisation records is gated by proof of work over the record's
 * hash with at least the `/config.json` minimum; every other check of the upload body (hash
 * relation, routing id, organisation redirect rules, missing fields) is probed with an
 * otherwise-valid request, so exactly one thing is wrong in each.
 *
 * Runs against BM_RESOLVER_URL; every record is a fresh address of this run.
 */
import { describe, it } from 'vitest';
import { goMap } from '../../harness/protocol/gojson.ts';
import { hashString } from '../../harness/protocol/hash.ts';
import { parsePrivateKey, parsePublicKey, fingerprint } from '../../harness/protocol/keys.ts';
import { RSA4096_FIXTURE } from '../../harness/protocol/fixtures.ts';
import { setupOnce, useTarget } from '../_support/target.ts';
import { SuiteResolver, type AccountIdentity } from '../_support/resolver.ts';
import { mustBe, mustResolverError, mustResolverOk, mustStatus, unsupported } from '../_support/must.ts';

const target = await useTarget({ needs: ['resolver'] });
const resolver = new SuiteResolver('creation', target.resolverUrl);

/** The resolver's /config.json minimums, read on first use. */
const config = setupOnce(() => resolver.config());

/** POST a new address record for `acc` with the given body fields and the Go client's bearer (serial 0). */
async function postNew(acc: AccountIdentity, f: { routingId?: string; redirHash?: string; proof?: string; publicKey?: string }) {
  const routingId = f.routingId ?? '';
  return resolver.postAddress(acc.hash, resolver.addressBody(acc, f), resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial: 0n }));
}

describe('resolver › address creation: proof of work', { meta: { area: 'creation' } }, () => {
  // The baseline: a proof over the address hash with exactly the /config.json minimum creates
  // the record (201 "address has been created"). api.md §6.1 step 3, §7.2 steps 7–8.
  it('BM-RES-018 BM-POW-006 MUST create an address record whose proof of work is over the address hash with the minimum bits', async () => {
    const pow = await config();
    const acc = resolver.account('powok');
    mustResolverOk(await postNew(acc, { routingId: resolver.routing().hash, proof: await resolver.proof(acc.hash, pow.address) }), 201, 'address has been created');
    mustStatus(await resolver.record('address', acc.hash), 200, 'the created record reads back');
  });

  // "At least" the minimum: a proof with one bit more is accepted too. api.md §7.2 step 7.
  it('BM-RES-018 MUST accept an address proof of work with more bits than the minimum', async () => {
    const pow = await config();
    const acc = resolver.account('powmore');
    mustResolverOk(await postNew(acc, { routingId: resolver.routing().hash, proof: await resolver.proof(acc.hash, pow.address + 1) }), 201, 'address has been created');
  });

  // A genuine proof with one bit fewer than /config.json announces is refused with 400
  // "proof-of-work too weak (need N bits)"; this also shows /config.json tells the truth.
  // api.md §7.2 step 7.
  it('BM-RES-018 BM-RES-009 MUST reject an address proof of work one bit below the /config.json minimum', async () => {
    const pow = await config();
    if (pow.address < 1) unsupported('the resolver requires no proof of work for addresses (minimum 0 bits)');
    const acc = resolver.account('powweak');
    const r = await postNew(acc, { routingId: resolver.routing().hash, proof: await resolver.proof(acc.hash, pow.address - 1) });
    mustResolverError(r, 400, `proof-of-work too weak (need ${pow.address} bits)`);
    mustResolverError(await resolver.record('address', acc.hash), 404, 'hash not found', 'no record was created');
  });

  // A valid proof of the right strength over other data (another address's hash) does not
  // count: the proof must be bound to this address. api.md §1.4 ("data must be the object's
  // hex hash"), §7.2 step 7.
  it('BM-RES-018 BM-POW-006 MUST reject an address proof of work over data other than the address hash', async () => {
    const pow = await config();
    const acc = resolver.account('powdata');
    const other = resolver.account('powother');
    const r = await postNew(acc, { routingId: resolver.routing().hash, proof: await resolver.proof(other.hash, pow.address) });
    mustResolverError(r, 400, 'incorrect proof-of-work');
  });

  // A proof string over the right data claiming enough bits whose counter does not meet them
  // (double SHA-256 not below the target) is refused. api.md §1.4, §7.2 step 7.
  it('BM-RES-018 BM-POW-001 MUST reject an address proof of work whose counter does not satisfy its bits', async () => {
    const pow = await config();
    if (pow.address < 1) unsupported('the resolver requires no proof of work for addresses (minimum 0 bits)');
    const acc = resolver.account('powbad');
    const r = await postNew(acc, { routingId: resolver.routing().hash, proof: resolver.invalidProof(acc.hash, pow.address) });
    mustResolverError(r, 400, 'incorrect proof-of-work');
  });

  // No proof at all on a new record: refused with 400 (Go dereferences a nil proof and
  // panics — a dropped connection or 5xx is a failure here). api.md §7.2 [panic], §8.15.
  it('BM-RES-018 BM-RES-040 MUST answer 400 to a new address record without a proof of work', async () => {
    const acc = resolver.account('pownone');
    const routingId = resolver.routing().hash;
    const body = goMap({ org_hash: acc.orgHash, public_key: acc.publicKey, redir_hash: '', routing_id: routingId, user_hash: acc.localHash });
    const r = await resolver.send('POST', `/address/${acc.hash}`, body, resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial: 0n }), { allowDrop: true });
    mustResolverError(r, 400);
  });

  // A proof string that does not parse ("<bits>$<b64>$<decimal>" required) makes the body
  // "invalid data". api.md §1.4, §7.2 step 1.
  it('BM-RES-013 BM-POW-003 MUST answer 400 "invalid data" to an address upload whose proof-of-work string does not parse', async () => {
    const pow = await config();
    const acc = resolver.account('powparse');
    const r = await postNew(acc, { routingId: resolver.routing().hash, proof: `${pow.address}$not base64!$12` });
    mustResolverError(r, 400, 'invalid data');
  });
});

describe('resolver › address creation: body', { meta: { area: 'creation' } }, () => {
  // A body that is not JSON. api.md §7.2 step 1.
  it('BM-RES-013 MUST answer 400 "invalid data" to an address upload that is not JSON', async () => {
    const acc = resolver.account('notjson');
    mustResolverError(await resolver.postAddress(acc.hash, '{"user_hash": '), 400, 'invalid data');
  });

  // A public_key string that is not a key. api.md §7.2 step 1.
  it('BM-RES-013 MUST answer 400 "invalid data" to an address upload whose public key does not parse', async () => {
    const pow = await config();
    const acc = resolver.account('badkey');
    const r = await postNew(acc, { routingId: resolver.routing().hash, proof: await resolver.proof(acc.hash, pow.address), publicKey: 'ed25519 bm90IGEga2V5' });
    mustResolverError(r, 400, 'invalid data');
  });

  // No public_key at all: 400, not a panic. api.md §7.2 [panic], §8.15.
  it('BM-RES-040 MUST answer 400 to an address upload without a public key', async () => {
    const pow = await config();
    const acc = resolver.account('nokey');
    const routingId = resolver.routing().hash;
    const body = goMap({ org_hash: acc.orgHash, proof: await resolver.proof(acc.hash, pow.address), redir_hash: '', routing_id: routingId, user_hash: acc.localHash });
    mustResolverError(await resolver.send('POST', `/address/${acc.hash}`, body, undefined, { allowDrop: true }), 400);
  });

  // The path hash must be hash.New(user_hash + org_hash): the body of one address under the
  // path of another is refused. api.md §7.2 step 2.
  it('BM-RES-014 MUST answer 400 "hash verification failed" when the path hash is not hash(user_hash + org_hash)', async () => {
    const pow = await config();
    const acc = resolver.account('hashmix');
    const other = resolver.account('hashother');
    const body = resolver.addressBody(acc, { routingId: resolver.routing().hash, proof: await resolver.proof(other.hash, pow.address) });
    mustResolverError(await resolver.postAddress(other.hash, body), 400, 'hash verification failed');
  });

  // routing_id must be a routing id (64 hex); the reference checks it anchored (Go's regex is
  // unanchored, so this value — no 64-hex run at all — is refused by both). api.md §7.2 step 2.
  it('BM-RES-015 MUST answer 400 "invalid routing id" to an address upload whose routing_id is not 64 hex', async () => {
    const pow = await config();
    const acc = resolver.account('badroute');
    const r = await postNew(acc, { routingId: 'not-a-routing-id', proof: await resolver.proof(acc.hash, pow.address) });
    mustResolverError(r, 400, 'invalid routing id');
  });

  // A record must say where mail goes: neither routing_id nor redir_hash is refused.
  // api.md §7.2 step 3.
  it('BM-RES-015 MUST answer 400 to an address upload with neither routing_id nor redir_hash', async () => {
    const pow = await config();
    const acc = resolver.account('noroute');
    const r = await postNew(acc, { proof: await resolver.proof(acc.hash, pow.address) });
    mustResolverError(r, 400, 'both redir hash and routing ID cannot be empty');
  });

  // An organisation address (user@org!) is an alias and must redirect. api.md §6.2, §7.2 step 2.
  it('BM-RES-016 MUST answer 400 "organisation account must use redirection" to an organisation address without redir_hash', async () => {
    const pow = await config();
    const acc = resolver.account('orgnoredir', { organisation: 'acme' });
    const r = await postNew(acc, { proof: await resolver.proof(acc.hash, pow.address) });
    mustResolverError(r, 400, 'organisation account must use redirection');
  });

  // ... and must not carry a routing id, even next to a valid redirect. api.md §6.2, §7.2 step 2.
  it('BM-RES-016 MUST answer 400 "cannot add routing to an organisation account" to an organisation address with a routing_id', async () => {
    const pow = await config();
    const home = resolver.account('orghome');
    await resolver.createAddress(home);
    const acc = resolver.account('orgroute', { organisation: 'acme' });
    const r = await postNew(acc, { routingId: resolver.routing().hash, redirHash: home.hash, proof: await resolver.proof(acc.hash, pow.address) });
    mustResolverError(r, 400, 'cannot add routing to an organisation account');
  });

  // The positive case: an organisation address redirecting to a routable address is created,
  // and reading it answers the final record of the chain. api.md §6.2, §7.2 "GET /address".
  it('BM-RES-016 BM-RES-011 MUST create an organisation address that redirects, and answer its GET with the final record', async () => {
    const pow = await config();
    const home = resolver.account('orgfinal');
    await resolver.createAddress(home);
    const acc = resolver.account('orgalias', { organisation: 'acme' });
    mustResolverOk(await postNew(acc, { redirHash: home.hash, proof: await resolver.proof(acc.hash, pow.address) }), 201, 'address has been created');
    const j = await resolver.read('address', acc.hash);
    mustBe(j.hash === home.hash && j.public_key === home.publicKey, `GET of the alias must answer the final record ${home.hash.slice(0, 12)}…, got ${String(j.hash).slice(0, 12)}…`, { hash: home.hash }, { hash: j.hash });
  });

  // A redirect to an address that does not exist is refused with that lookup's 404.
  // api.md §7.2 step 4.
  it('BM-RES-017 MUST refuse an address whose redir_hash does not resolve (404 "hash not found")', async () => {
    const pow = await config();
    const acc = resolver.account('redirnowhere');
    const r = await postNew(acc, { redirHash: resolver.account('nobody').hash, proof: await resolver.proof(acc.hash, pow.address) });
    mustResolverError(r, 404, 'hash not found');
  });

  // rsa4096 is a current key type; the Go resolver's older library cannot store it.
  // api.md §1.2, §7.4.
  it('BM-RES-039 SHOULD accept an address record with an rsa4096 key', async () => {
    const pow = await config();
    const key = { type: 'rsa4096' as const, privateKey: parsePrivateKey(RSA4096_FIXTURE.privateKey), publicKey: RSA4096_FIXTURE.publicKey, fingerprint: fingerprint(parsePublicKey(RSA4096_FIXTURE.publicKey)) };
    const acc = resolver.account('rsa4096', { key });
    mustResolverOk(await postNew(acc, { routingId: resolver.routing().hash, proof: await resolver.proof(acc.hash, pow.address) }), 201, 'address has been created');
    const j = await resolver.read('address', acc.hash);
    mustBe(j.public_key === RSA4096_FIXTURE.publicKey, 'the rsa4096 key must read back verbatim', RSA4096_FIXTURE.publicKey, j.public_key);
  });
});

describe('resolver › organisation creation', { meta: { area: 'creation' } }, () => {
  // Baseline: a proof over the organisation hash with the organisation minimum.
  // api.md §6.2, §7.2 "POST /organisation/{hash}".
  it('BM-RES-035 BM-POW-006 MUST create an organisation record whose proof of work is over the organisation hash with the minimum bits', async () => {
    const pow = await config();
    const org = resolver.organisation('orgok');
    const body = resolver.organisationBody(org, { proof: await resolver.proof(org.hash, pow.organisation), validations: ['dns example.org'] });
    mustResolverOk(await resolver.postOrganisation(org.hash, body), 201, 'organisation has been created');
  });

  // One bit below the organisation minimum. api.md §7.2.
  it('BM-RES-035 MUST reject an organisation proof of work below the organisation minimum', async () => {
    const pow = await config();
    if (pow.organisation < 1) unsupported('the resolver requires no proof of work for organisations (minimum 0 bits)');
    const org = resolver.organisation('orgweak');
    const r = await resolver.postOrganisation(org.hash, resolver.organisationBody(org, { proof: await resolver.proof(org.hash, pow.organisation - 1) }));
    mustResolverError(r, 400, /^proof-of-work too weak/);
  });

  // The weak-proof message names the organisation minimum (Go prints the address minimum).
  // api.md §7.2, §8.15. With equal minimums (the Go standalone resolver's one -bits flag sets
  // both) the message cannot show which one it names: no evidence either way, so unsupported.
  it('BM-RES-036 SHOULD name the organisation minimum in the organisation "proof-of-work too weak" error', async () => {
    const pow = await config();
    if (pow.organisation < 1) unsupported('the resolver requires no proof of work for organisations (minimum 0 bits)');
    if (pow.organisation === pow.address) unsupported(`the resolver's address and organisation minimums are equal (${pow.address} bits), so its message cannot show which one it names; run it with different minimums`);
    const org = resolver.organisation('orgweakmsg');
    const r = await resolver.postOrganisation(org.hash, resolver.organisationBody(org, { proof: await resolver.proof(org.hash, pow.organisation - 1) }));
    mustResolverError(r, 400, `proof-of-work too weak (need ${pow.organisation} bits)`);
  });

  // A proof over the organisation *name* instead of its hash is over the wrong data.
  // api.md §1.4, §7.2.
  it('BM-RES-035 BM-POW-006 MUST reject an organisation proof of work over data other than the organisation hash', async () => {
    const pow = await config();
    const org = resolver.organisation('orgdata');
    const r = await resolver.postOrganisation(org.hash, resolver.organisationBody(org, { proof: await resolver.proof(org.name, pow.organisation) }));
    mustResolverError(r, 400, 'incorrect proof-of-work');
  });

  // No proof on a new organisation: 400, not a panic. api.md §7.2 [panic], §8.15.
  it('BM-RES-035 BM-RES-040 MUST answer 400 to a new organisation record without a proof of work', async () => {
    const org = resolver.organisation('orgnoproof');
    const r = await resolver.send('POST', `/organisation/${org.hash}`, goMap({ public_key: org.publicKey, validations: [] }), undefined, { allowDrop: true });
    mustResolverError(r, 400);
  });
});

describe('resolver › routing creation', { meta: { area: 'creation' } }, () => {
  // Baseline: a new routing record as the Go client uploads it (key, host:port, bearer by the
  // key over serial 0, id derived from the key). api.md §7.2 "POST /routing/{hash}".
  it('BM-RES-032 MUST create a routing record with 201 "routing has been created"', async () => {
    const rt = resolver.routing();
    const r = await resolver.postRouting(rt.hash, resolver.routingBody(rt, '127.0.0.1:2424'), resolver.authorization(rt.privateKey, { hash: rt.hash, serial: 0n }));
    mustResolverOk(r, 201, 'routing has been created');
  });

  // The routing value must parse as host[:port]; a port out of range does not (Go's
  // net.ResolveTCPAddr refuses it without any DNS lookup). api.md §7.2.
  it('BM-RES-030 MUST answer 400 "invalid data" to a routing value that is not host[:port]', async () => {
    for (const routing of ['127.0.0.1:99999', '[::1']) {
      const rt = resolver.routing();
      const r = await resolver.postRouting(rt.hash, resolver.routingBody(rt, routing), resolver.authorization(rt.privateKey, { hash: rt.hash, serial: 0n }));
      mustResolverError(r, 400, 'invalid data', `routing ${JSON.stringify(routing)}`);
    }
  });

  // Without proof that the uploader holds the routing key (no bearer), anyone could claim a
  // routing id first. Go creates the record (first come, first served). api.md §7.2, §8.15.
  it('BM-RES-031 SHOULD refuse to create a routing record without a bearer by the uploaded key', async () => {
    const rt = resolver.routing();
    const r = await resolver.postRouting(rt.hash, resolver.routingBody(rt));
    mustBe(r.status === 400 || r.status === 401, `POST /routing without a bearer: expected 400 or 401, got ${r.status}`, { status: [400, 401] }, { status: r.status, body: r.json ?? r.text });
    mustResolverError(await resolver.record('routing', rt.hash), 404, 'hash not found', 'no record was created');
  });

  // The routing id of a mail server is hash.New(hex(raw ed25519 public key)) (api.md §1.1); a
  // record under some other id for that key — signed correctly — is refused. api.md §8.15.
  it('BM-RES-031 SHOULD refuse a routing record whose id is not hash.New(hex(public key))', async () => {
    const rt = resolver.routing();
    const id = hashString(`not the key of ${rt.hash}`);
    const r = await resolver.postRouting(id, resolver.routingBody(rt), resolver.authorization(rt.privateKey, { hash: id, serial: 0n }));
    mustBe(r.status === 400 || r.status === 401, `POST /routing under a foreign id: expected 400 or 401, got ${r.status}`, { status: [400, 401] }, { status: r.status, body: r.json ?? r.text });
  });
});
