/**
 * Deep comparison of adapter answers with a vector's `expected`, and the JSON text used in the
 * judge's reasons. Internal to harness/judge.
 * @module
 */
import type { JsonValue } from '../protocol/gojson.ts';

/** Is `actual` equal to `expected` on every field `expected` names (deep, exact)? */
export function matchesExpected(expected: JsonValue, actual: JsonValue | undefined): boolean {
  // A JSON integer is one value whether a reader holds it as a number or a bigint (the in-process
  // reference returns uint64 results such as pow.solve proofs as bigint).
  if ((typeof expected === 'number' || typeof expected === 'bigint') && (typeof actual === 'number' || typeof actual === 'bigint')) {
    if (typeof expected === typeof actual) return expected === actual;
    const integral = (x: number | bigint) => typeof x === 'bigint' || Number.isInteger(x);
    return integral(expected) && integral(actual) ? BigInt(expected) === BigInt(actual) : false;
  }
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (actual === null || typeof actual !== 'object' || Array.isArray(expected) !== Array.isArray(actual)) return false;
  if (Array.isArray(expected)) {
    const a = actual as JsonValue[];
    return a.length === expected.length && expected.every((e, i) => matchesExpected(e, a[i]));
  }
  const a = actual as Record<string, JsonValue>;
  return Object.entries(expected).every(([k, v]) => matchesExpected(v, a[k]));
}

/** The same JSON value both ways (no field missing on either side; integers by value). */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return matchesExpected(a, b) && matchesExpected(b, a);
}

/** JSON text for messages (bigints as digits), cut to `max` characters. */
export function show(v: unknown, max = 300): string {
  const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
