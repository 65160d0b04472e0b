/**
 * Profile `server`, area `STORE`: the per-account key/value store (api.md §3.6; formats.md §10.5;
 * Go cmd/bm-server/handler/store.go, internal/store/bolt.go, internal/api/store.go).
 *
 * Entries are addressed by path hash = hash.New(account hash + path); the root
 * hash.New(account hash + "/") exists from the start. A write carries the value (encrypted by
 * the client; opaque to the server), the parent's path hash and
 * `Sign(key, SHA-256(pathHex ‖ parentHex ‖ value))` with the account's key.
 *
 * Peer/resolver: none.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, it } from 'vitest';
import { hashString } from '../../harness/protocol/hash.ts';
import { sign } from '../../harness/protocol/signature.ts';
import { toB64, utf8 } from '../../harness/protocol/bytes.ts';
import type { PrivateKey } from '../../harness/protocol/keys.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { mustBe, mustEqual, mustJsonObject, mustSchema, mustServerError, mustStatus } from '../_support/must.ts';
import { isObject } from '../_support/match.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-store', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-store', target.serverUrl);

let alice: MailAccount;
const setup = setupOnce(async () => {
  alice = await accounts.create('st-alice');
});
beforeEach(() => setup());

const pathHash = (a: MailAccount, p: string) => hashString(a.hash + p);
const root = (a: MailAccount) => pathHash(a, '/');

/** The write body of formats.md §10.5, signed by `signer` (default the account key). */
function entryBody(a: MailAccount, path: string, parent: string | null, value: Uint8Array, signer: PrivateKey = a.privateKey) {
  const p = pathHash(a, path);
  const digest = createHash('sha256').update(p).update(parent ?? '').update(value).digest();
  return { path: p, parent, value: toB64(value), signature: toB64(sign(signer, new Uint8Array(digest), api.rng)), public_key: a.publicKey };
}

async function put(a: MailAccount, path: string, parentPath: string | null, value = utf8(`value of ${path}`)) {
  return api.account('POST', a, `/store/${pathHash(a, path)}`, { json: entryBody(a, path, parentPath === null ? null : pathHash(a, parentPath), value) });
}

describe('server › key/value store', () => {
  // The root exists before anything was written: parent null. api.md §3.6.
  it('BM-STORE-007 BM-STORE-004 MUST serve the root entry of a new account', async () => {
    const r = await api.account('GET', alice, `/store/${root(alice)}`);
    mustStatus(r, 200);
    mustSchema(r.json, 'server_api_schema_v1.json#/$defs/StoreEntry');
    mustEqual(mustJsonObject(r).parent, null, 'parent of the root');
  });

  // A signed write under the root, read back. api.md §3.6, formats.md §10.5.
  it('BM-STORE-005 BM-STORE-002 BM-STORE-003 MUST store a signed entry under its path hash', async () => {
    const value = utf8('encrypted bytes, opaque to the server');
    mustStatus(await put(alice, '/notes', '/', value), 200, 'write');
    const r = await api.account('GET', alice, `/store/${pathHash(alice, '/notes')}`);
    mustStatus(r, 200, 'read back');
    mustSchema(r.json, 'server_api_schema_v1.json#/$defs/StoreEntry');
    const j = mustJsonObject(r);
    mustEqual({ data: j.data, parent: j.parent }, { data: toB64(value), parent: root(alice) }, 'entry');
  });

  // A write whose signature is not over its own fields (signed for another value). api.md §3.6.
  it('BM-STORE-005 MUST refuse an entry whose signature does not verify', async () => {
    const body = entryBody(alice, '/forged', root(alice), utf8('one value'));
    const r = await api.account('POST', alice, `/store/${pathHash(alice, '/forged')}`, { json: { ...body, value: toB64(utf8('another value')) } });
    mustBe(r.status >= 400 && r.status < 500, `expected a 4xx refusal, got ${r.status}`, '4xx', r.status);
    mustServerError(await api.account('GET', alice, `/store/${pathHash(alice, '/forged')}`), 404, 'store: path not found');
  });

  // A write under a parent that does not exist. api.md §3.6 ("Parent must exist"). Go answers
  // 500 (a server error, though the client is at fault); the intended answer is a 4xx: a 5xx is
  // not a refusal (implementations/go-bitmaelum-suite-95952d1/expectations.json lists it).
  it('BM-STORE-005 MUST refuse an entry whose parent does not exist', async () => {
    const r = await put(alice, '/missing/child', '/missing');
    mustBe(r.status >= 400 && r.status < 500, `expected a 4xx refusal, got ${r.status}: ${r.text.slice(0, 200)}`, '4xx', r.status);
    mustServerError(await api.account('GET', alice, `/store/${pathHash(alice, '/missing/child')}`), 404);
  });

  // recursive=1 lists the children under "entries". api.md §3.6.
  it('BM-STORE-004 MUST list children under entries with recursive=1', async () => {
    mustStatus(await put(alice, '/dir', '/'), 200, 'write /dir');
    mustStatus(await put(alice, '/dir/a', '/dir'), 200, 'write /dir/a');
    const r = await api.account('GET', alice, `/store/${pathHash(alice, '/dir')}?recursive=1`);
    mustStatus(r, 200);
    const j = mustJsonObject(r);
    mustEqual(j.has_children, true, 'has_children');
    const kids = Array.isArray(j.entries) ? j.entries.map((e) => (isObject(e) ? e.path : null)) : [];
    mustEqual(kids, [pathHash(alice, '/dir/a')], 'entries');
  });

  // An unknown path hash. api.md §3.6.
  it('BM-STORE-004 MUST answer 404 "store: path not found" for an unknown entry', async () => {
    mustServerError(await api.account('GET', alice, `/store/${pathHash(alice, '/never')}`), 404, 'store: path not found');
  });

  // Deleting a leaf, then reading it. api.md §3.6.
  it('BM-STORE-006 MUST delete a leaf entry', async () => {
    mustStatus(await put(alice, '/leaf', '/'), 200, 'write');
    mustStatus(await api.account('DELETE', alice, `/store/${pathHash(alice, '/leaf')}`), 204);
    mustServerError(await api.account('GET', alice, `/store/${pathHash(alice, '/leaf')}`), 404);
  });

  // Deleting an unknown entry. api.md §3.6.
  it('BM-STORE-006 MUST answer 404 to deleting an unknown entry', async () => {
    mustServerError(await api.account('DELETE', alice, `/store/${pathHash(alice, '/nothing')}`), 404);
  });

  // An entry with children is not deleted. api.md §3.6. Go answers 500; the intended answer is a
  // 4xx (409 in the reference), as above.
  it('BM-STORE-006 MUST refuse to delete an entry that has children', async () => {
    mustStatus(await put(alice, '/parent', '/'), 200, 'write /parent');
    mustStatus(await put(alice, '/parent/kid', '/parent'), 200, 'write /parent/kid');
    const r = await api.account('DELETE', alice, `/store/${pathHash(alice, '/parent')}`);
    mustBe(r.status >= 400 && r.status < 500, `expected a 4xx refusal, got ${r.status}: ${r.text.slice(0, 200)}`, '4xx', r.status);
    mustStatus(await api.account('GET', alice, `/store/${pathHash(alice, '/parent')}`), 200, 'the entry is still there');
  });
});
