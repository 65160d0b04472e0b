/**
 * `image` target (DESIGN.md contract 4; issue 6): a container image started with testcontainers
 * from a target manifest (harness/targets/manifest.ts; `--target image:<manifest.json>`, or
 * `--target image:<name>` under the reference contract implementations/reference/target.json).
 *
 * The harness owns the counterparties: it makes a CA and a server certificate for loopback
 * names, a routing key pair and an admin key, and — for a mail server image — runs its own key
 * resolver and a reference peer mail server (both trusted through the same CA). The container
 * runs with host networking on loopback ports the harness picked, gets its certificate, key, CA,
 * routing key and rendered config as files, and must pass its readiness probe within the
 * manifest's timeout. The suites then reach it like a `url` target (mail server / resolver
 * roles) or through `docker exec -i <container> <adapter command>` (client role).
 *
 * The container is removed when the target closes, when the run fails, and on SIGINT/SIGTERM
 * (harness/targets/internal/containers.ts). Its log is written to `<out>/container-<role>.log`,
 * and every failing test of the run names that file; a container that exited during the run
 * turns the run's failures into `error` verdicts ("could not run", not "failed").
 *
 * Environment for the suites (suites/_support/target.ts) — besides BM_TARGET_KIND=image,
 * BM_CA_KEY_FILE (the harness CA's key, as builtin gives it, for counterparties a suite starts)
 * and BM_FEATURES (the manifest's `features` whose value is true, e.g. `webhooks`):
 *   server:   BM_SERVER_URL, BM_RESOLVER_URL (the harness's), BM_CA_FILE, BM_ADMIN_KEY
 *             (provisioning admin-api), BM_ROUTING_ID, and the reference peer as BM_PEER_URL and
 *             BM_PEER_ADMIN_KEY (read by `bm-conformance load`, harness/load/index.ts)
 *   resolver: BM_RESOLVER_URL (the container's), BM_CA_FILE
 *   client:   BM_ADAPTER_CMD (`docker exec -i …` or `docker run --rm -i …`), and BM_ADAPTER_SANDBOX
 *             (the same as JSON, for the confidentiality check, harness/confidentiality/sandbox.ts)
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AdapterClient } from '../adapter/index.ts';
import { formatPrivateKey, formatPublicKey, generateKeyPair } from '../protocol/keys.ts';
import { seededRng, systemRng } from '../protocol/random.ts';
import type { ReferenceHandle } from '../reference/index.ts';
import type { OpenOptions, OpenTarget, TargetDiagnostics, TargetSpec } from './kind.ts';
import { fileContent, loadManifest, portVar, render, type LoadedManifest, type TargetManifest } from './manifest.ts';
import { beginRun, ContainerStartError, endRun, startContainer, type RunningContainer } from './internal/containers.ts';
import { shellQuote } from '../../reports/index.ts';
import { freePort, RESTART_ENV, type DockerRestartSpec } from '../../suites/index.ts';
import { SANDBOX_ENV, type SandboxSpec } from '../confidentiality/index.ts';

/** A target that could not be opened; the run writes a report with one `error` per profile. */
export class TargetOpenError extends Error {
  override name = 'TargetOpenError';
  /** Lines for the report's trace (log tail, log file). */
  readonly trace: string[];
  constructor(message: string, trace: string[] = []) {
    super(message);
    this.trace = trace;
  }
}


const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function newAdminKey(): string {
  let out = 'BMK-';
  while (out.length < 36) for (const b of systemRng.bytes(32)) if (b < 248 && out.length < 36) out += ALNUM[b % 62];
  return out;
}

/** The manifest's `features` switched on (value true), sorted: BM_FEATURES for the suites. */
export function manifestFeatures(m: Pick<TargetManifest, 'features'>): string[] {
  return Object.entries(m.features ?? {}).filter(([, on]) => on === true).map(([name]) => name).sort();
}

function tagOf(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

function logFileName(out: string, role: string): string {
  return join(resolve(out), `container-${role}.log`);
}

function writeLog(out: string | undefined, role: string, text: string): string | undefined {
  if (out === undefined) return undefined;
  try {
    mkdirSync(resolve(out), { recursive: true });
    const file = logFileName(out, role);
    writeFileSync(file, text);
    return file;
  } catch {
    return undefined;
  }
}

function tail(text: string, lines: number): string[] {
  return text.split('\n').filter((l) => l.trim() !== '').slice(-lines);
}

export async function openImage(spec: TargetSpec, o: OpenOptions): Promise<OpenTarget> {
  let loaded: LoadedManifest;
  try {
    loaded = loadManifest(spec.value!);
  } catch (e) {
    throw new TargetOpenError((e as Error).message);
  }
  const m = loaded.manifest;
  const runId = o.runId ?? randomUUID();
  const role = m.role;
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const f of closers.splice(0).reverse()) await f().catch(() => undefined);
  };
  beginRun(runId);
  closers.push(() => endRun(runId));
  const tmp = mkdtempSync(join(tmpdir(), 'bm-image-'));
  closers.push(async () => rmSync(tmp, { recursive: true, force: true }));
  try {
    // The harness's TLS: one CA for the container, the harness resolver and the peer.
    const { createCa, issueServerCert } = await import('../reference/index.ts');
    const ca = await createCa({ commonName: 'bitmaelum-conformance image-run CA' });
    const leaf = await issueServerCert(ca);
    const caFile = join(tmp, 'ca.pem');
    writeFileSync(caFile, ca.cert);
    // As for builtin: the CA key lets a suite issue certificates for counterparties of its own.
    const caKeyFile = join(tmp, 'ca-key.pem');
    writeFileSync(caKeyFile, ca.key, { mode: 0o600 });

    const kp = generateKeyPair('ed25519', seededRng(new TextEncoder().encode(`${o.seed}:image:routing-key`)));
    const routingKey = { privateKey: formatPrivateKey(kp.privateKey), publicKey: formatPublicKey(kp.publicKey) };
    const { routingIdOf } = await import('../reference/index.ts');
    const routingId = routingIdOf(routingKey.publicKey);
    const adminKey = newAdminKey();

    const ports: Record<string, { port: number; protocol: 'https' | 'http' | 'tcp' }> = {};
    for (const p of m.ports ?? []) ports[p.name] = { port: await freePort(), protocol: p.protocol };

    // Counterparties for a mail server (the suites' needs decide, as for builtin).
    const needsCounterparties = role === 'server' && o.profiles.some((p) => p !== 'library' && p !== 'client');
    let ref: ReferenceHandle | undefined;
    if (needsCounterparties) {
      const { startReference } = await import('../reference/index.ts');
      const refLeaf = await issueServerCert(ca);
      ref = await startReference({ tls: refLeaf, trustCa: { pem: ca.cert, path: caFile }, pow: { address: 8, organisation: 8 }, mailOptions: { limits: { ticketPowBits: 8 } } });
      const r = ref;
      closers.push(() => r.close());
    }

    const vars: Record<string, string> = {
      HOST: '127.0.0.1',
      ADMIN_KEY: adminKey,
      ROUTING_ID: routingId,
      ROUTING_PRIVATE_KEY: routingKey.privateKey,
      ROUTING_PUBLIC_KEY: routingKey.publicKey,
      ROUTING_KEY: JSON.stringify(routingKey, null, 2) + '\n',
      TLS_CERT: leaf.cert,
      TLS_KEY: leaf.key,
      CA_CERT: ca.cert,
      SEED: o.seed,
    };
    if (ref) vars.RESOLVER_URL = ref.resolverUrl;
    for (const [name, p] of Object.entries(ports)) vars[portVar(name)] = String(p.port);

    let files: { content: string | Buffer; target: string; mode?: number }[];
    let env: Record<string, string>;
    let command: string[] | undefined;
    let entrypoint: string[] | undefined;
    try {
      env = Object.fromEntries(Object.entries(m.env ?? {}).map(([k, v]) => [k, render(v, vars, `env.${k}`)]));
      command = m.command?.map((a, i) => render(a, vars, `command[${i}]`));
      entrypoint = m.entrypoint?.map((a, i) => render(a, vars, `entrypoint[${i}]`));
      files = (m.files ?? []).map((f) => ({ content: fileContent(f, loaded.dir, vars), target: f.target, ...(f.mode ? { mode: parseInt(f.mode, 8) } : {}) }));
    } catch (e) {
      throw new TargetOpenError(`target manifest ${loaded.path ?? m.name}: ${(e as Error).message}`);
    }

    let container: RunningContainer;
    try {
      container = await startContainer({
        image: m.image,
        runId,
        role,
        env,
        files,
        ports,
        readiness: m.readiness,
        caPem: ca.cert,
        insecure: m.tls?.insecure === true,
        ...(command ? { command } : {}),
        ...(entrypoint ? { entrypoint } : {}),
      });
    } catch (e) {
      if (e instanceof ContainerStartError) {
        const file = writeLog(o.out, role, e.log);
        const trace = [...tail(e.log, 30).map((l) => `container: ${l}`), ...(file ? [`container log: ${file}`] : [])];
        throw new TargetOpenError(`${e.message}${file ? ` (container log: ${file})` : ''}`, trace);
      }
      throw e;
    }
    let logFile: string | undefined;
    let savedOnce = false;
    const saveLog = async () => {
      // Once the container is gone its log is too: keep the copy saved before.
      const st = await container.state().catch(() => undefined);
      if (!st && savedOnce) return;
      logFile = writeLog(o.out, role, await container.logs()) ?? logFile;
      savedOnce = true;
    };
    closers.push(async () => {
      await saveLog();
      await container.stop();
    });

    const suiteEnv: Record<string, string> = { BM_TARGET_KIND: 'image', BM_CA_FILE: caFile, BM_CA_KEY_FILE: caKeyFile };
    const features = manifestFeatures(m);
    if (features.length > 0) suiteEnv.BM_FEATURES = features.join(',');
    if (m.tls?.insecure) suiteEnv.BM_INSECURE = '1';
    const url = (name?: string) => {
      const entry = name ? [name, ports[name]] : Object.entries(ports).find(([, p]) => p.protocol !== 'tcp');
      const p = entry?.[1] as { port: number; protocol: string } | undefined;
      return p ? `${p.protocol === 'http' ? 'http' : 'https'}://127.0.0.1:${p.port}` : undefined;
    };
    let implementation = { name: m.name, version: tagOf(m.image), language: 'unknown' };
    if (role === 'server') {
      suiteEnv.BM_SERVER_URL = url()!;
      suiteEnv.BM_ROUTING_ID = routingId;
      if (m.provisioning?.kind === 'admin-api') suiteEnv.BM_ADMIN_KEY = render(m.provisioning.admin_api_key ?? '${ADMIN_KEY}', vars, 'provisioning.admin_api_key');
      if (m.restart !== undefined) {
        // The durability profile kills and restarts this container (suites/_support/restart.ts).
        const ready = m.readiness?.kind === 'http' ? m.readiness : undefined;
        const spec: DockerRestartSpec = { kind: 'docker', container: container.id, url: suiteEnv.BM_SERVER_URL, readyPath: ready?.path ?? '/', ...(ready?.status !== undefined ? { readyStatus: ready.status } : {}), timeoutMs: m.readiness?.timeout_ms ?? 60_000 };
        suiteEnv[RESTART_ENV] = JSON.stringify(spec);
      }
      if (ref) {
        suiteEnv.BM_RESOLVER_URL = ref.resolverUrl;
        if (ref.mailUrl) suiteEnv.BM_PEER_URL = ref.mailUrl;
        suiteEnv.BM_PEER_ADMIN_KEY = ref.adminKey;
      }
    } else if (role === 'resolver') {
      suiteEnv.BM_RESOLVER_URL = url()!;
    } else {
      const a = m.adapter!;
      // `docker exec` inherits the container's environment; a fresh `docker run` of the adapter
      // is given the manifest's `env` itself, so both ways run the same adapter.
      const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      const argv =
        a.via === 'exec'
          ? ['docker', 'exec', '-i', container.id, ...a.command]
          : ['docker', 'run', '--rm', '-i', '--network', 'host', '--label', `bitmaelum-conformance.run=${runId}`, ...envArgs, m.image, ...a.command];
      suiteEnv.BM_ADAPTER_CMD = argv.map(shellQuote).join(' ');
      // The confidentiality check starts the adapter itself, to read what it left in the container.
      const sandbox: SandboxSpec = a.via === 'exec' ? { kind: 'docker-exec', container: container.id, command: a.command } : { kind: 'docker-run', image: m.image, command: a.command, env, label: `bitmaelum-conformance.run=${runId}` };
      suiteEnv[SANDBOX_ENV] = JSON.stringify(sandbox);
      // One hello before any suite runs, so a broken adapter is one clear error (as `command`).
      try {
        const client = await AdapterClient.start({ command: argv[0]!, args: argv.slice(1), requestTimeoutMs: o.timeoutMs, helloTimeoutMs: Math.max(o.timeoutMs, 20_000) });
        if (client.info) implementation = client.info.implementation;
        await client.stop().catch(() => client.kill());
      } catch (e) {
        await saveLog();
        throw new TargetOpenError(`the adapter in ${m.image} did not answer hello through \`${suiteEnv.BM_ADAPTER_CMD}\`: ${(e as Error).message}`, logFile ? [`container log: ${logFile}`] : []);
      }
    }

    const startedAtMs = Date.now();
    return {
      env: suiteEnv,
      identity: { kind: 'image', image: m.image, imageDigest: container.imageDigest, ...(suiteEnv.BM_SERVER_URL ?? suiteEnv.BM_RESOLVER_URL ? { url: suiteEnv.BM_SERVER_URL ?? suiteEnv.BM_RESOLVER_URL } : {}), implementation },
      startMs: container.startMs,
      async diagnostics(): Promise<TargetDiagnostics> {
        await saveLog();
        const notes: string[] = [];
        let died: string | undefined;
        try {
          const st = await container.state();
          if (!st.running) {
            died = `the target container ${container.name} exited during the run (exit code ${st.exitCode}${st.oomKilled ? ', out of memory' : ''}, at ${st.finishedAt}, ${Math.round((Date.parse(st.finishedAt) - startedAtMs) / 1000)} s after it was ready)`;
          }
        } catch (e) {
          died = `the target container ${container.name} is gone (${(e as Error).message})`;
        }
        if (logFile) notes.push(`container log: ${logFile}`);
        return { notes, ...(died ? { died } : {}), ...(logFile ? { logFile } : {}) };
      },
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
