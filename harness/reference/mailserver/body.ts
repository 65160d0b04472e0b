/**
 * Decoding of JSON request bodies the way the Go server's `DecodeBody` does it
 * (cmd/bm-server/internal/httputils/http.go; spec/api.md §1.5, §2.4): field names match
 * case-insensitively (an exact-case key wins), unknown fields are ignored, `null` leaves the Go
 * zero value, and a value of the wrong JSON type is a decode error. Every decode error becomes
 * `400 {"error":true,"status":"Malformed JSON: <reason>"}`.
 *
 * Deliberate difference from Go: the whole body must be one JSON value (Go decodes the first
 * value and ignores trailing bytes), see harness/reference/DEVIATIONS.md.
 * @module
 */
import { HttpError, parseJsonBody as parseLossless } from '../handler.ts';

export type FieldKind = 'string' | 'int' | 'uint' | 'uint64' | 'bool' | 'strings' | 'any';

type KindType<K extends FieldKind> = K extends 'string'
  ? string
  : K extends 'int' | 'uint'
    ? number
    : K extends 'uint64'
    ? bigint
    : K extends 'bool'
      ? boolean
      : K extends 'strings'
        ? string[]
        : unknown;

export type Decoded<S extends Record<string, FieldKind>> = { [K in keyof S]: KindType<S[K]> } & {
  /** Names of the fields present in the body with a non-null value. */
  readonly present: ReadonlySet<keyof S>;
};

const ZERO: Record<FieldKind, unknown> = { string: '', int: 0, uint: 0, uint64: 0n, bool: false, strings: [], any: undefined };

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Parse `raw` as one JSON value; throws `HttpError(400, "Malformed JSON: …")`. */
export function parseJsonBody(raw: Uint8Array): unknown {
  if (Buffer.from(raw).toString('utf8').trim() === '') throw new HttpError(400, 'Malformed JSON: EOF');
  try {
    return parseLossless(raw);
  } catch (e) {
    throw new HttpError(400, `Malformed JSON: ${(e as Error).message.replace(/^malformed JSON: /, '')}`);
  }
}

/**
 * Decode a JSON object body against a field schema. Missing and `null` fields get the Go zero
 * value; `present` tells which were given.
 */
export function decodeBody<S extends Record<string, FieldKind>>(raw: Uint8Array, schema: S): Decoded<S> {
  const v = parseJsonBody(raw);
  return decodeObject(v, schema);
}

export function decodeObject<S extends Record<string, FieldKind>>(v: unknown, schema: S): Decoded<S> {
  if (v === null) v = {}; // Go: decoding `null` into a struct is a no-op
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new HttpError(400, `Malformed JSON: cannot unmarshal ${typeName(v)} into an object`);
  }
  const obj = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const present = new Set<keyof S>();
  for (const [name, kind] of Object.entries(schema)) {
    let key: string | undefined = Object.prototype.hasOwnProperty.call(obj, name) ? name : undefined;
    if (key === undefined) key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
    const val = key === undefined ? undefined : obj[key];
    if (val === undefined || val === null) {
      out[name] = kind === 'strings' ? [] : ZERO[kind];
      continue;
    }
    out[name] = checkKind(val, kind, name);
    present.add(name);
  }
  return Object.assign(out, { present }) as Decoded<S>;
}

function checkKind(val: unknown, kind: FieldKind, name: string): unknown {
  const bad = (): never => {
    throw new HttpError(400, `Malformed JSON: cannot unmarshal ${typeName(val)} into field ${name} of type ${kind}`);
  };
  switch (kind) {
    case 'any':
      return val;
    case 'string':
      return typeof val === 'string' ? val : bad();
    case 'bool':
      return typeof val === 'boolean' ? val : bad();
    case 'int':
    case 'uint': {
      if (typeof val !== 'number' || !Number.isSafeInteger(val)) return bad();
      if (kind === 'uint' && val < 0) return bad();
      return val;
    }
    case 'uint64': {
      const b = typeof val === 'number' && Number.isSafeInteger(val) ? BigInt(val) : typeof val === 'bigint' ? val : bad();
      if (b < 0n || b >= 1n << 64n) bad();
      return b;
    }
    case 'strings': {
      if (!Array.isArray(val)) return bad();
      for (const s of val) if (typeof s !== 'string') bad();
      return val as string[];
    }
  }
}
