/**
 * Shared by test/shard-merge.test.ts and test/shard-merge.slow.test.ts: run the CLI unsharded
 * and as shards 1/N..N/N, merge the shards, and read back what the comparison needs.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'bm-conformance.mjs');

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function bm(args: readonly string[], timeoutMs = 600_000): Promise<Exit> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bm-conformance ${args.join(' ')} did not exit within ${timeoutMs} ms\nstderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** What must be equal between the unsharded run and the merge: per test, per requirement, per expectation. */
export interface Outcome {
  code: number | null;
  tests: [string, string, string | undefined][];
  requirements: unknown[];
  expectations: unknown[];
  ok: boolean;
  files: string[];
}

export function outcome(dir: string, code: number | null): Outcome {
  const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
    tests: { name: string; verdict: string; evidence?: string }[];
    requirements: unknown[];
    expectations: { entry: unknown; problem: string }[];
    summary: { ok: boolean };
  };
  return {
    code,
    tests: r.tests.map((t) => [t.name, t.verdict, t.evidence]),
    requirements: r.requirements,
    expectations: r.expectations,
    ok: r.summary.ok,
    files: ['report.json', 'junit.xml', 'report.md', 'report.html', 'badge.svg'].filter((f) => readFileSync(join(dir, f)).length > 0),
  };
}

/** Runs `args` unsharded into `<dir>/full`, as shards into `<dir>/shard-i`, and merges them into `<dir>/merged`. */
export async function shardAndMerge(dir: string, args: readonly string[], count: number) {
  const full = await bm([...args, '--out', join(dir, 'full')]);
  const shards: Exit[] = [];
  for (let i = 1; i <= count; i++) shards.push(await bm([...args, '--shard', `${i}/${count}`, '--out', join(dir, `shard-${i}`)]));
  const dirs = shards.map((_, i) => join(dir, `shard-${i + 1}`));
  const merge = await bm(['merge', ...dirs, '--out', join(dir, 'merged')]);
  return { full, shards, merge, dirs, unsharded: outcome(join(dir, 'full'), full.code), merged: outcome(join(dir, 'merged'), merge.code) };
}
