/**
 * The one error of the reference clients (client.ts for mail servers, resolver/client.ts for key
 * resolvers): the server answered, but not with success, or not with the record asked for.
 * @module
 */

/** A server's non-2xx answer (or a record the client needs that it does not hold). */
export class ApiError extends Error {
  /** The HTTP status (404 also for a record the client looked up and did not find). */
  readonly status: number;
  /** What the server answered: its parsed JSON, else its text; null when nothing was asked. */
  readonly body: unknown;
  constructor(status: number, message: string, body: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}
