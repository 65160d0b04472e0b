/**
 * The two JSON error bodies of BitMaelum (spec/api.md §1.6), one per kind of server. A router is
 * given one (`new Router({ errorFormat })`, router.ts) and every error answer of that server
 * uses it: a thrown HttpError, the router's 400/404/405/301, 413, 500, 503 (listener.ts) and the
 * answer to malformed HTTP (http.ts).
 *
 *   mail server   {@link mailErrorFormat}      `{"error":true,"status":"<message>"}`, compact
 *   key resolver  {@link resolverErrorFormat}  `{"message":"<message>","status":"error"}`, 2-space indent
 *
 * `status` holds the message in the mail server's shape and the word `error` in the resolver's.
 * @module
 */
import type { HttpResponse } from './handler.ts';

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
