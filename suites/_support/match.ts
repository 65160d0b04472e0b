/**
 * Matchers over answers and JSON values that know nothing of tests (STYLE.md: "JSON matchers
 * know nothing of tests"; matrix-org/complement `match/`). Each returns `undefined` when the
 * value matches, or one sentence saying what is wrong; must.ts turns that into a failure, a
 * polling helper can retry on it.
 *
 * Error shapes are spec/api.md §1.6: the mail server answers `{"error":true,"status":"<msg>"}`
 * (success-with-message `{"status":"<msg>"}`), the key resolver `{"message":"<msg>","status":"error"}`
 * (success `{"message":"<msg>","status":"ok"}`).
 * @module
 */
import { formatErrors, validator } from '../../schemas/index.ts';
import { jsonText, type JsonValue } from '../../harness/protocol/gojson.ts';

/** `undefined` = matches; otherwise what is wrong. */
export type Mismatch = string | undefined;

/** Which API's §1.6 body shape. */
export type Api = 'resolver' | 'server';

/** A message expectation: exact text, or a pattern. */
export type MessageMatch = string | RegExp;

export function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** JSON text of a value for messages (bigint as its digits). */
export function show(v: unknown, max = 300): string {
  let s: string;
  try {
    s = jsonText(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function messageMismatch(what: string, got: unknown, want: MessageMatch | undefined): Mismatch {
  if (want === undefined) return undefined;
  if (typeof got !== 'string') return `${what}: expected a string, got ${show(got)}`;
  if (typeof want === 'string' ? got !== want : !want.test(got)) return `${what}: expected ${typeof want === 'string' ? show(want) : String(want)}, got ${show(got)}`;
  return undefined;
}

/** The status is one of `want`. */
export function matchStatus(status: number, want: number | readonly number[]): Mismatch {
  const list = typeof want === 'number' ? [want] : want;
  return list.includes(status) ? undefined : `HTTP status: expected ${list.join(' or ')}, got ${status === 0 ? '0 (connection closed without an answer)' : status}`;
}

/**
 * An error body in the §1.6 shape of `api`, with exactly those keys.
 * @param message expected message text (resolver `message`, server `status`), or a pattern
 */
export function matchJsonError(json: JsonValue | undefined, api: Api, message?: MessageMatch): Mismatch {
  if (!isObject(json)) return `error body: expected a JSON object, got ${json === undefined ? 'a body that is not JSON' : show(json)}`;
  const keys = Object.keys(json).sort();
  if (api === 'resolver') {
    if (keys.join(',') !== 'message,status') return `resolver error body: expected exactly the keys message, status (api.md §1.6), got ${keys.join(', ') || 'none'}`;
    if (json.status !== 'error') return `resolver error body: expected "status":"error", got ${show(json.status)}`;
    if (typeof json.message !== 'string') return `resolver error body: "message" must be a string, got ${show(json.message)}`;
    return messageMismatch('resolver error message', json.message, message);
  }
  if (keys.join(',') !== 'error,status') return `server error body: expected exactly the keys error, status (api.md §1.6), got ${keys.join(', ') || 'none'}`;
  if (json.error !== true) return `server error body: expected "error":true, got ${show(json.error)}`;
  if (typeof json.status !== 'string') return `server error body: "status" must be a string, got ${show(json.status)}`;
  return messageMismatch('server error message', json.status, message);
}

/** A success-with-message body in the §1.6 shape of `api`. */
export function matchJsonOk(json: JsonValue | undefined, api: Api, message?: MessageMatch): Mismatch {
  if (!isObject(json)) return `message body: expected a JSON object, got ${json === undefined ? 'a body that is not JSON' : show(json)}`;
  const keys = Object.keys(json).sort();
  if (api === 'resolver') {
    if (keys.join(',') !== 'message,status') return `resolver message body: expected exactly the keys message, status (api.md §1.6), got ${keys.join(', ') || 'none'}`;
    if (json.status !== 'ok') return `resolver message body: expected "status":"ok", got ${show(json.status)}`;
    return messageMismatch('resolver message', json.message, message);
  }
  if (keys.join(',') !== 'status' || 'error' in json) return `server message body: expected exactly the key status (api.md §1.6), got ${keys.join(', ') || 'none'}`;
  return messageMismatch('server message', json.status, message);
}

/** Replace bigints by numbers (for JSON Schema validation only: the schema checks type and range, not exact digits). */
export function forSchema(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(forSchema);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, forSchema(x)]));
  return v;
}

/**
 * The value satisfies a project schema (schemas/index.ts), e.g.
 * `resolver_api_schema_v1.json#/$defs/AddressRecord`.
 */
export function matchSchema(value: unknown, schema: string): Mismatch {
  const v = validator(schema);
  if (v(forSchema(value))) return undefined;
  return `does not match ${schema}: ${formatErrors(v.errors).replace(/\n/g, '; ')}`;
}

/** The object has every key of `required`, and (with `only`) no key outside `required` ∪ `optional`. */
export function matchKeys(json: JsonValue | undefined, required: readonly string[], opts: { optional?: readonly string[]; only?: boolean } = {}): Mismatch {
  if (!isObject(json)) return `expected a JSON object, got ${show(json)}`;
  const missing = required.filter((k) => !(k in json));
  if (missing.length) return `missing key(s) ${missing.join(', ')} in ${show(json)}`;
  if (opts.only) {
    const allowed = new Set([...required, ...(opts.optional ?? [])]);
    const extra = Object.keys(json).filter((k) => !allowed.has(k));
    if (extra.length) return `unexpected key(s) ${extra.join(', ')} in ${show(json)}`;
  }
  return undefined;
}

/** Deep equality of JSON values; bigint and number compare by value, so 5n equals 5. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    try {
      return BigInt(a) === BigInt(b);
    } catch {
      return a === b; // non-integers
    }
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && jsonEqual(a[k], b[k]));
  }
  return Object.is(a, b);
}

/** `actual` equals `expected` (jsonEqual). */
export function matchEqual(actual: unknown, expected: unknown, what = 'value'): Mismatch {
  return jsonEqual(actual, expected) ? undefined : `${what}: expected ${show(expected)}, got ${show(actual)}`;
}

/** The object at `json` has `key` equal to `want` (jsonEqual). */
export function matchField(json: JsonValue | undefined, key: string, want: unknown): Mismatch {
  if (!isObject(json)) return `expected a JSON object with ${key}, got ${show(json)}`;
  if (!(key in json)) return `missing key ${key} in ${show(json)}`;
  return matchEqual(json[key], want, key);
}

/**
 * A uint64 from a lossless JSON value (bigint, or a safe-integer number); `undefined` if it is
 * not one. Resolver serials live here (spec/api.md §1.5).
 */
export function uint64Of(v: JsonValue | undefined): bigint | undefined {
  if (typeof v === 'bigint') return v >= 0n && v < 1n << 64n ? v : undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return undefined;
}

/**
 * The raw JSON text writes `key` as a bare integer literal equal to `want` (digit for digit: no
 * exponent, no fraction, no quotes, no rounding). Checks the text because a lossy parser would
 * hide a rounded value.
 */
export function matchIntegerLiteral(text: string, key: string, want: bigint): Mismatch {
  const re = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*([^,}\\s]+)`);
  const m = re.exec(text);
  if (!m) return `no "${key}" in ${show(text)}`;
  return m[1] === want.toString() ? undefined : `"${key}": expected the integer literal ${want}, got ${m[1]}`;
}

/** Every line of a multi-line JSON text is indented by a multiple of `indent` and the text is not on one line (resolver bodies are pretty-printed, api.md §1.6). */
export function matchIndented(text: string, indent = '  '): Mismatch {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines.length < 2) return `expected JSON indented with ${JSON.stringify(indent)}, got one line: ${show(text)}`;
  for (const l of lines.slice(1, -1)) {
    const lead = /^ */.exec(l)![0].length;
    if (lead === 0 || lead % indent.length !== 0) return `expected JSON indented with ${JSON.stringify(indent)}, got line ${show(l)}`;
  }
  return undefined;
}

/** The media type of a content-type value is `application/json` (parameters ignored). */
export function matchJsonContentType(contentType: string | undefined): Mismatch {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' ? undefined : `Content-Type: expected application/json, got ${contentType === undefined ? 'none' : show(contentType)}`;
}

/** JSON text with the whitespace between tokens removed (strings kept byte for byte). */
export function compactJsonText(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') out += c;
  }
  return out;
}
