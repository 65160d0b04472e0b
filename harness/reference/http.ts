/**
 * A small HTTP(S) framework for the reference mail server and key resolver, on node:http /
 * node:https only. It owns the things every endpoint needs and none should get wrong: routing
 * with path parameters, body size limits, JSON error bodies, a catch-all so no handler failure
 * crashes the process or drops a connection unanswered, timeouts and keep-alive.
 *
 * Behaviour of the router, modelled on gorilla/mux as spec/api.md §2.2 describes it:
 * - Patterns are `/`-separated; a segment is literal text or `{name}` (any one segment) or
 *   `{name:regex}` (the regex must match the whole decoded segment, as mux anchors it).
 * - Routes are tried in registration order; the first whose path and method match wins.
 * - The path matches a route but the method does not → `405` with an `Allow` header. No special
 *   HEAD/OPTIONS handling (→ 405), as in mux.
 * - No route matches → `404`.
 * - Trailing slash with `strictSlash` (default on, mux `StrictSlash(true)`): if the path without
 *   the slash matches a route → `301` with `Location` without the slash (query kept).
 * Where we differ from Go on purpose (a conformance reference answers every error in JSON):
 * - 404 / 405 / 301 carry a JSON error body in the server's error shape (Go: text / empty body).
 * - Path tricks are refused with `400` before routing: empty segments (`//`), `.` / `..`
 *   segments (raw or percent-encoded), a percent-encoded `/` or `\` or NUL inside a segment, or
 *   malformed percent escapes. (Go cleans the path and redirects; mux then decodes `%2F` into a
 *   separator.) So a `{param}` value never contains `/`, `\`, NUL, and is never `.` or `..`.
 *
 * Bodies: read fully into memory up to the route's `maxBodyBytes` (server default
 * {@link DEFAULT_LIMITS}.maxBodyBytes = 1 MiB). A `Content-Length` above the limit is refused
 * with `413` before any body byte is kept; a chunked body is read until it passes the limit,
 * then `413`. Handlers get the bytes and decide what they mean; {@link parseJsonBody} turns
 * them into a lossless JSON value (uint64 stays exact as bigint) or throws a 400 {@link HttpError}.
 *
 * Early error answers (a request target that is not a path, a path trick → 400, no route → 404,
 * wrong method → 405, trailing slash → 301) keep the connection alive: a small body (declared
 * or chunked, up to `maxDiscardBytes`, default 256 KiB as Go's net/http) is read and thrown
 * away without being kept in memory, then the answer goes out.
 *
 * Answers that close the connection (413, an early answer to a body declared larger than
 * `maxDiscardBytes`, a chunked body past it, malformed HTTP) close with a linger (linger.ts):
 * half-close, keep draining what the client still sends within time and byte bounds, then
 * close. A plain close with unread bytes would be a reset, which can destroy the answer in the
 * client's receive buffer before the client reads it. Requests pipelined behind a closing
 * answer are never run; a malformed request pipelined behind a valid one gets its 400 after
 * the valid one's answer.
 *
 * Errors: a handler returns a response or throws. `HttpError(status, message)` becomes that
 * status with the server's error body; any other exception becomes `500` (message
 * "internal server error", details go to `onError`). The error body shape is a per-server
 * {@link ErrorFormat}: {@link mailErrorFormat} = `{"error":true,"status":msg}` (spec/api.md
 * §1.6 mail server), {@link resolverErrorFormat} = `{"message":msg,"status":"error"}` indented
 * (§1.6 key resolver).
 *
 * Timeouts: `headersTimeoutMs` (default 10 s) and `requestTimeoutMs` (default 30 s) are node's
 * server timeouts (node answers 408 and closes); `handlerTimeoutMs` (default 30 s) bounds a
 * handler's promise → `503` JSON. Keep-alive is on (`keepAliveTimeoutMs`, default 5 s).
 *
 * @example
 * ```ts
 * import { Router, startHttpServer, HttpError, parseJsonBody, resolverErrorFormat } from './http.ts';
 * const r = new Router({ errorFormat: resolverErrorFormat });
 * r.get('/address/{hash}', (req, p) => ({ status: 200, json: { hash: p.hash } }));
 * r.post('/address/{hash}', (req, p, body) => {
 *   const v = parseJsonBody(body, 'invalid data');          // 400 {"message":"invalid data",…}
 *   if (typeof v !== 'object') throw new HttpError(400, 'invalid data');
 *   return { status: 201, json: { message: 'created', status: 'ok' }, indent: '  ' };
 * }, { maxBodyBytes: 64 * 1024 });
 * const srv = await startHttpServer(r, { host: '127.0.0.1', port: 0, tls: { cert, key } });
 * console.log(srv.url); await srv.close();
 * ```
 * @module
 */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { BitMaelumError } from '../protocol/errors.ts';
import { goMarshal, goMarshalIndent, parseJsonLossless, type GoValue, type JsonValue } from '../protocol/gojson.ts';
import { DEFAULT_LINGER, afterInFlight, closeAfterAnswer, isClosing, lingerClose, type LingerLimits } from './linger.ts';

// ---------------------------------------------------------------------------------------------
// Requests, responses, errors

/** What a handler sees of the request. */
export interface HttpRequest {
  readonly method: string;
  /** Raw (still percent-encoded) path, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names (node's IncomingHttpHeaders). */
  readonly headers: http.IncomingHttpHeaders;
  /** Name of the matched route, if it was given one. */
  readonly routeName?: string;
  readonly remoteAddress?: string;
  /** The node request, for the rare handler that needs it (do not read its body). */
  readonly raw: http.IncomingMessage;
}

/** What a handler returns. Exactly one of `json`, `bytes`, `text` (or none for an empty body). */
export interface HttpResponse {
  status: number;
  /** Serialised with Go-JSON rules (gojson.ts): insertion order, bigint exact, HTML escaping. */
  json?: GoValue;
  /** Indent for `json` (e.g. `'  '` for the resolver's pretty output); compact if absent. */
  indent?: string;
  /** Append `\n` after the JSON text (Go's `json.NewEncoder(w).Encode` does). */
  trailingNewline?: boolean;
  bytes?: Uint8Array;
  text?: string;
  headers?: Record<string, string | string[]>;
}

export type PathParams = Record<string, string>;
export type Handler = (req: HttpRequest, params: PathParams, body: Uint8Array) => HttpResponse | Promise<HttpResponse>;

/** Throw from a handler to answer `status` with the server's JSON error body. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers?: Record<string, string>;
  constructor(status: number, message: string, headers?: Record<string, string>) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    if (headers) this.headers = headers;
  }
}

/** Turns (status, message) into the server's error response. */
export type ErrorFormat = (status: number, message: string) => HttpResponse;

/** Mail server error body, spec/api.md §1.6: `{"error":true,"status":"<message>"}`. */
export const mailErrorFormat: ErrorFormat = (status, message) => ({ status, json: { error: true, status: message } });

/** Key resolver error body, spec/api.md §1.6: `{"message":"<msg>","status":"error"}`, 2-space indent. */
export const resolverErrorFormat: ErrorFormat = (status, message) => ({
  status,
  json: { message, status: 'error' },
  indent: '  ',
});

/**
 * Parse a JSON body losslessly (integers above 2^53 become bigint). Empty body, invalid UTF-8,
 * invalid JSON, or trailing bytes → `HttpError(400, message)`; `message` defaults to
 * `"malformed JSON: <reason>"`.
 */
export function parseJsonBody(body: Uint8Array, message?: string): JsonValue {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, message ?? 'malformed JSON: invalid UTF-8');
  }
  if (text.trim() === '') throw new HttpError(400, message ?? 'malformed JSON: empty body');
  try {
    return parseJsonLossless(text);
  } catch (e) {
    throw new HttpError(400, message ?? `malformed JSON: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Router

export interface RouteOptions {
  /** Body limit for this route in bytes (default: the server's `maxBodyBytes`). */
  maxBodyBytes?: number;
  /** A name handlers and middleware can see (`req.routeName`), like mux route names. */
  name?: string;
}

interface Segment {
  literal?: string;
  param?: string;
  re?: { test(value: string): boolean };
}

interface Route {
  method: string;
  pattern: string;
  segments: Segment[];
  handler: Handler;
  opts: RouteOptions;
}

export interface RouterOptions {
  errorFormat?: ErrorFormat;
  /**
   * Last word on every answer a handler returned (not on errors): e.g. the mail server's
   * `?pretty=1`, which Go's middleware applies to handler (`JSONOut`) bodies only.
   */
  finish?: (req: HttpRequest, res: HttpResponse) => HttpResponse;
  /** Sees every routed request with its body before the handler runs (a test peer's wire log). */
  observe?: (req: HttpRequest, body: Uint8Array) => void;
  /** mux `StrictSlash(true)`: trailing slash → 301 to the path without it. Default true. */
  strictSlash?: boolean;
  /**
   * Named segment checks for patterns `{name:@matcher}`, asked on every request (so a reference
   * fault switch can loosen one while the server runs).
   */
  matchers?: Record<string, (value: string) => boolean>;
}

/** Result of {@link Router.match}. */
export type RouteMatch =
  | { kind: 'route'; route: Route; params: PathParams }
  | { kind: 'method'; allow: string[] }
  | { kind: 'redirect'; location: string }
  | { kind: 'bad-path'; message: string }
  | { kind: 'none' };

function compile(pattern: string, matchers: Record<string, (value: string) => boolean>): Segment[] {
  if (!pattern.startsWith('/')) throw new Error(`route pattern must start with '/': ${pattern}`);
  if (pattern === '/') return [];
  return pattern
    .slice(1)
    .split('/')
    .map((s) => {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*)(?::(.+))?\}$/.exec(s);
      if (!m) {
        if (s.includes('{') || s === '') throw new Error(`bad route segment '${s}' in ${pattern}`);
        return { literal: s };
      }
      if (m[2]?.startsWith('@')) {
        const check = matchers[m[2].slice(1)];
        if (!check) throw new Error(`unknown segment matcher '${m[2]}' in ${pattern}`);
        return { param: m[1]!, re: { test: check } };
      }
      return { param: m[1]!, re: new RegExp(`^(?:${m[2] ?? '[^/]+'})$`) };
    });
}

/**
 * Split a raw path into decoded segments, refusing the path tricks listed in the module doc.
 * Returns a string error message for a bad path.
 */
function splitPath(rawPath: string): string[] | string {
  if (!rawPath.startsWith('/')) return 'invalid path';
  if (rawPath === '/') return [];
  const parts = rawPath.slice(1).split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '') {
      if (i === parts.length - 1) { out.push(''); continue; } // trailing slash, handled by the caller
      return 'invalid path: empty segment';
    }
    let d: string;
    try {
      d = decodeURIComponent(p);
    } catch {
      return 'invalid path: bad percent-encoding';
    }
    if (d === '.' || d === '..') return 'invalid path: dot segment';
    if (d.includes('/') || d.includes('\\') || d.includes('\0')) return 'invalid path: encoded separator';
    out.push(d);
  }
  return out;
}

export class Router {
  readonly errorFormat: ErrorFormat;
  readonly strictSlash: boolean;
  readonly finish: (req: HttpRequest, res: HttpResponse) => HttpResponse;
  readonly observe: ((req: HttpRequest, body: Uint8Array) => void) | undefined;
  private readonly routes: Route[] = [];
  private readonly matchers: Record<string, (value: string) => boolean>;

  constructor(opts: RouterOptions = {}) {
    this.errorFormat = opts.errorFormat ?? mailErrorFormat;
    this.finish = opts.finish ?? ((_req, res) => res);
    this.observe = opts.observe;
    this.strictSlash = opts.strictSlash ?? true;
    this.matchers = opts.matchers ?? {};
  }

  handle(method: string, pattern: string, handler: Handler, opts: RouteOptions = {}): this {
    this.routes.push({ method: method.toUpperCase(), pattern, segments: compile(pattern, this.matchers), handler, opts });
    return this;
  }
  get(pattern: string, handler: Handler, opts?: RouteOptions): this { return this.handle('GET', pattern, handler, opts); }
  post(pattern: string, handler: Handler, opts?: RouteOptions): this { return this.handle('POST', pattern, handler, opts); }
  put(pattern: string, handler: Handler, opts?: RouteOptions): this { return this.handle('PUT', pattern, handler, opts); }
  delete(pattern: string, handler: Handler, opts?: RouteOptions): this { return this.handle('DELETE', pattern, handler, opts); }

  /** Match a method and raw path (no query). Pure; exported for tests and for composing routers. */
  match(method: string, rawPath: string, rawQuery = ''): RouteMatch {
    const segs = splitPath(rawPath);
    if (typeof segs === 'string') return { kind: 'bad-path', message: segs };
    const trailing = segs.length > 0 && segs[segs.length - 1] === '';
    const path = trailing ? segs.slice(0, -1) : segs;
    if (trailing) {
      // The empty last segment never matches a pattern (patterns have no empty segments).
      if (this.strictSlash && this.matchPath(path).length > 0) {
        return { kind: 'redirect', location: rawPath.replace(/\/+$/, '') + (rawQuery ? `?${rawQuery}` : '') };
      }
      return { kind: 'none' };
    }
    const hits = this.matchPath(path);
    if (hits.length === 0) return { kind: 'none' };
    const m = method.toUpperCase();
    const hit = hits.find((h) => h.route.method === m);
    if (hit) return { kind: 'route', route: hit.route, params: hit.params };
    return { kind: 'method', allow: [...new Set(hits.map((h) => h.route.method))] };
  }

  private matchPath(path: string[]): { route: Route; params: PathParams }[] {
    const out: { route: Route; params: PathParams }[] = [];
    for (const route of this.routes) {
      if (route.segments.length !== path.length) continue;
      const params: PathParams = Object.create(null);
      let ok = true;
      for (let i = 0; i < path.length && ok; i++) {
        const s = route.segments[i]!;
        const v = path[i]!;
        if (s.literal !== undefined) ok = s.literal === v;
        else if (s.re!.test(v)) params[s.param!] = v;
        else ok = false;
      }
      if (ok) out.push({ route, params: { ...params } });
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Server

export const DEFAULT_LIMITS = {
  /** Default body limit per request (routes may override). */
  maxBodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  handlerTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  /** Largest body read and dropped to keep a connection alive after an early error answer (Go's 256 KiB). */
  maxDiscardBytes: 256 * 1024,
  /** Max header bytes node accepts (node's `maxHeaderSize`). */
  maxHeaderBytes: 16 * 1024,
} as const;

export interface ServerOptions {
  host?: string;
  /** 0 = pick a free port. */
  port?: number;
  /** PEM certificate chain and key: HTTPS. Without it: plain HTTP (tests of the framework only). */
  tls?: { cert: string; key: string };
  maxBodyBytes?: number;
  /** Bound on a body read and dropped before an early error answer (404/405/400/301). */
  maxDiscardBytes?: number;
  /** Bounds of the lingering close after a `connection: close` answer (linger.ts). */
  linger?: Partial<LingerLimits>;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  handlerTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  maxHeaderBytes?: number;
  /** Called with every unexpected handler exception (→ 500). Default: ignore. */
  onError?: (err: unknown, req: HttpRequest) => void;
}

export interface RunningServer {
  readonly server: http.Server;
  readonly host: string;
  readonly port: number;
  /** `https://127.0.0.1:<port>` (IPv6 hosts in brackets). */
  readonly url: string;
  /** Stop listening, close idle and active connections. Idempotent. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onErr);
      req.off('aborted', onAbort);
      if (err) {
        req.pause();
        reject(err);
      } else resolve(new Uint8Array(Buffer.concat(chunks)));
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) finish(new BodyTooLarge());
      else chunks.push(c);
    };
    const onEnd = () => finish(null);
    const onErr = (e: Error) => finish(e);
    const onAbort = () => finish(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onErr);
    req.on('aborted', onAbort);
  });
}

/**
 * Read and drop a request body, keeping nothing. Resolves true once the body ended within
 * `limit` bytes, false when it ran past `limit`, failed or was aborted (the stream is then
 * paused and the caller must close the connection).
 */
function discardBody(req: http.IncomingMessage, limit: number): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    let size = 0;
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onFail);
      req.off('aborted', onFail);
      if (!ok) req.pause();
      resolve(ok);
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) finish(false);
    };
    const onEnd = () => finish(true);
    const onFail = () => finish(false);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onFail);
    req.on('aborted', onFail);
  });
}

function render(r: HttpResponse): { status: number; headers: Record<string, string | string[]>; body: Buffer } {
  const headers: Record<string, string | string[]> = {};
  let body: Buffer;
  if (r.json !== undefined) {
    const text = (r.indent !== undefined ? goMarshalIndent(r.json, r.indent) : goMarshal(r.json)) + (r.trailingNewline ? '\n' : '');
    body = Buffer.from(text, 'utf8');
    headers['content-type'] = 'application/json';
  } else if (r.bytes !== undefined) {
    body = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
    headers['content-type'] = 'application/octet-stream';
  } else if (r.text !== undefined) {
    body = Buffer.from(r.text, 'utf8');
    headers['content-type'] = 'text/plain; charset=utf-8';
  } else body = Buffer.alloc(0);
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  const status = Number.isInteger(r.status) && r.status >= 100 && r.status <= 599 ? r.status : 500;
  return { status, headers, body };
}

/**
 * The request listener: route, read the body within limits, run the handler, answer. Exported
 * so a caller can mount it on its own server; {@link startHttpServer} is the usual entry.
 */
export function createRequestListener(router: Router, opts: ServerOptions = {}): http.RequestListener {
  const maxBody = opts.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes;
  const maxDiscard = opts.maxDiscardBytes ?? DEFAULT_LIMITS.maxDiscardBytes;
  const handlerTimeout = opts.handlerTimeoutMs ?? DEFAULT_LIMITS.handlerTimeoutMs;
  const linger: LingerLimits = { ...DEFAULT_LINGER, ...(opts.linger ?? {}) };
  const fmt = router.errorFormat;

  return (req, res) => {
    // Pipelined behind an answer that closes the connection: never run (its answer could not
    // be delivered); its bytes are drained with the rest.
    if (isClosing(req.socket)) {
      req.resume();
      return;
    }
    let answered = false;
    const hasUnreadBody = () => !req.complete && (req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined);
    const send = (r: HttpResponse, closeAfter = false) => {
      if (answered || res.headersSent || res.destroyed) return;
      answered = true;
      let out;
      try {
        out = render(r);
      } catch {
        out = render(fmt(500, 'internal server error'));
      }
      if (closeAfter) {
        out.headers['connection'] = 'close';
        // The unwanted rest of the body is drained, not kept, and the close lingers so the
        // client can finish writing and still read this answer (linger.ts).
        closeAfterAnswer(req, res, linger);
      }
      out.headers['content-length'] = String(out.body.length);
      try {
        res.writeHead(out.status, out.headers);
        res.end(req.method === 'HEAD' ? undefined : out.body);
      } catch {
        res.destroy();
      }
    };
    const sendError = (status: number, message: string, extraHeaders?: Record<string, string>) => {
      const r = fmt(status, message);
      if (extraHeaders) r.headers = { ...(r.headers ?? {}), ...extraHeaders };
      send(r, hasUnreadBody());
    };
    /**
     * An answer decided before the body was wanted: drop a small body first so the connection
     * stays usable; a declared-large one is left unread (sendError then closes the connection).
     */
    const sendEarlyError = async (status: number, message: string, extraHeaders?: Record<string, string>) => {
      const cl = req.headers['content-length'];
      if (!req.complete && (cl === undefined || (/^\d+$/.test(cl) && Number(cl) <= maxDiscard))) {
        await discardBody(req, maxDiscard);
      }
      sendError(status, message, extraHeaders);
    };

    const hreq: { -readonly [K in keyof HttpRequest]: HttpRequest[K] } = {
      method: req.method ?? 'GET',
      path: '/',
      query: new URLSearchParams(),
      headers: req.headers,
      raw: req,
    };
    if (req.socket.remoteAddress) hreq.remoteAddress = req.socket.remoteAddress;
    req.on('error', () => { /* a client that resets mid-body must not crash us */ });

    void (async () => {
      try {
        const rawUrl = req.url ?? '/';
        if (!rawUrl.startsWith('/')) return await sendEarlyError(400, 'invalid request target');
        const q = rawUrl.indexOf('?');
        const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
        const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
        hreq.path = rawPath;
        hreq.query = new URLSearchParams(rawQuery);
        const m = router.match(hreq.method, rawPath, rawQuery);
        switch (m.kind) {
          case 'bad-path': return await sendEarlyError(400, m.message);
          case 'none': return await sendEarlyError(404, 'not found');
          case 'method': return await sendEarlyError(405, 'method not allowed', { allow: m.allow.join(', ') });
          case 'redirect': return await sendEarlyError(301, 'moved permanently', { location: m.location });
          case 'route': break;
        }
        const { route, params } = m;
        if (route.opts.name) hreq.routeName = route.opts.name;
        const limit = route.opts.maxBodyBytes ?? maxBody;
        const cl = req.headers['content-length'];
        if (cl !== undefined && (!/^\d+$/.test(cl) || Number(cl) > limit)) {
          return sendError(/^\d+$/.test(cl) ? 413 : 400, /^\d+$/.test(cl) ? `request body too large (limit ${limit} bytes)` : 'invalid content-length');
        }
        let body: Uint8Array;
        try {
          body = await readBody(req, limit);
        } catch (e) {
          if (e instanceof BodyTooLarge) return sendError(413, `request body too large (limit ${limit} bytes)`);
          return sendError(400, 'could not read request body');
        }
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new HttpError(503, 'handler timed out')), handlerTimeout);
        });
        try {
          try { router.observe?.(hreq, body); } catch { /* an observer must not change the answer */ }
          const r = await Promise.race([Promise.resolve().then(() => route.handler(hreq, params, body)), timeout]);
          if (!r || typeof r !== 'object' || typeof r.status !== 'number') throw new Error('handler returned no response');
          send(router.finish(hreq, r));
        } finally {
          clearTimeout(timer);
        }
      } catch (e) {
        if (e instanceof HttpError) return sendError(e.status, e.message, e.headers);
        if (e instanceof BitMaelumError && e.errorClass !== 'Internal') return sendError(400, e.message);
        try { opts.onError?.(e, hreq); } catch { /* a failing logger must not stop the answer */ }
        return sendError(500, 'internal server error');
      }
    })().catch(() => {
      // Last resort: never leave a request unanswered.
      if (!answered) {
        try { res.destroy(); } catch { /* nothing left to do */ }
      }
    });
  };
}

/** Start an HTTP(S) server for `router`. Resolves once listening. */
export async function startHttpServer(router: Router, opts: ServerOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const listener = createRequestListener(router, opts);
  const common: http.ServerOptions = {
    maxHeaderSize: opts.maxHeaderBytes ?? DEFAULT_LIMITS.maxHeaderBytes,
    requestTimeout: opts.requestTimeoutMs ?? DEFAULT_LIMITS.requestTimeoutMs,
    headersTimeout: opts.headersTimeoutMs ?? DEFAULT_LIMITS.headersTimeoutMs,
    keepAlive: true,
    keepAliveTimeout: opts.keepAliveTimeoutMs ?? DEFAULT_LIMITS.keepAliveTimeoutMs,
    // node checks header/request timeouts on this interval (default 30 s): make it fine enough
    // that the configured timeouts mean what they say.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor((opts.headersTimeoutMs ?? DEFAULT_LIMITS.headersTimeoutMs) / 4))),
  };
  const server: http.Server = opts.tls
    ? https.createServer({ ...common, cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, listener)
    : http.createServer(common, listener);
  // headersTimeout must not exceed requestTimeout (node rule); keep both as configured.
  const linger: LingerLimits = { ...DEFAULT_LINGER, ...(opts.linger ?? {}) };
  server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
    // Malformed HTTP (bad request line, oversized headers, timeout): answer 400/431/408 in JSON,
    // after every answer already owed on this connection (a valid request pipelined before the
    // garbage keeps its answer), then close with a linger so the answer is not reset away.
    if (isClosing(socket)) return;
    if (!socket.writable) { socket.destroy(); return; }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const r = render(router.errorFormat(status, status === 431 ? 'request header fields too large' : status === 408 ? 'request timeout' : 'bad request'));
    const head = `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: ${r.headers['content-type']}\r\ncontent-length: ${r.body.length}\r\nconnection: close\r\n\r\n`;
    afterInFlight(socket, () => {
      if (!socket.writable) { socket.destroy(); return; }
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), r.body]));
      lingerClose(socket, linger);
    });
  });
  if (opts.tls) server.on('tlsClientError', () => { /* handshake failures are the client's problem */ });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    server,
    host,
    port,
    url: `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
