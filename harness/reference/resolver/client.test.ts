/**
 * The reference resolver client's request bodies (spec/formats.md §10.4, spec/api.md §7.2; Go
 * internal/resolver/remote.go): uploads are Go maps, so their keys go out sorted and every value
 * is a string. The resolver is an undici MockAgent that records what the client sends, so the
 * test sees the exact bytes, not a re-parse.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { ResolverClient } from './client.ts';
import { parsePrivateKey } from '../../protocol/keys.ts';
import { GO_ED25519_1 } from '../../protocol/fixtures.ts';
import { parseAddress } from '../../protocol/address.ts';

const BASE = 'https://resolver.test';
const priv = parsePrivateKey(GO_ED25519_1.privateKey);
const addr = parseAddress('alice@acme!');

let agent: MockAgent;
afterEach(async () => agent?.close());

/** A mock resolver: `GET <path>` answers the JSON text `current` (404 when undefined); the mutation is recorded. */
function resolver(path: string, current?: string): { sent: { body?: string; auth?: string } } {
  agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(BASE);
  pool.intercept({ path, method: 'GET' }).reply(current ? 200 : 404, current ?? '{"error":true,"status":"error","message":"record not found"}');
  const sent: { body?: string; auth?: string } = {};
  pool
    .intercept({
      path,
      method: 'POST',
      headers: (h: Record<string, string>) => ((sent.auth = h.authorization ?? h.Authorization), true),
      body: (b: string) => ((sent.body = b), true),
    })
    .reply(201, { status: 'ok', message: 'address has been created' });
  return { sent };
}

describe('reference resolver client: upload bodies', () => {
  it('BM-RES-043 MUST send a new address as the sorted Go map {org_hash, proof, public_key, redir_hash, routing_id, user_hash} of strings', async () => {
    const { sent } = resolver(`/address/${addr.hash}`);
    const rc = new ResolverClient({ baseUrl: BASE, dispatcher: agent });
    await rc.uploadAddress({ hash: addr.hash, userHash: addr.localHash, orgHash: addr.orgHash, publicKey: GO_ED25519_1.publicKey, routingId: 'a'.repeat(64), proof: '8$YWxpY2VAYWNtZSE=$149' }, priv);
    expect(sent.body).toBe(
      `{"org_hash":"${addr.orgHash}","proof":"8$YWxpY2VAYWNtZSE=$149","public_key":${JSON.stringify(GO_ED25519_1.publicKey)},"redir_hash":"","routing_id":"${'a'.repeat(64)}","user_hash":"${addr.localHash}"}`,
    );
    expect(sent.auth).toMatch(/^Bearer [A-Za-z0-9+/]+=*$/);
    const keys = Object.keys(JSON.parse(sent.body!) as object);
    expect(keys).toEqual([...keys].sort());
  });

  it('BM-RES-043 MUST keep every field a string on an update: the stored proof is resent and an empty redirect stays ""', async () => {
    // serial_number above 2^53, as the resolver writes nanosecond serials (§1.5).
    const stored = `{"hash":"${addr.hash}","public_key":${JSON.stringify(GO_ED25519_1.publicKey)},"proof":"8$c3RvcmVk$7","routing_id":"${'b'.repeat(64)}","serial_number":1700000000123456789}`;
    const { sent } = resolver(`/address/${addr.hash}`, stored);
    const rc = new ResolverClient({ baseUrl: BASE, dispatcher: agent });
    await rc.uploadAddress({ hash: addr.hash, userHash: addr.localHash, orgHash: addr.orgHash, publicKey: GO_ED25519_1.publicKey, routingId: 'c'.repeat(64) }, priv);
    const body = JSON.parse(sent.body!) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['org_hash', 'proof', 'public_key', 'redir_hash', 'routing_id', 'user_hash']);
    for (const v of Object.values(body)) expect(typeof v).toBe('string');
    expect(body.proof).toBe('8$c3RvcmVk$7');
    expect(body.routing_id).toBe('c'.repeat(64));
  });
});
