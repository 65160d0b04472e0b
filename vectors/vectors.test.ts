/**
 * The published vectors as data: every file in the manifest has the manifest's SHA-256 and case
 * counts, matches vector_file_schema_v1.json, has op arguments and results that match the
 * adapter schema, and every artefact inside a valid case (header, catalog, vault) matches its
 * own schema. The library suite then runs the cases against a target.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { formatErrors, validator, vectorCaseProblems } from '../schemas/index.ts';
import { casesOf, readManifest, readVectorFile } from './index.ts';

const ARTEFACT_SCHEMAS: Record<string, string> = {
  header: 'header_schema_v1.json',
  catalog: 'catalog_schema_v1.json',
  vault: 'vault_schema_v1.json',
};

const manifest = readManifest();

describe('vectors manifest', () => {
  it('validates against vector_manifest_schema_v1.json and lists at least 500 cases', () => {
    const v = validator('vector_manifest_schema_v1.json');
    expect(v(manifest), formatErrors(v.errors)).toBe(true);
    expect(manifest.files.reduce((n, f) => n + f.cases, 0)).toBeGreaterThanOrEqual(500);
  });
});

for (const entry of manifest.files) {
  describe(`vectors › ${entry.path}`, () => {
    const { text, json } = readVectorFile(entry.path);
    const cases = casesOf(json);
    it('matches its manifest hash and case count', () => {
      expect(createHash('sha256').update(text).digest('hex')).toBe(entry.sha256);
      expect(cases.length).toBe(entry.cases);
    });
    it('matches vector_file_schema_v1.json and the adapter schema of its ops', () => {
      const v = validator('vector_file_schema_v1.json');
      expect(v(json), formatErrors(v.errors)).toBe(true);
      expect(vectorCaseProblems(json)).toEqual([]);
    });
    it('has artefacts in valid cases that match their own schemas', () => {
      for (const c of cases) {
        if (c.result !== 'valid') continue;
        for (const [field, schema] of Object.entries(ARTEFACT_SCHEMAS)) {
          for (const value of [c.inputs[field], c.expected?.[field]]) {
            if (value === undefined || value === null) continue;
            const v = validator(schema);
            expect(v(value), `${c.caseId} ${field}: ${formatErrors(v.errors)}`).toBe(true);
          }
        }
      }
    });
  });
}
