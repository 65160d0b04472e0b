import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureResult } from './fixture.ts';
import { REPORT_FILES, writeReports } from './index.ts';

describe('writeReports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bm-reports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writeReports writes the five report files into a new directory', () => {
    const out = writeReports(fixtureResult(), join(dir, 'nested', 'out'));
    expect(readdirSync(join(dir, 'nested', 'out')).sort()).toEqual(['badge.svg', 'junit.xml', 'report.html', 'report.json', 'report.md']);
    expect(Object.keys(out).sort()).toEqual(Object.keys(REPORT_FILES).sort());
    expect(JSON.parse(readFileSync(out.json, 'utf8')).schema).toBe('report_schema_v1.json');
    expect(readFileSync(out.junit, 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
  });
});
