/**
 * Run a command to its end and keep what it printed (stdout and stderr interleaved), for the
 * project's own tests that drive real commands: `npm`, `npx`, `docker run`, `bm-conformance`.
 * Not a test file. A command past `timeoutMs` is killed and resolves with its code `null`.
 */
import { spawn } from 'node:child_process';

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
