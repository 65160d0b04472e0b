/**
 * The Go repository's test data, copied into the repo so a clean checkout has every known-answer
 * input: each file must still hash to the value recorded in the provenance file (and no file may
 * be added or dropped without updating it).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, 'bitmaelum-suite-testdata');
const PROV = JSON.parse(readFileSync(join(import.meta.dirname, 'bitmaelum-suite-testdata.provenance.json'), 'utf8')) as { commit: string; files: Record<string, string> };

describe('vectors/external/bitmaelum-suite-testdata', () => {
  it('holds exactly the recorded files of bitmaelum-suite 95952d1 testdata/, byte for byte', () => {
    expect(PROV.commit).toBe('95952d193fb9f2f4be9160453eb4c11954b629bf');
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(PROV.files).sort());
    for (const [name, sha] of Object.entries(PROV.files)) {
      expect(createHash('sha256').update(readFileSync(join(DIR, name))).digest('hex'), name).toBe(sha);
    }
  });
});

const RSA_DIR = join(import.meta.dirname, 'go-seeded-rsa');
const RSA_PROV = JSON.parse(readFileSync(join(import.meta.dirname, 'go-seeded-rsa.provenance.json'), 'utf8')) as { commit: string; files: Record<string, string> };

describe('vectors/external/go-seeded-rsa', () => {
  it('holds exactly the recorded Go seeded-RSA known answers, byte for byte', () => {
    expect(RSA_PROV.commit).toBe('95952d193fb9f2f4be9160453eb4c11954b629bf');
    expect(readdirSync(RSA_DIR).sort()).toEqual(Object.keys(RSA_PROV.files).sort());
    for (const [name, sha] of Object.entries(RSA_PROV.files)) {
      expect(createHash('sha256').update(readFileSync(join(RSA_DIR, name))).digest('hex'), name).toBe(sha);
    }
  });
});
