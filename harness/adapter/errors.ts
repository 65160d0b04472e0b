/**
 * Harness errors: what can go wrong while the harness talks to an adapter process
 * (ADAPTER.md; STYLE.md "Harness and adapters": errors follow the steps connect, hello, run,
 * stop, each with a hint for the implementer).
 *
 * These are NOT protocol error classes (harness/protocol/errors.ts): a protocol error is an
 * answer the adapter gave (`ok:false`); an AdapterError means the adapter could not be asked
 * at all (it did not start, died, hung, or printed something that is not the protocol). The
 * report counts the two apart: a protocol error may be a failed test, an AdapterError is
 * always an `error` verdict ("could not run").
 * @module
 */
import { CouldNotRun } from './couldnotrun.ts';

/** The step of talking to an adapter during which the failure happened. */
export type AdapterStep = 'connect' | 'hello' | 'run' | 'stop';

/** What went wrong, independent of the step. */
export type AdapterFailure =
  | 'spawn-failed' // the command could not be started (not found, not executable)
  | 'exited' // the process ended while an answer was owed
  | 'timeout' // no answer within the bound
  | 'garbage' // a stdout line that is not JSON
  | 'bad-response' // JSON, but not one of the three response shapes of ADAPTER.md
  | 'wrong-id' // an answer for an id that was never sent
  | 'protocol-mismatch' // hello answered with another protocol version or without ops
  | 'refused' // hello answered with an error or `unsupported`
  | 'closed'; // the client was stopped, or used after the adapter died

const HINTS: Record<AdapterFailure, string> = {
  'spawn-failed': 'check that the adapter command exists, is executable and its interpreter is installed',
  exited: 'the adapter must keep reading stdin until EOF and answer every request; see its stderr below',
  timeout: 'the adapter must answer every request with exactly one line on stdout and flush it; a busy loop or an unflushed buffer looks like this',
  garbage: 'stdout is reserved for one JSON response per line; write logs to stderr',
  'bad-response': 'each response is {"id","ok":true,"result"} | {"id","ok":false,"error":{"class","message"}} | {"id","unsupported":true,"reason"} (ADAPTER.md "Messages")',
  'wrong-id': 'each response must echo the id of the request it answers',
  'protocol-mismatch': 'answer hello with {"protocol":1,"implementation":{...},"ops":[...],"deterministic":bool}',
  refused: 'hello must succeed for protocol 1',
  closed: 'the adapter was already stopped or had died; restart it',
};

/** Base class of every harness-side adapter failure. */
export class AdapterError extends CouldNotRun {
  readonly step: AdapterStep;
  readonly failure: AdapterFailure;
  /** One sentence for the implementer: what the adapter should do instead. */
  readonly hint: string;
  /** The last lines exchanged (`> ` sent, `< ` received), newest last, for the report. */
  readonly trace: readonly string[];
  /** The tail of the adapter's stderr. */
  readonly stderr: string;

  constructor(
    step: AdapterStep,
    failure: AdapterFailure,
    message: string,
    extra: { trace?: readonly string[]; stderr?: string; cause?: unknown } = {},
  ) {
    super(`adapter ${step}: ${message}`, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = STEP_CLASS_NAMES[step];
    this.step = step;
    this.failure = failure;
    this.hint = HINTS[failure];
    this.trace = extra.trace ?? [];
    this.stderr = extra.stderr ?? '';
  }
}

const STEP_CLASS_NAMES: Record<AdapterStep, string> = {
  connect: 'AdapterConnectError',
  hello: 'AdapterHelloError',
  run: 'AdapterRunError',
  stop: 'AdapterStopError',
};

type AdapterErrorExtra = ConstructorParameters<typeof AdapterError>[3];

/** AdapterError with its step fixed: the base of each step's class below. */
function forStep(step: AdapterStep) {
  return class extends AdapterError {
    constructor(failure: AdapterFailure, message: string, extra?: AdapterErrorExtra) {
      super(step, failure, message, extra);
    }
  };
}

/** The adapter could not be started, or exited before it answered anything. */
export class AdapterConnectError extends forStep('connect') {}
/** The hello exchange failed: no answer, a bad answer, or a protocol it does not speak. */
export class AdapterHelloError extends forStep('hello') {}
/** A request after hello got no valid answer. */
export class AdapterRunError extends forStep('run') {}
/** The adapter did not exit by itself after its stdin was closed and had to be killed. */
export class AdapterStopError extends forStep('stop') {}

/** Build the error class for `step`. */
export function adapterError(step: AdapterStep, failure: AdapterFailure, message: string, extra?: AdapterErrorExtra): AdapterError {
  switch (step) {
    case 'connect': return new AdapterConnectError(failure, message, extra);
    case 'hello': return new AdapterHelloError(failure, message, extra);
    case 'run': return new AdapterRunError(failure, message, extra);
    case 'stop': return new AdapterStopError(failure, message, extra);
  }
}
