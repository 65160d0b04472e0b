/**
 * The adapter wire format, version 1 (ADAPTER.md "Messages"): request and response shapes, a
 * strict reader for each, and the one JSON-line writer both sides use. Shared by the reference
 * adapter (adapter.ts) and the harness client (client.ts) so they cannot drift apart.
 * @module
 */
import { GoMap } from '../protocol/gojson.ts';
import { goQuote, parseJsonLossless, type JsonValue } from '../protocol/gojson.ts';
import { toB64 } from '../protocol/bytes.ts';

/** The adapter protocol version this code speaks (ADAPTER.md title; `hello.protocol`). */
export const PROTOCOL_VERSION = 1;

/** The error classes of ADAPTER.md, in its order. */
export const ERROR_CLASSES = [
  'InvalidInput',
  'InvalidAddress',
  'InvalidKey',
  'UnsupportedKeyType',
  'BadSignature',
  'DecryptionFailed',
  'BadPassword',
  'InvalidToken',
  'TokenExpired',
  'TokenNotYetValid',
  'InvalidProof',
  'Internal',
] as const;
export type WireErrorClass = (typeof ERROR_CLASSES)[number];

export interface AdapterRequest {
  id: number;
  op: string;
  args: Record<string, JsonValue>;
  /** hex */
  seed?: string;
  /** unix seconds */
  now?: number;
}

export type AdapterResponse =
  | { id: number | null; ok: true; result: Record<string, JsonValue> }
  | { id: number | null; ok: false; error: { class: string; message: string } }
  | { id: number | null; unsupported: true; reason: string };

export interface HelloResult {
  protocol: number;
  implementation: { name: string; version: string; language: string };
  ops: string[];
  deterministic: boolean;
}

/**
 * One JSON line (no trailing newline). Accepts the library's Go-shaped values as well as plain
 * JSON: a {@link GoMap} keeps its sorted order, a `Uint8Array` becomes base64, a `bigint` an
 * exact integer literal (uint64 serials and proofs), `undefined` fields are left out. Strings
 * use Go's quoting, so every control character and U+2028/9 is escaped and a line can never be
 * split by a reader. Finite non-integers are written as JavaScript does; NaN/Infinity refuse.
 */
export function encodeLine(v: unknown): string {
  const out: string[] = [];
  writeValue(v, out, 0);
  return out.join('');
}

function writeValue(v: unknown, out: string[], depth: number): void {
  if (depth > 256) throw new RangeError('encodeLine: value nested too deeply');
  if (v === null || v === undefined) { out.push('null'); return; }
  switch (typeof v) {
    case 'string': out.push(goQuote(v)); return;
    case 'boolean': out.push(v ? 'true' : 'false'); return;
    case 'bigint': out.push(v.toString()); return;
    case 'number':
      if (!Number.isFinite(v)) throw new RangeError(`encodeLine: cannot write ${v}`);
      out.push(Object.is(v, -0) ? '0' : String(v));
      return;
    case 'object': break;
    default: throw new TypeError(`encodeLine: cannot write ${typeof v}`);
  }
  if (v instanceof Uint8Array) { out.push('"', toB64(v), '"'); return; }
  if (Array.isArray(v)) {
    out.push('[');
    v.forEach((e, i) => {
      if (i) out.push(',');
      writeValue(e, out, depth + 1);
    });
    out.push(']');
    return;
  }
  const entries = v instanceof GoMap ? v.entries : v instanceof Map ? [...v.entries()] : Object.entries(v as object);
  out.push('{');
  let first = true;
  for (const [k, e] of entries) {
    if (e === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(goQuote(String(k)), ':');
    writeValue(e, out, depth + 1);
  }
  out.push('}');
}

/** Parse one line as JSON, keeping big integers exact; throws the library's InvalidInput. */
export function parseLine(line: string): JsonValue {
  return parseJsonLossless(line);
}

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A wire id: a non-negative safe integer (ADAPTER.md `"id": <int>`). */
export function isWireId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Check that `v` is one of the three response shapes. Returns the typed response or a sentence
 * saying what is wrong (for the harness's `bad-response` failure).
 */
export function checkResponse(v: JsonValue): AdapterResponse | string {
  if (!isObject(v)) return 'response is not a JSON object';
  if (!('id' in v)) return 'response has no "id"';
  const id = v.id;
  if (id !== null && !isWireId(id)) return `response "id" must be an integer or null, got ${JSON.stringify(String(id))}`;
  if (v.ok === true) {
    if (!isObject(v.result)) return 'an ok response needs a "result" object';
    return { id, ok: true, result: v.result };
  }
  if (v.ok === false) {
    const e = v.error;
    if (!isObject(e) || typeof e.class !== 'string' || typeof e.message !== 'string')
      return 'an error response needs "error": {"class": string, "message": string}';
    return { id, ok: false, error: { class: e.class, message: e.message } };
  }
  if (v.unsupported === true) {
    if (typeof v.reason !== 'string') return 'an unsupported response needs a "reason" string';
    return { id, unsupported: true, reason: v.reason };
  }
  return 'response has none of "ok": true, "ok": false, "unsupported": true';
}

/** Check a hello result; returns it typed or a sentence saying what is wrong. */
export function checkHello(result: Record<string, JsonValue>): HelloResult | string {
  if (result.protocol !== PROTOCOL_VERSION) return `adapter speaks protocol ${JSON.stringify(result.protocol ?? null)}, the harness speaks ${PROTOCOL_VERSION}`;
  const impl = result.implementation;
  if (!isObject(impl) || typeof impl.name !== 'string' || typeof impl.version !== 'string' || typeof impl.language !== 'string')
    return 'hello result needs "implementation": {"name","version","language"} strings';
  const ops = result.ops;
  if (!Array.isArray(ops) || !ops.every((o) => typeof o === 'string')) return 'hello result needs "ops": [string]';
  if (typeof result.deterministic !== 'boolean') return 'hello result needs "deterministic": boolean';
  return {
    protocol: result.protocol,
    implementation: { name: impl.name, version: impl.version, language: impl.language },
    ops: ops as string[],
    deterministic: result.deterministic,
  };
}
