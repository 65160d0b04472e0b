/**
 * The request listener of the reference servers: for each request, route it (router.ts), read
 * its body within limits, run the handler, and answer — errors in the server's error body
 * (error-formats.ts). Mounted on a server by http.ts.
 *
 * Bodies: read fully into memory up to the route's `maxBodyBytes` (default
 * {@link LISTENER_DEFAULTS}.maxBodyBytes = 1 MiB). A `Content-Length` above the limit is
 * refused with `413` before any body byte is kept; a chunked body is read until it passes the
 * limit, then `413`. Handlers get the bytes and decide what they mean (handler.ts
 * `parseJsonBody`).
 *
 * Early error answers (a request target that is not a path, a path trick → 400, no route → 404,
 * wrong method → 405, trailing slash → 301) keep the connection alive: a small body (declared
 * or chunked, up to `maxDiscardBytes`, default 256 KiB as Go's net/http) is read and thrown
 * away without being kept in memory, then the answer goes out.
 *
 * Answers that close the connection (413, an early answer to a body declared larger than
 * `maxDiscardBytes`, a chunked body past it) close with a linger (linger.ts): half-close, keep
 * draining what the client still sends within time and byte bounds, then close. A plain close
 * with unread bytes would be a reset, which can destroy the answer in the client's receive
 * buffer before the client reads it. Requests pipelined behind a closing answer are never run.
 *
 * Errors: `HttpError(status, message)` becomes that status with the server's error body; a
 * typed BitMaelumError (not `Internal`) becomes `400`; any other exception becomes `500`
 * (message "internal server error", details go to `onError`). A handler's promise is bounded by
 * `handlerTimeoutMs` (default 30 s) → `503`.
 * @module
 */
import type http from 'node:http';
import { BitMaelumError } from '../protocol/errors.ts';
import { goMarshal, goMarshalIndent } from '../protocol/gojson.ts';
import { HttpError, type HttpRequest, type HttpResponse } from './handler.ts';
import type { Router } from './router.ts';
import { DEFAULT_LINGER, closeAfterAnswer, isClosing, type LingerLimits } from './linger.ts';

/** Defaults of the request listener (the server's options may override them; routes the body limit). */
export const LISTENER_DEFAULTS = {
  /** Default body limit per request (routes may override). */
  maxBodyBytes: 1024 * 1024,
  handlerTimeoutMs: 30_000,
  /** Largest body read and dropped to keep a connection alive after an early error answer (Go's 256 KiB). */
  maxDiscardBytes: 256 * 1024,
} as const;

/** What the request listener is configured with (a part of http.ts `ServerOptions`). */
export interface ListenerOptions {
  maxBodyBytes?: number;
  /** Bound on a body read and dropped before an early error answer (404/405/400/301). */
  maxDiscardBytes?: number;
  /** Bounds of the lingering close after a `connection: close` answer (linger.ts). */
  linger?: Partial<LingerLimits>;
  handlerTimeoutMs?: number;
  /** Called with every unexpected handler exception (→ 500). Default: ignore. */
  onError?: (err: unknown, req: HttpRequest) => void;
}

class BodyTooLarge extends Error {}

/**
 * Consume a request body up to `limit` bytes, handing each chunk to `keep` (if given). Settles
 * once: `ended` within the limit, `too-large` past it, or the stream's error (`aborted` as
 * "request aborted"). On anything but `ended` the stream is paused: the caller must answer and
 * close the connection.
 */
function consumeBody(req: http.IncomingMessage, limit: number, keep?: (chunk: Buffer) => void): Promise<'ended' | 'too-large' | Error> {
  return new Promise((resolve) => {
    let size = 0;
    let done = false;
    const finish = (outcome: 'ended' | 'too-large' | Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onErr);
      req.off('aborted', onAbort);
      if (outcome !== 'ended') req.pause();
      resolve(outcome);
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) finish('too-large');
      else keep?.(c);
    };
    const onEnd = () => finish('ended');
    const onErr = (e: Error) => finish(e);
    const onAbort = () => finish(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onErr);
    req.on('aborted', onAbort);
  });
}

/** The whole request body; rejects with {@link BodyTooLarge} past `limit`, or the stream's error. */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  const outcome = await consumeBody(req, limit, (c) => chunks.push(c));
  if (outcome === 'too-large') throw new BodyTooLarge();
  if (outcome instanceof Error) throw outcome;
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Read and drop a request body, keeping nothing. Resolves true once the body ended within
 * `limit` bytes, false when it ran past `limit`, failed or was aborted (the stream is then
 * paused and the caller must close the connection).
 */
async function discardBody(req: http.IncomingMessage, limit: number): Promise<boolean> {
  if (req.complete) return true;
  return (await consumeBody(req, limit)) === 'ended';
}

/** The status, headers and bytes of a handler's answer (a JSON body Go-marshalled, gojson.ts). */
export function renderResponse(r: HttpResponse): { status: number; headers: Record<string, string | string[]>; body: Buffer } {
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
export function createRequestListener(router: Router, opts: ListenerOptions = {}): http.RequestListener {
  const maxBody = opts.maxBodyBytes ?? LISTENER_DEFAULTS.maxBodyBytes;
  const maxDiscard = opts.maxDiscardBytes ?? LISTENER_DEFAULTS.maxDiscardBytes;
  const handlerTimeout = opts.handlerTimeoutMs ?? LISTENER_DEFAULTS.handlerTimeoutMs;
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
        out = renderResponse(r);
      } catch {
        out = renderResponse(fmt(500, 'internal server error'));
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
