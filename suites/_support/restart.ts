/**
 * Killing and restarting a mail server on the same data, for the durability profile (issue 12).
 *
 * Two ways, one interface ({@link Restartable}):
 * - an image target whose manifest declares `restart` (schemas/target_manifest_schema_v1.json):
 *   the harness hands the suites `BM_RESTART` (JSON {@link DockerRestartSpec}); a kill is
 *   `docker kill --signal KILL`, a restart `docker start` of the same container, which keeps its
 *   filesystem, its host-network port and the files the harness copied in; ready again when the
 *   manifest's HTTP readiness probe answers;
 * - the builtin target: the reference mail server cannot be killed inside the harness process,
 *   so the suite starts its own in a child process (`bm-conformance serve --config …`) on a data
 *   directory, with the run's resolver and CA, and SIGKILLs and re-spawns that child on the same
 *   port and directory.
 *
 * The dead-target rule (deadtargets.ts) is told of each outage, so the requests a kill leaves without
 * an answer do not declare the target dead for the rest of the run.
 * @module
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { createServer } from 'node:net';
import { liveness } from './deadtargets.ts';

const run = promisify(execFile);

/** Environment variable carrying a {@link DockerRestartSpec} to the suites (image targets). */
export const RESTART_ENV = 'BM_RESTART';

/** How the suites restart an image target (set by harness/targets/image.ts). */
export interface DockerRestartSpec {
  kind: 'docker';
  /** Container id. */
  container: string;
  /** The mail server's base URL (unchanged by a restart: host networking, same port). */
  url: string;
  /** Readiness: `GET <url><path>` answers `status` (any 2xx when absent). */
  readyPath: string;
  readyStatus?: number;
  /** Bound on one restart, ms (the manifest's readiness timeout). */
  timeoutMs: number;
}

/** A mail server the suite may kill and start again on the same data. */
export interface Restartable {
  /** Base URL, the same before and after a restart. */
  readonly url: string;
  /** What it is, for messages (`container …`, `reference child process …`). */
  readonly label: string;
  /** SIGKILL (no shutdown hook runs); resolves once it is gone. */
  kill(): Promise<void>;
  /** Start it again on the same data; resolves once it answers. */
  start(): Promise<void>;
  /** Stop for good (the builtin child and its data directory; an image target's container stays for the harness to remove). */
  close(): Promise<void>;
}

const originOf = (url: string) => /^(https?:\/\/[^/?#]+)/.exec(url)![1]!;

/** Wait until `GET url` answers `status` (any 2xx when undefined). */
async function waitReady(url: string, caPem: string | undefined, status: number | undefined, timeoutMs: number, alive: () => Promise<string | undefined>): Promise<void> {
  const agent = new Agent({ connect: caPem ? { ca: caPem } : { rejectUnauthorized: false }, connectTimeout: 2_000 });
  const deadline = Date.now() + timeoutMs;
  let last = 'no probe yet';
  try {
    for (;;) {
      const gone = await alive();
      if (gone !== undefined) throw new Error(`it stopped while starting: ${gone}`);
      try {
        const res = await request(url, { dispatcher: agent, headersTimeout: 2_000, bodyTimeout: 2_000, reset: true });
        await res.body.dump();
        if (status !== undefined ? res.statusCode === status : res.statusCode >= 200 && res.statusCode < 300) return;
        last = `answered ${res.statusCode}`;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() >= deadline) throw new Error(`not ready within ${timeoutMs} ms (GET ${url}; last: ${last})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await agent.close().catch(() => undefined);
  }
}

/** The image target's container, from `BM_RESTART`. */
export function dockerRestartable(spec: DockerRestartSpec, caPem: string | undefined): Restartable {
  const origin = originOf(spec.url);
  const inspect = async (): Promise<string | undefined> => {
    const { stdout } = await run('docker', ['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', spec.container]);
    const [running, code] = stdout.trim().split(' ');
    return running === 'true' ? undefined : `exit code ${code}`;
  };
  return {
    url: spec.url,
    label: `container ${spec.container.slice(0, 12)}`,
    async kill() {
      liveness().beginPlannedOutage(origin);
      await run('docker', ['kill', '--signal', 'KILL', spec.container]);
      // `docker kill` returns once the signal is sent; wait until the engine has seen it exit.
      await run('docker', ['wait', spec.container]);
    },
    async start() {
      await run('docker', ['start', spec.container]);
      await waitReady(spec.url + spec.readyPath, caPem, spec.readyStatus, spec.timeoutMs, inspect);
      liveness().endPlannedOutage(origin);
    },
    async close() {},
  };
}

/** What a reference child needs from the run (the builtin target's environment). */
export interface ReferenceChildOptions {
  resolverUrl: string;
  caFile: string;
  caKeyFile: string;
  /** Storage defects of the child (serve config `storageFaults`): the durability profile's fault proofs. */
  storageFaults?: Record<string, boolean>;
}

const BIN = fileURLToPath(new URL('../../bin/bm-conformance.mjs', import.meta.url));

/**
 * A reference mail server in a child process on a fresh data directory, registered with the
 * run's resolver and serving a certificate of the run's CA.
 */
export async function startReferenceChild(o: ReferenceChildOptions): Promise<Restartable & { adminKey: string; routingId: string; logTail(): string }> {
  const { loadCa, issueServerCert, routingIdOf } = await import('../../harness/reference/index.ts');
  const { generateKeyPair, formatPrivateKey, formatPublicKey } = await import('../../harness/protocol/keys.ts');
  const { systemRng } = await import('../../harness/protocol/random.ts');
  const caPem = readFileSync(o.caFile, 'utf8');
  const ca = await loadCa(caPem, readFileSync(o.caKeyFile, 'utf8'));
  const leaf = await issueServerCert(ca);
  const dir = await mkdtemp(join(tmpdir(), 'bm-durability-'));
  const kp = generateKeyPair('ed25519', systemRng);
  const routingKey = { privateKey: formatPrivateKey(kp.privateKey), publicKey: formatPublicKey(kp.publicKey) };
  const adminKey = `BMK-${Buffer.from(systemRng.bytes(24)).toString('hex')}`;
  const port = await freePort();
  await writeFile(join(dir, 'cert.pem'), leaf.cert);
  await writeFile(join(dir, 'key.pem'), leaf.key, { mode: 0o600 });
  const config = {
    host: '127.0.0.1',
    port,
    resolverUrl: o.resolverUrl,
    tlsCert: join(dir, 'cert.pem'),
    tlsKey: join(dir, 'key.pem'),
    ca: o.caFile,
    routingKey,
    adminKey,
    ticketPowBits: 8,
    dataDir: join(dir, 'data'),
    ...(o.storageFaults && Object.keys(o.storageFaults).length > 0 ? { storageFaults: o.storageFaults } : {}),
  };
  const configFile = join(dir, 'serve.json');
  await writeFile(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  const url = `https://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';

  const spawnChild = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, [BIN, 'serve', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the reference child did not start within 60 s: ${log.slice(-2000)}`)), 60_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/^ready: mail=https/m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the reference child exited (${signal ?? code}) before it was ready: ${log.slice(-2000)}`));
      });
    });

  const killChild = async () => {
    const p = child;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.removeAllListeners('exit');
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  };

  await spawnChild();
  return {
    url,
    adminKey,
    routingId: routingIdOf(routingKey.publicKey),
    /** The last 20 kB of its stderr (its log). */
    logTail: () => log,
    label: `reference child process (bm-conformance serve, data ${join(dir, 'data')})`,
    async kill() {
      liveness().beginPlannedOutage(url);
      await killChild();
    },
    async start() {
      await spawnChild();
      liveness().endPlannedOutage(url);
    },
    async close() {
      await killChild();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Read `BM_RESTART` (undefined when the target cannot be restarted by the suites). */
export function restartSpecFromEnv(env: NodeJS.ProcessEnv = process.env): DockerRestartSpec | undefined {
  const raw = env[RESTART_ENV];
  if (!raw) return undefined;
  const spec = JSON.parse(raw) as DockerRestartSpec;
  if (spec.kind !== 'docker' || typeof spec.container !== 'string' || typeof spec.url !== 'string') throw new TypeError(`${RESTART_ENV}: expected {"kind":"docker","container","url",…}, got ${raw}`);
  return spec;
}

/** A free TCP port on 127.0.0.1 (the kernel picks; closed again before the container binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolveP, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolveP(port));
    });
  });
}
