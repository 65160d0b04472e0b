/**
 * Profile `resolver`, area `lifecycle`: what happens to an address record over time (spec/api.md
 * §7.2, §7.3; Go [R] internal/handler/address.go:57-79,152-258): soft delete and undelete, the
 * key-status history, and redirect chains (following, depth limit, cycles).
 *
 * Soft delete is optional (BM-RES-025 is a MAY; the standalone Go resolver lacks it): a resolver
 * that answers 404/405 to `POST /address/{hash}/delete` for a record that exists is marked
 * `unsupported` for those tests, never passed. Undelete is signed over serial 0, as the Go
 * client does (remote.go:381-385).
 *
 * Runs against BM_RESOLVER_URL.
 */
import { describe, it } from 'vitest';
import { useTarget } from '../_support/target.ts';
import { SuiteResolver, type AccountIdentity } from '../_support/resolver.ts';
import { type HttpResponse } from '../_support/http.ts';
import { mustBe, mustJsonObject, mustResolverError, mustResolverOk, mustStatus, unsupported } from '../_support/must.ts';
import { isObject } from '../_support/match.ts';

const target = await useTarget({ needs: ['resolver'] });
const resolver = new SuiteResolver('lifecycle', target.resolverUrl);

async function newAddress(name: string, f: { redirHash?: string } = {}) {
  const acc = resolver.account(name);
  const routingId = f.redirHash ? '' : resolver.routing().hash;
  const serial = await resolver.createAddress(acc, f.redirHash ? { redirHash: f.redirHash } : { routingId });
  return { acc, routingId, serial };
}

/** Soft delete `acc` with its own key; marks the test unsupported when the endpoint does not exist. */
async function softDelete(acc: AccountIdentity, routingId: string, serial: bigint): Promise<HttpResponse> {
  const r = await resolver.softDelete('address', acc.hash, 'delete', resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial }));
  if (r.status === 404 || r.status === 405) {
    // The record exists (just created), so a 404/405 means the route does not.
    const still = await resolver.record('address', acc.hash);
    if (still.status === 200) unsupported(`POST /address/{hash}/delete answered ${r.status}: the resolver has no soft delete (a MAY, api.md §7.2)`);
  }
  return r;
}

describe('resolver › soft delete and undelete', { meta: { area: 'lifecycle' } }, () => {
  // Soft delete signed by the record key → 200 "address has been soft-deleted", and the
  // record then reads as 404 "hash not found". api.md §7.2 "POST /address/{hash}/delete".
  it('BM-RES-025 BM-RES-011 MUST answer 404 "hash not found" for a soft-deleted address', async () => {
    const { acc, routingId, serial } = await newAddress('soft');
    mustResolverOk(await softDelete(acc, routingId, serial), 200, 'address has been soft-deleted');
    mustResolverError(await resolver.record('address', acc.hash), 404, 'hash not found', 'after the soft delete');
  });

  // Soft delete without a bearer is refused and the record stays readable. api.md §7.2.
  it('BM-RES-025 MUST answer 401 to a soft delete without a bearer', async () => {
    const { acc } = await newAddress('softnone');
    const r = await resolver.softDelete('address', acc.hash, 'delete');
    if (r.status === 404 || r.status === 405) unsupported(`POST /address/{hash}/delete answered ${r.status}: no soft delete`);
    mustResolverError(r, 401, 'unauthenticated');
    mustStatus(await resolver.record('address', acc.hash), 200, 'the record is still there');
  });

  // Undelete as the Go client sends it (bearer over hash ‖ routing_id ‖ "0") brings the record
  // back with a serial again in Unix ns. api.md §7.2 "…/undelete", §7.3; remote.go:381-385.
  it('BM-RES-025 MUST restore a soft-deleted address on an undelete signed over serial 0', async () => {
    const { acc, routingId, serial } = await newAddress('undel');
    mustResolverOk(await softDelete(acc, routingId, serial), 200, 'address has been soft-deleted');
    const r = await resolver.softDelete('address', acc.hash, 'undelete', resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial: 0n }));
    mustResolverOk(r, 200, 'address has been undeleted');
    const j = await resolver.read('address', acc.hash);
    mustBe(j.public_key === acc.publicKey && j.routing_id === routingId, 'the undeleted record must read back unchanged', { public_key: acc.publicKey, routing_id: routingId }, j);
  });

  // Undelete signed by another key is refused; the record stays deleted. api.md §7.3.
  it('BM-RES-025 MUST answer 401 to an undelete signed by another key', async () => {
    const { acc, routingId, serial } = await newAddress('undelkey');
    mustResolverOk(await softDelete(acc, routingId, serial), 200, 'address has been soft-deleted');
    const r = await resolver.softDelete('address', acc.hash, 'undelete', resolver.authorization(resolver.key().privateKey, { hash: acc.hash, routingId, serial: 0n }));
    mustResolverError(r, 401, 'unauthenticated');
    mustResolverError(await resolver.record('address', acc.hash), 404, 'hash not found', 'still deleted');
  });

  // Undelete of a record that is not deleted → 400 "not deleted". api.md §7.2.
  it('BM-RES-025 MUST answer 400 "not deleted" to an undelete of a live address', async () => {
    const { acc, routingId } = await newAddress('undellive');
    const r = await resolver.softDelete('address', acc.hash, 'undelete', resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial: 0n }));
    if (r.status === 404 || r.status === 405) unsupported(`POST /address/{hash}/undelete answered ${r.status}: no soft delete`);
    mustResolverError(r, 400, 'not deleted');
  });

  // A redirect through a soft-deleted record is "missing anywhere in the chain" → 404.
  // api.md §7.2 "GET /address/{hash}".
  it('BM-RES-011 BM-RES-025 MUST answer 404 for an address whose redirect target is soft-deleted', async () => {
    const { acc: home, routingId, serial } = await newAddress('softhome');
    const { acc: alias } = await newAddress('softalias', { redirHash: home.hash });
    mustResolverOk(await softDelete(home, routingId, serial), 200, 'address has been soft-deleted');
    mustResolverError(await resolver.record('address', alias.hash), 404, 'hash not found', 'the alias of a deleted address');
  });
});

describe('resolver › key status', { meta: { area: 'lifecycle' } }, () => {
  // The key an address was created with is in its history as "normal":
  // {"message":"normal","status":"ok"}. api.md §7.2 "GET /address/{hash}/status/{fingerprint}".
  it('BM-RES-027 MUST answer {"message":"normal","status":"ok"} for the key an address was created with', async () => {
    const { acc } = await newAddress('status');
    mustResolverOk(await resolver.keyStatus(acc.hash, acc.fingerprint), 200, 'normal');
  });

  // A fingerprint that was never the address's key → 404. api.md §7.2.
  it('BM-RES-027 MUST answer 404 for a fingerprint that was never a key of the address', async () => {
    const { acc } = await newAddress('statusunk');
    mustResolverError(await resolver.keyStatus(acc.hash, resolver.key().fingerprint), 404);
  });

  // Every key ever set is recorded: after a rotation both the old and the new key are "normal".
  // api.md §7.2 ("every key ever set is recorded as normal").
  it('BM-RES-027 MUST keep a replaced key in the history as "normal" and record the new one', async () => {
    const { acc, routingId, serial } = await newAddress('statusrot');
    const next = resolver.key();
    mustResolverOk(await resolver.postAddress(acc.hash, resolver.addressBody(acc, { routingId, publicKey: next.publicKey }), resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial })), 200, 'address has been updated', 'rotate the key');
    mustResolverOk(await resolver.keyStatus(acc.hash, acc.fingerprint), 200, 'normal', 'old key');
    mustResolverOk(await resolver.keyStatus(acc.hash, next.fingerprint), 200, 'normal', 'new key');
  });

  // Marking a key compromised, signed by the address key, is read back. api.md §7.2
  // "POST …/status/{fingerprint}" (the signature is BM-RES-026).
  it('BM-RES-027 MUST report a key marked compromised as "compromised"', async () => {
    const { acc, routingId, serial } = await newAddress('statuscomp');
    mustResolverOk(await resolver.setKeyStatus(acc.hash, acc.fingerprint, 'compromised', resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial })), 200, 'key status has been updated');
    mustResolverOk(await resolver.keyStatus(acc.hash, acc.fingerprint), 200, 'compromised');
  });

  // Only "normal" and "compromised" can be set. api.md §7.2.
  it('BM-RES-028 MUST answer 400 "invalid status" to a key status other than normal or compromised', async () => {
    const { acc, routingId, serial } = await newAddress('statusbad');
    mustResolverError(await resolver.setKeyStatus(acc.hash, acc.fingerprint, 'unknown', resolver.authorization(acc.privateKey, { hash: acc.hash, routingId, serial })), 400, 'invalid status');
  });

  // Nobody but the address owner may mark its key compromised (Go: no authentication at all —
  // anyone can revoke anyone's key). The status must stay "normal". api.md §7.2, §8.15.
  it('BM-RES-026 MUST refuse a key status change without the address owner\'s bearer', async () => {
    const { acc } = await newAddress('statusauth');
    const r = await resolver.setKeyStatus(acc.hash, acc.fingerprint, 'compromised');
    mustBe(r.status === 401 || r.status === 403, `POST …/status without a bearer: expected 401 or 403, got ${r.status}`, { status: [401, 403] }, { status: r.status, body: r.json ?? r.text });
    mustResolverOk(await resolver.keyStatus(acc.hash, acc.fingerprint), 200, 'normal', 'status afterwards');
  });
});

describe('resolver › redirects', { meta: { area: 'lifecycle' } }, () => {
  // GET of a redirecting address answers the final record (its hash, key and routing id).
  // api.md §7.2 "GET /address/{hash}".
  it('BM-RES-011 MUST answer GET of a redirecting address with the final record of the chain', async () => {
    const { acc: home, routingId } = await newAddress('redirhome');
    const { acc: mid } = await newAddress('redirmid', { redirHash: home.hash });
    const { acc: alias } = await newAddress('rediralias', { redirHash: mid.hash });
    const r = await resolver.record('address', alias.hash);
    mustStatus(r, 200);
    const j = mustJsonObject(r);
    mustBe(j.hash === home.hash && j.public_key === home.publicKey && j.routing_id === routingId, 'two hops: expected the final record', { hash: home.hash, public_key: home.publicKey, routing_id: routingId }, j);
  });

  // A cycle (A → B → A, made by updating A after B was created) is answered 400 "cyclic
  // dependency detected" — not a hang, not a 5xx. api.md §7.2.
  it('BM-RES-012 MUST answer 400 "cyclic dependency detected" for a redirect cycle', async () => {
    const { acc: a, routingId, serial } = await newAddress('cyclea');
    const { acc: b } = await newAddress('cycleb', { redirHash: a.hash });
    const up = await resolver.postAddress(a.hash, resolver.addressBody(a, { redirHash: b.hash }), resolver.authorization(a.privateKey, { hash: a.hash, routingId, serial }));
    if (up.status !== 200) {
      // Refusing to close the loop at upload time is as good as detecting it on read.
      mustBe(up.status === 400, `closing a redirect cycle: expected 200 (then detected on read) or 400, got ${up.status}`, { status: [200, 400] }, { status: up.status, body: up.json ?? up.text });
      return;
    }
    mustResolverError(await resolver.record('address', a.hash), 400, 'cyclic dependency detected');
  });

  // Chains are limited: nine hops resolve; a record that would be the tenth hop is refused at
  // upload with 400 "maximum redirection reached" (the redir target must resolve with one hop
  // less than GET allows). api.md §7.2 step 4, MaxRedirectDepth = 10.
  it('BM-RES-012 BM-RES-017 MUST resolve a chain of nine redirects and refuse a tenth with 400 "maximum redirection reached"', async () => {
    const { acc: home } = await newAddress('chain');
    let prev = home;
    for (let i = 1; i <= 9; i++) prev = (await newAddress(`chain${i}`, { redirHash: prev.hash })).acc;
    const r = await resolver.record('address', prev.hash);
    mustStatus(r, 200, 'GET at nine hops');
    mustBe(isObject(r.json) && r.json.hash === home.hash, 'nine hops must answer the final record', home.hash, r.json);
    const tenth = resolver.account('chain10');
    const up = await resolver.postAddress(tenth.hash, resolver.addressBody(tenth, { redirHash: prev.hash, proof: await resolver.addressProof(tenth) }), resolver.authorization(tenth.privateKey, { hash: tenth.hash, routingId: '', serial: 0n }));
    mustResolverError(up, 400, 'maximum redirection reached', 'upload of a tenth hop');
  });
});
