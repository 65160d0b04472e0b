/**
 * The durability profile (suites/durability, issue 12) earns its passes: against the builtin
 * reference (a child process on a data directory) it passes with nothing lost, and each crash
 * defect of the reference (harness/reference/crashfaults.ts, given to the child through
 * BM_CRASH_FAULTS) makes exactly the test of its requirement fail:
 * - acknowledgeBeforeSync (writes acknowledged before they are on disk): acknowledged messages
 *   are lost, BM-DUR-001;
 * - dropLastBlockOnRestart (a block of a delivered message deleted at each start): a listed
 *   message no longer opens, BM-DUR-002.
 * Each run is `bm-conformance run --profile durability --cycles 5` through the CLI (about 30 s).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/bm-conformance.mjs', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function durabilityRun(faults: Record<string, boolean>): Promise<{ code: number; verdicts: Record<string, string>; output: string }> {
  const out = await mkdtemp(join(tmpdir(), 'bm-durability-run-'));
  dirs.push(out);
  const env: NodeJS.ProcessEnv = { ...process.env, ...(Object.keys(faults).length > 0 ? { BM_CRASH_FAULTS: JSON.stringify(faults) } : {}) };
  delete env.BM_TARGET_KIND;
  let output = '';
  const code = await new Promise<number>((resolve) => {
    const p = spawn(process.execPath, [BIN, 'run', '--profile', 'durability', '--cycles', '5', '--out', out], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.on('data', (d: Buffer) => (output += d.toString()));
    p.stderr.on('data', (d: Buffer) => (output += d.toString()));
    p.on('exit', (c) => resolve(c ?? -1));
  });
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { tests: { name: string; verdict: string }[] };
  const verdicts = Object.fromEntries(report.tests.map((t) => [t.name.split(' › ')[2]!, t.verdict]));
  return { code, verdicts, output };
}

describe('durability profile against the builtin reference', () => {
  it('passes with no acknowledged message lost, none corrupt or listed twice', async () => {
    const r = await durabilityRun({});
    expect(r.verdicts, r.output).toEqual({ 'BM-DUR-001': 'pass', 'BM-DUR-002': 'pass', 'BM-DUR-003': 'pass' });
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/\| 5 \| \d+ \| \d+ \| 0 \| 0 \| 0 \|/);
  }, 180_000);

  it('catches acknowledgeBeforeSync: acknowledged messages are lost (BM-DUR-001 fails)', async () => {
    const r = await durabilityRun({ acknowledgeBeforeSync: true });
    expect(r.verdicts['BM-DUR-001'], r.output).toBe('fail');
    expect(r.code).toBe(1);
  }, 180_000);

  it('catches dropLastBlockOnRestart: a listed message no longer opens (BM-DUR-002 fails)', async () => {
    const r = await durabilityRun({ dropLastBlockOnRestart: true });
    expect(r.verdicts['BM-DUR-002'], r.output).toBe('fail');
    expect(r.code).toBe(1);
  }, 180_000);
});
