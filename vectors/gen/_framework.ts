/**
 * The vector generator's frame: what a generator module declares, how case ids are kept stable,
 * and how every case is checked against the reference before it is written.
 *
 * A generator (one module per vector file, `vectors/gen/<name>.ts` → `vectors/<name>_test.json`)
 * exports `file: VectorFileSpec`. Its `build(ctx)` returns groups of cases, each case with a
 * `key` that is unique in the file and says what the case is ("flip-sig-bit-0"). Keys map to
 * numeric `tcId`s through vectors/ids.json: a new key gets the file's next number, a key that
 * disappears becomes a tombstone, and a number is never handed out twice (STYLE.md, Wycheproof
 * "tcId"; DESIGN.md "stable IDs that are never reused").
 *
 * Every case runs through the in-process reference adapter (harness/adapter) and is judged by the
 * one judge (harness/judge, the same that decides the library suite and `replay`) before it is kept:
 * - `valid` with no `expected`: the reference's result becomes `expected` (generated outputs), and
 *   so does an `acceptable` case's when the reference accepts it (an accepted input still has
 *   one right answer);
 * - `valid` with `expected` (imported Go known answers): the reference must agree exactly;
 * - `invalid`: the reference must fail with `errorClass` (or one of `alsoAllowedErrorClasses`),
 *   or return `expected` (e.g. `{"valid": false}`);
 * - randomised outputs are round-tripped through the reference as well.
 * Any disagreement stops generation, naming the case — a mutant (`mutant: true`) the reference
 * accepts included: that is a reference regression, never a data change. A key that disappears
 * from a generator must be listed in its `retired` with the reason, which its tombstone records.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../../harness/protocol/bytes.ts';
import { seededRng, type Rng } from '../../harness/protocol/random.ts';
import { handleRequest } from '../../harness/adapter/adapter.ts';
import type { AdapterResponse } from '../../harness/adapter/wire.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';

export type Result = 'valid' | 'invalid' | 'acceptable';

export interface Note {
  bugType: string;
  description: string;
  effect?: string;
  links?: string[];
}

export interface Source {
  kind: 'generated' | 'imported' | 'derived';
  generator?: string;
  command?: string;
  repository?: string;
  commit?: string;
  path?: string;
  sha256?: string;
  note?: string;
}

export interface CaseSpec {
  /** Unique in the file; decides the tcId through vectors/ids.json. */
  key: string;
  comment: string;
  flags?: string[];
  /** Adapter op, when it differs from the group's. */
  op?: string;
  inputs: Record<string, JsonValue>;
  seed?: string;
  now?: number;
  result: Result;
  expected?: Record<string, JsonValue>;
  errorClass?: string;
  alsoAllowedErrorClasses?: string[];
  requirements?: string[];
  /** Derived by mutation (documentation only: a mutant is judged like every other case). */
  mutant?: boolean;
}

export interface GroupSpec {
  op: string;
  comment?: string;
  source?: Source;
  cases: CaseSpec[];
}

/**
 * Bulk deterministic coverage committed as one hash (manifest.json `accumulated`, STYLE.md "Bulk
 * deterministic coverage … one hash over all outputs"). `description` must say exactly how the
 * outputs are produced and hashed, so a suite can recompute `sha256` through an adapter.
 */
export interface AccumulatedSpec {
  name: string;
  count: number;
  sha256: string;
  description: string;
}

export interface VectorFileSpec {
  /** File base name: vectors/<name>_test.json; also the generator module name. */
  name: string;
  area: string;
  requirements: string[];
  source: Source;
  header: string[];
  notes: Record<string, Note>;
  build(ctx: GenContext): Promise<GroupSpec[]> | GroupSpec[];
  /**
   * Case keys this generator no longer builds → why (the reason its tombstone records, e.g. "the
   * reference now refuses this key at parse time; the case moved to key_parse"). A key that
   * disappears without an entry here stops generation.
   */
  retired?: Record<string, string>;
  /** Optional bulk coverage for the manifest; run after `build` with a fresh context of the same file. */
  accumulated?(ctx: GenContext): Promise<AccumulatedSpec[]> | AccumulatedSpec[];
}

export interface GenContext {
  /** The file's own deterministic stream: SHA-256(master seed ‖ ":" ‖ file name) seeds it. */
  rng: Rng;
  /** The file seed, hex. */
  seedHex: string;
  /** A case seed (hex, 32 bytes) derived from the file seed and a label; stable across runs. */
  caseSeed(label: string): string;
  /** Run an op on the reference adapter in-process. */
  run(op: string, args: Record<string, JsonValue>, opts?: { seed?: string; now?: number }): Promise<AdapterResponse>;
  /** Run an op and return its result, throwing if it did not succeed. */
  must(op: string, args: Record<string, JsonValue>, opts?: { seed?: string; now?: number }): Promise<Record<string, JsonValue>>;
}

let reqId = 0;
async function runOp(op: string, args: Record<string, JsonValue>, opts: { seed?: string; now?: number } = {}): Promise<AdapterResponse> {
  const req: Record<string, JsonValue> = { id: ++reqId, op, args };
  if (opts.seed !== undefined) req.seed = opts.seed;
  if (opts.now !== undefined) req.now = opts.now;
  return handleRequest(req, { log: () => {} });
}

export function makeContext(masterSeedHex: string, name: string): GenContext {
  const seed = sha256(utf8(`${masterSeedHex}:${name}`));
  const seedHex = toHex(seed);
  return {
    rng: seededRng(seed),
    seedHex,
    caseSeed: (label) => toHex(sha256(utf8(`${seedHex}:${label}`))),
    run: runOp,
    async must(op, args, opts) {
      const r = await runOp(op, args, opts);
      if ('ok' in r && r.ok) return r.result;
      throw new Error(`generator: reference op ${op} did not succeed: ${JSON.stringify(r)}`);
    },
  };
}
