/**
 * Profile `resolver`, area `records`: what a key resolver answers when read (spec/api.md §7.2,
 * formats.md §10.4; Go [R] internal/handler/{address,routing,organisation}.go,
 * internal/http/http.go): record shapes (schemas/resolver_api_schema_v1.json), unknown records,
 * path hash validation, `/config.json`, and the §1.6 body shapes of errors and messages.
 *
 * Runs against BM_RESOLVER_URL. Each record is created fresh with the Go client's request
 * (suites/_support/resolver.ts); the resolver is only read afterwards.
 */
import { describe, it } from 'vitest';
import { setupOnce, useTarget } from '../_support/target.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { header } from '../_support/http.ts';
import {
  must, mustBe, mustEqual, mustJsonObject, mustResolverError, mustResolverOk, mustSchema, mustStatus, mustUint64,
} from '../_support/must.ts';
import { matchJsonContentType, matchIntegerLiteral } from '../_support/match.ts';

const target = await useTarget({ needs: ['resolver'] });
const resolver = new SuiteResolver('records', target.resolverUrl);
const SCHEMA = 'resolver_api_schema_v1.json';
/** A hash no test ever creates (SHA-256 of nothing useful; 64 hex). */
const UNKNOWN = 'f'.repeat(60) + '0bad';

describe('resolver › records', { meta: { area: 'records' } }, () => {
  /** One address (with a routing id), one routing record and one organisation, created on first use. */
  const setup = setupOnce(async () => {
    const rt = resolver.routing();
    const acc = resolver.account('records');
    const org = resolver.organisation('recordsorg');
    const createdBefore = BigInt(Date.now()) * 1_000_000n;
    await resolver.createAddress(acc, { routingId: rt.hash });
    const createdAfter = BigInt(Date.now()) * 1_000_000n;
    await resolver.createRouting(rt);
    await resolver.createOrganisation(org, ['dns example.org', 'kb someone']);
    return { acc, rt, org, createdBefore, createdAfter };
  });

  // GET /address/{hash} of a record without redirects answers the record as uploaded: the
  // AddressRecord schema (hash, public_key, proof, serial_number, routing_id) and the exact
  // values sent at creation, the proof in its string form. api.md §7.2 "GET /address/{hash}",
  // §1.4, formats.md §10.4.
  it('BM-RES-011 BM-RES-038 BM-POW-002 MUST answer GET /address/{hash} with the stored record, key, proof and routing id verbatim', async () => {
    const { acc, rt } = await setup();
    const r = await resolver.record('address', acc.hash);
    mustStatus(r, 200);
    const j = mustJsonObject(r);
    mustSchema(j, `${SCHEMA}#/$defs/AddressRecord`, 'address record');
    mustEqual(j.hash, acc.hash, 'hash');
    mustEqual(j.public_key, acc.publicKey, 'public_key');
    mustEqual(j.routing_id, rt.hash, 'routing_id');
    // The creation proof (solved from counter 0, so recomputable) comes back as "<bits>$<b64 data>$<decimal>".
    mustEqual(j.proof, await resolver.proof(acc.hash, (await resolver.config()).address), 'proof');
  });

  // An address never created is 404 with the resolver error body "hash not found".
  // api.md §7.2 "GET /address/{hash}", §1.6.
  it('BM-RES-011 BM-RES-007 MUST answer 404 "hash not found" for an unknown address', async () => {
    mustResolverError(await resolver.record('address', UNKNOWN), 404, 'hash not found');
  });

  // GET /routing/{hash}: the RoutingRecord schema with the key and routing value as uploaded.
  // api.md §7.2 "GET /routing/{hash}".
  it('BM-RES-029 BM-RES-038 MUST answer GET /routing/{hash} with hash, routing, public_key and serial_number', async () => {
    const { rt } = await setup();
    const r = await resolver.record('routing', rt.hash);
    mustStatus(r, 200);
    const j = mustJsonObject(r);
    mustSchema(j, `${SCHEMA}#/$defs/RoutingRecord`, 'routing record');
    mustEqual(j.hash, rt.hash, 'hash');
    mustEqual(j.public_key, rt.publicKey, 'public_key');
    mustEqual(j.routing, '127.0.0.1:2424', 'routing');
  });

  // A routing id never created is 404 "hash not found". api.md §7.2.
  it('BM-RES-029 MUST answer 404 "hash not found" for an unknown routing id', async () => {
    mustResolverError(await resolver.record('routing', UNKNOWN), 404, 'hash not found');
  });

  // GET /organisation/{hash}: the OrganisationRecord schema; validations come back verbatim and
  // in order. api.md §7.2 "GET /organisation/{hash}".
  it('BM-RES-034 BM-RES-038 MUST answer GET /organisation/{hash} with the record and its validations verbatim', async () => {
    const { org } = await setup();
    const r = await resolver.record('organisation', org.hash);
    mustStatus(r, 200);
    const j = mustJsonObject(r);
    mustSchema(j, `${SCHEMA}#/$defs/OrganisationRecord`, 'organisation record');
    mustEqual(j.hash, org.hash, 'hash');
    mustEqual(j.public_key, org.publicKey, 'public_key');
    mustEqual(j.validations, ['dns example.org', 'kb someone'], 'validations');
  });

  // An organisation never created is 404 "hash not found". api.md §7.2.
  it('BM-RES-034 MUST answer 404 "hash not found" for an unknown organisation', async () => {
    mustResolverError(await resolver.record('organisation', UNKNOWN), 404, 'hash not found');
  });

  // The serial of a new record is its creation time in Unix nanoseconds — beyond 2^53 — and is
  // written as a bare integer literal (no exponent, no quotes). Checked on the raw body text,
  // against the harness clock with 10 minutes of slack. api.md §1.5, §7.2 step 8.
  it('BM-RES-019 MUST give a new address the creation time in Unix nanoseconds as serial_number, written as an integer literal', async () => {
    const { acc, createdBefore, createdAfter } = await setup();
    const r = await resolver.record('address', acc.hash);
    mustStatus(r, 200);
    const serial = mustUint64(mustJsonObject(r), 'serial_number');
    must(matchIntegerLiteral(r.text, 'serial_number', serial), 'serial_number text');
    mustBe(serial > 2n ** 53n, `serial_number ${serial} is not beyond 2^53: not Unix nanoseconds`);
    const slack = 600n * 1_000_000_000n;
    mustBe(serial >= createdBefore - slack && serial <= createdAfter + slack, `serial_number ${serial} is not the creation time in ns (harness clock ${createdBefore}…${createdAfter} ± 10 min)`, { between: [String(createdBefore), String(createdAfter)] }, String(serial));
  });

  // GET /config.json answers the proof-of-work minimums as {"proof_of_work":{"address":N,
  // "organisation":M}} (Config schema). Whether they are enforced is checked in creation.test.ts.
  // api.md §7.2 (lambda; the standalone Go resolver answers 400, §8.15).
  it('BM-RES-009 MUST answer GET /config.json with the proof-of-work minimums', async () => {
    const r = await resolver.get('/config.json');
    mustStatus(r, 200);
    mustSchema(mustJsonObject(r), `${SCHEMA}#/$defs/Config`, '/config.json');
  });

  // Record, message and error bodies are labelled application/json. The standalone Go
  // resolver loses its headers (sniffed text/plain). api.md §7.1.
  it('BM-RES-008 SHOULD label record, message and error bodies Content-Type: application/json', async () => {
    const { acc } = await setup();
    for (const r of [await resolver.record('address', acc.hash), await resolver.record('address', UNKNOWN), await resolver.get('/config.json')]) {
      must(matchJsonContentType(header(r, 'content-type')), `${r.method} ${new URL(r.url).pathname}`);
    }
  });

  // A success message is {"message":…,"status":"ok"} with nothing else: forced by creating a
  // record (201 "address has been created"). api.md §1.6, §7.2 step 8.
  it('BM-RES-007 BM-RES-019 MUST answer a created address with 201 {"message":"address has been created","status":"ok"}', async () => {
    const a = resolver.account('okshape');
    const routingId = resolver.routing().hash;
    const body = resolver.addressBody(a, { routingId, proof: await resolver.addressProof(a) });
    const r = await resolver.postAddress(a.hash, body, resolver.authorization(a.privateKey, { hash: a.hash, routingId, serial: 0n }));
    mustResolverOk(r, 201, 'address has been created');
  });

  // Path hashes are validated before anything else: not 64 hex characters → 400, for every
  // record kind and for reads and writes. api.md §7.1 ("Hash path parameters are validated with
  // NewFromHash"), §7.2 "Common failures".
  it('BM-RES-010 BM-RES-007 MUST answer 400 with an error body for a path hash that is not 64 hex characters', async () => {
    const bad = ['xyz', 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64)];
    for (const kind of ['address', 'routing', 'organisation'] as const) {
      for (const h of bad) mustResolverError(await resolver.record(kind, h), 400, undefined, `GET /${kind}/${h}`);
    }
    mustResolverError(await resolver.deleteRecord('address', 'xyz'), 400, undefined, 'DELETE /address/xyz');
  });

  // NewFromHash accepts 64 hex in any case: an upper-case hash is a valid (unknown) hash, so
  // the answer is 404, not 400. api.md §1.1, §7.1.
  it('BM-RES-010 MUST accept an upper-case 64-hex path hash as a hash (404 for an unknown record, not 400)', async () => {
    mustResolverError(await resolver.record('address', UNKNOWN.toUpperCase()), 404, 'hash not found');
  });
});
