/**
 * Bench section: wall time of the main job (`npm start` = `bm-conformance run` of every profile
 * against the built-in reference) and of each profile on its own, as child processes, so the
 * figure includes everything a user waits for (tsx start-up, reference servers, vitest, reports).
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row, Section } from './_measure.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'bm-conformance.mjs');
const PROFILES = ['library', 'server', 'resolver', 'client', 'interop', 'security'];

function run(args: string[], out: string): Promise<{ s: number; code: number | null; tests: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, 'run', ...args, '--out', out], { cwd: ROOT, stdio: 'ignore' });
    p.on('close', (code) => {
      let tests = 0;
      try {
        tests = (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { tests: unknown[] }).tests.length;
      } catch {
        /* no report: counted as 0 tests */
      }
      resolve({ s: (performance.now() - t0) / 1000, code, tests });
    });
  });
}

export const harnessSection: Section = {
  title: 'Conformance run wall time',
  description:
    'Wall time of `bm-conformance run` as a child process against the built-in target (the reference mail server and resolver on loopback, the in-process adapter): every profile together (what `npm start` runs), then each profile alone. Includes tsx start-up, starting the reference, vitest and writing the five reports.',
  async run({ quick }) {
    const dir = mkdtempSync(join(tmpdir(), 'bm-bench-run-'));
    const rows: Row[] = [];
    try {
      const all = await run([], join(dir, 'all'));
      rows.push({ op: `npm start: every profile, ${all.tests} tests (exit ${all.code})`, unit: 's', ours: all.s });
      if (!quick) {
        for (const p of PROFILES) {
          const r = await run(['--profile', p], join(dir, p));
          rows.push({ op: `profile ${p}: ${r.tests} tests (exit ${r.code})`, unit: 's', ours: r.s });
        }
        // What a replay command costs: the server profile is collected, then one test runs.
        const one = await run(['--profile', 'server', '--only', '/^server › UPLOAD › .*BM-API-002 › /'], join(dir, 'one'));
        rows.push({ op: `--only, one server test: ${one.tests} test (exit ${one.code})`, unit: 's', ours: one.s });
        const list = await run(['--list'], join(dir, 'list'));
        rows.push({ op: `--list of every profile (collect only, exit ${list.code})`, unit: 's', ours: list.s });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
