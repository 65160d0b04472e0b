/**
 * Test environment for the mail-server tests: one per-run CA, one key resolver (PoW 8 bits),
 * and reference mail servers on loopback, plus helpers to make accounts through the reference
 * client. Test-only (no suite imports it).
 * @module
 */
import { createSecureContext } from 'node:tls';
import { Agent } from 'undici';
import { createCa, issueServerCert, type CertificateAuthority } from '../tls.ts';
import { startResolver, type StartedResolver } from '../resolver/server.ts';
import { generateKeyPair, formatPrivateKey, formatPublicKey } from '../../protocol/keys.ts';
import { seededRng, type Rng } from '../../protocol/random.ts';
import { ReferenceClient, type ClientAccount } from '../client.ts';
import { startMailServer, type MailServer, type MailServerOptions } from './index.ts';

export const ADMIN_KEY = 'BMK-AdminAdminAdminAdminAdminAdmin12';

export interface TestEnv {
  ca: CertificateAuthority;
  resolver: StartedResolver;
  client: ReferenceClient;
  rng: Rng;
  servers: MailServer[];
  startServer(extra?: Partial<MailServerOptions>): Promise<MailServer>;
  invite(server: MailServer, addressHash: string): Promise<string>;
  account(server: MailServer, address: string, privateKey: string): Promise<ClientAccount>;
  close(): Promise<void>;
}

export async function startTestEnv(seed = 'mailserver-tests'): Promise<TestEnv> {
  const rng = seededRng(new TextEncoder().encode(seed));
  const ca = await createCa();
  const leaf = await issueServerCert(ca);
  const resolver = await startResolver({ pow: { address: 8, organisation: 8 } }, { host: '127.0.0.1', port: 0, tls: { cert: leaf.cert, key: leaf.key } });
  // One TLS context for every connection of the test client (undici's `ca` option builds a new
  // one per connection, which dominates the cost of thousands of short requests).
  const dispatcher = new Agent({ connect: { secureContext: createSecureContext({ ca: ca.cert }), rejectUnauthorized: true }, keepAliveTimeout: 4_000 });
  const client = new ReferenceClient({ resolverUrl: resolver.url, caPem: ca.cert, rng, dispatcher });
  const servers: MailServer[] = [];
  const env: TestEnv = {
    ca,
    resolver,
    client,
    rng,
    servers,
    async startServer(extra = {}) {
      const kp = generateKeyPair('ed25519', rng);
      const s = await startMailServer({
        resolverUrl: resolver.url,
        caPem: ca.cert,
        tls: { cert: leaf.cert, key: leaf.key },
        routingKey: { privateKey: formatPrivateKey(kp.privateKey), publicKey: formatPublicKey(kp.publicKey) },
        adminKey: ADMIN_KEY,
        rng,
        ...extra,
        limits: { ticketPowBits: 8, ...(extra.limits ?? {}) },
      });
      servers.push(s);
      return s;
    },
    async invite(server, addressHash) {
      const r = await client.raw('POST', `${server.url}/admin/invite`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ address: addressHash, days: 1 }),
      });
      if (r.status !== 201) throw new Error(`invite: ${r.status} ${Buffer.from(r.body).toString()}`);
      return (r.json as { token: string }).token;
    },
    async account(server, address, privateKey) {
      const { parseAddress } = await import('../../protocol/address.ts');
      const token = await env.invite(server, parseAddress(address).hash);
      return client.createAccount({ address, privateKey, inviteToken: token });
    },
    async close() {
      for (const s of servers.splice(0)) await s.close();
      await client.close();
      await dispatcher.close();
      await resolver.close();
    },
  };
  return env;
}
