/**
 * What an endpoint of the reference mail server and key resolver sees, returns and throws: the
 * contract between the endpoints and the HTTP layer (router.ts routes, listener.ts answers,
 * http.ts serves).
 *
 * A handler returns an {@link HttpResponse} or throws. {@link HttpError}`(status, message)`
 * becomes that status with the server's error body (error-formats.ts); a typed BitMaelumError
 * (not `Internal`) becomes `400` with its message; any other exception becomes `500` (message
 * "internal server error", details go to the server's `onError`). {@link parseJsonBody} turns a
 * body into a lossless JSON value (uint64 stays exact as bigint) or throws a 400 HttpError.
 * @module
 */
import type http from 'node:http';
import { parseJsonLossless, type GoValue, type JsonValue } from '../protocol/gojson.ts';

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
