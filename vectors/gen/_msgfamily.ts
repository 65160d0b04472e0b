/**
 * Helpers shared by the message-family generators (header_hash, header_signature, catalog,
 * message): the imported Go header files with their provenance, JSON cloning and byte/text
 * mutations. Generators only: nothing here is protocol code.
 *
 * The four `testdata/header-00N.json` files are embedded verbatim (line by line, `\n` endings,
 * trailing newline) so that `npm run vectors` does not depend on the Go checkout; their SHA-256
 * is checked against the value recorded here on every build, and, when the Go testdata folder is
 * present (`BM_GO_TESTDATA`, default: the copy in vectors/external/), the
 * embedded text must equal the file byte for byte (STYLE.md "Imported Go test data records
 * repository, commit, path and SHA-256, and the import script checks them").
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromB64, toB64 } from '../../harness/protocol/bytes.ts';
import { parseJsonLossless, type JsonValue } from '../../harness/protocol/gojson.ts';
import { GO_TESTDATA_DIR } from '../../harness/protocol/_testdata.ts';
import type { Source } from './_framework.ts';
import { GO_SUITE, flip } from './_cryptogen.ts';

// One definition of the Go provenance and the byte helpers for both generator families.
export { GO_SUITE, sha256hex } from './_cryptogen.ts';

export type HeaderFile = 'header-001.json' | 'header-002.json' | 'header-003.json' | 'header-004.json';

/** SHA-256 of the file bytes at {@link GO_SUITE} (spec/formats.md §11). */
const HEADER_SHA256: Record<HeaderFile, string> = {
  'header-001.json': '21baca3baeda6332e38996d6d064e8260243f4c80e3e225a2e6eb801dd743cc5',
  'header-002.json': '26ebf52b13e73ea866dfc59cbbfb65ab80b68bee61c47524d62cbb01f310749c',
  'header-003.json': '36555346f0e9f7cb44ee490ae0e49464b7f92ce92f0b07df8d6c987d67335136',
  'header-004.json': '815815a3bbdbb16ed71773c3d2577a212979f82486f47955d61d9cd570fb6d1d',
};

/** The files' lines, verbatim (4-space indentation as in the Go repository). */
const HEADER_LINES: Record<HeaderFile, string[]> = {
  'header-001.json': [
    '{',
    '    "from": {',
    '        "address": "000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc"',
    '    },',
    '    "to": {',
    '        "address": "000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"',
    '    },',
    '    "catalog": {',
    '        "size": 983,',
    '        "checksum": {',
    '            "ripemd160": "cc83e77af0fae70c3b655f36f110ec4d2eebaf1c",',
    '            "sha256": "79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a"',
    '        },',
    '        "txid": "",',
    '        "encrypted_key": "Zm9vYmFy"',
    '    }',
    '}',
  ],
  'header-002.json': [
    '{',
    '    "from": {',
    '        "address": "111100000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc"',
    '    },',
    '    "to": {',
    '        "address": "111100000000000000000000000097026f0daeaec1aeb8351b096637679cf350"',
    '    },',
    '    "catalog": {',
    '        "size": 983,',
    '        "checksum": {',
    '            "ripemd160": "cc83e77af0fae70c3b655f36f110ec4d2eebaf1c",',
    '            "sha256": "79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a"',
    '        },',
    '        "txid": "",',
    '        "encrypted_key": "Zm9vYmFy"',
    '    }',
    '}',
  ],
  'header-003.json': [
    '{',
    '    "from": {',
    '        "address": "000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc",',
    '        "signed_by": "authorized"',
    '    },',
    '    "to": {',
    '        "address": "000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"',
    '    },',
    '    "catalog": {',
    '        "size": 983,',
    '        "checksum": {',
    '            "ripemd160": "cc83e77af0fae70c3b655f36f110ec4d2eebaf1c",',
    '            "sha256": "79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a"',
    '        },',
    '        "txid": "",',
    '        "encrypted_key": "Zm9vYmFy"',
    '    },',
    '    "authorized_by": {',
    '        "signature": "V/cdCpxF6Ktv7hDvvDzJm9okoJMo8ikx1lnaWyFNbkKGAWADQVexdMLtP2OeqMa8f9EVqWFimb3uznzeJ9EfHKvjg33vzfOfsYRmsRVtMyDyypb9ilFCzI2px3IevsWut8TQ78aQ7eNTUe++LCGQgKOyAwNuUR9ctQqh88KlCS2udFw0FF9P94xZrAaxiA0LSDigAyMzANQGG55BxKg+PSdPZDBh+zNLBfG2fTS4zKa4hzhycE4pVexQPqmsBgnHws9YQqQTouxDovym/7FRRAc8bqxzrWS0F0OCZcj0twS8qXSFwof/FGJTKrE1Kr4nNXNdqxHnFonWaWRwOv/uUA==",',
    '        "public_key": "ed25519 MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA="',
    '    },',
    '    "signatures": {',
    '        "client": "hviVRC4zb+RK7f1iHc8Cu/acH1QyI4uIrjqm4OukfGb/z3zFSvLS2G0bDmkBt1kPiSZYTgR33zZRC/kIV1YGAw==",',
    '        "server": "yjBaPd8nWoz6wCJx8kmh7jeU0QcoT9C2oA8Qsh9cq1PRNeE0PLIpDjI4jb3ftP+3PdCRF5TWNOzk8OYbwJkpAg=="',
    '    }',
    '}',
  ],
  'header-004.json': [
    '{',
    '    "from": {',
    '        "address": "000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc",',
    '        "signed_by": "authorized"',
    '    },',
    '    "to": {',
    '        "address": "000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"',
    '    },',
    '    "catalog": {',
    '        "size": 983,',
    '        "checksum": {',
    '            "ripemd160": "cc83e77af0fae70c3b655f36f110ec4d2eebaf1c",',
    '            "sha256": "79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a"',
    '        },',
    '        "txid": "",',
    '        "encrypted_key": "Zm9vYmFy"',
    '    },',
    '    "signatures": {',
    '        "client": "Se4sVKA8DkVfwcIJ3HIqVIds6+ewQC86pwUWX10K4fS8860AhlWJd75XnL4AFs9ofSIwEgVr7D+OvY2eyh8ECw==",',
    '        "server": "yjBaPd8nWoz6wCJx8kmh7jeU0QcoT9C2oA8Qsh9cq1PRNeE0PLIpDjI4jb3ftP+3PdCRF5TWNOzk8OYbwJkpAg=="',
    '    }',
    '}',
  ],
};

/** The exact bytes of an imported header file, checked against its recorded SHA-256 (and the Go checkout when present). */
export function goHeaderText(file: HeaderFile): string {
  const text = HEADER_LINES[file].join('\n') + '\n';
  const sha = createHash('sha256').update(text, 'utf8').digest('hex');
  if (sha !== HEADER_SHA256[file]) throw new Error(`generator: embedded testdata/${file} has SHA-256 ${sha}, recorded ${HEADER_SHA256[file]}`);
  const p = join(GO_TESTDATA_DIR, file);
  if (existsSync(p) && readFileSync(p, 'utf8') !== text) throw new Error(`generator: embedded testdata/${file} differs from ${p}`);
  return text;
}

/** An imported header file as a JSON object (the adapter input), in the file's key order. */
export function goHeader(file: HeaderFile): Record<string, JsonValue> {
  return parseJsonLossless(goHeaderText(file)) as Record<string, JsonValue>;
}

/** Group source for an imported header file. */
export function goHeaderSource(file: HeaderFile, note?: string): Source {
  goHeaderText(file);
  return { kind: 'imported', ...GO_SUITE, path: `testdata/${file}`, sha256: HEADER_SHA256[file], ...(note ? { note } : {}) };
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
