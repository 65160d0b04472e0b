/**
 * HarnessError: the suite could not get an answer from the target — not "the target answered
 * wrongly". `bm-conformance run` (harness/run/collect.ts) turns a test that throws one into an
 * `error` verdict ("could not run"), counted apart from `fail` (STYLE.md "Errors and
 * validation": connect / hello / run / stop steps, each with a hint for the implementer).
 * @module
 */
import { CouldNotRun } from '../../harness/adapter/index.ts';

/** The step of talking to an HTTP target during which the failure happened. */
export type HarnessStep =
  | 'config' // the BM_* environment is missing or malformed
  | 'connect' // TCP/TLS connection could not be made (refused, unknown host, certificate)
  | 'timeout' // no (complete) answer within the per-request bound
  | 'closed' // the connection was closed or reset without an answer
  | 'garbage' // the bytes that came back are not HTTP, or not the JSON the request requires
  | 'work'; // the proof of work the target asks for cannot be done within the test's timeout

const HINTS: Record<HarnessStep, string> = {
  config: 'run the suites through `bm-conformance run`, which sets the BM_* variables (see suites/_support/target.ts)',
  connect: 'check the URL and port; for a self-signed server pass --ca FILE (the CA that signed its certificate), or --insecure',
  timeout: 'the target must answer every request within the timeout (--timeout MS); a hung handler or a half-written body looks like this',
  closed: 'the target closed the connection without an HTTP answer; a crashed handler (Go panic) looks like this',
  garbage: 'the target must answer with HTTP and, where the API says so, a JSON body (a body labelled application/json must parse)',
  work: 'the target asks for more proof of work than fits in the per-test timeout; configure a lower difficulty for conformance runs (the resolver\'s /config.json minimums, the server\'s ticket bits), or raise --timeout',
};

/** The harness could not run this test against the target. Becomes an `error` verdict. */
export class HarnessError extends CouldNotRun {
  readonly step: HarnessStep;
  /** One sentence for the implementer: what to check. */
  readonly hint: string;
  constructor(step: HarnessStep, message: string, opts: { cause?: unknown } = {}) {
    super(`${step}: ${message} (hint: ${HINTS[step]})`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HarnessError';
    this.step = step;
    this.hint = HINTS[step];
  }
}
