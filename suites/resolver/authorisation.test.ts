/**
 * Profile `resolver`, area `authorisation`: signed updates and deletes of resolver records
 * (spec/api.md §7.2, §7.3 "Record authorisation"; formats.md §10.4; Go [R]
 * internal/http/http.go:131 ValidateAuthenticationToken, internal/handler/*.go).
 *
 * Every change to an existing record carries `Authorization: Bearer <b64 Sign(current key,
 * SHA-256(hash ‖ routing_id ‖ decimal serial))>` (routing and organisation records: no
 * routing id), checked against the record's *current* key and serial. Each test makes one fresh
 * record, then sends one write whose bearer is right or wrong in exactly one way: the key, the
 * serial (off by one, stale, or rounded through a double), or missing.
 *
 * Runs against BM_RESOLVER_URL.
 */
import { describe, it } from 'vitest';
import { goMap } from '../../harness/protocol/gojson.ts';
import { useTarget } from '../_support/target.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { must, mustBe, mustJsonObject, mustResolverError, mustResolverOk, mustStatus, mustUint64 } from '../_support/must.ts';
import { matchIntegerLiteral } from '../_support/match.ts';

const target = await useTarget({ needs: ['resolver'] });
const resolver = new SuiteResolver('authorisation', target.resolverUrl);

/** A fresh address record; returns it with its routing id and current serial. */
async function newAddress(name: string) {
  const acc = resolver.account(name);
  const routingId = resolver.routing().hash;
  const serial = await resolver.createAddress(acc, { routingId });
  return { acc, routingId, serial };
}

describe('resolver › address updates', { meta: { area: 'authorisation' } }, () => {
  // The Go client's update: GET for the serial, sign hash ‖ routing_id ‖ serial with the
  // current key, POST the new fields without a proof → 200 "address has been updated", and the
  // new routing id reads back. api.md §7.2 step 5, §7.3; remote.go prefetch.
  it('BM-RES-020 BM-RES-042 MUST accept an address update signed by the current key over hash, routing id and current serial', async () => {
    const { acc, routingId, serial } = await newAddress('upd');
    const next = resolver.routing().hash;
    const body = resolver.addressBody(acc, { routingId: next });
    mustResolverOk(await resolver.postAddress(acc.hash, body, resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial })), 200, 'address has been updated');
    const j = await resolver.read('address', acc.hash);
    mustBe(j.routing_id === next, `routing_id after the update: expected ${next}, got ${String(j.routing_id)}`, next, j.routing_id);
  });

  // Same request, signed by a key that is not the record's. api.md §7.3.
  it('BM-RES-020 MUST answer 401 "unauthenticated" to an address update signed by another key', async () => {
    const { acc, routingId, serial } = await newAddress('updkey');
    const intruder = resolver.key();
    const r = await resolver.postAddress(acc.hash, resolver.addressBody(acc, { routingId: resolver.routing().hash }), resolver.authorization(intruder.privateKey, { hash: acc.hash, routingId, serial }));
    mustResolverError(r, 401, 'unauthenticated');
    const j = await resolver.read('address', acc.hash);
    mustBe(j.routing_id === routingId, 'a refused update must not change the record', routingId, j.routing_id);
  });

  // Right key, serial off by one. api.md §7.3.
  it('BM-RES-020 BM-RES-021 MUST answer 401 to an address update signed over a serial that is not the current one', async () => {
    const { acc, routingId, serial } = await newAddress('updserial');
    const r = await resolver.postAddress(acc.hash, resolver.addressBody(acc, { routingId }), resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial: serial + 1n }));
    mustResolverError(r, 401, 'unauthenticated');
  });

  // Right key and serial, but the routing id left out of the signed text. api.md §7.3.
  it('BM-RES-020 MUST answer 401 to an address update whose signature leaves out the routing id', async () => {
    const { acc, routingId, serial } = await newAddress('updnorid');
    const r = await resolver.postAddress(acc.hash, resolver.addressBody(acc, { routingId }), resolver.authorization(acc.privateKey, { hash: acc.hash, serial }));
    mustResolverError(r, 401, 'unauthenticated');
  });

  // No Authorization header on an existing record. api.md §7.3.
  it('BM-RES-020 MUST answer 401 to an address update without a bearer', async () => {
    const { acc } = await newAddress('updnone');
    const r = await resolver.postAddress(acc.hash, resolver.addressBody(acc, { routingId: resolver.routing().hash, proof: await resolver.proof(acc.hash, (await resolver.config()).address) }));
    mustResolverError(r, 401, 'unauthenticated');
  });

  // Replay: a captured, once-valid Authorization header sent again after the update it
  // authorised. The serial changed with the update, so the old signature is stale (optimistic
  // concurrency). Go's Bolt backend keeps the serial on update and accepts the replay.
  // api.md §7.3, §8.15.
  it('BM-RES-021 MUST reject a replayed bearer signed over the serial before the last update', async () => {
    const { acc, routingId, serial } = await newAddress('replay');
    const auth = resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial });
    const body = resolver.addressBody(acc, { routingId });
    mustResolverOk(await resolver.postAddress(acc.hash, body, auth), 200, 'address has been updated', 'first use of the bearer');
    mustResolverError(await resolver.postAddress(acc.hash, body, auth), 401, 'unauthenticated', 'replay of the same bearer');
  });

  // Serials are uint64 nanoseconds beyond 2^53 (§1.5): the literal read must be signed digit
  // for digit. A bearer over the serial rounded through a double (what JSON.parse gives) is
  // refused; one over the exact value is accepted. If the serial happens to be a double, the
  // rounded one is replaced by serial − 1. api.md §1.5, §7.3.
  it('BM-RES-021 BM-RES-019 MUST verify the bearer against the exact 64-bit serial, not one rounded to a double', async () => {
    const { acc, routingId } = await newAddress('exact');
    const r = await resolver.record('address', acc.hash);
    mustStatus(r, 200);
    const serial = mustUint64(mustJsonObject(r), 'serial_number');
    must(matchIntegerLiteral(r.text, 'serial_number', serial), 'serial_number text');
    mustBe(serial > 2n ** 53n, `serial_number ${serial} must exceed 2^53 (Unix nanoseconds)`);
    let rounded = BigInt(Number(serial));
    if (rounded === serial) rounded = serial - 1n;
    const body = resolver.addressBody(acc, { routingId });
    mustResolverError(await resolver.postAddress(acc.hash, body, resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial: rounded })), 401, 'unauthenticated', `bearer over the rounded serial ${rounded}`);
    mustResolverOk(await resolver.postAddress(acc.hash, body, resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial })), 200, 'address has been updated', `bearer over the exact serial ${serial}`);
  });

  // key-resolver-go compares the first seven characters of the header upper-cased, so
  // "bearer " works as well as "Bearer ". api.md §7.3.
  it('BM-RES-022 MUST accept the bearer prefix in any case ("bearer ", "BEARER ")', async () => {
    const { acc, routingId } = await newAddress('prefix');
    for (const prefix of ['bearer', 'BEARER']) {
      const serial = await resolver.serial('address', acc.hash);
      const r = await resolver.postAddress(acc.hash, resolver.addressBody(acc, { routingId }), resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial }, prefix));
      mustResolverOk(r, 200, 'address has been updated', `prefix ${JSON.stringify(prefix)}`);
    }
  });

  // Key rotation: after an update that sets a new public key, bearers are verified with the new
  // key — the old key is refused, the new one accepted. api.md §7.2 step 5, §7.3.
  it('BM-RES-038 MUST verify later bearers with the key stored by the last update', async () => {
    const { acc, routingId, serial } = await newAddress('rotate');
    const next = resolver.key();
    mustResolverOk(await resolver.postAddress(acc.hash, resolver.addressBody(acc, { routingId, publicKey: next.publicKey }), resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial })), 200, 'address has been updated', 'rotate the key');
    const j = await resolver.read('address', acc.hash);
    mustBe(j.public_key === next.publicKey, 'the new key must read back verbatim', next.publicKey, j.public_key);
    const s2 = await resolver.serial('address', acc.hash);
    const body = resolver.addressBody(acc, { routingId, publicKey: next.publicKey });
    mustResolverError(await resolver.postAddress(acc.hash, body, resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial: s2 })), 401, 'unauthenticated', 'the old key after rotation');
    mustResolverOk(await resolver.postAddress(acc.hash, body, resolver.authorization(next.privateKey, { hash: acc.hash, routingId, serial: s2 })), 200, 'address has been updated', 'the new key after rotation');
  });
});

describe('resolver › address deletes', { meta: { area: 'authorisation' } }, () => {
  // DELETE without a bearer is refused and the record stays. api.md §7.2 "DELETE /address".
  it('BM-RES-023 MUST answer 401 to DELETE /address/{hash} without a bearer and keep the record', async () => {
    const { acc } = await newAddress('delnone');
    mustResolverError(await resolver.deleteRecord('address', acc.hash), 401, 'unauthenticated');
    mustStatus(await resolver.record('address', acc.hash), 200, 'the record is still there');
  });

  // DELETE signed by another key. api.md §7.2, §7.3.
  it('BM-RES-023 MUST answer 401 to DELETE /address/{hash} signed by another key', async () => {
    const { acc, routingId, serial } = await newAddress('delkey');
    mustResolverError(await resolver.deleteRecord('address', acc.hash, resolver.authorization(resolver.key().privateKey, { hash: acc.hash, routingId, serial })), 401, 'unauthenticated');
    mustStatus(await resolver.record('address', acc.hash), 200, 'the record is still there');
  });

  // DELETE signed by the record key over hash ‖ routing_id ‖ serial → 200 "address has been
  // deleted", and the address reads as 404 afterwards. api.md §7.2.
  it('BM-RES-023 MUST delete an address record on a DELETE signed by its key', async () => {
    const { acc, routingId, serial } = await newAddress('delok');
    mustResolverOk(await resolver.deleteRecord('address', acc.hash, resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial })), 200, 'address has been deleted');
    mustResolverError(await resolver.record('address', acc.hash), 404, 'hash not found', 'after the delete');
  });

  // DELETE of a record that never existed is 404 (Go answers 500 "error while fetching
  // record"). api.md §7.2, §8.15.
  it('BM-RES-024 MUST answer 404 to DELETE of an address that does not exist', async () => {
    const ghost = resolver.account('ghost');
    mustResolverError(await resolver.deleteRecord('address', ghost.hash, resolver.authorization(ghost.privateKey, { hash: ghost.hash, routingId: '', serial: 0n })), 404);
  });
});

describe('resolver › routing updates and deletes', { meta: { area: 'authorisation' } }, () => {
  // Update of a routing record: bearer over hash ‖ serial by the current routing key → 200
  // "routing has been updated", and the new host reads back. api.md §7.2 "POST /routing".
  it('BM-RES-032 MUST accept a routing update signed by the current key over hash and serial', async () => {
    const rt = resolver.routing();
    const serial = await resolver.createRouting(rt);
    mustResolverOk(await resolver.postRouting(rt.hash, resolver.routingBody(rt, '127.0.0.2:2425'), resolver.authorization(rt.privateKey, { hash: rt.hash, serial })), 200, 'routing has been updated');
    const j = await resolver.read('routing', rt.hash);
    mustBe(j.routing === '127.0.0.2:2425', `routing after the update: expected 127.0.0.2:2425, got ${String(j.routing)}`, '127.0.0.2:2425', j.routing);
  });

  // Takeover attempt: another key uploads over an existing routing id. api.md §7.2, §7.3.
  it('BM-RES-032 MUST answer 401 to a routing update signed by another key', async () => {
    const rt = resolver.routing();
    const serial = await resolver.createRouting(rt);
    const intruder = resolver.key();
    mustResolverError(await resolver.postRouting(rt.hash, resolver.routingBody(intruder, '127.0.0.3:2424'), resolver.authorization(intruder.privateKey, { hash: rt.hash, serial })), 401, 'unauthenticated');
    const j = await resolver.read('routing', rt.hash);
    mustBe(j.public_key === rt.publicKey, 'a refused update must not change the routing key', rt.publicKey, j.public_key);
  });

  // A stale routing serial (the one before an update). api.md §7.3.
  it('BM-RES-032 BM-RES-021 MUST answer 401 to a routing update signed over the serial before the last update', async () => {
    const rt = resolver.routing();
    const serial = await resolver.createRouting(rt);
    const auth = resolver.authorization(rt.privateKey, { hash: rt.hash, serial });
    mustResolverOk(await resolver.postRouting(rt.hash, resolver.routingBody(rt, '127.0.0.4:2424'), auth), 200, 'routing has been updated', 'first use of the bearer');
    mustResolverError(await resolver.postRouting(rt.hash, resolver.routingBody(rt, '127.0.0.5:2424'), auth), 401, 'unauthenticated', 'replay of the same bearer');
  });

  // DELETE /routing without a bearer. api.md §7.2 "DELETE /routing".
  it('BM-RES-033 MUST answer 401 to DELETE /routing/{hash} without a bearer', async () => {
    const rt = resolver.routing();
    await resolver.createRouting(rt);
    mustResolverError(await resolver.deleteRecord('routing', rt.hash), 401, 'unauthenticated');
    mustStatus(await resolver.record('routing', rt.hash), 200, 'the record is still there');
  });

  // DELETE /routing signed by the routing key → 200 "routing has been deleted", then 404.
  it('BM-RES-033 MUST delete a routing record on a DELETE signed by its key', async () => {
    const rt = resolver.routing();
    const serial = await resolver.createRouting(rt);
    mustResolverOk(await resolver.deleteRecord('routing', rt.hash, resolver.authorization(rt.privateKey, { hash: rt.hash, serial })), 200, 'routing has been deleted');
    mustResolverError(await resolver.record('routing', rt.hash), 404, 'hash not found', 'after the delete');
  });
});

describe('resolver › organisation updates and deletes', { meta: { area: 'authorisation' } }, () => {
  // Update of an organisation: bearer over hash ‖ serial by the organisation key → 200
  // "organisation has been updated", new validations read back. api.md §7.2.
  it('BM-RES-037 MUST accept an organisation update signed by the current key over hash and serial', async () => {
    const org = resolver.organisation('orgupd');
    const serial = await resolver.createOrganisation(org, ['dns one.example']);
    const body = resolver.organisationBody(org, { proof: await resolver.organisationProof(org), validations: ['dns two.example'] });
    mustResolverOk(await resolver.postOrganisation(org.hash, body, resolver.authorization(org.privateKey, { hash: org.hash, serial })), 200, 'organisation has been updated');
    const j = await resolver.read('organisation', org.hash);
    mustBe(JSON.stringify(j.validations) === '["dns two.example"]', `validations after the update: expected ["dns two.example"], got ${JSON.stringify(j.validations)}`, ['dns two.example'], j.validations);
  });

  // Update signed by another key. api.md §7.2, §7.3.
  it('BM-RES-037 MUST answer 401 to an organisation update signed by another key', async () => {
    const org = resolver.organisation('orgupdkey');
    const serial = await resolver.createOrganisation(org);
    const intruder = resolver.key();
    const body = goMap({ public_key: intruder.publicKey, proof: await resolver.organisationProof(org), validations: [] });
    mustResolverError(await resolver.postOrganisation(org.hash, body, resolver.authorization(intruder.privateKey, { hash: org.hash, serial })), 401, 'unauthenticated');
  });

  // DELETE /organisation signed by another key. api.md §7.2.
  it('BM-RES-037 MUST answer 401 to DELETE /organisation/{hash} signed by another key', async () => {
    const org = resolver.organisation('orgdelkey');
    const serial = await resolver.createOrganisation(org);
    mustResolverError(await resolver.deleteRecord('organisation', org.hash, resolver.authorization(resolver.key().privateKey, { hash: org.hash, serial })), 401, 'unauthenticated');
    mustStatus(await resolver.record('organisation', org.hash), 200, 'the record is still there');
  });

  // DELETE signed by the organisation key → 200 "organisation has been deleted", then 404.
  it('BM-RES-037 MUST delete an organisation record on a DELETE signed by its key', async () => {
    const org = resolver.organisation('orgdel');
    const serial = await resolver.createOrganisation(org);
    mustResolverOk(await resolver.deleteRecord('organisation', org.hash, resolver.authorization(org.privateKey, { hash: org.hash, serial })), 200, 'organisation has been deleted');
    mustResolverError(await resolver.record('organisation', org.hash), 404, 'hash not found', 'after the delete');
  });
});
