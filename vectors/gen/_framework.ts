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
 * Every case runs through the in-process reference adapter (harness/adapter) before it is kept:
 * - `valid` with no `expected`: the reference's result becomes `expected` (generated outputs);
 * - `valid` with `expected` (imported Go known answers): the reference must agree exactly;
 * - `invalid`: the reference must fail with `errorClass` (or one of `alsoAllowedErrorClasses`),
 *   or return `expected` (e.g. `{"valid": false}`).
 * A disagreement is a generator or reference bug and stops generation, except for cases marked
 * `mutant: true` (derived by mutation), which are dropped when the reference does not give the
 * expected error — the rule "each kept only if the reference gives the expected error".
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
  /** Derived by mutation: dropped (not an error) if the reference does not reject it as expected. */
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

/** Is `actual` equal to `expected` on every field `expected` names (deep, exact)? */
export function matchesExpected(expected: JsonValue, actual: JsonValue | undefined): boolean {
  // A JSON integer is one value whether a reader holds it as a number or a bigint (the in-process
  // reference returns uint64 results such as pow.solve proofs as bigint).
  if ((typeof expected === 'number' || typeof expected === 'bigint') && (typeof actual === 'number' || typeof actual === 'bigint')) {
    if (typeof expected === typeof actual) return expected === actual;
    const integral = (x: number | bigint) => typeof x === 'bigint' || Number.isInteger(x);
    return integral(expected) && integral(actual) ? BigInt(expected) === BigInt(actual) : false;
  }
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (actual === null || typeof actual !== 'object' || Array.isArray(expected) !== Array.isArray(actual)) return false;
  if (Array.isArray(expected)) {
    const a = actual as JsonValue[];
    return a.length === expected.length && expected.every((e, i) => matchesExpected(e, a[i]));
  }
  const a = actual as Record<string, JsonValue>;
  return Object.entries(expected).every(([k, v]) => matchesExpected(v, a[k]));
}

/** JSON text for messages (bigints as digits). */
function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
}

/** Judge a reference response against a case: undefined when it agrees, else the reason. */
export function judge(c: Pick<CaseSpec, 'result' | 'expected' | 'errorClass' | 'alsoAllowedErrorClasses'>, r: AdapterResponse): string | undefined {
  if ('unsupported' in r) return `unsupported: ${r.reason}`;
  if (r.ok) {
    if (c.result === 'invalid' && c.expected === undefined) return `expected error ${c.errorClass}, got ok ${show(r.result).slice(0, 200)}`;
    if (c.expected !== undefined && !matchesExpected(c.expected, r.result))
      return `result differs: expected ${show(c.expected).slice(0, 300)}, got ${show(r.result).slice(0, 300)}`;
    return undefined;
  }
  const cls = r.error.class;
  if (c.result === 'valid') return `expected success, got ${cls}: ${r.error.message}`;
  if (c.result === 'acceptable') return undefined;
  const allowed = [c.errorClass, ...(c.alsoAllowedErrorClasses ?? [])].filter(Boolean);
  if (allowed.length === 0) return `expected ${show(c.expected)}, got error ${cls}: ${r.error.message}`;
  return allowed.includes(cls) ? undefined : `expected error ${allowed.join('|')}, got ${cls}: ${r.error.message}`;
}
