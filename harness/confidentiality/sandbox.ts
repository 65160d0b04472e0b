/**
 * An adapter started where everything it leaves behind can be collected (issue 12 item 3): the
 * confidentiality check asks it to compose and open one message, stops it, and scans its log
 * and the files it wrote for the message's canary (scan.ts).
 *
 * Where the files are depends on how the adapter runs:
 * - `process` (the builtin reference adapter as a child process, a `command:` target through
 *   `sh -c`): started with HOME, TMPDIR, TMP, TEMP and its working directory in a fresh folder;
 *   every file under that folder is collected. What a process writes elsewhere by absolute path
 *   is out of its reach (docs/confidentiality.md says so).
 * - `docker-exec` (an `image:` client target whose adapter is `docker exec`ed into a running
 *   container): every path `docker diff` lists as added or changed in the container, exported
 *   with `docker cp`, and the container's own log besides the exec's stderr.
 * - `docker-run` (an `image:` client target whose adapter is a fresh `docker run -i`): the same,
 *   for a container of its own, kept until it has been read and then removed.
 *
 * The log is the adapter's whole stderr (the wire client keeps only a tail of it).
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { AdapterClient } from '../adapter/client.ts';
import { tarFiles } from './scan.ts';

const run = promisify(execFile);

/** How to start the adapter so that what it leaves behind can be read (the module doc). */
export type SandboxSpec =
  | { kind: 'process'; argv: string[]; env?: Record<string, string> }
  | { kind: 'docker-exec'; container: string; command: string[] }
  | { kind: 'docker-run'; image: string; command: string[]; env?: Record<string, string>; label?: string };

/** The environment variable the image target hands the suites a client image's {@link SandboxSpec} in (JSON). */
export const SANDBOX_ENV = 'BM_ADAPTER_SANDBOX';

export interface Leftovers {
  /** The adapter's stderr, whole. */
  log: string;
  /** Logs besides stderr (`container log`), by label. */
  otherLogs: { label: string; text: string }[];
  /** Files it wrote: path (absolute in the container, or relative to the sandbox folder) and bytes. */
  files: { path: string; data: Buffer }[];
  /** Paths that could not be read, with why (the check reports them rather than passing silently). */
  unreadable: string[];
  /** Where the files were looked for, for messages. */
  scope: string;
}

export interface Sandbox {
  readonly client: AdapterClient;
  /** Stop the adapter (if still running) and collect its log and files; the sandbox is gone afterwards. */
  collect(): Promise<Leftovers>;
  /** Remove everything without collecting (idempotent). */
  dispose(): Promise<void>;
}

/** Largest file collected (bytes): bigger ones are named in `unreadable` instead. */
const MAX_FILE = 64 * 1024 * 1024;
/** Most changed paths exported from a container. */
const MAX_PATHS = 5_000;
/** Paths of a container's diff that are not files it wrote. */
const SKIP_PREFIXES = ['/proc/', '/sys/', '/dev/'];

export async function startSandbox(spec: SandboxSpec, timeouts: { requestTimeoutMs: number; helloTimeoutMs: number }): Promise<Sandbox> {
  switch (spec.kind) {
    case 'process': return startProcess(spec, timeouts);
    case 'docker-exec': return startDockerExec(spec, timeouts);
    case 'docker-run': return startDockerRun(spec, timeouts);
  }
}

async function stopQuietly(c: AdapterClient): Promise<void> {
  await c.stop().catch(() => c.kill());
}

async function startProcess(spec: Extract<SandboxSpec, { kind: 'process' }>, t: { requestTimeoutMs: number; helloTimeoutMs: number }): Promise<Sandbox> {
  const root = mkdtempSync(join(tmpdir(), 'bm-confidentiality-'));
  const dirs = { home: join(root, 'home'), tmp: join(root, 'tmp'), work: join(root, 'work') };
  for (const d of Object.values(dirs)) mkdirSync(d);
  let log = '';
  let client: AdapterClient;
  try {
    client = await AdapterClient.start({
      command: spec.argv[0]!,
      args: spec.argv.slice(1),
      cwd: dirs.work,
      env: { ...process.env, ...spec.env, HOME: dirs.home, TMPDIR: dirs.tmp, TMP: dirs.tmp, TEMP: dirs.tmp },
      onStderr: (text) => (log += text),
      ...t,
    });
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  let gone = false;
  const dispose = async () => {
    if (gone) return;
    gone = true;
    client.kill();
    rmSync(root, { recursive: true, force: true });
  };
  return {
    client,
    async collect() {
      await stopQuietly(client);
      const files: Leftovers['files'] = [];
      const unreadable: string[] = [];
      walk(root, (path) => {
        const rel = relative(root, path);
        try {
          if (statSync(path).size > MAX_FILE) unreadable.push(`${rel} (larger than ${MAX_FILE} bytes)`);
          else files.push({ path: rel, data: readFileSync(path) });
        } catch (e) {
          unreadable.push(`${rel} (${(e as Error).message})`);
        }
      });
      await dispose();
      return { log, otherLogs: [], files, unreadable, scope: `HOME, TMPDIR and the working directory of the adapter process (a fresh folder: ${root})` };
    },
    dispose,
  };
}

function walk(dir: string, onFile: (path: string) => void): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, onFile);
    else if (e.isFile()) onFile(p);
  }
}

/** Files `docker diff` lists as added or changed in `container`, exported with `docker cp`. */
async function containerChanges(container: string): Promise<{ files: Leftovers['files']; unreadable: string[] }> {
  const { stdout } = await run('docker', ['diff', container], { maxBuffer: 64 * 1024 * 1024 });
  const paths = stdout
    .split('\n')
    .map((l) => /^([AC]) (\/.*)$/.exec(l)?.[2])
    .filter((p): p is string => p !== undefined && !SKIP_PREFIXES.some((s) => p.startsWith(s)));
  const files: Leftovers['files'] = [];
  const unreadable: string[] = [];
  if (paths.length > MAX_PATHS) unreadable.push(`${paths.length - MAX_PATHS} changed paths beyond the first ${MAX_PATHS}`);
  for (const path of paths.slice(0, MAX_PATHS)) {
    // `docker cp <c>:<path> -` writes a tar: of the file itself (its base name), or of a directory
    // with everything in it, whose files are listed by the diff on their own.
    const base = path.split('/').pop()!;
    let tar: Buffer;
    try {
      tar = (await run('docker', ['cp', `${container}:${path}`, '-'], { encoding: 'buffer', maxBuffer: MAX_FILE + 1024 * 1024 })).stdout;
    } catch (e) {
      unreadable.push(`${path} (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    const entry = tarFiles(tar).find((f) => f.path === base);
    if (entry) files.push({ path, data: entry.data });
  }
  return { files, unreadable };
}

async function containerLog(container: string): Promise<string> {
  const { stdout, stderr } = await run('docker', ['logs', container], { maxBuffer: 64 * 1024 * 1024 });
  return stdout + stderr;
}

async function startDockerExec(spec: Extract<SandboxSpec, { kind: 'docker-exec' }>, t: { requestTimeoutMs: number; helloTimeoutMs: number }): Promise<Sandbox> {
  let log = '';
  const client = await AdapterClient.start({ command: 'docker', args: ['exec', '-i', spec.container, ...spec.command], onStderr: (text) => (log += text), ...t });
  return {
    client,
    async collect() {
      await stopQuietly(client);
      const { files, unreadable } = await containerChanges(spec.container);
      return { log, otherLogs: [{ label: 'container log', text: await containerLog(spec.container) }], files, unreadable, scope: `every file docker diff lists as added or changed in container ${spec.container}` };
    },
    dispose: async () => client.kill(),
  };
}

async function startDockerRun(spec: Extract<SandboxSpec, { kind: 'docker-run' }>, t: { requestTimeoutMs: number; helloTimeoutMs: number }): Promise<Sandbox> {
  const name = `bm-confidentiality-${process.pid}-${Date.now().toString(36)}`;
  let log = '';
  const labels = spec.label ? ['--label', spec.label] : [];
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    await run('docker', ['rm', '-f', name]).catch(() => undefined);
  };
  let client: AdapterClient;
  try {
    client = await AdapterClient.start({ command: 'docker', args: ['run', '-i', '--name', name, '--network', 'host', ...labels, ...Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]), spec.image, ...spec.command], onStderr: (text) => (log += text), ...t });
  } catch (e) {
    await remove();
    throw e;
  }
  return {
    client,
    async collect() {
      try {
        await stopQuietly(client);
        const { files, unreadable } = await containerChanges(name);
        return { log, otherLogs: [], files, unreadable, scope: `every file docker diff lists as added or changed in the adapter's container (${spec.image})` };
      } finally {
        await remove();
      }
    },
    dispose: async () => {
      client.kill();
      await remove();
    },
  };
}

/**
 * Read a {@link SandboxSpec} from `BM_ADAPTER_SANDBOX` text.
 * @throws Error when it is not one
 */
export function parseSandboxSpec(text: string): SandboxSpec {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${SANDBOX_ENV}: not JSON: ${(e as Error).message}`);
  }
  const o = v as Record<string, unknown>;
  const strings = (a: unknown) => Array.isArray(a) && a.length > 0 && a.every((x) => typeof x === 'string');
  const env = (e: unknown) => (e !== null && typeof e === 'object' && !Array.isArray(e) && Object.values(e).every((x) => typeof x === 'string') ? { env: e as Record<string, string> } : {});
  if (o?.kind === 'docker-exec' && typeof o.container === 'string' && strings(o.command)) return { kind: 'docker-exec', container: o.container, command: o.command as string[] };
  if (o?.kind === 'docker-run' && typeof o.image === 'string' && strings(o.command)) return { kind: 'docker-run', image: o.image, command: o.command as string[], ...env(o.env), ...(typeof o.label === 'string' ? { label: o.label } : {}) };
  if (o?.kind === 'process' && strings(o.argv)) return { kind: 'process', argv: o.argv as string[], ...env(o.env) };
  throw new Error(`${SANDBOX_ENV}: expected {"kind":"docker-exec","container","command"}, {"kind":"docker-run","image","command"} or {"kind":"process","argv"}, got ${text.slice(0, 200)}`);
}
