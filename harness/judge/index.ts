/**
 * The judge: the one place that decides whether an adapter's answer to a vector case passes
 * (DESIGN.md "Verdict rules": one judge module decides vector cases everywhere). The library
 * suite (suites/library), `bm-conformance replay` (harness/run/replay.ts) and the vector
 * generator (vectors/generate.ts, which judges the reference itself before a case is written)
 * all call {@link judgeCase}; the client suite checks results with {@link resultProblem}.
 *
 * Rules (vectors/README.md "Verdicts"):
 * - `unsupported` is never a pass;
 * - an error answer must carry an ADAPTER.md class, and `Internal` (a crash) never passes;
 * - every `ok` result is checked against its op's result schema (adapter_schema_v1.json
 *   `<Op>Result`: every field required, none extra); a malformed result fails, naming the field;
 * - `valid`: `ok` with every field of `expected` equal;
 * - `invalid`: an error of `errorClass` or an also-allowed class, or, for a predicate, `expected`
 *   (`{"valid": false}`);
 * - `acceptable`: a refusal of any class but `Internal`, or an `ok` that is checked like a valid
 *   answer; when the vector records no answer for an accepting implementation, accepting fails,
 *   since nothing could tell a right answer from a wrong one;
 * - randomised ops ({@link ROUND_TRIP_OPS}) are always round-tripped through the reference
 *   (verify what was signed, decrypt what was encrypted, open what was composed), and compared
 *   byte for byte as well when the adapter says `deterministic: true`;
 * - a predicate's `valid: true` counts only if the adapter also answers `false` to a near twin of
 *   the input that the reference refuses (given the adapter as `subject`): an always-true
 *   verifier earns nothing.
 * No `ok` passes for being `ok`.
 * @module
 */
import { ERROR_CLASSES, encodeLine, parseLine, type AdapterResponse } from '../adapter/wire.ts';
import { handleRequest } from '../adapter/adapter.ts';
import type { JsonValue } from '../protocol/gojson.ts';
import { loadSchemas, opDefName, schemaId, validator } from '../../schemas/index.ts';
import { differingFields, matchesExpected, show } from './_match.ts';
import { roundTrip, ROUND_TRIP_OPS, type Counterparty } from './_roundtrip.ts';
import { hasTwins, twinProblem } from './_twin.ts';

export { differingFields, matchesExpected, ROUND_TRIP_OPS, type Counterparty };

/** The parts of a vector case the judge reads (vectors/index.ts `VectorCase` has them all). */
export interface JudgedCase {
  op: string;
  inputs: Record<string, JsonValue>;
  seed?: string;
  now?: number;
  result: 'valid' | 'invalid' | 'acceptable';
  expected?: Record<string, JsonValue>;
  errorClass?: string;
  alsoAllowedErrorClasses?: string[];
}

/** The judge's decision. A failure carries what was expected and what came back, for a diff. */
export type Verdict =
  | { verdict: 'pass' }
  | { verdict: 'fail'; reason: string; expected: unknown; actual: unknown }
  | { verdict: 'unsupported'; reason: string };

export interface JudgeOptions {
  /** The adapter's hello `deterministic`: whether randomised outputs are compared byte for byte. */
  deterministic: boolean;
  /** The counterparty of round trips; default {@link referenceCounterparty}. */
  reference?: Counterparty;
  /**
   * The adapter under test, for the negative twin of a positive predicate case. Omitted only
   * where the adapter is the reference itself (the generator), whose twins the reference decides.
   */
  subject?: Counterparty;
}

/** What a case asks for, as shown beside a failure. */
export function expectedAnswer(c: JudgedCase): unknown {
  if (c.result === 'invalid' && c.expected === undefined) return { error: [c.errorClass, ...(c.alsoAllowedErrorClasses ?? [])].filter(Boolean).join(' | ') };
  if (c.result === 'acceptable') return { refusal: 'any class but Internal', ...(c.expected !== undefined ? { or: c.expected } : {}) };
  return c.expected;
}

/**
 * Judge an adapter's response to a vector case.
 * @param c the case
 * @param response the adapter's answer, as read from the wire (or in-process)
 * @param opts whether the adapter is deterministic, and the round-trip counterparty
 * @returns pass, fail with the reason, or unsupported
 */
export async function judgeCase(c: JudgedCase, response: AdapterResponse, opts: JudgeOptions): Promise<Verdict> {
  // The wire form: what an adapter command would print (plain JSON, exact integers).
  const r = parseLine(encodeLine(response)) as unknown as AdapterResponse;
  if ('unsupported' in r) return { verdict: 'unsupported', reason: `unsupported: ${r.reason}` };
  // What came back, without the envelope (`id`, `ok`): the error, or the result.
  const fail = (reason: string, actual: unknown = r.ok ? r.result : { error: r.error }): Verdict => ({ verdict: 'fail', reason, expected: expectedAnswer(c), actual });
  if (!r.ok) {
    const cls = r.error?.class;
    if (!(ERROR_CLASSES as readonly string[]).includes(cls)) return fail(`error class ${show(cls, 60)} is not one of ADAPTER.md's`);
    if (cls === 'Internal') return fail(`the adapter crashed (Internal: ${r.error.message}); a crash is never a refusal`);
    if (c.result === 'valid') return fail(`expected success, got ${cls}: ${r.error.message}`);
    if (c.result === 'acceptable') return { verdict: 'pass' };
    const allowed = [c.errorClass, ...(c.alsoAllowedErrorClasses ?? [])].filter((x): x is string => Boolean(x));
    if (allowed.length === 0) return fail(`expected ${show(c.expected)}, got error ${cls}: ${r.error.message}`);
    return allowed.includes(cls) ? { verdict: 'pass' } : fail(`expected error ${allowed.join('|')}, got ${cls}: ${r.error.message}`);
  }
  const result = r.result;
  const malformed = resultProblem(c.op, result);
  if (malformed) return fail(malformed, result);
  if (c.result === 'invalid' && c.expected === undefined) return fail(`expected error ${[c.errorClass, ...(c.alsoAllowedErrorClasses ?? [])].join('|')}, got ok ${show(result, 200)}`, result);
  const roundTripped = ROUND_TRIP_OPS.has(c.op) && c.result !== 'invalid';
  if (c.expected === undefined && !roundTripped) {
    return c.result === 'acceptable'
      ? fail('accepted, but the vector records no answer an accepting implementation must give, so only a refusal can be checked', result)
      : fail('the vector has no expected answer to compare with', result);
  }
  if (c.expected !== undefined && (opts.deterministic || !ROUND_TRIP_OPS.has(c.op)) && !matchesExpected(c.expected, result)) {
    const d = differingFields(c.expected, result);
    return fail(d.fields !== undefined ? `result differs in ${d.fields.join(', ')}` : `result differs: expected ${show(c.expected)}, got ${show(result)}`, result);
  }
  const reference = opts.reference ?? referenceCounterparty();
  if (roundTripped) {
    const why = await roundTrip(reference, c, result);
    if (why !== undefined) return fail(why, result);
  }
  if (opts.subject && result.valid === true && hasTwins(c.op)) {
    const why = await twinProblem(opts.subject, reference, c.op, c.inputs, { seed: c.seed, now: c.now });
    if (why !== undefined) return fail(why, result);
  }
  return { verdict: 'pass' };
}

/**
 * Does an op's `ok` result break its result schema (adapter_schema_v1.json `<Op>Result`)?
 * @returns undefined when it conforms or the op is not an ADAPTER.md op, else a sentence naming the field
 */
export function resultProblem(op: string, result: unknown): string | undefined {
  const def = `adapter_schema_v1.json#/$defs/${opDefName(op)}Result`;
  if (!hasDef(def)) return undefined;
  const v = validator(def);
  if (v(result)) return undefined;
  const problems = (v.errors ?? []).slice(0, 3).map((e) => {
    const field = e.instancePath ? `result${e.instancePath.replace(/\//g, '.')}` : 'result';
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return `${field} ${e.message ?? 'is invalid'}${extra ? ` (${extra})` : ''}`;
  });
  return `malformed ${op} result: ${problems.join('; ')}`;
}

const defs = new Map<string, boolean>();
function hasDef(ref: string): boolean {
  let known = defs.get(ref);
  if (known === undefined) {
    const name = ref.split('/').pop()!;
    const adapter = loadSchemas().ajv.getSchema(schemaId('adapter_schema_v1.json'))?.schema as { $defs: Record<string, unknown> };
    known = name in adapter.$defs;
    defs.set(ref, known);
  }
  return known;
}

let nextId = 1;
/** The reference adapter in-process (harness/adapter), answering through the wire encoding. */
export function referenceCounterparty(): Counterparty {
  return {
    request: async (op, args, opts = {}) => {
      const req = { id: nextId++, op, args, ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.now !== undefined ? { now: opts.now } : {}) };
      return parseLine(encodeLine(await handleRequest(parseLine(encodeLine(req)) as Record<string, JsonValue>, { log: () => {} }))) as unknown as AdapterResponse;
    },
  };
}
