/**
 * HTTP for suites: one request helper over undici that
 * - goes through the target's agent (trusts BM_CA_FILE, or insecure only when asked; target.ts);
 * - bounds every request by the per-request timeout (connect, headers, body, and overall);
 * - records the wire exchange in the running test's `task.meta.trace`, which the report prints
 *   for a failing test (STYLE.md: "a failure prints the wire trace");
 * - parses JSON bodies losslessly (integers beyond 2^53 stay exact `bigint`, spec/api.md §1.5);
 * - throws {@link HarnessError} when there is no answer to judge: connection refused, TLS
 *   failure, timeout, connection closed or reset without a response, a response that is not
 *   HTTP, a body labelled `application/json` that does not even begin like JSON (binary or
 *   HTML garbage: not an answer in the API's terms, spec/api.md §1.6), or (with `requireJson`)
 *   any body that is not JSON. Those become `error` verdicts. Malformed JSON that begins like
 *   JSON is an answer the test judges (Go's [double] bodies, two concatenated objects, are
 *   BM-API-003 failures, not garbage), and so is an unlabelled or `text/*` body (Go's router
 *   answers `404 page not found` as text/plain).
 *
 * An HTTP error status is an answer, never an exception: the test judges it (must.ts).
 * A test that expects a dropped connection to be a *failure* of the target (e.g. a Go handler
 * panic, BM-RES-040) passes `allowDrop: true` and gets `status: 0` back instead of an error —
 * but only when the target still answers a control request (`GET /`) on a new connection:
 * a target that drops every connection is unreachable (HarnessError), not refusing this one.
 * @module
 */
import { errors as undiciErrors, type Dispatcher } from 'undici';
import { TestRunner } from 'vitest';
import { goMarshal, parseJsonLossless, type GoValue, type JsonValue } from '../../harness/protocol/gojson.ts';
import { HarnessError } from './errors.ts';
import { watchedRequest } from './liveness.ts';
import { suiteTarget, targetAgent } from './target.ts';

export { HarnessError } from './errors.ts';

export interface HttpResponse {
  readonly method: string;
  readonly url: string;
  /** HTTP status; 0 when the connection was dropped and the request allowed that. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
  /** Body as UTF-8 text. */
  readonly text: string;
  /** Body parsed losslessly as JSON (gojson.ts), or `undefined` when it is not JSON. */
  readonly json: JsonValue | undefined;
  /** Why the body is not JSON (parse error), when it is not. */
  readonly jsonError: string | undefined;
  /** Milliseconds from sending to the end of the body. */
  readonly ms: number;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** JSON body, serialised the way Go's encoding/json does (gojson.ts); sets content-type. */
  json?: GoValue;
  /** Raw body (sent as given; no content-type unless in `headers`). */
  body?: string | Uint8Array;
  /** Shorthand for `authorization: Bearer <token>`. */
  bearer?: string;
  /** Override the per-request bound (ms). */
  timeoutMs?: number;
  /** A body that is not JSON is a HarnessError (`garbage`) instead of an answer to judge. */
  requireJson?: boolean;
  /** A connection closed without an answer returns `status: 0` instead of throwing. */
  allowDrop?: boolean;
  /** Dispatcher to use instead of the target agent. */
  dispatcher?: Dispatcher;
}

const TRACE_LINE_MAX = 600;
const TRACE_MAX_LINES = 200;
const BODY_MAX = 32 * 1024 * 1024;

function clip(s: string, n = TRACE_LINE_MAX): string {
  const one = s.replace(/\r?\n\s*/g, ' ');
  return one.length > n ? `${one.slice(0, n)}… (${one.length} chars)` : one;
}

/**
 * Append lines to the running test's `task.meta.trace` (newest last). Outside a test (in a
 * `beforeAll`) the lines are dropped: setup failures carry their own message.
 */
export function trace(...lines: string[]): void {
  const t = TestRunner.getCurrentTest();
  if (!t) return;
  const meta = t.meta as Record<string, unknown>;
  const list = Array.isArray(meta.trace) ? (meta.trace as string[]) : [];
  for (const l of lines) list.push(clip(l));
  if (list.length > TRACE_MAX_LINES) list.splice(0, list.length - TRACE_MAX_LINES);
  meta.trace = list;
}

function bodyPreview(b: string | Uint8Array): string {
  if (typeof b === 'string') return b;
  const text = Buffer.from(b).toString('utf8');
  // Binary bodies (ciphertext) are shown by size, text bodies as text.
  return /[\x00-\x08\x0e-\x1f]|\ufffd/.test(text) ? `<${b.length} bytes>` : text;
}

function codeOf(e: unknown): string {
  const c = (e as { code?: unknown })?.code ?? (e as { cause?: { code?: unknown } })?.cause?.code;
  return typeof c === 'string' ? c : '';
}

/** Map a thrown transport error to the harness step it stands for. */
function classify(e: unknown): 'connect' | 'timeout' | 'closed' | 'garbage' {
  const code = codeOf(e);
  const name = (e as Error)?.name ?? '';
  if (e instanceof undiciErrors.ConnectTimeoutError || e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) return 'timeout';
  if (name === 'TimeoutError' || name === 'AbortError' || /TIMEOUT/.test(code)) return 'timeout';
  if (e instanceof undiciErrors.SocketError || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'closed';
  if (/HPE_|PARSER/.test(code) || name === 'HTTPParserError' || e instanceof undiciErrors.ResponseContentLengthMismatchError) return 'garbage';
  return 'connect';
}

function describeError(e: unknown): string {
  const code = codeOf(e);
  const msg = (e as Error)?.message ?? String(e);
  const cause = (e as { cause?: Error })?.cause;
  return `${msg}${code && !msg.includes(code) ? ` (${code})` : ''}${cause?.message && cause.message !== msg ? `: ${cause.message}` : ''}`;
}

/**
 * One HTTP request to the target.
 * @param url absolute URL; the path is sent exactly as given (no normalisation of `.`/`..`)
 * @throws HarnessError when no answer could be obtained (see the module doc)
 * @throws TargetDead when the target stopped answering earlier in the run (liveness.ts)
 */
export async function request(method: string, url: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  return watchedRequest(url, opts.dispatcher ?? targetAgent(), opts.timeoutMs ?? suiteTarget().requestTimeoutMs, () => requestOnce(method, url, opts));
}

async function requestOnce(method: string, url: string, opts: RequestOptions): Promise<HttpResponse> {
  const m = /^(https?:\/\/[^/?#]+)(.*)$/s.exec(url);
  if (!m) throw new TypeError(`request: url: expected an absolute http(s) URL, got ${url}`);
  const target = suiteTarget();
  const timeoutMs = opts.timeoutMs ?? target.requestTimeoutMs;
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  let body: string | Uint8Array | undefined = opts.body;
  if (opts.json !== undefined) {
    body = goMarshal(opts.json);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  if (opts.bearer !== undefined) headers.authorization = `Bearer ${opts.bearer}`;

  trace(`> ${method} ${url}`);
  for (const [k, v] of Object.entries(headers)) trace(`> ${k}: ${v}`);
  if (body !== undefined) trace(`> ${bodyPreview(body)}`);

  const started = performance.now();
  let status: number;
  let resHeaders: Record<string, string | string[] | undefined>;
  let bytes: Uint8Array;
  try {
    const res = await (opts.dispatcher ?? targetAgent(target)).request({
      origin: m[1]!,
      path: m[2] || '/',
      method: method as Dispatcher.HttpMethod,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : Buffer.from(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.statusCode;
    resHeaders = res.headers;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > BODY_MAX) {
        res.body.destroy();
        throw new HarnessError('garbage', `${method} ${url}: response body larger than ${BODY_MAX} bytes`);
      }
      chunks.push(c as Buffer);
    }
    bytes = new Uint8Array(Buffer.concat(chunks));
  } catch (e) {
    if (e instanceof HarnessError) throw e;
    const step = classify(e);
    trace(`< (no answer: ${step}: ${describeError(e)})`);
    if (step === 'closed' && opts.allowDrop) {
      const ms = performance.now() - started;
      // The drop is this request's answer only if the target is otherwise alive.
      const alive = await controlAnswers(m[1]!, opts.dispatcher ?? targetAgent(target), timeoutMs);
      if (alive !== true) {
        throw new HarnessError('closed', `${method} ${url}: ${describeError(e)}; and the target does not answer a control request (GET /) either (${alive}), so the drop says nothing about this request`, { cause: e });
      }
      return { method, url, status: 0, headers: {}, body: new Uint8Array(0), text: '', json: undefined, jsonError: 'connection closed', ms };
    }
    const what = step === 'timeout' ? `no answer within ${timeoutMs} ms` : describeError(e);
    throw new HarnessError(step, `${method} ${url}: ${what}`, { cause: e });
  }
  const ms = performance.now() - started;
  const text = Buffer.from(bytes).toString('utf8');
  let json: JsonValue | undefined;
  let jsonError: string | undefined;
  try {
    json = parseJsonLossless(text);
  } catch (e) {
    jsonError = (e as Error).message;
  }
  const ct = resHeaders['content-type'];
  trace(`< ${status}${ct ? ` (${String(ct)})` : ''} ${Math.round(ms)} ms`, `< ${bodyPreview(bytes)}`);
  if (opts.requireJson && json === undefined) {
    throw new HarnessError('garbage', `${method} ${url}: answered ${status} with a body that is not JSON (${jsonError}): ${clip(text, 200)}`);
  }
  if (json === undefined && declaresJson(ct) && !beginsLikeJson(text)) {
    throw new HarnessError('garbage', `${method} ${url}: answered ${status} with a body labelled ${String(ct)} that is not JSON (${jsonError}): ${clip(bodyPreview(bytes), 200)}`);
  }
  return { method, url, status, headers: resHeaders, body: bytes, text, json, jsonError, ms };
}

/** `application/json`, `application/problem+json`, … (parameters such as charset ignored). */
function declaresJson(ct: string | string[] | undefined): boolean {
  const v = Array.isArray(ct) ? ct[0] : ct;
  return typeof v === 'string' && /^\s*application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(v);
}

/** Empty, or starts (after whitespace) with a character a JSON value can start with. */
function beginsLikeJson(text: string): boolean {
  return /^\s*(?:$|[{["\-0-9tfn])/.test(text);
}

/**
 * Whether the target answers `GET /` at `origin` on a fresh request: `true`, or why not. Any
 * HTTP status counts (a resolver without a `/` route answers 404, which is an answer).
 */
async function controlAnswers(origin: string, dispatcher: Dispatcher, timeoutMs: number): Promise<true | string> {
  try {
    const res = await dispatcher.request({ origin, path: '/', method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs), reset: true });
    await res.body.dump();
    trace(`(control GET ${origin}/ answered ${res.statusCode}: the drop was this request's answer)`);
    return true;
  } catch (e) {
    trace(`(control GET ${origin}/: no answer either: ${describeError(e)})`);
    return `${classify(e)}: ${describeError(e)}`;
  }
}

export const get = (url: string, opts?: RequestOptions) => request('GET', url, opts);
export const post = (url: string, opts?: RequestOptions) => request('POST', url, opts);
export const del = (url: string, opts?: RequestOptions) => request('DELETE', url, opts);

/** A header value as one string (first of a repeated header), or undefined. */
export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
