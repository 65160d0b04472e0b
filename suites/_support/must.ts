/**
 * Assertions that fail the running test now (STYLE.md "Two assertion strengths"; matrix-org/
 * complement `must/`). Each takes an answer from http.ts or a value, checks it with a matcher
 * from match.ts, and on mismatch throws an AssertionError carrying `expected` / `actual`, which
 * the report shows as a diff; the wire trace (http.ts) is already in `task.meta.trace`.
 *
 * {@link unsupported} marks the test `unsupported` (the target said it cannot do this) and
 * fails it: an unsupported answer is never a pass.
 * @module
 */
import { TestRunner } from 'vitest';
import { jsonText, type JsonValue } from '../../harness/protocol/gojson.ts';
import type { HttpResponse } from './http.ts';
import {
  isObject, matchEqual, matchJsonError, matchJsonOk, matchSchema, matchStatus, show, uint64Of,
  type Api, type MessageMatch, type Mismatch,
} from './match.ts';

/** A failed must…: message, expected and actual for the report's diff. */
export class MustError extends Error {
  readonly expected: unknown;
  readonly actual: unknown;
  readonly showDiff: boolean;
  constructor(message: string, expected?: unknown, actual?: unknown) {
    super(message);
    this.name = 'AssertionError';
    this.expected = expected;
    this.actual = actual;
    this.showDiff = expected !== undefined || actual !== undefined;
  }
}

const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(jsonText(v) ?? 'null'));

/** Fail the test with `message`; `expected`/`actual` go into the report (task.meta). */
export function fail(message: string, expected?: unknown, actual?: unknown): never {
  const t = TestRunner.getCurrentTest();
  if (t) {
    const meta = t.meta as Record<string, unknown>;
    if (expected !== undefined && meta.expected === undefined) meta.expected = plain(expected);
    if (actual !== undefined && meta.actual === undefined) meta.actual = plain(actual);
  }
  throw new MustError(message, plain(expected), plain(actual));
}

/** Fail when a matcher reports a mismatch. */
export function must(m: Mismatch, context?: string, expected?: unknown, actual?: unknown): void {
  if (m !== undefined) fail(context ? `${context}: ${m}` : m, expected, actual);
}

/** Fail unless `cond`. */
export function mustBe(cond: boolean, message: string, expected?: unknown, actual?: unknown): asserts cond {
  if (!cond) fail(message, expected, actual);
}

function what(res: HttpResponse): string {
  return `${res.method} ${new URL(res.url).pathname}`;
}

function bodyOf(res: HttpResponse): unknown {
  return res.json ?? res.text;
}

/** The response status is `want` (or one of them). */
export function mustStatus(res: HttpResponse, want: number | readonly number[], context?: string): void {
  const m = matchStatus(res.status, want);
  if (m) fail(`${context ? `${context}: ` : ''}${what(res)}: ${m}; body ${show(bodyOf(res), 400)}`, { status: want }, { status: res.status, body: bodyOf(res) });
}

/** The body is JSON; returns it. */
export function mustJson(res: HttpResponse, context?: string): JsonValue {
  if (res.json === undefined) fail(`${context ? `${context}: ` : ''}${what(res)}: expected a JSON body, got ${show(res.text, 300)} (${res.jsonError})`, 'a JSON body', res.text);
  return res.json;
}

/** The body is a JSON object; returns it. */
export function mustJsonObject(res: HttpResponse, context?: string): Record<string, JsonValue> {
  const j = mustJson(res, context);
  if (!isObject(j)) fail(`${context ? `${context}: ` : ''}${what(res)}: expected a JSON object, got ${show(j)}`, 'a JSON object', j);
  return j;
}

/**
 * An error answer: `status` and the api.md §1.6 error body of `api` (resolver
 * `{"message","status":"error"}`, server `{"error":true,"status"}`), optionally with `message`.
 */
export function mustJsonError(res: HttpResponse, status: number | readonly number[], opts: { api: Api; message?: MessageMatch; context?: string }): void {
  mustStatus(res, status, opts.context);
  const m = matchJsonError(res.json, opts.api, opts.message);
  const expected = opts.api === 'resolver' ? { message: opts.message === undefined ? '<any>' : String(opts.message), status: 'error' } : { error: true, status: opts.message === undefined ? '<any>' : String(opts.message) };
  if (m) fail(`${opts.context ? `${opts.context}: ` : ''}${what(res)}: ${m}`, expected, bodyOf(res));
}

/** Resolver error: `status` and `{"message":<message>,"status":"error"}`. */
export function mustResolverError(res: HttpResponse, status: number | readonly number[], message?: MessageMatch, context?: string): void {
  mustJsonError(res, status, { api: 'resolver', ...(message !== undefined ? { message } : {}), ...(context ? { context } : {}) });
}

/** Mail server error: `status` and `{"error":true,"status":<message>}`. */
export function mustServerError(res: HttpResponse, status: number | readonly number[], message?: MessageMatch, context?: string): void {
  mustJsonError(res, status, { api: 'server', ...(message !== undefined ? { message } : {}), ...(context ? { context } : {}) });
}

/** Resolver success message: `status` and `{"message":<message>,"status":"ok"}`. */
export function mustResolverOk(res: HttpResponse, status: number | readonly number[], message?: MessageMatch, context?: string): void {
  mustStatus(res, status, context);
  const m = matchJsonOk(res.json, 'resolver', message);
  if (m) fail(`${context ? `${context}: ` : ''}${what(res)}: ${m}`, { message: message === undefined ? '<any>' : String(message), status: 'ok' }, bodyOf(res));
}

/** Mail server success message: `status` and `{"status":<message>}`. */
export function mustServerOk(res: HttpResponse, status: number | readonly number[], message?: MessageMatch, context?: string): void {
  mustStatus(res, status, context);
  const m = matchJsonOk(res.json, 'server', message);
  if (m) fail(`${context ? `${context}: ` : ''}${what(res)}: ${m}`, { status: message === undefined ? '<any>' : String(message) }, bodyOf(res));
}

/** The value satisfies a project JSON Schema (`resolver_api_schema_v1.json#/$defs/AddressRecord`). */
export function mustSchema(value: unknown, schema: string, context?: string): void {
  const m = matchSchema(value, schema);
  if (m) fail(`${context ? `${context}: ` : ''}${m}`, schema, value);
}

/** Deep JSON equality (bigint = number by value). */
export function mustEqual(actual: unknown, expected: unknown, context = 'value'): void {
  const m = matchEqual(actual, expected, context);
  if (m) fail(m, expected, actual);
}

/** A uint64 field of a JSON object (lossless; spec/api.md §1.5). */
export function mustUint64(json: Record<string, JsonValue>, key: string, context?: string): bigint {
  const v = uint64Of(json[key]);
  if (v === undefined) fail(`${context ? `${context}: ` : ''}"${key}": expected an unsigned 64-bit integer, got ${show(json[key])}`, 'uint64', json[key]);
  return v;
}

/**
 * Mark the running test `unsupported` (the implementation says it does not do this) and end
 * it. The report shows "unsupported", never "pass".
 */
export function unsupported(reason: string): never {
  const t = TestRunner.getCurrentTest();
  if (t) (t.meta as Record<string, unknown>).unsupported = true;
  throw new MustError(`unsupported: ${reason}`);
}

/**
 * End the running test as out of scope: it needs `unit` (e.g. `op key.parse`), which the target
 * does not declare it implements (its hello does not list the op). Never a pass; the run reports
 * it apart from findings (DESIGN.md contract 8), unless `--strict-scope` counts it unsupported.
 */
export function outOfScope(unit: string, reason: string): never {
  const t = TestRunner.getCurrentTest();
  if (t) Object.assign(t.meta as Record<string, unknown>, { outOfScope: true, scope: unit });
  throw new MustError(`out of scope: ${reason}`);
}
