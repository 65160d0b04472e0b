/**
 * A reference peer mail server for server-to-server tests (DESIGN.md contract 4: "the harness
 * owns the counterparties … a reference peer server"; api.md §5.5): harness/reference/mailserver
 * on 127.0.0.1, in a child process of its own (_peer-process.ts) so that nothing the suite worker
 * does — a long proof of work, a large compose — can hold the peer's event loop while the target
 * talks to it (the target's keep-alive connections to the peer would be reset). It is registered
 * on the target's key resolver under a routing key of its own, serves with a certificate issued
 * by the run's CA so the target trusts it, and trusts that CA for its own calls to the target
 * and the resolver.
 *
 * The run's CA key comes from `BM_CA_KEY_FILE` (set by the builtin target, harness/targets/
 * builtin.ts; for a url or image target the harness must own the CA the target trusts). Without
 * it a peer cannot be started and the test cannot run (HarnessError `config`).
 *
 * What the peer does is declared by the test through {@link PeerOptions}: its ticket difficulty
 * and fault switches (all off by default, i.e. a conforming server).
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { issueServerCert, loadCa, type Faults } from '../../harness/reference/index.ts';
import { formatPrivateKey, formatPublicKey, generateKeyPair } from '../../harness/protocol/keys.ts';
import { HarnessError } from './errors.ts';
import { runNonce, suiteRng, suiteTarget, type SuiteTarget } from './target.ts';

export interface PeerOptions {
  /** Proof-of-work bits the peer asks of remote senders' tickets (Go `work.pow.bits`; default 8, cheap for the target). */
  ticketPowBits?: number;
  /** Defects to switch on (harness/reference/mailserver/options.ts); default none. */
  faults?: Partial<Faults>;
}

/** A request the peer received, as it came off the wire. */
export interface PeerRequest {
  method: string;
  /** Raw path (with query). */
  path: string;
  body: Uint8Array;
}

export interface Peer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  readonly routingId: string;
  /** Management key of the peer (accounts are made with `POST /admin/invite`). */
  readonly adminKey: string;
  /** Process id of the peer's own process. */
  readonly pid: number;
  /** Every request the peer has received so far, oldest first: what the target sent. */
  requests(): Promise<PeerRequest[]>;
  close(): Promise<void>;
}

/** What _peer-process.ts is started with (JSON in BM_PEER_OPTIONS). */
export interface PeerProcessOptions {
  resolverUrl: string;
  caPem: string;
  tls: { cert: string; key: string };
  routingKey: { privateKey: string; publicKey: string };
  adminKey: string;
  ticketPowBits: number;
  faults: Partial<Faults>;
  /** Seed text of the peer's random stream. */
  rngSeed: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CHILD = fileURLToPath(new URL('./_peer-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Start a peer (see the module doc) and wait until it serves, at most one per-test timeout.
 * Close it in `afterAll`.
 * @throws HarnessError `config` when the run's CA key or the resolver URL is not available;
 *   HarnessError `connect` when the peer's process does not come up
 */
export async function startPeer(label: string, opts: PeerOptions = {}, t: SuiteTarget = suiteTarget()): Promise<Peer> {
  const caKeyFile = process.env.BM_CA_KEY_FILE;
  if (!t.resolverUrl) throw new HarnessError('config', 'a peer server needs the key resolver the target uses (BM_RESOLVER_URL / --resolver)');
  if (!t.caPem || !caKeyFile) {
    throw new HarnessError('config', 'a peer server needs the run CA and its key (BM_CA_FILE, BM_CA_KEY_FILE) so the target can trust its certificate; builtin and image targets provide both, a url target needs --ca-key');
  }
  let caKey: string;
  try {
    caKey = readFileSync(caKeyFile, 'utf8');
  } catch (e) {
    throw new HarnessError('config', `BM_CA_KEY_FILE: cannot read ${caKeyFile}: ${(e as Error).message}`);
  }
  const ca = await loadCa(t.caPem, caKey);
  const leaf = await issueServerCert(ca);
  const seedLabel = `peer:${label}:${runNonce()}`;
  const rng = suiteRng(seedLabel);
  const kp = generateKeyPair('ed25519', rng);
  let adminKey = 'BMK-';
  for (const b of rng.bytes(32)) adminKey += ALNUM[b % ALNUM.length];
  const options: PeerProcessOptions = {
    resolverUrl: t.resolverUrl,
    caPem: t.caPem,
    tls: { cert: leaf.cert, key: leaf.key },
    routingKey: { privateKey: formatPrivateKey(kp.privateKey), publicKey: formatPublicKey(kp.publicKey) },
    adminKey,
    ticketPowBits: opts.ticketPowBits ?? 8,
    faults: opts.faults ?? {},
    rngSeed: `${t.seed}:${seedLabel}:server`,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, BM_PEER_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString('utf8')).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const replies = new Map<number, (m: { requests: { method: string; path: string; body_b64: string }[] }) => void>();
  let nextId = 0;

  const ready = await new Promise<{ url: string; routingId: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new HarnessError('connect', `the reference peer's process did not start within ${t.timeoutMs} ms${stderr ? `: ${stderr.trim()}` : ''}`));
    }, t.timeoutMs);
    child.on('message', (m: { type: string; id?: number; url?: string; routingId?: string; message?: string; requests?: never }) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve({ url: m.url!, routingId: m.routingId! });
      } else if (m.type === 'failed') {
        clearTimeout(timer);
        reject(new HarnessError('connect', `the reference peer could not start: ${m.message}`));
      } else if (m.type === 'requests') {
        replies.get(m.id!)?.(m as never);
        replies.delete(m.id!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new HarnessError('connect', `the reference peer's process exited (${signal ?? `code ${code}`}) before serving${stderr ? `: ${stderr.trim()}` : ''}`));
    });
  });

  return {
    url: ready.url,
    routingId: ready.routingId,
    adminKey,
    pid: child.pid!,
    requests: () => new Promise<PeerRequest[]>((resolve, reject) => {
      if (!child.connected) return reject(new HarnessError('closed', 'the reference peer\'s process has stopped'));
      const id = nextId++;
      const timer = setTimeout(() => {
        replies.delete(id);
        reject(new HarnessError('timeout', `the reference peer did not list its requests within ${t.requestTimeoutMs} ms`));
      }, t.requestTimeoutMs);
      replies.set(id, (m) => {
        clearTimeout(timer);
        resolve(m.requests.map((r) => ({ method: r.method, path: r.path, body: new Uint8Array(Buffer.from(r.body_b64, 'base64')) })));
      });
      child.send({ type: 'requests', id });
    }),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: 'close' });
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}
