/**
 * Checks of the requirement registry itself: it validates against its schema, IDs are unique,
 * well-formed, per-area contiguous apart from retired ones and never reused, every requirement
 * has a source, a Go deviation exactly when Go does not conform, and a coverage entry a tool can
 * act on (planned kinds, or a reason; coverage.test.ts derives what is actually covered). Where
 * the spec files are present (/work/shared/spec or $BM_SPEC_DIR) every cited section is checked
 * to exist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validator, formatErrors } from '../../schemas/index.ts';
import { REQUIREMENTS_PATH, REQUIREMENT_ID, areaOf, loadRequirements, requirement } from './index.ts';

const reg = loadRequirements();

describe('requirement registry', () => {
  it('requirements.json validates against requirements_schema_v1.json', () => {
    const v = validator('requirements_schema_v1.json');
    const ok = v(JSON.parse(readFileSync(REQUIREMENTS_PATH, 'utf8')));
    expect(ok, formatErrors(v.errors)).toBe(true);
  });

  it('holds between 200 and 400 requirements, each with a well-formed unique ID of a declared area', () => {
    expect(reg.requirements.length).toBeGreaterThanOrEqual(200);
    expect(reg.requirements.length).toBeLessThanOrEqual(400);
    const seen = new Set<string>();
    for (const r of reg.requirements) {
      expect(r.id).toMatch(REQUIREMENT_ID);
      expect(seen.has(r.id), `duplicate ${r.id}`).toBe(false);
      seen.add(r.id);
      expect(reg.areas[areaOf(r.id)], `area of ${r.id} not declared`).toBeTypeOf('string');
    }
  });

  it('never reuses an ID: retired IDs are absent from requirements and unique', () => {
    const live = new Set(reg.requirements.map((r) => r.id));
    const retired = new Set<string>();
    for (const t of reg.retired) {
      expect(live.has(t.id), `${t.id} is retired but still listed`).toBe(false);
      expect(retired.has(t.id), `${t.id} retired twice`).toBe(false);
      retired.add(t.id);
      for (const s of t.replaced_by ?? []) expect(live.has(s), `${t.id} replaced by unknown ${s}`).toBe(true);
    }
    expect(() => requirement('BM-NOPE-001')).toThrow(/unknown requirement/);
  });

  it('numbers each area 001, 002, … with gaps only where an ID was retired', () => {
    const byArea = new Map<string, number[]>();
    for (const id of [...reg.requirements.map((r) => r.id), ...reg.retired.map((r) => r.id)]) {
      const n = Number(REQUIREMENT_ID.exec(id)![2]);
      byArea.set(areaOf(id), [...(byArea.get(areaOf(id)) ?? []), n]);
    }
    for (const [area, nums] of byArea) {
      const sorted = [...nums].sort((a, b) => a - b);
      expect(sorted, `area ${area}`).toEqual(sorted.map((_, i) => i + 1));
    }
  });

  it('gives every requirement one sentence of text, a non-empty source, and applies it to someone', () => {
    for (const r of reg.requirements) {
      expect(r.text.trim().length, r.id).toBeGreaterThan(10);
      expect(r.text.trim().endsWith('.'), `${r.id} text should be one sentence ending in a period`).toBe(true);
      expect(r.source.spec.length, r.id).toBeGreaterThan(0);
      for (const s of [...r.source.spec, ...(r.source.go ?? [])]) expect(s.trim(), r.id).not.toBe('');
      expect(r.applies_to.length, r.id).toBeGreaterThan(0);
      expect(r.text, `${r.id} level word`).toMatch(new RegExp(`\\b${r.level}\\b`));
    }
  });

  it('records a Go deviation exactly when go_conforms is false', () => {
    for (const r of reg.requirements) {
      expect(r.go_deviation !== undefined, r.id).toBe(!r.go_conforms);
    }
  });

  // Whether a requirement is covered is derived (coverage.test.ts); the registry holds the intent.
  it('has a coverage entry for every requirement: planned kinds, or an uncovered reason', () => {
    for (const r of reg.requirements) {
      const c = r.coverage;
      if (c.status === 'planned') {
        expect(c.kinds.length, r.id).toBeGreaterThan(0);
      } else {
        expect(c.reason.length, r.id).toBeGreaterThan(10);
      }
    }
  });

  // The protocol digest the registry cites, kept in the repo (spec/); BM_SPEC_DIR checks a newer copy.
  const specDir = process.env['BM_SPEC_DIR'] ?? join(import.meta.dirname, '..', '..', 'spec');
  it('cites only sections that exist in spec/formats.md and spec/api.md', () => {
    const sections = (file: string): Set<string> => {
      const set = new Set<string>();
      for (const line of readFileSync(join(specDir, file), 'utf8').split('\n')) {
        const m = /^#{2,4} ([0-9]+(?:\.[0-9]+)*)\.? /.exec(line);
        if (m) set.add(m[1]!);
      }
      return set;
    };
    const known = { formats: sections('formats.md'), api: sections('api.md') };
    const bad: string[] = [];
    for (const r of reg.requirements) {
      for (const s of r.source.spec) {
        const m = /^(formats|api)\.md §([0-9]+(?:\.[0-9]+)*)/.exec(s)!;
        if (!known[m[1] as 'formats' | 'api'].has(m[2]!)) bad.push(`${r.id}: ${s}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
