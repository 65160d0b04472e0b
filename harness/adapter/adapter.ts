/**
 * The reference adapter (ADAPTER.md, protocol v1): a read-line loop over an input stream that
 * dispatches each request's `op` to the handler table in ops.ts and writes exactly one JSON line
 * per request to the output stream. Logs go to stderr only (through `log`), never to `output`.
 *
 * Requests are handled one at a time, in order, so responses come back in request order and a
 * seeded request sees only its own randomness. Every failure is answered inside the protocol:
 * - a library error → `{"id","ok":false,"error":{"class","message"}}` with the class from
 *   harness/protocol/errors.ts (`errorClassOf`; anything unexpected is `Internal`);
 * - the library's `Unsupported` → `{"id","unsupported":true,"reason"}`;
 * - a line that is not a request (not JSON, not an object, no integer id) → `InvalidInput` with
 *   `"id": null`. A line whose id is readable but whose op or args are wrong answers with that
 *   id, so the harness can still match it to its request.
 * Blank lines are skipped. At EOF the loop ends and the returned promise resolves.
 * @module
 */
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { errorClassOf, InvalidInput, Unsupported } from '../protocol/errors.ts';
import { fromHex } from '../protocol/bytes.ts';
import { seededRng, systemRng, fixedClock, systemClock } from '../protocol/random.ts';
import type { JsonValue } from '../protocol/gojson.ts';
import { encodeLine, isWireId, parseLine, type AdapterResponse } from './wire.ts';
import { OPS, type OpArgs, type OpContext } from './ops.ts';
import type { AdapterFault } from './faults.ts';

export { OPS, OP_NAMES } from './ops.ts';
export { PROTOCOL_VERSION } from './wire.ts';

export interface AdapterOptions {
  /** Where diagnostics go; default: process.stderr. Never the protocol output. */
  log?: (line: string) => void;
  /** Confidentiality defects to switch on (faults.ts); default none. */
  faults?: ReadonlySet<AdapterFault>;
}

const defaultLog = (line: string) => {
  process.stderr.write(`bm-adapter: ${line}\n`);
};

function fail(id: number | null, cls: string, message: string): AdapterResponse {
  return { id, ok: false, error: { class: cls, message } };
}

/**
 * Answer one parsed request value. Never throws: every failure becomes a response object.
 * Exported so tests and in-process targets can skip the line framing.
 */
export async function handleRequest(req: unknown, opts: AdapterOptions = {}): Promise<AdapterResponse> {
  const log = opts.log ?? defaultLog;
  if (typeof req !== 'object' || req === null || Array.isArray(req))
    return fail(null, 'InvalidInput', `request must be a JSON object, got ${Array.isArray(req) ? 'array' : req === null ? 'null' : typeof req}`);
  const r = req as Record<string, JsonValue>;
  if (!isWireId(r.id)) return fail(null, 'InvalidInput', `request needs "id": a non-negative integer, got ${r.id === undefined ? 'nothing' : JSON.stringify(String(r.id))}`);
  const id = r.id;
  const { op } = r;
  if (typeof op !== 'string') return fail(id, 'InvalidInput', `request needs "op": a string, got ${op === undefined ? 'nothing' : typeof op}`);
  const handler = Object.hasOwn(OPS, op) ? OPS[op] : undefined;
  if (!handler) return fail(id, 'InvalidInput', `unknown op ${JSON.stringify(op)} (the hello result lists the ops this adapter implements)`);
  let args: OpArgs = {};
  if (r.args !== undefined) {
    if (typeof r.args !== 'object' || r.args === null || Array.isArray(r.args))
      return fail(id, 'InvalidInput', `request "args" must be an object, got ${Array.isArray(r.args) ? 'array' : r.args === null ? 'null' : typeof r.args}`);
    args = r.args;
  }
  let ctx: OpContext;
  try {
    ctx = { ...context(r.seed, r.now), log, ...(opts.faults !== undefined && opts.faults.size > 0 ? { faults: opts.faults } : {}) };
  } catch (e) {
    return fail(id, 'InvalidInput', (e as Error).message);
  }
  try {
    const result = await handler(args, ctx);
    return { id, ok: true, result: result as Record<string, JsonValue> };
  } catch (e) {
    const cls = errorClassOf(e);
    if (e instanceof Unsupported || cls === 'Unsupported') return { id, unsupported: true, reason: (e as Error).message };
    const message = e instanceof Error ? e.message : String(e);
    if (cls === 'Internal') log(`op ${op} (id ${id}) failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return fail(id, cls, message || cls);
  }
}

/** The rng and clock of one request (ADAPTER.md `seed`, `now`). */
function context(seed: JsonValue | undefined, now: JsonValue | undefined): OpContext {
  let seedBytes: Uint8Array | undefined;
  if (seed !== undefined && seed !== null) {
    if (typeof seed !== 'string') throw new InvalidInput(`request "seed" must be a hex string, got ${typeof seed}`);
    seedBytes = fromHex(seed, 'request "seed"');
  }
  let clock = systemClock;
  if (now !== undefined && now !== null) {
    if (typeof now !== 'number' || !Number.isSafeInteger(now))
      throw new InvalidInput(`request "now" must be integer unix seconds, got ${typeof now === 'bigint' ? String(now) : JSON.stringify(now)}`);
    clock = fixedClock(now);
  }
  return { rng: seedBytes ? seededRng(seedBytes) : systemRng, clock, seed: seedBytes };
}

/**
 * Answer one input line: the JSON response line (no newline), or `undefined` for a blank line.
 * Never throws.
 */
export async function handleLine(line: string, opts: AdapterOptions = {}): Promise<string | undefined> {
  if (line.trim() === '') return undefined;
  let req: JsonValue;
  try {
    req = parseLine(line);
  } catch (e) {
    return encodeLine(fail(null, 'InvalidInput', `request line is not JSON: ${(e as Error).message}`));
  }
  const res = await handleRequest(req, opts);
  try {
    return encodeLine(res);
  } catch (e) {
    // A result the writer cannot express (NaN, a cycle): still one line, still this id.
    (opts.log ?? defaultLog)(`cannot encode result of id ${String(res.id)}: ${(e as Error).message}`);
    return encodeLine(fail(res.id, 'Internal', `result could not be encoded: ${(e as Error).message}`));
  }
}

/**
 * Serve requests from `input` until EOF, one response line per request on `output`.
 * Resolves when the input ends (or the output is closed by the reader).
 */
export async function runAdapter(input: Readable, output: Writable, opts: AdapterOptions = {}): Promise<void> {
  const log = opts.log ?? defaultLog;
  let outputBroken = false;
  const onOutputError = (e: Error) => {
    // The harness went away (EPIPE): nobody is listening, so stop serving.
    outputBroken = true;
    log(`output closed: ${e.message}`);
    input.destroy();
  };
  output.on('error', onOutputError);
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of rl) {
      const out = await handleLine(line, opts);
      if (out === undefined) continue;
      if (outputBroken) break;
      if (!output.write(out + '\n')) await Promise.race([once(output, 'drain'), once(output, 'close')]);
    }
  } catch (e) {
    if (!outputBroken) throw e;
  } finally {
    rl.close();
    output.off('error', onOutputError);
  }
}
