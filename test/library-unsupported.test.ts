/**
 * The library profile against an adapter that answers `unsupported` to every op (issue
 * "What must hold": every case is failed or unsupported, none passed). Runs the real harness
 * (`runConformance`) with a command target and reads the report it wrote.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '../harness/run/index.ts';
import { parseRunArgs } from '../harness/run/options.ts';

const ADAPTER = join(import.meta.dirname, 'fixtures', 'unsupported-adapter.mjs');

describe('library profile against an adapter that supports nothing', () => {
  it('reports every vector case as unsupported or failed, none as passed, and exits 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bm-unsup-'));
    const opts = parseRunArgs(['--profile', 'library', '--target', `command:node ${ADAPTER}`, '--out', out]);
    const res = await runConformance(opts);
    expect(res.exitCode).toBe(1);
    expect(res.tests.length).toBeGreaterThan(500);
    expect(res.tests.filter((t) => t.verdict === 'pass')).toEqual([]);
    for (const t of res.tests) expect(['unsupported', 'fail'], t.name).toContain(t.verdict);
    expect(res.tests.filter((t) => t.verdict === 'unsupported').length).toBeGreaterThan(500);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.target.implementation.name).toBe('nothing');
    expect(report.summary.ok).toBe(false);
  }, 180_000);
});
