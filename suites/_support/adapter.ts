/**
 * The adapter a suite talks to: the built-in reference adapter in-process (default), or any
 * adapter command given by the harness in `BM_ADAPTER_CMD` (run through `sh -c`). Both answer
 * `request(op, args, {seed, now})` with an ADAPTER.md response, so a suite is written once.
 * @module
 */
import { AdapterClient } from '../../harness/adapter/client.ts';
import { handleRequest, OP_NAMES, PROTOCOL_VERSION } from '../../harness/adapter/adapter.ts';
import { encodeLine, parseLine, type AdapterResponse, type HelloResult } from '../../harness/adapter/wire.ts';

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
    info: { protocol: PROTOCOL_VERSION, implementation: { name: 'bitmaelum-conformance-reference', version: '0.1.0', language: 'typescript' }, ops: [...OP_NAMES], deterministic: true },
    description: 'builtin',
    // Through the wire encoding and back, so in-process answers are exactly what a command
    // adapter would print (plain JSON: no Go maps, byte arrays or internal objects).
    request: async (op, args, opts = {}) =>
      parseLine(encodeLine(await handleRequest(parseLine(encodeLine({ id: nextId++, op, args, ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.now !== undefined ? { now: opts.now } : {}) })), { log: () => {} }))) as AdapterResponse,
    close: async () => {},
  };
}

/** An adapter command (ADAPTER.md), spawned once per suite file. */
export async function commandAdapter(cmd: string, timeoutMs = Number(process.env.BM_TIMEOUT_MS ?? 10_000)): Promise<SuiteAdapter> {
  const client = await AdapterClient.start({ command: 'sh', args: ['-c', cmd], requestTimeoutMs: timeoutMs });
  return {
    info: client.info!,
    description: cmd,
    request: (op, args, opts = {}) => client.request(op, args, opts),
    close: async () => {
      await client.stop().catch(() => client.kill());
    },
  };
}

/** The adapter this run targets: `BM_ADAPTER_CMD` if set, else the built-in one. */
export async function suiteAdapter(): Promise<SuiteAdapter> {
  const cmd = process.env.BM_ADAPTER_CMD;
  return cmd ? commandAdapter(cmd) : builtinAdapter();
}
