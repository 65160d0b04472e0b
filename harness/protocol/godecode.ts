/**
 * Go's `encoding/json` decoding of an already parsed JSON value into Go-shaped records —
 * which struct field each object key lands in (`goFieldMatcher`), the flat field lookup of
 * vault.ts and jwt.ts (`goFields`), and the typed field decoders header.ts and catalog.ts fill a
 * struct with (`decodeInto`, `dString`, `dUint64`, …). Public (no `_`): the reference resolver
 * matches its request bodies' keys the Go way with `goFieldMatcher` too.
 *
 * Rules reproduced (Go `encoding/json/decode.go` `object`, fold.go):
 * - object keys match a field tag exactly, else case-insensitively with Go's fold (`FROM`, `ſize`
 *   with U+017F LONG S and `\u212Aey` with U+212A KELVIN SIGN match); unknown keys are ignored;
 * - keys naming the same field are applied in order (last wins); in `decodeInto` a later object is
 *   decoded INTO the earlier value (struct fields merge, maps gain keys, slice element i decodes
 *   into element i);
 * - `null` is a no-op for strings, numbers and structs, and sets maps, slices, `[]byte` and
 *   pointers to nil;
 * - a JSON type that does not fit the Go type is an error (`InvalidInput` naming the field path);
 * - an integer field refuses a number written with a fraction or an exponent (`1.0`, `1e0`, `1E3`:
 *   Go parses integer fields with strconv.ParseInt/ParseUint on the literal text), and a uint64
 *   field refuses `-0`; float fields and unknown keys are not checked, as in Go;
 * - strings have unpaired surrogates replaced by U+FFFD (Go's decoder does that for `"\ud800"`).
 *
 * Objects made by `parseJsonLossless` are visited as Go visits the text: every occurrence of a
 * repeated key in order, each number with its literal (gojson.ts `jsonEntries`). An object built
 * in JS (or parsed by `JSON.parse`) has lost both: its repeated keys have already collapsed and its
 * numbers have no literal, so only the rules that need neither apply to it.
 * @module
 */
import { fromB64, preview } from './bytes.ts';
import { InvalidInput } from './errors.ts';
import { isNonIntegerLiteral, jsonEntries, toWellFormed, type JsonEntry } from './gojson.ts';

/**
 * Decode JSON value `v` into the current Go value `cur` at `path`; returns the new value.
 * `literal` is the number's text when `v` is a number from parsed JSON text.
 */
export type Dec = (v: unknown, cur: unknown, path: string, literal?: string) => unknown;
export type Fields = Record<string, Dec>;

export function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : v instanceof Uint8Array ? 'bytes' : typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * Go's fold of a JSON object key for matching it against an ASCII field name: ASCII upper →
 * lower, U+212A KELVIN SIGN → k, U+017F LONG S → s, everything else unchanged. Under Unicode
 * simple folding these two are the only non-ASCII runes that fold onto ASCII letters, and they
 * are the only ones Go 1.19's fold.go (`equalFoldRight`, the Go spec/api.md replays) accepts
 * against an ASCII name.
 */
export function foldKey(key: string): string {
  let out = '';
  for (const ch of key) {
    if (ch === '\u212a') out += 'k';
    else if (ch === '\u017f') out += 's';
    else if (ch >= 'A' && ch <= 'Z') out += ch.toLowerCase();
    else out += ch;
  }
  return out;
}

/**
 * Which of the Go struct fields `names` (their JSON names, ASCII) a JSON object key lands in, as
 * decode.go `object` picks it: the exact name first, else the first name equal under `fold`;
 * `undefined` for an unknown key.
 */
export function goFieldMatcher(names: readonly string[], fold: (key: string) => string = foldKey): (key: string) => string | undefined {
  const exact = new Set(names);
  const folded = new Map<string, string>();
  for (const n of names) if (!folded.has(fold(n))) folded.set(fold(n), n);
  return (key) => (exact.has(key) ? key : folded.get(fold(key)));
}

/** Field values by Go field name (last key wins); unknown keys are dropped. Used by vault.ts and jwt.ts. */
export function goFields(obj: Record<string, unknown>, names: readonly string[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [name, entries] of goFieldEntries(obj, names)) out.set(name, entries[entries.length - 1]!.value);
  return out;
}

/**
 * Every member of `obj` that lands in each Go field, in the order Go applies them (repeated keys
 * and differently spelled keys included). Go decodes each in turn, so a type error in an earlier
 * one fails the decode even when the last one is fine.
 */
export function goFieldEntries(obj: Record<string, unknown>, names: readonly string[]): Map<string, JsonEntry[]> {
  const match = goFieldMatcher(names);
  const out = new Map<string, JsonEntry[]>();
  for (const e of jsonEntries(obj)) {
    const name = match(e.key);
    if (name === undefined) continue;
    const list = out.get(name);
    if (list) list.push(e);
    else out.set(name, [e]);
  }
  return out;
}

/** Go's integer-field rule on a number's literal text (strconv.ParseInt/ParseUint refuse it). */
export function checkIntegerLiteral(literal: string | undefined, path: string): void {
  if (isNonIntegerLiteral(literal))
    throw new InvalidInput(`${path}: ${literal} is not an integer literal (Go's encoding/json refuses a fraction or an exponent in an integer field)`);
}

/** Apply the keys of JSON object `obj` to the mutable struct `draft`. */
export function decodeInto(obj: unknown, path: string, draft: Record<string, unknown>, fields: Fields): void {
  if (obj === null) return;
  if (!isObject(obj)) throw new InvalidInput(`${path}: expected object, got ${typeName(obj)}`);
  const match = goFieldMatcher(Object.keys(fields));
  for (const { key, value, literal } of jsonEntries(obj)) {
    const name = match(key);
    if (name === undefined) continue;
    draft[name] = fields[name]!(value, draft[name], `${path}.${name}`, literal);
  }
}

export const dString: Dec = (v, cur, p) => {
  if (v === null) return cur;
  if (typeof v !== 'string') throw new InvalidInput(`${p}: expected string, got ${typeName(v)}`);
  return toWellFormed(v);
};

const U64_MAX = (1n << 64n) - 1n;
/** uint64: a safe-integer number, or a bigint above 2^53−1. */
export const dUint64: Dec = (v, cur, p, literal) => {
  if (v === null) return cur;
  checkIntegerLiteral(literal, p);
  if (typeof v === 'bigint') {
    if (v < 0n || v > U64_MAX) throw new InvalidInput(`${p}: ${v} out of range for uint64`);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (typeof v !== 'number') throw new InvalidInput(`${p}: expected unsigned integer, got ${typeName(v)}`);
  if (!Number.isInteger(v) || v < 0) throw new InvalidInput(`${p}: expected unsigned integer, got ${preview(v)}`);
  if (!Number.isSafeInteger(v)) throw new InvalidInput(`${p}: ${v} is not exact; parse the JSON with parseJsonLossless to keep uint64 values`);
  // The literal -0: Go reads uint64 with strconv.ParseUint, which refuses any sign.
  if (Object.is(v, -0)) throw new InvalidInput(`${p}: expected unsigned integer, got -0`);
  return v;
};

/**
 * `[]byte`: standard base64 (Go skips \r and \n), or null → nil. A Uint8Array is taken as is
 * (TS convenience, so an already parsed header/catalog object can be passed through again).
 */
export const dBytes: Dec = (v, _cur, p) => {
  if (v === null) return null;
  if (v instanceof Uint8Array) return v.slice();
  if (typeof v !== 'string') throw new InvalidInput(`${p}: expected base64 string, got ${typeName(v)}`);
  return fromB64(v, p);
};

/** `map[string]string`: null → nil; an object is merged into an existing map. */
export const dStringMap: Dec = (v, cur, p) => {
  if (v === null) return null;
  if (!isObject(v)) throw new InvalidInput(`${p}: expected object, got ${typeName(v)}`);
  const out: Record<string, string> = {};
  const put = (k: string, e: string) => Object.defineProperty(out, k, { value: e, enumerable: true, writable: true, configurable: true });
  if (cur) for (const [k, e] of Object.entries(cur as Record<string, string>)) put(k, e);
  for (const { key: k, value: e } of jsonEntries(v)) {
    if (e !== null && typeof e !== 'string') throw new InvalidInput(`${p}.${k}: expected string, got ${typeName(e)}`);
    put(toWellFormed(k), toWellFormed(e ?? ''));
  }
  return out;
};

/** A struct value (never nil): decoded into a copy of `cur`. */
export function dStruct(fields: Fields): Dec {
  return (v, cur, p) => {
    const draft = { ...(cur as Record<string, unknown>) };
    decodeInto(v, p, draft, fields);
    return draft;
  };
}

/** A pointer to a struct: null → undefined (nil, omitted or written as null by the caller). */
export function dPtrStruct(fields: Fields, zero: () => Record<string, unknown>): Dec {
  return (v, cur, p) => {
    if (v === null) return undefined;
    const draft = cur ? { ...(cur as Record<string, unknown>) } : zero();
    decodeInto(v, p, draft, fields);
    return draft;
  };
}

/** A slice: null → nil; element i decodes into the existing element i (Go reuses it), new ones start at `zero()`. */
export function dSlice(elem: Dec, zero: () => unknown): Dec {
  return (v, cur, p) => {
    if (v === null) return null;
    if (!Array.isArray(v)) throw new InvalidInput(`${p}: expected array, got ${typeName(v)}`);
    const prev = Array.isArray(cur) ? cur : [];
    return v.map((e, i) => elem(e, i < prev.length ? prev[i] : zero(), `${p}[${i}]`));
  };
}

/** Parse a string with `parse` (a Go UnmarshalJSON that calls a FromString parser); failures → InvalidInput. */
export function dParsedString(parse: (s: string) => string): Dec {
  return (v, _cur, p) => {
    if (v === null) return null;
    if (typeof v !== 'string') throw new InvalidInput(`${p}: expected string, got ${typeName(v)}`);
    try {
      return parse(toWellFormed(v));
    } catch (cause) {
      throw new InvalidInput(`${p}: ${(cause as Error)?.message ?? 'invalid value'}`, { cause });
    }
  };
}
