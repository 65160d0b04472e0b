/**
 * Test environment for the mail-server tests: one per-run CA, one key resolver (PoW 8 bits),
 * and reference mail servers on loopback, plus helpers to make accounts through the reference
 * client. Test-only (no suite imports it).
 * @module
 */
import { afterAll, beforeAll } from 'vitest';
import { createCa, issueServerCert, trustingAgent, type CertificateAuthority } from '../tls.ts';
import { startResolver, type StartedResolver } from '../resolver/server.ts';
import { generateKeyPair, formatPrivateKey, formatPublicKey } from '../../protocol/keys.ts';
import { seededRng, type Rng } from '../../protocol/random.ts';
import { GO_ED25519_1, GO_ED25519_2 } from '../../protocol/fixtures.ts';
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
  // One shared TLS context for every connection of the test client (tls.ts trustingAgent).
  const dispatcher = trustingAgent(ca.cert);
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

/** Headers of a JSON request body. */
export const JSON_HEADERS = { 'content-type': 'application/json' };

export interface TwoAccounts {
  env: TestEnv;
  S: MailServer;
  carol: ClientAccount;
  dave: ClientAccount;
}

/** A server with two ed25519 accounts, carol! and dave!, in a fresh environment named `seed`. */
export async function startTwoAccounts(seed: string): Promise<TwoAccounts> {
  const env = await startTestEnv(seed);
  const S = await env.startServer();
  const carol = await env.account(S, 'carol!', GO_ED25519_1.privateKey);
  const dave = await env.account(S, 'dave!', GO_ED25519_2.privateKey);
  return { env, S, carol, dave };
}

/**
 * One {@link startTwoAccounts} for the whole test file: started before its first test (`ready`
 * gets it) and closed after its last.
 */
export function useTwoAccounts(seed: string, ready: (t: TwoAccounts) => void): void {
  let env: TestEnv | undefined;
  beforeAll(async () => {
    const t = await startTwoAccounts(seed);
    env = t.env;
    ready(t);
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });
}
