/**
 * The adapter a suite talks to: the built-in reference adapter in-process (default), or any
 * adapter command given by the harness in `BM_ADAPTER_CMD` (run through `sh -c`). Both answer
 * `request(op, args, {seed, now})` with an ADAPTER.md response, so a suite is written once.
 * @module
 */
import { AdapterClient } from '../../harness/adapter/client.ts';
import { AdapterError, AdapterRunError } from '../../harness/adapter/errors.ts';
import { handleRequest, OP_NAMES, PROTOCOL_VERSION } from '../../harness/adapter/adapter.ts';
import { referenceImplementation } from '../../harness/adapter/ops.ts';
import { encodeLine, parseLine, type AdapterResponse, type HelloResult } from '../../harness/adapter/wire.ts';
import { suiteTarget } from './target.ts';

export interface SuiteAdapter {
  readonly info: HelloResult;
  /** Where the adapter came from, for messages and replay commands. */
  readonly description: string;
  request(op: string, args: Record<string, unknown>, opts?: { seed?: string; now?: number }): Promise<AdapterResponse>;
  close(): Promise<void>;
}

let nextId = 1;

/** The reference adapter, in-process: same op table as `bm-conformance adapter`. */
export function builtinAdapter(): SuiteAdapter {
  return {
    info: { protocol: PROTOCOL_VERSION, implementation: referenceImplementation(), ops: [...OP_NAMES], deterministic: true },
    description: 'builtin',
    // Through the wire encoding and back, so in-process answers are exactly what a command
    // adapter would print (plain JSON: no Go maps, byte arrays or internal objects).
    request: async (op, args, opts = {}) =>
      parseLine(encodeLine(await handleRequest(parseLine(encodeLine({ id: nextId++, op, args, ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.now !== undefined ? { now: opts.now } : {}) })), { log: () => {} }))) as AdapterResponse,
    close: async () => {},
  };
}

/**
 * Requests in a row that found the adapter lost (no answer in time, or the process gone) after
 * which a suite file stops sending: the rest of its cases are `error` at once, so a hung adapter
 * costs a few timeouts per file rather than one per vector case (thousands).
 */
export const MAX_LOST_IN_A_ROW = 3;

/**
 * An adapter command (ADAPTER.md), spawned once per suite file.
 *
 * Each request is bounded by `timeoutMs` — by default half the per-test timeout, so the
 * adapter's own error (with its wire trace and stderr) is what the report shows, not vitest's
 * "test timed out". An adapter that times out or dies is killed and started afresh (hello again)
 * for the next request: one crashing case must not take the rest of the file with it. After
 * {@link MAX_LOST_IN_A_ROW} lost requests in a row the adapter is given up on for this file,
 * and every later request fails at once with an AdapterRunError (an `error` verdict).
 */
export async function commandAdapter(cmd: string, timeoutMs = suiteTarget().requestTimeoutMs): Promise<SuiteAdapter> {
  const start = () => AdapterClient.start({ command: 'sh', args: ['-c', cmd], requestTimeoutMs: timeoutMs, helloTimeoutMs: Math.max(timeoutMs, 20_000) });
  let client: AdapterClient | undefined = await start();
  let starting: Promise<AdapterClient> | undefined;
  const info = client.info!;
  let lostInARow = 0;
  let gaveUp: AdapterError | undefined;
  const current = async (): Promise<AdapterClient> => {
    if (client?.alive) return client;
    starting ??= start().finally(() => (starting = undefined));
    client = await starting;
    return client;
  };
  return {
    info,
    description: cmd,
    async request(op, args, opts = {}) {
      if (gaveUp) throw new AdapterRunError(gaveUp.failure, `${op} not sent: the adapter was given up on earlier in this suite file after ${MAX_LOST_IN_A_ROW} requests in a row got no answer (last: ${gaveUp.message})`, { trace: gaveUp.trace, stderr: gaveUp.stderr });
      let c: AdapterClient | undefined;
      try {
        c = await current();
        const r = await c.request(op, args, opts);
        lostInARow = 0;
        return r;
      } catch (e) {
        // No answer in time, the process gone, or a restart that did not get through hello:
        // the adapter is behind (it answers in order) or dead, so the next request gets a fresh one.
        if (e instanceof AdapterError && (c === undefined || e.failure === 'timeout' || e.failure === 'exited' || e.failure === 'closed')) {
          if (c !== undefined && c === client) c.kill();
          if (++lostInARow >= MAX_LOST_IN_A_ROW) gaveUp ??= e;
        }
        throw e;
      }
    },
    close: async () => {
      const c = client;
      client = undefined;
      await c?.stop().catch(() => c.kill());
    },
  };
}

/** The adapter this run targets: `BM_ADAPTER_CMD` if set, else the built-in one. */
export async function suiteAdapter(): Promise<SuiteAdapter> {
  const cmd = process.env.BM_ADAPTER_CMD;
  return cmd ? commandAdapter(cmd) : builtinAdapter();
}
