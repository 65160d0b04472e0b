/**
 * "Could not run": the one base of every error that means the harness got no answer to judge
 * from the implementation under test — the adapter did not start, died, hung or printed garbage
 * (adapter/errors.ts), an HTTP target refused, reset or timed out (suites/_support/errors.ts), a
 * target was declared dead (suites/_support/deadtargets.ts). The report counts such a test as
 * `error`, apart from `fail` ("answered wrongly"): harness/run/collect.ts.
 *
 * It lives in the lowest layer that throws one (the adapter client), so suites and targets can
 * extend it without importing upwards.
 * @module
 */

/** Base class of every "could not run" error. */
export abstract class CouldNotRun extends Error {
  /**
   * The mark the report recognises. vitest hands the reporter a serialised copy of a test's error
   * (a plain object: `instanceof` does not survive the worker boundary, own properties do), so the
   * mark is an own property, not the class or its name.
   */
  readonly couldNotRun = true as const;
}

/** Whether `err` is a {@link CouldNotRun}, or vitest's serialised copy of one. */
export function isCouldNotRun(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { couldNotRun?: unknown }).couldNotRun === true;
}
