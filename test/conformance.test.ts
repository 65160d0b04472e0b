/**
 * The main job, as a test: a full `bm-conformance run` of every profile against the built-in
 * reference (what `npm start` does) must pass, write the five reports, and produce a report.json
 * that matches its schema and names the vector manifest it used. The profile suites run here
 * through the real harness (target, vitest, collector, expectations, writers), not on their own.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '../harness/run/index.ts';
import { parseRunArgs, ALL_PROFILES } from '../harness/run/options.ts';
import { formatErrors, validator } from '../schemas/index.ts';
import { manifestSha256 } from '../vectors/index.ts';

describe('full conformance run against builtin', () => {
  it('passes every test of every profile and writes report.json, junit.xml, report.md, report.html, badge.svg', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bm-full-'));
    const res = await runConformance(parseRunArgs(['--out', out, '--expect', 'implementations/reference/expectations.json']));
    const bad = res.tests.filter((t) => t.verdict !== 'pass').map((t) => `${t.verdict} ${t.name}: ${t.message ?? ''}`);
    expect(bad).toEqual([]);
    expect(res.exitCode).toBe(0);
    expect(new Set(res.tests.map((t) => t.profile))).toEqual(new Set(ALL_PROFILES));
    for (const f of ['report.json', 'junit.xml', 'report.md', 'report.html', 'badge.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const v = validator('report_schema_v1.json');
    expect(v(report), formatErrors(v.errors)).toBe(true);
    expect(JSON.stringify(report)).toContain(manifestSha256());
  }, 600_000);
});
