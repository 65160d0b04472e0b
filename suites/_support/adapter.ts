/**
 * The adapter a suite talks to: the built-in reference adapter in-process (default), or any
 * adapter command given by the harness in `BM_ADAPTER_CMD` (run through `sh -c`). Both answer
 * `request(op, args, {seed, now})` with an ADAPTER.md response, so a suite is written once.
 * @module
 */
import {
  AdapterClient,
  AdapterError,
  encodeLine,
  handleRequest,
  OP_NAMES,
  parseLine,
  PROTOCOL_VERSION,
  referenceImplementation,
  type AdapterResponse,
  type HelloResult,
} from '../../harness/adapter/index.ts';
import { liveness, type ProbeResult } from './deadtargets.ts';
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

/** Requests to a fresh instance that the dead-target probe sends after its hello (see below). */
export const PROBE_REQUESTS = 2;

/**
 * An adapter command (ADAPTER.md), spawned once per suite file.
 *
 * Each request is bounded by `timeoutMs` — by default half the per-test timeout, so the
 * adapter's own error (with its wire trace and stderr) is what the report shows, not vitest's
 * "test timed out". An adapter that times out or dies is killed and started afresh (hello again)
 * for the next request: one crashing case must not take the rest of the file with it.
 *
 * Lost requests (no answer in time, the process gone, a restart that failed) go through the
 * run's dead-target rule (deadtargets.ts): after NO_ANSWER_LIMIT of them, with no
 * two answers in a row between them, a fresh instance is probed: hello and then
 * {@link PROBE_REQUESTS} requests of a cheap op (`hash.string`, or `hello` if it lists no other). So an adapter that answers one op after each restart
 * and then hangs is still hung. If the probe gets no answer the adapter is declared dead for the
 * whole run — every suite file, every worker — and each later request fails at once with
 * TargetDead (an `error` verdict, "target … stopped answering at <time>").
 */
export async function commandAdapter(cmd: string, timeoutMs = suiteTarget().requestTimeoutMs): Promise<SuiteAdapter> {
  const key = `adapter: ${cmd}`;
  const tracker = liveness();
  // Declared dead by an earlier file: not started again (its hello could cost a time-out per file).
  if (tracker.deadRecord(key)) return deadAdapter(key, cmd);
  const start = () => AdapterClient.start({ command: 'sh', args: ['-c', cmd], requestTimeoutMs: timeoutMs, helloTimeoutMs: Math.max(timeoutMs, 20_000) });
  let client: AdapterClient | undefined = await start();
  let starting: Promise<AdapterClient> | undefined;
  const info = client.info!;
  const current = async (): Promise<AdapterClient> => {
    if (client?.alive) return client;
    starting ??= start().finally(() => (starting = undefined));
    client = await starting;
    return client;
  };
  // A fresh instance must get through hello and answer PROBE_REQUESTS requests in a row: of a
  // cheap op every library has, else hello (any answer counts, `unsupported` and errors too).
  const probeOp: [string, Record<string, unknown>] = info.ops.includes('hash.string') ? ['hash.string', { value: 'bm-conformance liveness probe' }] : ['hello', { protocol: info.protocol }];
  const probe = async (): Promise<ProbeResult> => {
    let c: AdapterClient | undefined;
    try {
      c = await start();
      for (let i = 0; i < PROBE_REQUESTS; i++) await c.request(...probeOp);
      return true;
    } catch (e) {
      return (e as Error).message;
    } finally {
      c?.kill();
    }
  };
  return {
    info,
    description: cmd,
    async request(op, args, opts = {}) {
      await tracker.ensureAlive(key);
      let c: AdapterClient | undefined;
      try {
        c = await current();
        const r = await c.request(op, args, opts);
        tracker.answered(key);
        return r;
      } catch (e) {
        // No answer in time, the process gone, or a restart that did not get through hello:
        // the adapter is behind (it answers in order) or dead, so the next request gets a fresh one.
        if (e instanceof AdapterError && (c === undefined || e.failure === 'timeout' || e.failure === 'exited' || e.failure === 'closed')) {
          if (c !== undefined && c === client) c.kill();
          tracker.noAnswer(key, e.message, probe);
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

/**
 * Stands in for an adapter declared dead earlier in the run: it lists every op, so each case
 * reaches `request`, which fails at once with TargetDead (an `error` verdict, not `unsupported`).
 */
function deadAdapter(key: string, cmd: string): SuiteAdapter {
  return {
    info: { protocol: PROTOCOL_VERSION, implementation: { name: cmd, version: 'unknown', language: 'unknown' }, ops: [...OP_NAMES], deterministic: true },
    description: cmd,
    request: async () => {
      await liveness().ensureAlive(key);
      throw new Error(`unreachable: ${key} is dead`);
    },
    close: async () => {},
  };
}

/** The adapter this run targets: `BM_ADAPTER_CMD` if set, else the built-in one. */
export async function suiteAdapter(): Promise<SuiteAdapter> {
  const cmd = process.env.BM_ADAPTER_CMD;
  return cmd ? commandAdapter(cmd) : builtinAdapter();
}
