/**
 * The adapter wire format, version 1 (ADAPTER.md "Messages"): request and response shapes, a
 * strict reader for each, and the one JSON-line writer both sides use. Shared by the reference
 * adapter (adapter.ts) and the harness client (client.ts) so they cannot drift apart.
 * @module
 */
import { goMarshal, parseJsonLossless, type GoMap, type GoValue, type JsonValue } from '../protocol/gojson.ts';

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
 * One JSON line (no trailing newline): the Go-JSON writer with its `plainJs` option. The
 * library's Go-shaped values keep their form (a {@link GoMap} its sorted order, a `Uint8Array`
 * base64, a `bigint` an exact integer literal: uint64 serials and proofs, `undefined` fields left
 * out), and strings use Go's quoting, so every control character and U+2028/9 is escaped and a
 * line can never be split by a reader. Unlike hashed Go-JSON, an adapter's answer may hold any
 * JSON: finite non-integers are written as JavaScript does; NaN/Infinity refuse (InvalidInput).
 */
export function encodeLine(v: unknown): string {
  return goMarshal(v as GoValue, { plainJs: true });
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
