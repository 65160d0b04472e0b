/**
 * Lingering close for the reference HTTP servers: an answer, once written, must reach the client.
 *
 * Why: a server that answers early (413 to an oversized upload, 404/405 to a request with a body,
 * 400 to garbage) and then closes its socket while request bytes are still unread makes the
 * kernel send a reset instead of a FIN. The reset can arrive before the client has read the
 * answer, and the client then sees `EPIPE` / `ECONNRESET` instead of the 413. node's http server
 * does exactly that for a `connection: close` answer (it destroys the socket as soon as the
 * answer is flushed). Go's net/http does not: it reads and discards up to 256 KiB of an unwanted
 * body, and past that half-closes and keeps reading for a while before it closes (a "lingering
 * close"), so the client can finish its write and then read the answer.
 *
 * This module gives node's server the same manners:
 * - {@link closeAfterAnswer}: the answer goes out with `connection: close`; instead of node's
 *   immediate destroy, the socket half-closes (our FIN follows the answer) and keeps draining what
 *   the client still sends until the client closes, goes quiet for `idleMs`, has sent `maxBytes`,
 *   or `maxMs` has passed. Every bound holds, so an endless sender costs bounded time and memory
 *   (nothing read is kept).
 * - {@link isClosing}: a request parsed from the bytes that follow a closing answer (pipelined
 *   behind it) is never run: its answer could not be delivered, and a server must not act on a
 *   request it cannot answer.
 * - {@link afterInFlight}: run something once every answer already owed on the connection has been
 *   written, so a malformed request pipelined behind a valid one gets its 400 after the valid
 *   one's answer instead of taking it down.
 * @module
 */
import type http from 'node:http';
import type net from 'node:net';

export interface LingerLimits {
  /** Close once the client has been quiet this long. */
  idleMs: number;
  /** Close after this long whatever the client does. */
  maxMs: number;
  /** Close once this many bytes were drained (they are counted, never kept). */
  maxBytes: number;
}

export const DEFAULT_LINGER: Readonly<LingerLimits> = Object.freeze({ idleMs: 2_000, maxMs: 10_000, maxBytes: 64 * 1024 * 1024 });

const closing = new WeakSet<net.Socket>();

/** Whether `socket` is draining towards a close: nothing more is answered on it. */
export function isClosing(socket: net.Socket): boolean {
  return closing.has(socket);
}

/**
 * Half-close `socket` now and drain it until one of the bounds ends it. `req`, when given, is the
 * request whose unread body is still arriving: it is resumed so node keeps pulling its bytes off
 * the wire (a paused request stops the socket, and unread bytes are what turn a close into a reset).
 */
export function lingerClose(socket: net.Socket, limits: LingerLimits = DEFAULT_LINGER, req?: http.IncomingMessage): void {
  if (socket.destroyed || closing.has(socket)) return;
  closing.add(socket);
  let drained = 0;
  const stop = () => {
    clearTimeout(idle);
    clearTimeout(cap);
    socket.destroy();
  };
  const idle = setTimeout(stop, limits.idleMs);
  const cap = setTimeout(stop, limits.maxMs);
  idle.unref();
  cap.unref();
  const onBytes = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > limits.maxBytes) stop();
    else idle.refresh();
  };
  socket.once('close', () => {
    clearTimeout(idle);
    clearTimeout(cap);
  });
  // The client closing its side is the normal end: it has read the answer (or given up).
  socket.once('end', stop);
  socket.on('error', () => { /* a reset while draining changes nothing: the answer was sent */ });
  if (req && !req.complete) {
    req.on('data', onBytes);
    req.resume();
  }
  // Bytes past the request (node's parser owns the socket's reads) still arrive as parser input;
  // keep the socket flowing so they are read, not left to turn our close into a reset.
  socket.resume();
  socket.end();
}

/**
 * Make the `connection: close` answer that is about to be written on `res` end in a lingering
 * close rather than node's immediate destroy. Call before `res.end()`.
 */
export function closeAfterAnswer(req: http.IncomingMessage, res: http.ServerResponse, limits: LingerLimits = DEFAULT_LINGER): void {
  const socket = req.socket as net.Socket & { destroySoon?: () => void };
  // node calls socket.destroySoon() once a `connection: close` answer is flushed (http server,
  // resOnFinish). That is the one call that turns into the reset; take it over for this socket.
  socket.destroySoon = () => lingerClose(socket, limits, req);
  res.once('close', () => {
    // The answer could not be finished (the client went away): nothing left to protect.
    if (!res.writableFinished && !closing.has(socket)) socket.destroy();
  });
}

/**
 * Run `fn` once no answer is in flight on `socket` any more: the one being written now and any
 * queued behind it (pipelined requests are answered in order). If the socket dies first, `fn`
 * never runs.
 */
export function afterInFlight(socket: net.Socket, fn: () => void): void {
  const current = (socket as { _httpMessage?: http.ServerResponse | null })._httpMessage;
  if (current && !current.writableFinished) {
    const next = () => {
      current.off('close', next);
      current.off('finish', next);
      // node assigns the socket to the next queued answer in its own 'finish' handler; look again
      // once that has run.
      setImmediate(() => { if (!socket.destroyed) afterInFlight(socket, fn); });
    };
    current.once('finish', next);
    current.once('close', next);
    return;
  }
  fn();
}
