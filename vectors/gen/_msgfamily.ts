/**
 * Helpers shared by the message-family generators (header_hash, header_signature, catalog,
 * message): the imported Go header files with their provenance, JSON cloning and byte/text
 * mutations. Generators only: nothing here is protocol code.
 *
 * The four `testdata/header-00N.json` files are read from the repository's copy of the Go test
 * data (vectors/external/bitmaelum-suite-testdata, or `BM_GO_TESTDATA`), and each must have the
 * SHA-256 recorded beside that copy (STYLE.md "Imported Go test data records repository, commit,
 * path and SHA-256, and the import script checks them").
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromB64, toB64 } from '../../harness/protocol/bytes.ts';
import { parseJsonLossless, type JsonValue } from '../../harness/protocol/gojson.ts';
import { GO_TESTDATA_DIR, goTestdataText } from '../../harness/protocol/gotestdata.ts';
import type { Source } from './_framework.ts';
import { GO_SUITE, flip } from './_cryptogen.ts';

// One definition of the Go provenance and the byte helpers for both generator families.
export { GO_SUITE, sha256hex } from './_cryptogen.ts';

export type HeaderFile = 'header-001.json' | 'header-002.json' | 'header-003.json' | 'header-004.json';

/** The SHA-256 of each imported Go test file, as recorded beside the repository's copy of them. */
const PROVENANCE_FILE = fileURLToPath(new URL('../external/bitmaelum-suite-testdata.provenance.json', import.meta.url));

function recordedSha256(file: HeaderFile): string {
  const sha = (JSON.parse(readFileSync(PROVENANCE_FILE, 'utf8')) as { files: Record<string, string> }).files[file];
  if (sha === undefined) throw new Error(`generator: ${PROVENANCE_FILE} records no SHA-256 for ${file}`);
  return sha;
}

/** The exact bytes of an imported header file, checked against its recorded SHA-256. */
export function goHeaderText(file: HeaderFile): string {
  const text = goTestdataText(file);
  const sha = createHash('sha256').update(text, 'utf8').digest('hex');
  if (sha !== recordedSha256(file)) throw new Error(`generator: ${join(GO_TESTDATA_DIR, file)} has SHA-256 ${sha}, recorded ${recordedSha256(file)}`);
  return text;
}

/** An imported header file as a JSON object (the adapter input), in the file's key order. */
export function goHeader(file: HeaderFile): Record<string, JsonValue> {
  return parseJsonLossless(goHeaderText(file)) as Record<string, JsonValue>;
}

/** Group source for an imported header file. */
export function goHeaderSource(file: HeaderFile, note?: string): Source {
  goHeaderText(file);
  return { kind: 'imported', ...GO_SUITE, path: `testdata/${file}`, sha256: recordedSha256(file), ...(note ? { note } : {}) };
}

/** Deep copy of a JSON value (bigints kept). */
export function clone<T extends JsonValue>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => clone(x)) as T;
  const out: Record<string, JsonValue> = {};
  for (const [k, x] of Object.entries(v)) out[k] = clone(x);
  return out as T;
}

/** `v` with the object at `path` (dot-separated) edited by `f` (on a copy). */
export function edit<T extends JsonValue>(v: T, path: string, f: (o: Record<string, JsonValue>) => void): T {
  const c = clone(v);
  let o = c as Record<string, JsonValue>;
  for (const p of path ? path.split('.') : []) o = o[p] as Record<string, JsonValue>;
  f(o);
  return c;
}

/** Set `path` (dot-separated, last part is the key) to `value` on a copy; `undefined` deletes the key. */
export function setAt<T extends JsonValue>(v: T, path: string, value: JsonValue | undefined): T {
  const parts = path.split('.');
  const key = parts.pop()!;
  return edit(v, parts.join('.'), (o) => {
    if (value === undefined) delete o[key];
    else o[key] = value;
  });
}

/** Base64 text with one bit of its decoded byte `i` flipped. */
export function flipB64(s: string, i: number, mask = 0x01): string {
  return toB64(flip(fromB64(s), i, mask));
}

/** Hex text with the hex digit at `i` replaced by a different one (stays lowercase hex). */
export function flipHex(s: string, i = 0): string {
  const c = s[i]!;
  const r = c === '0' ? '1' : '0';
  return s.slice(0, i) + r + s.slice(i + 1);
}

/** base64 SHA-256. */
export function sha256b64(s: string | Uint8Array): string {
  return createHash('sha256').update(s).digest('base64');
}
