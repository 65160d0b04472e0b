/**
 * Reading the published vectors: the manifest and its hash (which a report names), each file
 * (lossless JSON, so uint64 serials stay exact), and the flattened list of cases with their group
 * op and inputs merged. The public entry of vectors/ for the library suite, the requirement
 * coverage, the run (report metadata) and replay; the generator (generate.ts, gen/) writes them.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonLossless, type JsonValue } from '../harness/protocol/gojson.ts';

export const VECTOR_DIR = dirname(fileURLToPath(import.meta.url));

export interface ManifestEntry {
  path: string;
  sha256: string;
  area: string;
  cases: number;
}

export interface VectorCase {
  file: string;
  /** `<file name>#<tcId>`: the stable id a report, an expectations file and `replay` use. */
  caseId: string;
  tcId: number;
  op: string;
  comment: string;
  flags: string[];
  inputs: Record<string, JsonValue>;
  seed?: string;
  now?: number;
  expected?: Record<string, JsonValue>;
  result: 'valid' | 'invalid' | 'acceptable';
  errorClass?: string;
  alsoAllowedErrorClasses?: string[];
  requirements: string[];
}

export function manifestText(): string {
  return readFileSync(join(VECTOR_DIR, 'manifest.json'), 'utf8');
}
export function manifestSha256(): string {
  return createHash('sha256').update(manifestText()).digest('hex');
}
export function readManifest(): { files: ManifestEntry[] } {
  return JSON.parse(manifestText());
}

export function readVectorFile(path: string): { text: string; json: Record<string, JsonValue> } {
  const text = readFileSync(join(VECTOR_DIR, path), 'utf8');
  return { text, json: parseJsonLossless(text) as Record<string, JsonValue> };
}

export function casesOf(file: Record<string, JsonValue>): VectorCase[] {
  const name = String(file.name);
  const fileReqs = (file.requirements as string[]) ?? [];
  const out: VectorCase[] = [];
  for (const g of file.testGroups as Record<string, JsonValue>[]) {
    const groupInputs = (g.inputs ?? {}) as Record<string, JsonValue>;
    for (const t of g.tests as Record<string, JsonValue>[]) {
      const reqs = (t.requirements as string[] | undefined) ?? [];
      out.push({
        file: name,
        caseId: `${name}#${t.tcId}`,
        tcId: t.tcId as number,
        op: (t.op as string | undefined) ?? (g.op as string),
        comment: t.comment as string,
        flags: t.flags as string[],
        inputs: { ...groupInputs, ...(t.inputs as Record<string, JsonValue>) },
        seed: t.seed as string | undefined,
        now: t.now as number | undefined,
        expected: t.expected as Record<string, JsonValue> | undefined,
        result: t.result as VectorCase['result'],
        errorClass: t.errorClass as string | undefined,
        alsoAllowedErrorClasses: t.alsoAllowedErrorClasses as string[] | undefined,
        requirements: reqs.length ? reqs : fileReqs,
      });
    }
  }
  return out;
}
