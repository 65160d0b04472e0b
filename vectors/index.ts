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

/**
 * The accumulated proof-of-work sweep: what is hashed and how. Both the generator
 * (vectors/gen/pow_proof.ts, through the reference adapter) and the library suite
 * (suites/library/accumulated.test.ts, through the target adapter) compute it with
 * {@link powSweepHash}, so it is defined here, below both.
 */
export const POW_SWEEP = {
  name: 'pow_first_proofs',
  count: 1024,
  // Written into manifest.json verbatim: changing a byte changes the manifest hash the Go
  // verification names (implementations/go-bitmaelum-suite-95952d1/VERIFIED.md), so it still
  // names pow_proof.ts, the generator.
  description:
    'pow.solve over 1024 inputs: for i = 0..1023, data_i = lowercase hex SHA-256 of the ASCII text "pow-sweep-<i>" (i in decimal) and bits_i = 1 + (i mod 8); ' +
    'proof_i = the first valid proof counting from 0. sha256 = SHA-256 of the concatenated lines "<bits_i> <data_i> <proof_i in decimal>\\n". Generator: vectors/gen/pow_proof.ts (POW_SWEEP); check: suites/library/accumulated.test.ts.',
} as const;

/** The i-th sweep input. */
export function powSweepInput(i: number): { bits: number; data: string } {
  return { bits: 1 + (i % 8), data: createHash('sha256').update(`pow-sweep-${i}`).digest('hex') };
}

/**
 * The sweep hash, with `solveOne` answering pow.solve (an adapter round trip or a library call).
 * Requests are issued `window` at a time so an adapter process is kept busy.
 */
export async function powSweepHash(solveOne: (bits: number, data: string) => Promise<bigint | number>, window = 16): Promise<string> {
  const h = createHash('sha256');
  for (let base = 0; base < POW_SWEEP.count; base += window) {
    const idx = Array.from({ length: Math.min(window, POW_SWEEP.count - base) }, (_, k) => base + k);
    const proofs = await Promise.all(idx.map((i) => solveOne(powSweepInput(i).bits, powSweepInput(i).data)));
    idx.forEach((i, k) => {
      const { bits, data } = powSweepInput(i);
      h.update(`${bits} ${data} ${BigInt(proofs[k]!)}\n`);
    });
  }
  return h.digest('hex');
}
