/**
 * The harness side of the adapter protocol (ADAPTER.md): spawns an adapter command, sends
 * requests with fresh ids, matches responses by id, and bounds every wait.
 *
 * Whatever the adapter does, a caller gets either a well-formed response (ok / error /
 * unsupported, ADAPTER.md "Messages") or a typed {@link AdapterError} naming the step
 * (connect, hello, run, stop) and the failure (exited, timeout, garbage, bad-response, wrong-id,
 * …), with the last lines of the wire trace and the adapter's stderr tail — never a hang and
 * never an unhandled exception. That is what lets the report count "could not run" apart from
 * "failed" (STYLE.md "Harness and adapters").
 *
 * Matching rules:
 * - a response whose id is pending answers that request;
 * - `"id": null` (the adapter could not read our request) answers the oldest pending request;
 * - an id we sent but already gave up on (timed out) is a late answer and is dropped;
 * - an id we never sent fails every pending request with `wrong-id`;
 * - a stdout line that is not JSON fails every pending request with `garbage`, one that is JSON
 *   but not a response shape with `bad-response`.
 * A timed-out request does not kill the adapter: the caller decides (usually `stop()` and start a
 * fresh one, since an adapter that answers in order is now behind).
 * @module
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { JsonValue } from '../protocol/gojson.ts';
import { toHex } from '../protocol/bytes.ts';
import { adapterError, AdapterError, AdapterHelloError, AdapterStopError, type AdapterFailure, type AdapterStep } from './errors.ts';
import { checkHello, checkResponse, encodeLine, parseLine, PROTOCOL_VERSION, type AdapterResponse, type HelloResult } from './wire.ts';

export interface AdapterClientOptions {
  /** Executable to run (resolved through PATH). */
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bound on each request after hello; default 10 s. */
  requestTimeoutMs?: number;
  /** Bound on the hello answer, which includes the adapter's start-up; default 20 s. */
  helloTimeoutMs?: number;
  /** How long `stop()` waits for a clean exit after closing stdin before killing; default 3 s. */
  stopTimeoutMs?: number;
  /** Wire-trace lines kept for error reports; default 20. */
  traceLines?: number;
  /** Called with each stderr chunk of the adapter (logs); default: kept, not printed. */
  onStderr?: (text: string) => void;
}

export interface RequestOptions {
  /** ADAPTER.md `seed`: hex text or bytes. */
  seed?: string | Uint8Array;
  /** ADAPTER.md `now`: unix seconds. */
  now?: number;
  /** Overrides the client's request timeout for this request. */
  timeoutMs?: number;
}

interface Pending {
  id: number;
  op: string;
  step: AdapterStep;
  resolve: (r: AdapterResponse) => void;
  reject: (e: AdapterError) => void;
  timer: NodeJS.Timeout;
}

const STDERR_KEEP = 8 * 1024;
const TRACE_WIDTH = 400;

export class AdapterClient {
  readonly options: Required<Omit<AdapterClientOptions, 'cwd' | 'env' | 'onStderr'>> & Pick<AdapterClientOptions, 'cwd' | 'env' | 'onStderr'>;
  /** The hello result, once `hello()` succeeded. */
  info: HelloResult | undefined;

  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly sent = new Set<number>();
  private nextId = 1;
  private readonly traceBuf: string[] = [];
  private stderrTail = '';
  private linesSeen = 0;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private exitWaiters: (() => void)[] = [];
  private stopping = false;

  constructor(options: AdapterClientOptions) {
    this.options = {
      args: [],
      requestTimeoutMs: 10_000,
      helloTimeoutMs: 20_000,
      stopTimeoutMs: 3_000,
      traceLines: 20,
      ...options,
    };
  }

  /** Spawn the adapter and complete hello; on any failure the process is killed and the error thrown. */
  static async start(options: AdapterClientOptions): Promise<AdapterClient> {
    const c = new AdapterClient(options);
    try {
      await c.connect();
      await c.hello();
      return c;
    } catch (e) {
      c.kill();
      throw e;
    }
  }

  /** The OS process id, while running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }
  /** True while the process runs and has not been stopped. */
  get alive(): boolean {
    return this.child !== undefined && this.exited === undefined && !this.stopping;
  }
  /** The last lines exchanged, `> ` sent and `< ` received. */
  get trace(): readonly string[] {
    return [...this.traceBuf];
  }
  /** The tail of the adapter's stderr. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Start the process. Rejects with AdapterConnectError if it cannot be spawned. */
  async connect(): Promise<void> {
    if (this.child) throw this.error('connect', 'closed', 'connect() called twice');
    const { command, args, cwd, env } = this.options;
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(command, [...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      throw this.error('connect', 'spawn-failed', `cannot start ${JSON.stringify(command)}: ${(e as Error).message}`, e);
    }
    this.child = child;
    child.stdin.on('error', () => {
      // EPIPE when the adapter is gone: its exit is reported through the 'close' handling.
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t: string) => {
      this.stderrTail = (this.stderrTail + t).slice(-STDERR_KEEP);
      this.options.onStderr?.(t);
    });
    const rl = createInterface({ input: child.stdout, crlfDelay: Infinity, terminal: false });
    rl.on('line', (line) => this.onLine(line));
    let exitTimer: NodeJS.Timeout | undefined;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.exited) return;
      if (exitTimer) clearTimeout(exitTimer);
      this.exited = { code, signal };
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      for (const p of [...this.pending.values()]) {
        const step = p.step === 'hello' && this.linesSeen === 0 ? 'connect' : p.step;
        this.settle(p, undefined, this.error(step, 'exited', `the adapter ${how} before answering ${p.op} (id ${p.id})`));
      }
      for (const w of this.exitWaiters.splice(0)) w();
    };
    // 'close' fires after stdout is drained, so answers printed just before exit are still read;
    // 'exit' plus a grace period covers a grandchild that keeps the pipes open.
    child.on('close', (code, signal) => finish(code, signal));
    child.on('exit', (code, signal) => {
      exitTimer = setTimeout(() => finish(code, signal), 500);
      exitTimer.unref();
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (e) => {
        const err = this.error('connect', 'spawn-failed', `cannot start ${JSON.stringify(command)}: ${e.message}`, e);
        this.exited ??= { code: null, signal: null };
        for (const p of [...this.pending.values()]) this.settle(p, undefined, err);
        for (const w of this.exitWaiters.splice(0)) w();
        reject(err);
      });
    });
  }

  /** ADAPTER.md `hello`: checks the protocol version and the result shape. */
  async hello(): Promise<HelloResult> {
    const res = await this.send('hello', { protocol: PROTOCOL_VERSION }, { timeoutMs: this.options.helloTimeoutMs }, 'hello');
    if (!('ok' in res) || res.ok !== true) {
      const why = 'unsupported' in res ? `unsupported: ${res.reason}` : `${res.error.class}: ${res.error.message}`;
      throw this.error('hello', 'refused', `hello was answered with ${why}`);
    }
    const info = checkHello(res.result);
    if (typeof info === 'string') throw this.error('hello', 'protocol-mismatch', info);
    this.info = info;
    return info;
  }

  /**
   * Send one request and wait for its response. Resolves with any of the three response shapes
   * (an `ok:false` answer is the adapter's verdict, not a harness failure); rejects only with
   * an {@link AdapterRunError} (or AdapterConnectError if the adapter never started).
   */
  request(op: string, args: Record<string, unknown> = {}, opts: RequestOptions = {}): Promise<AdapterResponse> {
    return this.send(op, args, opts, 'run');
  }

  private send(op: string, args: Record<string, unknown>, opts: RequestOptions, step: AdapterStep): Promise<AdapterResponse> {
    const child = this.child;
    if (!child) return Promise.reject(this.error('connect', 'closed', `request ${op} before connect()`));
    if (this.exited) {
      const { code, signal } = this.exited;
      return Promise.reject(this.error(step, 'exited', `the adapter is not running (${signal ? `killed by ${signal}` : `exit code ${code}`}); cannot send ${op}`));
    }
    if (this.stopping) return Promise.reject(this.error(step, 'closed', `the client is stopping; cannot send ${op}`));
    const id = this.nextId++;
    const req: Record<string, unknown> = { id, op, args };
    if (opts.seed !== undefined) req.seed = typeof opts.seed === 'string' ? opts.seed : toHex(opts.seed);
    if (opts.now !== undefined) req.now = opts.now;
    const line = encodeLine(req);
    const timeoutMs = opts.timeoutMs ?? this.options.requestTimeoutMs;
    return new Promise<AdapterResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        if (p) this.settle(p, undefined, this.error(step, 'timeout', `no answer to ${op} (id ${id}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { id, op, step, resolve, reject, timer });
      this.sent.add(id);
      this.record(`> ${line}`);
      child.stdin.write(line + '\n');
    });
  }

  private onLine(line: string): void {
    this.linesSeen++;
    this.record(`< ${line}`);
    if (line.trim() === '') return;
    let v: JsonValue;
    try {
      v = parseLine(line);
    } catch {
      this.failAll('garbage', `the adapter printed a line that is not JSON: ${clip(line, 120)}`);
      return;
    }
    const res = checkResponse(v);
    if (typeof res === 'string') {
      const id = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, JsonValue>).id : undefined;
      const p = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (p) this.settle(p, undefined, this.error(p.step, 'bad-response', `bad answer to ${p.op} (id ${p.id}): ${res}`));
      else this.failAll('bad-response', `the adapter printed JSON that is not a response: ${res}`);
      return;
    }
    if (res.id === null) {
      const oldest = this.pending.values().next().value as Pending | undefined;
      if (oldest) this.settle(oldest, res);
      return;
    }
    const p = this.pending.get(res.id);
    if (p) {
      this.settle(p, res);
      return;
    }
    if (this.sent.has(res.id)) return; // a late answer to a request we gave up on
    this.failAll('wrong-id', `the adapter answered id ${res.id}, which was never sent`);
  }

  private settle(p: Pending, res: AdapterResponse | undefined, err?: AdapterError): void {
    clearTimeout(p.timer);
    this.pending.delete(p.id);
    if (err) p.reject(err);
    else p.resolve(res!);
  }

  private failAll(failure: AdapterFailure, message: string): void {
    for (const p of [...this.pending.values()]) this.settle(p, undefined, this.error(p.step, failure, `${message} (while waiting for ${p.op}, id ${p.id})`));
  }

  private record(line: string): void {
    this.traceBuf.push(clip(line, TRACE_WIDTH));
    if (this.traceBuf.length > this.options.traceLines) this.traceBuf.shift();
  }

  private error(step: AdapterStep, failure: AdapterFailure, message: string, cause?: unknown): AdapterError {
    return adapterError(step, failure, message, { trace: this.trace, stderr: this.stderrTail, cause });
  }

  private waitExit(ms: number): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.exitWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /**
   * Close stdin and wait for a clean exit. An adapter that does not exit within the bound is
   * killed (SIGTERM, then SIGKILL) and an {@link AdapterStopError} is thrown; so is one that
   * exits non-zero after EOF. Safe to call more than once and after the adapter died.
   */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child) return { code: null, signal: null };
    const wasRunning = !this.exited && !this.stopping;
    this.stopping = true;
    this.failAll('closed', 'the client was stopped');
    if (!this.exited) {
      child.stdin.end();
      if (!(await this.waitExit(this.options.stopTimeoutMs))) {
        child.kill('SIGTERM');
        if (!(await this.waitExit(1_000))) {
          child.kill('SIGKILL');
          await this.waitExit(1_000);
        }
        throw this.error('stop', 'timeout', `the adapter did not exit within ${this.options.stopTimeoutMs} ms of stdin closing and was killed`);
      }
    }
    const ex = this.exited ?? { code: null, signal: null };
    if (wasRunning && ex.code !== 0 && ex.code !== null)
      throw new AdapterStopError('exited', `the adapter exited with code ${ex.code} after stdin closed`, { trace: this.trace, stderr: this.stderrTail });
    return ex;
  }

  /** Kill the process at once (no error); for cleanup paths. */
  kill(): void {
    this.stopping = true;
    this.failAll('closed', 'the client was killed');
    if (this.child && !this.exited) this.child.kill('SIGKILL');
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export { AdapterError, AdapterHelloError };
