/**
 * Run a command to its end and keep what it printed (stdout and stderr interleaved), for the
 * project's own tests that drive real commands: `npm`, `npx`, `docker run`, `bm-conformance`.
 * Not a test file. A command past `timeoutMs` is killed and resolves with its code `null`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface Finished {
  code: number | null;
  out: string;
}

export function runToEnd(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The repository root, where `bm-conformance` runs from. */
export const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'bm-conformance.mjs');

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * `node bin/bm-conformance.mjs <args>` from the repository root, as CI runs it, with stdout and
 * stderr kept apart (tests read the summary from one and the notes from the other). Past
 * `timeoutMs` it is killed and the promise rejects with the tail of what it printed.
 */
export function bm(args: readonly string[], timeoutMs = 600_000): Promise<Exit> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bm-conformance ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}
