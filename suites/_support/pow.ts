/**
 * Proof of work for suites, bounded by the running test's timeout.
 *
 * The difficulty comes from the target (the resolver's `/config.json` minimums, the Go client's
 * 20-bit fallback when that does not answer, a ticket's `Work`; spec/formats.md §9, api.md
 * §7.5). The search is synchronous CPU work, so while it runs vitest's own test timeout cannot
 * fire: a target asking 30 bits — or a broken one whose config the suite cannot read — would
 * hold a worker for minutes. {@link solveWithinTest} searches in slices and stops at the test's
 * deadline with a {@link HarnessError} (`work`), which the report counts as `error` ("could not
 * run"), within the per-test timeout like every other wait (issue "What must hold").
 * @module
 */
import { TestRunner } from 'vitest';
import { searchPow } from '../../harness/protocol/pow.ts';
import { HarnessError } from './errors.ts';
import { suiteTarget } from './target.ts';

/** Counters per slice: ≈ 20–60 ms of double SHA-256, so the deadline is checked often. */
const SLICE = 20_000;

/**
 * The epoch-ms deadline of the running test (its start plus its timeout), or — outside a test —
 * the per-test timeout from now.
 */
export function testDeadline(): number {
  const t = TestRunner.getCurrentTest();
  const start = t?.result?.startTime;
  const timeout = t?.timeout || suiteTarget().timeoutMs;
  return (start ?? Date.now()) + timeout;
}

/**
 * The first proof ≥ `start` for `data` at `bits` (the same answer as harness `solvePow`), or a
 * HarnessError when the test's deadline passes first.
 * @throws HarnessError (`work`) when the search outlives the running test's timeout;
 *   InvalidInput for bad arguments (as `solvePow`)
 * @example solveWithinTest(8, 'john@example!') // 149n
 */
export function solveWithinTest(bits: number, data: string | Uint8Array, start: bigint = 0n): bigint {
  const deadline = testDeadline();
  const began = Date.now();
  for (let from = start; ; from += BigInt(SLICE)) {
    const p = searchPow(bits, data, from, SLICE);
    if (p !== undefined) return p;
    if (Date.now() >= deadline) {
      throw new HarnessError('work', `no ${bits}-bit proof of work found in ${Date.now() - began} ms (${from + BigInt(SLICE) - start} counters tried) before the test's timeout`);
    }
  }
}
