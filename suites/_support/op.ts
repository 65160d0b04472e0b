/**
 * Calling an adapter op from a suite (ADAPTER.md) with must-strength judging:
 * - the request and the answer go into the test's wire trace (http.ts `trace`);
 * - the answer is normalised to exactly what a wire client reads (one JSON line, parsed
 *   losslessly), so the in-process reference adapter and an adapter command look the same;
 * - `unsupported` in the answer marks the test unsupported and ends it (must.ts `unsupported`);
 *   an op missing from hello's list ends it out of scope (must.ts `outOfScope`): never a pass;
 * - {@link mustOp} fails on an error answer and on a result that breaks its op's result schema
 *   (harness/judge `resultProblem`, naming the field), {@link mustOpError} on an `ok` one.
 * A dead, hung or garbage-printing adapter command throws the AdapterClient's AdapterError,
 * which the report counts as `error`.
 * @module
 */
import { encodeLine, type AdapterResponse } from '../../harness/adapter/index.ts';
import { parseJsonLossless, type JsonValue } from '../../harness/protocol/gojson.ts';
import type { SuiteAdapter } from './adapter.ts';
import { trace } from './http.ts';
import { fail, outOfScope, unsupported } from './must.ts';
import { show } from './match.ts';
import { resultProblem } from '../../harness/judge/index.ts';

export interface OpOptions {
  /** Hex seed: every random value the op draws (ADAPTER.md `seed`). */
  seed?: string;
  /** Unix seconds the op's clock reads (ADAPTER.md `now`). */
  now?: number;
}

/** One op, answer normalised to its wire form. Ends the test out of scope when the adapter does not list the op. */
export async function callOp(adapter: SuiteAdapter, op: string, args: Record<string, unknown>, opts: OpOptions = {}): Promise<AdapterResponse> {
  if (!adapter.info.ops.includes(op)) outOfScope(`op ${op}`, `the adapter's hello does not list op ${op}`);
  trace(`> ${op} ${show(args, 500)}${opts.seed !== undefined ? ` seed=${opts.seed}` : ''}${opts.now !== undefined ? ` now=${opts.now}` : ''}`);
  const raw = await adapter.request(op, args, opts);
  const r = parseJsonLossless(encodeLine(raw)) as unknown as AdapterResponse;
  trace(`< ${show(r, 500)}`);
  return r;
}

/** The op's `result`; fails the test on an error answer, marks it unsupported on `unsupported`. */
export async function mustOp(adapter: SuiteAdapter, op: string, args: Record<string, unknown>, opts: OpOptions = {}): Promise<Record<string, JsonValue>> {
  const r = await callOp(adapter, op, args, opts);
  if ('unsupported' in r) unsupported(`${op}: ${r.reason}`);
  if (!r.ok) fail(`${op} answered ${r.error.class}: ${r.error.message}`, { ok: true }, r);
  const malformed = resultProblem(op, r.result);
  if (malformed) fail(malformed, `a ${op} result as adapter_schema_v1.json describes it`, r.result);
  return r.result;
}

/**
 * The op's error; fails the test when it answers `ok`, or with a class outside `classes`
 * (when given). `Internal` is never an acceptable class: a crash is not a refusal.
 */
export async function mustOpError(adapter: SuiteAdapter, op: string, args: Record<string, unknown>, classes?: readonly string[], opts: OpOptions = {}): Promise<{ class: string; message: string }> {
  const r = await callOp(adapter, op, args, opts);
  if ('unsupported' in r) unsupported(`${op}: ${r.reason}`);
  if (r.ok) fail(`${op} must fail${classes ? ` with ${classes.join(' or ')}` : ''}, but answered ok: ${show(r.result, 300)}`, { error: classes ?? 'any class' }, r);
  if (r.error.class === 'Internal' || (classes && !classes.includes(r.error.class))) {
    fail(`${op} failed with ${r.error.class} (${r.error.message}); expected ${classes ? classes.join(' or ') : 'a protocol error class, not Internal'}`, { error: classes ?? 'not Internal' }, r.error);
  }
  return r.error;
}
