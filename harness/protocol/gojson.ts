/**
 * Go `encoding/json` compatible serialiser: the one place that turns structures into the bytes
 * BitMaelum hashes and signs (spec/formats.md §4.5). Nothing else in the library may hash
 * `JSON.stringify` output.
 *
 * How Go's types map onto JS values here:
 * - struct  → a plain object; fields are written in insertion order (declare them in Go's
 *             struct order). A field whose value is `undefined` is left out: that is how a caller
 *             expresses `omitempty` (see {@link omitEmpty}).
 * - map     → a {@link GoMap} (`goMap({...})`); keys are written sorted bytewise by UTF-8.
 * - []byte  → a `Uint8Array`, written as standard base64 with padding.
 * - integer → a safe-integer `number` or a `bigint` (uint64 above 2^53 stays exact).
 * - nil     → `null`.
 * Floats are refused: BitMaelum hashes none, and Go's float formatting is not reproduced.
 *
 * String escaping follows Go's default `Marshal` (HTML escaping on): `"` `\\` `\n` `\r` `\t`
 * short forms, other C0 controls as `\u00xx`, `<` `>` `&` as `\u003c` `\u003e` `\u0026`,
 * U+2028/U+2029 escaped, a lone surrogate (Go: invalid UTF-8) as the text `\ufffd`, everything
 * else raw. Go ≥ 1.22 writes `\b`/`\f` short forms; the Go code of spec/formats.md predates that,
 * so they are `\u0008`/`\u000c` here.
 * @module
 */
import { InvalidInput } from './errors.ts';
import { toB64 } from './bytes.ts';

/** A Go map: serialised with its keys sorted. */
export class GoMap {
  readonly entries: ReadonlyArray<readonly [string, GoValue]>;
  constructor(obj: Record<string, GoValue> | Iterable<readonly [string, GoValue]>) {
    const list = Symbol.iterator in Object(obj) ? [...(obj as Iterable<readonly [string, GoValue]>)] : Object.entries(obj as Record<string, GoValue>);
    // A Go map holds each key once: a repeated key in an entry list keeps its last value.
    const dedup = [...new Map(list.map(([k, v]) => [k, v] as const)).entries()];
    this.entries = dedup.sort((a, b) => Buffer.compare(Buffer.from(a[0], 'utf8'), Buffer.from(b[0], 'utf8')));
  }
}

export type GoValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Uint8Array
  | GoMap
  | readonly GoValue[]
  | { readonly [k: string]: GoValue };

/** Wrap a record as a Go map (sorted keys). */
export function goMap(obj: Record<string, GoValue>): GoMap {
  return new GoMap(obj);
}

/**
 * `omitempty`: returns `undefined` (field dropped) for Go's empty values: `""`, `0`, `false`,
 * `null`, and empty arrays, byte slices and maps; otherwise the value itself.
 */
export function omitEmpty<T extends GoValue>(v: T): T | undefined {
  if (v === '' || v === 0 || v === 0n || v === false || v === null || v === undefined) return undefined;
  if (Array.isArray(v) && v.length === 0) return undefined;
  if (v instanceof Uint8Array && v.length === 0) return undefined;
  if (v instanceof GoMap && v.entries.length === 0) return undefined;
  return v;
}

const HEX = '0123456789abcdef';

/** Quote a string exactly as Go's encoding/json (HTML escaping on). */
export function goQuote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
      switch (c) {
        case 0x22: rep = '\\"'; break;
        case 0x5c: rep = '\\\\'; break;
        case 0x0a: rep = '\\n'; break;
        case 0x0d: rep = '\\r'; break;
        case 0x09: rep = '\\t'; break;
        default: rep = '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      }
    } else if (c === 0x2028 || c === 0x2029) {
      rep = c === 0x2028 ? '\\u2028' : '\\u2029';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair is raw UTF-8 in Go's output
        continue;
      }
      rep = '\\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/**
 * Where the writer may depart from Go's `encoding/json`. The default (none) is Go's: the bytes
 * BitMaelum hashes and signs.
 */
export interface MarshalOptions {
  /**
   * Also write what no Go struct of BitMaelum holds, as JavaScript does, instead of refusing it:
   * a finite non-integer or unsafe-integer number (`String(n)`), `undefined` outside an object
   * field (`null`), a JS `Map` (an object, in insertion order). For JSON that is only parsed
   * back, never hashed: the adapter wire (harness/adapter/wire.ts), where an adapter's answer
   * may hold any JSON. NaN and Infinity are refused either way (JSON has no text for them).
   */
  readonly plainJs?: boolean;
}

/** Deeper nesting is refused (a cycle, or a value no protocol structure has). */
const MAX_DEPTH = 256;

/** Compact Go-JSON text of `v` (as `json.Marshal`). */
export function goMarshal(v: GoValue, opts: MarshalOptions = {}): string {
  const parts: string[] = [];
  write(v, parts, '$', 0, opts.plainJs === true);
  return parts.join('');
}

/** Go-JSON bytes of `v` (UTF-8 of {@link goMarshal}). */
export function goMarshalBytes(v: GoValue): Uint8Array {
  return new Uint8Array(Buffer.from(goMarshal(v), 'utf8'));
}

/** Indented Go-JSON (as `json.MarshalIndent(v, "", indent)`); empty `{}`/`[]` stay compact. */
export function goMarshalIndent(v: GoValue, indent = '  '): string {
  return indentJson(goMarshal(v), indent);
}

function write(v: unknown, out: string[], path: string, depth: number, plainJs: boolean): void {
  if (depth > MAX_DEPTH) throw new InvalidInput(`gojson: ${path}: nested deeper than ${MAX_DEPTH}`);
  if (v === null || (v === undefined && plainJs)) { out.push('null'); return; }
  switch (typeof v) {
    case 'string': out.push(goQuote(v)); return;
    case 'boolean': out.push(v ? 'true' : 'false'); return;
    case 'bigint': out.push(v.toString()); return;
    case 'number':
      if (!Number.isFinite(v)) throw new InvalidInput(`gojson: ${path}: cannot write ${v}`);
      if (!plainJs && !Number.isInteger(v)) throw new InvalidInput(`gojson: ${path}: only integers are supported, got ${v}`);
      if (!plainJs && !Number.isSafeInteger(v)) throw new InvalidInput(`gojson: ${path}: integer ${v} is not exact; pass a bigint`);
      out.push(Object.is(v, -0) ? '0' : String(v));
      return;
    case 'undefined':
      throw new InvalidInput(`gojson: ${path}: undefined outside an object field`);
    case 'object':
      break;
    default:
      throw new InvalidInput(`gojson: ${path}: cannot serialise ${typeof v}`);
  }
  if (v instanceof Uint8Array) { out.push('"', toB64(v), '"'); return; }
  if (Array.isArray(v)) {
    out.push('[');
    v.forEach((e: unknown, i) => {
      if (i) out.push(',');
      if (e === undefined && !plainJs) throw new InvalidInput(`gojson: ${path}[${i}]: undefined array element`);
      write(e, out, `${path}[${i}]`, depth + 1, plainJs);
    });
    out.push(']');
    return;
  }
  if (v instanceof Map && !plainJs) throw new InvalidInput(`gojson: ${path}: a JS Map has no Go form; use goMap`);
  const entries: Iterable<readonly [unknown, unknown]> = v instanceof GoMap ? v.entries : v instanceof Map ? v.entries() : Object.entries(v);
  out.push('{');
  let first = true;
  for (const [k, e] of entries) {
    if (e === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(goQuote(String(k)), ':');
    write(e, out, `${path}.${String(k)}`, depth + 1, plainJs);
  }
  out.push('}');
}

/**
 * JSON text of any value for reports and messages, never for bytes that are hashed or signed:
 * `JSON.stringify` (its escaping, `toJSON`, functions dropped) except that a `bigint` is written
 * as its decimal string instead of throwing, so a reader's `JSON.parse` keeps it exact. `undefined`
 * for what JSON.stringify cannot write (undefined, a function); throws on a cycle as it does.
 */
export function jsonText(v: unknown, indent?: number): string | undefined {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), indent);
}

/** Re-indent compact JSON text as Go's json.Indent does. */
function indentJson(src: string, indent: string): string {
  let out = '';
  let depth = 0;
  let inStr = false;
  let needIndent = false; // just opened a container; newline pending unless it closes at once
  const nl = () => '\n' + indent.repeat(depth);
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (inStr) {
      out += c;
      if (c === '\\') { out += src[++i]; }
      else if (c === '"') inStr = false;
      continue;
    }
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += nl();
    }
    switch (c) {
      case '"': inStr = true; out += c; break;
      case '{': case '[': out += c; needIndent = true; break;
      case ',': out += c + nl(); break;
      case ':': out += ': '; break;
      case '}': case ']':
        if (needIndent) { needIndent = false; out += c; }
        else { depth--; out += nl() + c; }
        break;
      default: out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lossless parsing

export type JsonValue = string | number | bigint | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** Replace every unpaired UTF-16 surrogate with U+FFFD (String.prototype.toWellFormed, Node ≥ 20). */
export function toWellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** One member of a parsed JSON object, in text order, with a number's literal text. */
export interface JsonEntry {
  readonly key: string;
  readonly value: JsonValue;
  /** The number literal exactly as written (`1.0`, `1e3`, `-0`), when the value is a number. */
  readonly literal?: string;
}

/** Members of the objects parseJsonLossless made, in text order, duplicates included. */
const ENTRIES = new WeakMap<object, readonly JsonEntry[]>();

/**
 * The members of a JSON object as Go's decoder visits them: in text order, every occurrence of a
 * repeated key, each number with its literal text — for objects made by {@link parseJsonLossless}.
 * Any other object gives its own enumerable entries (no duplicates, no literals).
 */
export function jsonEntries(obj: object): readonly JsonEntry[] {
  return ENTRIES.get(obj) ?? Object.entries(obj).map(([key, value]) => ({ key, value: value as JsonValue }));
}

/** Whether a number literal has a fraction or an exponent, which Go refuses for integer fields. */
export function isNonIntegerLiteral(literal: string | undefined): boolean {
  return literal !== undefined && /[.eE]/.test(literal);
}

/**
 * Parse JSON text, keeping integers beyond 2^53 exact as `bigint` (resolver serial numbers are
 * uint64). Duplicate keys: the returned object holds the last value (at the first key's
 * position); every occurrence, in order and with number literals, stays readable through
 * {@link jsonEntries}, so Go-shaped decoding (godecode.ts) can apply them in order as Go does.
 * Unpaired surrogate escapes become U+FFFD, as in Go. Throws `InvalidInput` with a position.
 */
export function parseJsonLossless(text: string): JsonValue {
  let i = 0;
  const fail = (msg: string): never => { throw new InvalidInput(`invalid JSON at offset ${i}: ${msg}`); };
  const ws = () => { while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++; };
  const value = (depth: number): JsonValue => {
    if (depth > 512) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [k: string]: JsonValue } = Object.create(null);
      const entries: JsonEntry[] = [];
      const done = (): JsonValue => {
        const out = { ...obj };
        ENTRIES.set(out, entries);
        return out;
      };
      ws();
      if (text[i] === '}') { i++; return done(); }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected string key');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        ws();
        const start = i;
        const v = value(depth + 1);
        obj[k] = v;
        entries.push(typeof v === 'number' || typeof v === 'bigint' ? { key: k, value: v, literal: text.slice(start, i) } : { key: k, value: v });
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return done(); }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return arr; }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    return Number(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) i++;
      i++;
    }
    i++;
    let s: string;
    try {
      s = JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('bad escape in string');
    }
    // Go's decoder turns an unpaired surrogate (`"\ud800"`) into U+FFFD, so the string that is
    // later hashed holds a real U+FFFD (raw EF BF BD), not a lone surrogate (which goQuote would
    // write as the escape text `\ufffd`, the form Go uses for invalid UTF-8 bytes).
    return toWellFormed(s);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing data');
  return v;
}
