/**
 * Crash safety of the reference mail server with a data directory: what an upload call
 * acknowledged survives a SIGKILL of the server process, a half-sent upload leaves nothing
 * that breaks the message, and the restarted server completes and delivers it
 * (storage.ts durability; spec/api.md §5.4 upload sequence).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GO_ED25519_1, GO_KEY_3 } from '../../protocol/fixtures.ts';
import { generateKeyPair, formatPrivateKey, formatPublicKey } from '../../protocol/keys.ts';
import { headerJson } from '../../protocol/header.ts';
import { issueServerCert } from '../tls.ts';
import { ADMIN_KEY, startTestEnv, type TestEnv } from './_testenv.ts';
import type { ClientAccount, OutgoingMessage } from '../client.ts';
import type { MailServer } from './index.ts';

const CHILD = fileURLToPath(new URL('./_child.ts', import.meta.url));
let env: TestEnv;
let dir: string;
let child: ChildProcess | undefined;
let opts: Record<string, unknown>;

function startChild(): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, BM_MAIL_OPTS: JSON.stringify(opts) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`child did not start: ${err}`)), 20_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]! });
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

function kill9(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    p.removeAllListeners('exit');
    p.on('exit', () => resolve());
    p.kill('SIGKILL');
  });
}

beforeAll(async () => {
  env = await startTestEnv('durability');
  dir = await mkdtemp(join(tmpdir(), 'bm-mail-dur-'));
  const leaf = await issueServerCert(env.ca);
  const kp = generateKeyPair('ed25519', env.rng);
  opts = {
    resolverUrl: env.resolver.url,
    caPem: env.ca.cert,
    tls: { cert: leaf.cert, key: leaf.key },
    routingKey: { privateKey: formatPrivateKey(kp.privateKey), publicKey: formatPublicKey(kp.publicKey) },
    adminKey: ADMIN_KEY,
    dataDir: join(dir, 'mail'),
    limits: { ticketPowBits: 8 },
  };
}, 30_000);

afterAll(async () => {
  if (child && child.exitCode === null) await kill9(child);
  await env?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('mail server durability (SIGKILL during upload)', () => {
  it('keeps acknowledged uploads across a SIGKILL and delivers the message after a restart', async () => {
    let c = await startChild();
    child = c.proc;
    const server = { url: c.url } as MailServer;
    const carol0 = await env.account(server, 'carol!', GO_ED25519_1.privateKey);
    const dave0 = await env.account(server, 'dave!', GO_KEY_3.privateKey);
    // Compose and sign, capturing the message instead of sending it.
    let out: OutgoingMessage | undefined;
    // Incompressible, so the second block is megabytes on the wire and the kill lands mid-upload.
    const big = Buffer.from(env.rng.bytes(3_000_000)).toString('base64');
    await env.client
      .send(carol0, dave0.address, { subject: 'survives', blocks: [{ type: 'text', content: 'short' }, { type: 'text', content: big }] }, {
        tamper: (m) => {
          out = m;
          throw new Error('captured');
        },
      })
      .catch(() => undefined);
    expect(out).toBeDefined();
    const jwt = env.client.login(carol0);
    const t = await env.client.raw('POST', `${c.url}/account/${carol0.hash}/ticket`, {
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sender: carol0.hash, recipient: dave0.hash, subscription_id: '' }),
    });
    const ticket = (t.json as { ID: string }).ID;
    const th = { 'x-bitmaelum-ticket': ticket };
    expect((await env.client.raw('POST', `${c.url}/incoming/header`, { headers: th, body: headerJson(out!.header, '  ') })).status).toBe(200);
    expect((await env.client.raw('POST', `${c.url}/incoming/catalog`, { headers: th, body: out!.catalogBlob })).status).toBe(200);
    const blocks = [...out!.blocks];
    expect((await env.client.raw('POST', `${c.url}/incoming/block/${blocks[0]![0]}`, { headers: th, body: blocks[0]![1] })).status).toBe(200);
    // Start the second block upload and kill the server while it is in flight.
    const inflight = env.client.raw('POST', `${c.url}/incoming/block/${blocks[1]![0]}`, { headers: th, body: blocks[1]![1] }).catch((e: unknown) => e);
    await kill9(c.proc);
    await inflight;

    c = await startChild();
    child = c.proc;
    const carol: ClientAccount = { ...carol0, serverUrl: c.url };
    const dave: ClientAccount = { ...dave0, serverUrl: c.url };
    // Header, catalog and first block survived; re-send the interrupted block, then complete.
    expect((await env.client.raw('POST', `${c.url}/incoming/block/${blocks[1]![0]}`, { headers: th, body: blocks[1]![1] })).status).toBe(200);
    const done = await env.client.raw('POST', `${c.url}/incoming`, { headers: th });
    expect(done.status).toBe(202);
    const list = await env.client.list(dave, 1);
    expect(list.messages.map((m) => m.id)).toContain(ticket);
    const m = await env.client.read(dave, ticket);
    expect(m.blocks.map((b) => b.content)).toEqual(['short', big]);
    expect((await env.client.deliveryStatus(carol, ticket)).state).toBe('delivered');
  }, 60_000);
});
