/**
 * Proof of work for suites, bounded by the running test's (or set-up's) deadline and solved off
 * the suite's event loop.
 *
 * The difficulty comes from the target (the resolver's `/config.json` minimums or the run's
 * `--pow-bits`, the mail server's account minimum, a ticket's `Work`; spec/formats.md §9, api.md
 * §3.1 P2, §7.5). Solving is CPU work; done synchronously it would stop everything else in the
 * suite worker: vitest's own timeouts, keep-alive timers of open connections (the target then
 * resets them: "read ECONNRESET"), and any counterparty served from this process. So:
 *
 * - a small difficulty (≤ {@link INLINE_MAX_BITS} bits, ≈ 2^14 double hashes, tens of ms) is
 *   searched inline, in slices that check the deadline;
 * - anything larger goes to one worker thread per suite process (the protocol library's own
 *   `searchPow`, loaded there through tsx), and the test awaits it with its event loop free. At
 *   the deadline the worker is terminated and the test gets a {@link HarnessError} (`work`): the
 *   report counts it `error` ("could not run"), within the per-test timeout like every other
 *   wait. Every answer is checked with `verifyPow` before it is used.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TestRunner } from 'vitest';
import { searchPow, verifyPow } from '../../harness/protocol/pow.ts';
import { HarnessError } from './errors.ts';
import { setupDeadline, suiteTarget } from './target.ts';

/** Counters per inline slice: ≈ 20–60 ms of double SHA-256, so the deadline is checked often. */
const SLICE = 20_000;

/** Largest difficulty searched on the event loop (expected 2^14 tries ≈ 25 ms). */
export const INLINE_MAX_BITS = 14;

/**
 * The epoch-ms deadline of the work in progress: a running shared set-up's (target.ts
 * `setupOnce`, bounded like a hook), else the running test's (its start plus its timeout), else
 * the per-test timeout from now.
 */
export function testDeadline(): number {
  const s = setupDeadline();
  if (s !== undefined) return s;
  const t = TestRunner.getCurrentTest();
  const start = t?.result?.startTime;
  const timeout = t?.timeout || suiteTarget().timeoutMs;
  return (start ?? Date.now()) + timeout;
}

/**
 * The first proof ≥ `start` for `data` at `bits` (the same answer as harness `solvePow`), or a
 * HarnessError when the deadline passes first. Above {@link INLINE_MAX_BITS} bits the search
 * runs in a worker thread, so the event loop stays free while it runs.
 * @throws HarnessError (`work`) when the search outlives the deadline ({@link testDeadline});
 *   InvalidInput for bad arguments (as `solvePow`)
 * @example await solveWithinTest(8, 'john@example!') // 149n
 */
export async function solveWithinTest(bits: number, data: string | Uint8Array, start: bigint = 0n, deadline: number = testDeadline()): Promise<bigint> {
  if (bits <= INLINE_MAX_BITS) return solveInline(bits, data, start, deadline);
  return solveOffLoop(bits, data, start, deadline);
}

/** The sliced synchronous search (small difficulties only: it holds the event loop). */
export function solveInline(bits: number, data: string | Uint8Array, start: bigint, deadline: number): bigint {
  const began = Date.now();
  for (let from = start; ; from += BigInt(SLICE)) {
    const p = searchPow(bits, data, from, SLICE);
    if (p !== undefined) return p;
    if (Date.now() >= deadline) {
      throw new HarnessError('work', `no ${bits}-bit proof of work found in ${Date.now() - began} ms (${from + BigInt(SLICE) - start} counters tried) before the deadline`);
    }
  }
}

// ----- the worker -----

/** The worker's source: loads the protocol library through tsx and answers one search per message. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = import(workerData.tsxApi).then((api) => api.tsImport(workerData.powModule, workerData.powModule));
parentPort.on('message', async (job) => {
  try {
    const { searchPow } = await ready;
    parentPort.postMessage({ id: job.id, proof: String(searchPow(job.bits, job.data, BigInt(job.start), Infinity)) });
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: String(e && e.stack || e) });
  }
});`;

interface Job {
  resolve(proof: bigint): void;
  reject(e: Error): void;
}

/** A running worker and the jobs it was given. */
interface PowWorker {
  readonly thread: Worker;
  readonly pending: Map<number, Job>;
}

let worker: PowWorker | undefined;
let nextId = 0;
/** Jobs run one at a time (two suite processes already share the two cores). */
let queue: Promise<unknown> = Promise.resolve();

/**
 * The file of tsx's `tsx/esm/api` ESM build, from its package's export map (`require.resolve`
 * would give the CommonJS build, whose `tsImport` cannot be used from a worker).
 */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const rel = pkg.exports['./esm/api']?.import?.default;
  if (!rel) throw new Error(`tsx (${pkgFile}) exports no ESM build of tsx/esm/api`);
  return join(dirname(pkgFile), rel);
}

function startWorker(): PowWorker {
  const tsxApi = pathToFileURL(tsxEsmApi()).href;
  const powModule = pathToFileURL(fileURLToPath(new URL('../../harness/protocol/pow.ts', import.meta.url))).href;
  const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { tsxApi, powModule } });
  thread.unref();
  const w: PowWorker = { thread, pending: new Map() };
  thread.on('message', (m: { id: number; proof?: string; error?: string }) => {
    const job = w.pending.get(m.id);
    if (!job) return;
    w.pending.delete(m.id);
    if (m.error !== undefined) job.reject(new Error(`proof-of-work worker: ${m.error}`));
    else job.resolve(BigInt(m.proof!));
  });
  // A worker that dies fails its own jobs only (a terminated one has none left).
  const stopped = (e: Error) => {
    if (worker === w) worker = undefined;
    for (const job of w.pending.values()) job.reject(new Error(`proof-of-work worker stopped: ${e.message}`));
    w.pending.clear();
  };
  thread.on('error', stopped);
  thread.on('exit', (code) => stopped(new Error(`exit code ${code}`)));
  return w;
}

/** The search in the worker thread; the worker is terminated (and restarted for the next job) at the deadline. */
function solveOffLoop(bits: number, data: string | Uint8Array, start: bigint, deadline: number): Promise<bigint> {
  searchPow(bits, data, start, 1); // argument checks (InvalidInput) here, on the caller's stack
  const run = async (): Promise<bigint> => {
    const began = Date.now();
    if (began >= deadline) throw new HarnessError('work', `no time left for a ${bits}-bit proof of work before the deadline`);
    const w = (worker ??= startWorker());
    const id = nextId++;
    const proof = await new Promise<bigint>((resolve, reject) => {
      const timer = setTimeout(() => {
        w.pending.delete(id);
        if (worker === w) worker = undefined;
        void w.thread.terminate();
        reject(new HarnessError('work', `no ${bits}-bit proof of work found in ${Date.now() - began} ms before the deadline`));
      }, deadline - began);
      w.pending.set(id, {
        resolve: (p) => { clearTimeout(timer); resolve(p); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      w.thread.postMessage({ id, bits, data, start: start.toString() });
    });
    if (!verifyPow(bits, data, proof)) throw new Error(`proof-of-work worker answered ${proof}, which is not a ${bits}-bit proof`);
    return proof;
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}
