/**
 * Container plumbing of the `image` target (issue 6), on testcontainers: start a container with
 * host networking, copy the files the harness generated into it, wait for its readiness probe
 * with a bound, read its log, and make sure it is removed — after the run, when the run fails,
 * and when the harness is interrupted (SIGINT/SIGTERM). CI runs with
 * TESTCONTAINERS_RYUK_DISABLED=true, so nothing else cleans up: every container carries the label
 * `bitmaelum-conformance.run=<runId>` and {@link removeRunContainers} removes all of a run's
 * containers by that label, including ones whose start was still in flight.
 *
 * No suite imports this module (STYLE.md "Layout": process plumbing lives under internal/).
 * @module
 */
import { connect } from 'node:net';
import type { Readable } from 'node:stream';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, type WaitStrategy } from 'testcontainers';
import { Agent, request } from 'undici';
import type { Readiness } from '../manifest.ts';

export const RUN_LABEL = 'bitmaelum-conformance.run';

/**
 * testcontainers settings for host networking on loopback, applied once before its first use
 * unless the user set them:
 * - TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1: containers share the host's network, so the host is
 *   loopback (without it, testcontainers running inside a container looks up the `bridge`
 *   network's gateway, which a dockerd started with `--bridge=none` does not have);
 * - TESTCONTAINERS_RYUK_DISABLED=true: the Ryuk reaper is an image pulled from a registry; the
 *   harness removes its containers itself (label, finally, signal handlers).
 */
export function configureTestcontainers(env: NodeJS.ProcessEnv = process.env): void {
  env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}

async function runtime() {
  configureTestcontainers();
  return getContainerRuntimeClient();
}

/** Why a container could not be started or did not become ready; carries its log. */
export class ContainerStartError extends Error {
  override name = 'ContainerStartError';
  /** The container's output up to the failure (may be empty). */
  readonly log: string;
  readonly step: 'image' | 'create' | 'ready';
  constructor(step: ContainerStartError['step'], message: string, log = '') {
    super(message);
    this.step = step;
    this.log = log;
  }
}

export interface ContainerSpec {
  image: string;
  runId: string;
  /** Short role name for the container name (`server`, `adapter`…). */
  role: string;
  command?: string[];
  entrypoint?: string[];
  env: Record<string, string>;
  files: { content: string | Buffer; target: string; mode?: number }[];
  readiness: Readiness | undefined;
  /** Port name → host port (host networking: the container listens on these directly). */
  ports: Record<string, { port: number; protocol: 'https' | 'http' | 'tcp' }>;
  /** CA the readiness probe trusts for https (the harness CA). */
  caPem: string;
  insecure?: boolean;
}

export interface ContainerState {
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
}

export interface RunningContainer {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** `sha256:…` image id (content digest of the config) or the repo digest when there is one. */
  readonly imageDigest: string;
  /** ms from `start()` to readiness. */
  readonly startMs: number;
  state(): Promise<ContainerState>;
  /** stdout+stderr so far (demultiplexed), at most `maxBytes` from the end. */
  logs(maxBytes?: number): Promise<string>;
  /** Stop (SIGTERM, then SIGKILL after `graceMs`) and remove. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Cleanup registry

const activeRuns = new Set<string>();
let handlersInstalled = false;

function onSignal(signal: NodeJS.Signals): void {
  process.stderr.write(`\nbm-conformance: ${signal}: removing the run's containers…\n`);
  const runs = [...activeRuns];
  Promise.allSettled(runs.map((r) => removeRunContainers(r)))
    .catch(() => undefined)
    .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

/** Mark `runId` live: until {@link endRun}, SIGINT/SIGTERM remove its containers before exiting. */
export function beginRun(runId: string): void {
  activeRuns.add(runId);
  if (!handlersInstalled) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    handlersInstalled = true;
  }
}

/** Remove every container of `runId` and forget the run (signal handlers go when no run is left). */
export async function endRun(runId: string): Promise<void> {
  try {
    await removeRunContainers(runId);
  } finally {
    activeRuns.delete(runId);
    if (activeRuns.size === 0 && handlersInstalled) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      handlersInstalled = false;
    }
  }
}

/** Force-remove every container labelled with `runId` (running or not). Returns how many. */
export async function removeRunContainers(runId: string): Promise<number> {
  const client = await runtime();
  const docker = client.container.dockerode;
  const list = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } });
  await Promise.allSettled(list.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
  return list.length;
}

// ---------------------------------------------------------------------------------------------
// Logs

/** Split docker's multiplexed log stream (8-byte frame headers) into text; raw text passes through. */
export function demuxLog(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 0 || buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0 && buf[i + 2] === 0 && buf[i + 3] === 0) {
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  if (i < buf.length) parts.push(buf.subarray(i));
  return Buffer.concat(parts).toString('utf8');
}

async function readLogs(container: { logs(o: object): Promise<unknown> }, maxBytes: number): Promise<string> {
  try {
    const out = (await container.logs({ stdout: true, stderr: true, follow: false })) as Buffer | Readable;
    let buf: Buffer;
    if (Buffer.isBuffer(out)) buf = out;
    else {
      const chunks: Buffer[] = [];
      for await (const c of out) chunks.push(Buffer.from(c as Buffer));
      buf = Buffer.concat(chunks);
    }
    const text = demuxLog(buf);
    return text.length > maxBytes ? `…(${text.length - maxBytes} bytes cut)\n${text.slice(-maxBytes)}` : text;
  } catch (e) {
    return `(could not read the container log: ${(e as Error).message})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Readiness

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tcpOpen(port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    const t = setTimeout(() => { s.destroy(); reject(new Error('connect timed out')); }, timeoutMs);
    s.once('connect', () => { clearTimeout(t); s.end(); resolve(); });
    s.once('error', (e) => { clearTimeout(t); reject(e); });
  });
}

/**
 * testcontainers WaitStrategy for a manifest readiness probe under host networking (the stock
 * strategies look up mapped ports, which host networking has none of, and cannot trust a
 * private CA). Fails at once when the container exits; collects the log on failure because
 * testcontainers removes a container that failed its wait.
 */
class ReadinessWait implements WaitStrategy {
  private timeoutMs = 60_000;
  private timeoutSet = false;
  failureLog = '';
  constructor(private readonly spec: ContainerSpec) {}
  withStartupTimeout(ms: number): this { this.timeoutMs = ms; this.timeoutSet = true; return this; }
  isStartupTimeoutSet(): boolean { return this.timeoutSet; }
  getStartupTimeout(): number { return this.timeoutMs; }

  describe(): string {
    const r = this.spec.readiness;
    if (!r) return 'the container to keep running';
    if (r.kind === 'http') return `GET ${this.url()} to answer ${r.status ?? '2xx'}`;
    if (r.kind === 'tcp') return `a TCP connection to 127.0.0.1:${this.port()}`;
    if (r.kind === 'log') return `a log line matching /${r.pattern}/m`;
    return `\`${(r.command ?? []).join(' ')}\` to exit 0 in the container`;
  }
  private port(): number {
    const r = this.spec.readiness;
    const named = r?.port ? this.spec.ports[r.port] : Object.values(this.spec.ports)[0];
    if (!named) throw new Error('readiness: no port to probe');
    return named.port;
  }
  private url(): string {
    const r = this.spec.readiness!;
    const p = r.port ? this.spec.ports[r.port] : Object.values(this.spec.ports)[0];
    const scheme = p?.protocol === 'http' ? 'http' : 'https';
    return `${scheme}://127.0.0.1:${this.port()}${r.path ?? '/'}`;
  }

  async waitUntilReady(container: import('dockerode').Container): Promise<void> {
    const r = this.spec.readiness;
    const deadline = Date.now() + this.timeoutMs;
    const agent = new Agent({ connect: this.spec.insecure ? { rejectUnauthorized: false } : { ca: this.spec.caPem }, connectTimeout: 2_000 });
    let last = 'no probe yet';
    try {
      for (;;) {
        const info = await container.inspect();
        if (!info.State.Running) {
          throw new Error(`the container exited before it was ready (exit code ${info.State.ExitCode}${info.State.OOMKilled ? ', out of memory' : ''}); waited for ${this.describe()}`);
        }
        try {
          if (!r) return;
          if (r.kind === 'http') {
            const res = await request(this.url(), { dispatcher: agent, headersTimeout: 2_000, bodyTimeout: 2_000 });
            await res.body.text().catch(() => undefined);
            const ok = r.status !== undefined ? res.statusCode === r.status : res.statusCode >= 200 && res.statusCode < 300;
            if (ok) return;
            last = `answered ${res.statusCode}`;
          } else if (r.kind === 'tcp') {
            await tcpOpen(this.port(), 2_000);
            return;
          } else if (r.kind === 'log') {
            const text = await readLogs(container, 1 << 20);
            if (new RegExp(r.pattern!, 'm').test(text)) return;
            last = 'no matching line yet';
          } else {
            const client = await runtime();
            const res = await client.container.exec(container, r.command!);
            if (res.exitCode === 0) return;
            last = `exit code ${res.exitCode}: ${res.output.trim().slice(0, 200)}`;
          }
        } catch (e) {
          last = (e as Error).message;
        }
        if (Date.now() >= deadline) throw new Error(`not ready within ${this.timeoutMs} ms: waited for ${this.describe()}; last probe: ${last}`);
        await sleep(200);
      }
    } catch (e) {
      this.failureLog = await readLogs(container, 64 * 1024);
      throw e;
    } finally {
      await agent.close().catch(() => undefined);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Start

/**
 * Start a container and wait until it is ready.
 * @throws ContainerStartError (`image`: not present locally; `create`: docker refused;
 *   `ready`: exited or not ready in time — with the container's log). The container is gone
 *   when this throws.
 */
export async function startContainer(spec: ContainerSpec): Promise<RunningContainer> {
  const client = await runtime();
  const docker = client.container.dockerode;
  let imageDigest: string;
  try {
    const img = await docker.getImage(spec.image).inspect();
    imageDigest = img.RepoDigests?.[0]?.split('@')[1] ?? img.Id;
  } catch {
    throw new ContainerStartError('image', `image ${spec.image} is not present on the docker engine (build it, e.g. \`npm run images\`, or pull it first; the harness never pulls)`);
  }
  const name = `bm-conformance-${spec.runId.slice(0, 12)}-${spec.role}-${Math.random().toString(16).slice(2, 8)}`;
  const wait = new ReadinessWait(spec);
  let c = new GenericContainer(spec.image)
    .withName(name)
    .withNetworkMode('host')
    .withEnvironment(spec.env)
    .withLabels({ [RUN_LABEL]: spec.runId, 'bitmaelum-conformance.role': spec.role })
    .withWaitStrategy(wait)
    .withStartupTimeout(spec.readiness?.timeout_ms ?? 60_000);
  if (spec.files.length > 0) c = c.withCopyContentToContainer(spec.files.map((f) => ({ content: f.content, target: f.target, ...(f.mode !== undefined ? { mode: f.mode } : {}) })));
  if (spec.entrypoint) c = c.withEntrypoint(spec.entrypoint);
  if (spec.command) c = c.withCommand(spec.command);
  const t0 = performance.now();
  let started: StartedTestContainer;
  try {
    started = await c.start();
  } catch (e) {
    await removeByName(name);
    const msg = (e as Error).message;
    if (wait.failureLog !== '' || /ready|exited/.test(msg)) throw new ContainerStartError('ready', `container ${name} (${spec.image}): ${msg}`, wait.failureLog);
    throw new ContainerStartError('create', `container ${name} (${spec.image}) could not be started: ${msg}`);
  }
  const startMs = performance.now() - t0;
  const dc = client.container.getById(started.getId());
  let stopped: Promise<void> | undefined;
  return {
    id: started.getId(),
    name,
    image: spec.image,
    imageDigest,
    startMs,
    async state() {
      const i = await dc.inspect();
      return { running: i.State.Running, exitCode: i.State.ExitCode, oomKilled: i.State.OOMKilled, startedAt: i.State.StartedAt, finishedAt: i.State.FinishedAt };
    },
    logs: (maxBytes = 256 * 1024) => readLogs(dc, maxBytes),
    stop(graceMs = 3_000) {
      stopped ??= (async () => {
        try {
          await started.stop({ timeout: graceMs, remove: true, removeVolumes: true });
        } catch {
          await removeByName(name);
        }
      })();
      return stopped;
    },
  };
}

async function removeByName(name: string): Promise<void> {
  try {
    const client = await runtime();
    await client.container.dockerode.getContainer(name).remove({ force: true, v: true });
  } catch {
    // already gone
  }
}
