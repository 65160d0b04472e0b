/**
 * Deep comparison of adapter answers with a vector's `expected`, and the JSON text used in the
 * judge's reasons. Internal to harness/judge.
 * @module
 */
import { jsonText, type JsonValue } from '../protocol/gojson.ts';

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
  const s = jsonText(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * The fields a failure differs in, each side restricted to them: `expected` against the same
 * fields of `actual`, so a diff shows what is wrong and nothing that matched (`id`, `ok`, equal
 * fields). Non-object values, or an `actual` that is not an object, are returned whole.
 */
export function differingFields(expected: unknown, actual: unknown): { expected: unknown; actual: unknown; fields?: string[] } {
  const isObject = (x: unknown): x is Record<string, JsonValue> => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (!isObject(expected) || !isObject(actual)) return { expected, actual };
  const fields = Object.keys(expected).filter((k) => !matchesExpected(expected[k]!, actual[k]));
  // Nothing in common (an error where a result was expected): both sides whole say more.
  if (fields.length === 0 || !fields.some((k) => k in actual)) return { expected, actual };
  const pick = (o: Record<string, JsonValue>) => Object.fromEntries(fields.filter((k) => k in o).map((k) => [k, o[k]!]));
  return { expected: pick(expected), actual: pick(actual), fields };
}
