/**
 * The HTTP(S) server of the reference mail server and key resolver, on node:http / node:https
 * only: listen, TLS, timeouts, keep-alive, the answer to malformed HTTP, and close. Each request
 * goes to the request listener (listener.ts), which routes it (router.ts) and answers.
 *
 * Timeouts: `headersTimeoutMs` (default 10 s) and `requestTimeoutMs` (default 30 s) are node's
 * server timeouts (node answers 408 and closes); keep-alive is on (`keepAliveTimeoutMs`,
 * default 5 s). Malformed HTTP (a bad request line, headers over `maxHeaderBytes`, a timeout)
 * is answered 400/431/408 with the server's error body after every answer already owed on the
 * connection, then the connection closes with a linger (linger.ts) so the answer is not reset
 * away; a malformed request pipelined behind a valid one gets its 400 after the valid one's
 * answer.
 *
 * @example
 * ```ts
 * import { startHttpServer } from './http.ts';
 * import { Router } from './router.ts';
 * import { HttpError, parseJsonBody } from './handler.ts';
 * import { resolverErrorFormat } from './error-formats.ts';
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
import type { Router } from './router.ts';
import { createRequestListener, renderResponse, type ListenerOptions } from './listener.ts';
import { DEFAULT_LINGER, afterInFlight, isClosing, lingerClose, type LingerLimits } from './linger.ts';

/** Defaults of the server (node's timeouts and header bound); listener.ts has those of the request listener. */
export const SERVER_DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  /** Max header bytes node accepts (node's `maxHeaderSize`). */
  maxHeaderBytes: 16 * 1024,
} as const;

/** Where and how to serve; the listener's options (body limits, handler timeout, linger) ride along. */
export interface ServerOptions extends ListenerOptions {
  host?: string;
  /** 0 = pick a free port. */
  port?: number;
  /** PEM certificate chain and key: HTTPS. Without it: plain HTTP (tests of the framework only). */
  tls?: { cert: string; key: string };
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  maxHeaderBytes?: number;
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

/** Start an HTTP(S) server for `router`. Resolves once listening. */
export async function startHttpServer(router: Router, opts: ServerOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const listener = createRequestListener(router, opts);
  const common: http.ServerOptions = {
    maxHeaderSize: opts.maxHeaderBytes ?? SERVER_DEFAULTS.maxHeaderBytes,
    requestTimeout: opts.requestTimeoutMs ?? SERVER_DEFAULTS.requestTimeoutMs,
    headersTimeout: opts.headersTimeoutMs ?? SERVER_DEFAULTS.headersTimeoutMs,
    keepAlive: true,
    keepAliveTimeout: opts.keepAliveTimeoutMs ?? SERVER_DEFAULTS.keepAliveTimeoutMs,
    // node checks header/request timeouts on this interval (default 30 s): make it fine enough
    // that the configured timeouts mean what they say.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor((opts.headersTimeoutMs ?? SERVER_DEFAULTS.headersTimeoutMs) / 4))),
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
    const r = renderResponse(router.errorFormat(status, status === 431 ? 'request header fields too large' : status === 408 ? 'request timeout' : 'bad request'));
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
