/**
 * Benchmark section "reference mail server": full sends through the reference client
 * (harness/reference/client.ts `ReferenceClient.send`) against startReference() servers on
 * loopback, with 1, 8 and 32 concurrent senders (issue 4: "messages/s and p50/p99 latency for a
 * full send (ticket, upload, complete, delivery) … over keep-alive connections").
 *
 * One full send is what `send()` does: look the recipient up on the resolver, compose and sign
 * the message (Ed25519 sender and recipient, one 1 KiB text block, no attachment), a client
 * ticket with a fresh JWT, upload of header, catalog and the block, `POST /incoming` (the server
 * verifies the client signature, signs as origin and delivers).
 * - local: the recipient has its account on the same server; `POST /incoming` answers after the
 *   message is filed in the recipient's box 1, so latency = the duration of `send()`.
 * - remote: the recipient is on a second server; the sending server relays it (ticket with proof
 *   of work, uploads, complete) after answering the client. Latency runs from the start of
 *   `send()` to the moment the recipient's server accepted the relay (the sender's delivery log
 *   line), messages/s counts messages delivered there.
 *
 * Setup: the servers run in child processes (bench/_server-child.ts) so a server has a thread of
 * its own and its CPU time is read apart from the client's (process.cpuUsage() before and after
 * each run). All requests of the client go through one undici Agent trusting the run's CA with
 * keep-alive; the connection column counts the TLS connections the client opened during the
 * run. Every sender is its own account; all senders of a run write to one fresh recipient (the
 * busiest case for one account: every delivery adds a link to the same inbox).
 * - local-durable: as local, the server with a data directory (storage.ts: a log with group
 *   commit, one fdatasync per batch of writes; `POST /incoming` answers after the delivery's
 *   batch is on disk).
 * Proof of work: 8 bits for ticket PoW (remote senders) and for account creation, so PoW (about
 * 256 double SHA-256 on average) does not dominate; client tickets of logged-in accounts need none.
 * Each mode starts with a warm-up of 16 messages at 8 senders that is not counted.
 *
 * `BM_BENCH_SERVER_MODES=local,local-durable npm run bench -- --only "mail server"` runs only
 * those modes (local, remote, local-durable), in that order.
 *
 * `BM_BENCH_PROFILE=<dir> npm run bench -- --only "mail server"` makes the server processes
 * write V8 CPU profiles into <dir> (open them in Chrome DevTools) — where the server time goes.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dc from 'node:diagnostics_channel';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { Section } from './_measure.ts';
import { createCa, issueServerCert } from '../harness/reference/tls.ts';
import { ReferenceClient, type ClientAccount } from '../harness/reference/client.ts';
import { formatPrivateKey, generateKeyPair } from '../harness/protocol/keys.ts';
import { parseAddress } from '../harness/protocol/address.ts';
import { systemRng } from '../harness/protocol/random.ts';
import type { ChildConfig } from './_server-child.ts';

/** Proof-of-work bits for tickets of remote senders and for account creation. */
export const BENCH_POW_BITS = 8;

const CHILD = fileURLToPath(new URL('./_server-child.ts', import.meta.url));
const now = () => performance.timeOrigin + performance.now();

interface ServerProc {
  mailUrl: string;
  resolverUrl: string;
  adminKey: string;
  /** Epoch ms at which each relayed message was accepted by its recipient's server. */
  delivered: Map<string, number>;
  /** Resolves when `delivered` holds every id in `ids`. */
  waitDelivered(ids: readonly string[], timeoutMs: number): Promise<void>;
  /** CPU time of the child so far, in ms (user + system). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

async function startChild(cfg: ChildConfig): Promise<ServerProc> {
  // BM_BENCH_PROFILE=<dir>: the server processes write V8 CPU profiles there (node --cpu-prof).
  const prof = process.env.BM_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BM_BENCH_PROFILE}`] : [];
  const p: ChildProcess = spawn(process.execPath, [...prof, '--import', 'tsx', CHILD], {
    env: { ...process.env, BM_BENCH_SERVER: JSON.stringify(cfg) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errText = '';
  p.stderr!.on('data', (c: Buffer) => { errText = (errText + c.toString()).slice(-4000); });
  const delivered = new Map<string, number>();
  let onDelivered: (() => void) | undefined;
  let onCpu: ((ms: number) => void) | undefined;
  const lines = createInterface({ input: p.stdout! });
  const ready = new Promise<{ mailUrl: string; resolverUrl: string; adminKey: string }>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`bench server did not start: ${errText}`)), 60_000);
    p.once('exit', (code) => { clearTimeout(t); reject(new Error(`bench server exited (${code}): ${errText}`)); });
    lines.on('line', (l) => {
      if (l.startsWith('READY ')) { clearTimeout(t); resolve(JSON.parse(l.slice(6)) as { mailUrl: string; resolverUrl: string; adminKey: string }); }
      else if (l.startsWith('DELIVERED ')) {
        const [, id, at] = l.split(' ');
        delivered.set(id!, Number(at));
        onDelivered?.();
      } else if (l.startsWith('CPU ')) {
        const [, u, s] = l.split(' ');
        onCpu?.((Number(u) + Number(s)) / 1000);
      }
    });
  });
  const info = await ready;
  return {
    ...info,
    delivered,
    waitDelivered(ids, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (ids.every((id) => delivered.has(id))) { clearTimeout(t); onDelivered = undefined; resolve(); }
        };
        const t = setTimeout(() => {
          onDelivered = undefined;
          reject(new Error(`only ${ids.filter((id) => delivered.has(id)).length}/${ids.length} messages delivered remotely: ${errText}`));
        }, timeoutMs);
        onDelivered = check;
        check();
      });
    },
    cpuMs() {
      return new Promise((resolve) => {
        onCpu = (ms) => { onCpu = undefined; resolve(ms); };
        p.stdin!.write('cpu\n');
      });
    },
    async stop() {
      if (p.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
      p.kill('SIGTERM');
      const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface SendRun {
  mode: string;
  senders: number;
  messages: number;
  /** Messages delivered per second of wall time (first send started → last delivered). */
  rate: number;
  p50: number;
  p99: number;
  /** TLS connections the client opened during the run. */
  connections: number;
  /** Server CPU ms per message (sending server; + receiving server for remote). */
  serverCpuMs: number;
  /** Client (bench process) CPU ms per message. */
  clientCpuMs: number;
  /** 1-minute load average when the run started. */
  load: number;
}

let clientConnections = 0;
dc.subscribe('undici:client:connected', () => { clientConnections++; });

const BLOCK = 'The quick brown fox jumps over the lazy dog. '.repeat(23).slice(0, 1024);

async function invite(client: ReferenceClient, server: { mailUrl: string; adminKey: string }, address: string): Promise<string> {
  const r = await client.raw('POST', `${server.mailUrl}/admin/invite`, {
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ address: parseAddress(address).hash, days: 1 }),
  });
  if (r.status !== 201) throw new Error(`invite ${address}: ${r.status} ${Buffer.from(r.body).toString()}`);
  return (r.json as { token: string }).token;
}

async function account(client: ReferenceClient, server: { mailUrl: string; adminKey: string }, address: string): Promise<ClientAccount> {
  const kp = generateKeyPair('ed25519', systemRng);
  return client.createAccount({ address, privateKey: formatPrivateKey(kp.privateKey), inviteToken: await invite(client, server, address), powBits: BENCH_POW_BITS });
}

/**
 * `messages` sends from `senders` concurrent workers (worker i sends as account i) to `to`.
 * Returns per-message latencies in ms and the wall time.
 */
async function runSends(
  client: ReferenceClient, from: readonly ClientAccount[], to: ClientAccount, senders: number, messages: number,
  remote: ServerProc | undefined,
): Promise<{ latencies: number[]; wallMs: number }> {
  let next = 0;
  const started = new Map<string, number>();
  const latencies: number[] = [];
  const t0 = now();
  const worker = async (w: number) => {
    while (next < messages) {
      const n = next++;
      const s = now();
      const { id } = await client.send(from[w]!, to.hash, { subject: `bench ${n}`, blocks: [{ type: 'default', content: BLOCK }] });
      if (remote) started.set(id, s);
      else latencies.push(now() - s);
    }
  };
  await Promise.all(Array.from({ length: senders }, (_, w) => worker(w)));
  let end = now();
  if (remote) {
    const ids = [...started.keys()];
    await remote.waitDelivered(ids, 120_000 + messages * 1000);
    end = 0;
    for (const id of ids) {
      const at = remote.delivered.get(id)!;
      latencies.push(at - started.get(id)!);
      end = Math.max(end, at);
    }
  }
  return { latencies: latencies.sort((a, b) => a - b), wallMs: end - t0 };
}

interface ModeSetup {
  name: string;
  /** The server the senders have their accounts on (and the client talks to). */
  sending: ServerProc;
  /** The server the recipients have their accounts on. */
  receiving: ServerProc;
  /** Servers whose CPU counts (sending, and receiving if different). */
  servers: ServerProc[];
  remote: boolean;
}

async function runMode(client: ReferenceClient, m: ModeSetup, levels: readonly { senders: number; messages: number }[], tag: string): Promise<SendRun[]> {
  const maxSenders = Math.max(...levels.map((l) => l.senders), 8);
  const from = await Promise.all(Array.from({ length: maxSenders }, (_, i) => account(client, m.sending, `bench-${tag}-s${i}!`)));
  const warmTo = await account(client, m.receiving, `bench-${tag}-warm!`);
  await runSends(client, from, warmTo, 8, 16, m.remote ? m.sending : undefined);
  const out: SendRun[] = [];
  for (const l of levels) {
    const to = await account(client, m.receiving, `bench-${tag}-r${l.senders}!`);
    const load = loadavg()[0]!;
    const conns0 = clientConnections;
    const cpu0 = await Promise.all(m.servers.map((s) => s.cpuMs()));
    const ccpu0 = process.cpuUsage();
    const { latencies, wallMs } = await runSends(client, from, to, l.senders, l.messages, m.remote ? m.sending : undefined);
    const ccpu = process.cpuUsage(ccpu0);
    const cpu1 = await Promise.all(m.servers.map((s) => s.cpuMs()));
    const serverCpu = cpu1.reduce((a, c, i) => a + (c - cpu0[i]!), 0);
    out.push({
      mode: m.name,
      senders: l.senders,
      messages: l.messages,
      rate: l.messages / (wallMs / 1000),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      connections: clientConnections - conns0,
      serverCpuMs: serverCpu / l.messages,
      clientCpuMs: (ccpu.user + ccpu.system) / 1000 / l.messages,
      load,
    });
    process.stderr.write(`bench:   ${m.name}, ${l.senders} senders: ${out[out.length - 1]!.rate.toFixed(1)} msg/s\n`);
  }
  return out;
}

function fmt(n: number, digits = 1): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
}

/** Markdown table of send runs. */
export function renderSendRuns(runs: readonly SendRun[]): string {
  const head =
    '| delivery | senders | messages | messages/s | p50 latency ms | p99 latency ms | client TLS connections | server CPU ms/msg | client CPU ms/msg | load avg (1 min) at start |\n' +
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  return [
    head,
    ...runs.map((r) =>
      `| ${r.mode} | ${r.senders} | ${r.messages} | ${fmt(r.rate)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.connections} | ${fmt(r.serverCpuMs)} | ${fmt(r.clientCpuMs)} | ${r.load.toFixed(2)} |`),
  ].join('\n');
}

/** Levels of the default run: senders and the bounded number of messages each run sends. */
export const LEVELS: readonly { senders: number; messages: number }[] = [
  { senders: 1, messages: 200 },
  { senders: 8, messages: 400 },
  { senders: 32, messages: 640 },
];

export interface ServerBenchOptions {
  quick?: boolean;
  /** Which modes to run (default all). */
  modes?: readonly ('local' | 'local-durable' | 'remote')[];
}

type Mode = NonNullable<ServerBenchOptions['modes']>[number];
const MODES: readonly Mode[] = ['local', 'local-durable', 'remote'];

/** `BM_BENCH_SERVER_MODES`: a comma-separated subset of the modes, or undefined for all. */
function modesFromEnv(): Mode[] | undefined {
  const v = process.env.BM_BENCH_SERVER_MODES;
  if (!v) return undefined;
  const modes = v.split(',').map((m) => m.trim());
  const bad = modes.filter((m) => !(MODES as readonly string[]).includes(m));
  if (bad.length > 0) throw new Error(`BM_BENCH_SERVER_MODES: unknown mode(s) ${bad.join(', ')} (expected ${MODES.join(', ')})`);
  return modes as Mode[];
}

/** Run the server benchmark; returns one row per mode × level. */
export async function benchServer(opts: ServerBenchOptions = {}): Promise<SendRun[]> {
  const levels = opts.quick ? LEVELS.map((l) => ({ senders: l.senders, messages: Math.max(l.senders, Math.round(l.messages / 4)) })) : LEVELS;
  const modes = opts.modes ?? modesFromEnv() ?? ['local', 'local-durable', 'remote'];
  const ca = await createCa();
  const leaf = await issueServerCert(ca);
  const base = { caPem: ca.cert, cert: leaf.cert, key: leaf.key, ticketPowBits: BENCH_POW_BITS, accountPowBits: BENCH_POW_BITS };
  const procs: ServerProc[] = [];
  const dirs: string[] = [];
  const runs: SendRun[] = [];
  let client: ReferenceClient | undefined;
  try {
    // Server A holds the resolver every other server and the client use.
    const a = await startChild(base);
    procs.push(a);
    const c = (client = new ReferenceClient({ resolverUrl: a.resolverUrl, caPem: ca.cert }));
    if (modes.includes('local')) {
      runs.push(...(await runMode(c, { name: 'local (in memory)', sending: a, receiving: a, servers: [a], remote: false }, levels, 'l')));
    }
    if (modes.includes('remote')) {
      const b = await startChild({ ...base, resolverUrl: a.resolverUrl });
      procs.push(b);
      runs.push(...(await runMode(c, { name: 'remote, 2 servers (in memory)', sending: a, receiving: b, servers: [a, b], remote: true }, levels, 'r')));
    }
    if (modes.includes('local-durable')) {
      const dir = await mkdtemp(join(tmpdir(), 'bm-bench-'));
      dirs.push(dir);
      const d = await startChild({ ...base, resolverUrl: a.resolverUrl, dataDir: dir });
      procs.push(d);
      runs.push(...(await runMode(c, { name: 'local (durable, group commit)', sending: d, receiving: d, servers: [d], remote: false }, levels, 'd')));
    }
  } finally {
    await client?.close();
    for (const p of procs) await p.stop().catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
  return runs;
}

export const serverSection: Section = {
  title: 'Reference mail server',
  description:
    'Full sends through the reference client (`ReferenceClient.send`: resolver lookup of the recipient, compose and sign, ' +
    'client ticket with a fresh JWT, upload of header, catalog and one 1 KiB text block, `POST /incoming`) against ' +
    `startReference() servers on loopback, each server in its own child process; Ed25519 accounts; ${BENCH_POW_BITS}-bit proof of work ` +
    'for tickets of remote senders and for accounts. **local**: the recipient is on the same server, latency is the duration of ' +
    '`send()` (the server files the message into box 1 before it answers `POST /incoming`). **remote**: the recipient is on a ' +
    'second server, latency runs until that server accepted the relay. Every sender is its own account; all senders of a run write ' +
    'to one fresh recipient; a run is a bounded number of messages shared by the senders (after a 16-message warm-up per mode). ' +
    'One keep-alive undici Agent carries all client requests. CPU columns divide process CPU time by messages (the remote row adds ' +
    'both servers). The machine has 2 cores shared by client, server(s) and other work: see the load column.',
  async run({ quick }) {
    return { markdown: renderSendRuns(await benchServer({ quick })) };
  },
};
