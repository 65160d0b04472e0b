/**
 * Message catalog (spec/formats.md §5; Go `internal/message/catalog.go:50-96`) and its
 * encryption (§5.2, §3.1: `bmcrypto.JSONEncrypt` = AES-256-GCM blob of compact Go-JSON).
 *
 * Go's struct has no `omitempty` anywhere, so every key is always written, in struct order; nil
 * slices, maps, `[]byte` and pointers are `null`, empty non-nil ones `[]`/`{}`/`""`. The
 * {@link Catalog} object keeps that distinction (`null` vs `[]`).
 *
 * Parsing follows Go's `json.Unmarshal` exactly as header.ts does (see `godecode.ts`: case-
 * insensitive keys, merge of repeated fields, null rules, wrong types → `InvalidInput`), plus:
 * - `created_at` (`time.Time`): a JSON string in RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)`),
 *   stored in Go's re-marshalled form (RFC3339Nano: fraction without trailing zeros, `Z` for a
 *   zero offset, the offset kept otherwise). `null` leaves Go's zero time `0001-01-01T00:00:00Z`.
 *   Go's parser is more lenient in a few corners (1-digit hours in old Go versions); those are refused here.
 * - `from.public_key` (`*bmcrypto.PubKey`): parsed and stored as Go `PubKey.String()`.
 * - `from.proof_of_work` (`*proofofwork.ProofOfWork`): parsed with pow.ts and stored as its Go `String()`.
 * Bytes from a decrypted blob are decoded as UTF-8 with U+FFFD for invalid sequences (WHATWG
 * "maximal subpart" replacement; Go replaces per invalid byte, which differs only for
 * malformed multi-byte sequences that Go itself never writes).
 * @module
 */
import { abytes, fromUtf8, preview } from './bytes.ts';
import { InvalidInput } from './errors.ts';
import { goMap, goMarshalBytes, parseJsonLossless, type GoValue } from './gojson.ts';
import { dBytes, decodeInto, dParsedString, dSlice, dString, dStringMap, dStruct, dUint64, typeName, type Dec, type Fields } from './godecode.ts';
import { goPublicKeyString } from './header.ts';
import { formatProofOfWork, parseProofOfWork } from './pow.ts';
import { gcmOpen, gcmSeal } from './symmetric.ts';
import type { Rng } from './random.ts';

export interface CatalogBlock {
  readonly id: string;
  readonly type: string;
  /** uint64 plaintext size. */
  readonly size: number | bigint;
  readonly encoding: string;
  /** `"zlib"` or `""` (anything else = none when reading, as Go). */
  readonly compression: string;
  /** Never filled by Go (`null`). */
  readonly checksum: Readonly<Record<string, string>> | null;
  readonly key: Uint8Array | null;
  readonly iv: Uint8Array | null;
}

export interface CatalogAttachment {
  readonly id: string;
  readonly mimetype: string;
  readonly filename: string;
  readonly size: number | bigint;
  readonly compression: string;
  readonly checksum: Readonly<Record<string, string>> | null;
  readonly key: Uint8Array | null;
  readonly iv: Uint8Array | null;
}

export interface Catalog {
  readonly from: {
    readonly address: string;
    readonly name: string;
    readonly organisation: string;
    /** Go `ProofOfWork.String()` (`bits$b64(data)$proof`) or null. */
    readonly proof_of_work: string | null;
    /** Go `PubKey.String()` or null. */
    readonly public_key: string | null;
  };
  readonly to: { readonly address: string };
  /** RFC 3339 as Go writes it, e.g. `2021-04-15T12:34:56Z`. */
  readonly created_at: string;
  readonly thread_id: string;
  readonly subject: string;
  readonly flags: readonly string[] | null;
  readonly labels: readonly string[] | null;
  readonly blocks: readonly CatalogBlock[] | null;
  readonly attachments: readonly CatalogAttachment[] | null;
}

/** Go's zero `time.Time` as marshalled. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

// ---------------------------------------------------------------------------------------------
// time.Time

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;

function daysIn(y: number, m: number): number {
  return [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Parse RFC 3339 as Go's `time.Time.UnmarshalJSON` and return Go's `MarshalJSON` text. */
export function goTimeString(s: string, field = 'created_at'): string {
  const m = RFC3339_RE.exec(s);
  if (!m) throw new InvalidInput(`${field}: expected RFC 3339 time, got ${preview(s)}`);
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || se > 59)
    throw new InvalidInput(`${field}: time out of range: ${preview(s)}`);
  if (m[7] !== undefined && m[7].length > 9) throw new InvalidInput(`${field}: more than 9 fractional digits: ${preview(s)}`);
  let zone = 'Z';
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) throw new InvalidInput(`${field}: bad zone offset: ${preview(s)}`);
    if (oh !== 0 || om !== 0) zone = `${m[9]}${m[10]}:${m[11]}`;
  }
  const frac = (m[7] ?? '').replace(/0+$/, '');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac ? '.' + frac : ''}${zone}`;
}

/** Unix seconds → Go `internal.TimeNow()` JSON (UTC, whole seconds). Years outside 0000–9999 → InvalidInput (Go MarshalJSON fails). */
export function unixToGoTime(unix: number): string {
  if (!Number.isSafeInteger(unix)) throw new InvalidInput(`created_at: expected integer unix seconds, got ${preview(unix)}`);
  const d = new Date(unix * 1000);
  const y = d.getUTCFullYear();
  if (!Number.isFinite(d.getTime()) || y < 0 || y > 9999) throw new InvalidInput(`created_at: year outside [0,9999] for unix ${unix}`);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(y, 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}Z`;
}

const dTime: Dec = (v, cur, p) => {
  if (v === null) return cur;
  if (typeof v !== 'string') throw new InvalidInput(`${p}: expected RFC 3339 string, got ${typeName(v)}`);
  return goTimeString(v, p);
};

// ---------------------------------------------------------------------------------------------
// Parsing

const BLOCK_FIELDS: Fields = {
  id: dString, type: dString, size: dUint64, encoding: dString, compression: dString, checksum: dStringMap, key: dBytes, iv: dBytes,
};
const ATTACHMENT_FIELDS: Fields = {
  id: dString, mimetype: dString, filename: dString, size: dUint64, compression: dString, checksum: dStringMap, key: dBytes, iv: dBytes,
};
const zeroBlock = () => ({ id: '', type: '', size: 0, encoding: '', compression: '', checksum: null, key: null, iv: null });
const zeroAttachment = () => ({ id: '', mimetype: '', filename: '', size: 0, compression: '', checksum: null, key: null, iv: null });

const CATALOG_FIELDS: Fields = {
  from: dStruct({
    address: dString,
    name: dString,
    organisation: dString,
    proof_of_work: dParsedString((s) => formatProofOfWork(parseProofOfWork(s))),
    public_key: dParsedString(goPublicKeyString),
  }),
  to: dStruct({ address: dString }),
  created_at: dTime,
  thread_id: dString,
  subject: dString,
  flags: dSlice(dString, () => ''),
  labels: dSlice(dString, () => ''),
  blocks: dSlice(dStruct(BLOCK_FIELDS), zeroBlock),
  attachments: dSlice(dStruct(ATTACHMENT_FIELDS), zeroAttachment),
};

/** A new catalog of Go's zero values (`catalog.go` struct, nothing set): zero time, nil slices and pointers. */
export function zeroCatalog(): Catalog {
  return {
    from: { address: '', name: '', organisation: '', proof_of_work: null, public_key: null },
    to: { address: '' },
    created_at: ZERO_TIME,
    thread_id: '',
    subject: '',
    flags: null,
    labels: null,
    blocks: null,
    attachments: null,
  };
}

/** Parse a catalog (a parsed JSON value, or JSON text) with Go's decoding rules; `InvalidInput` on bad shape. */
export function parseCatalog(json: unknown): Catalog {
  const v = typeof json === 'string' ? parseJsonLossless(json) : json;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array)
    throw new InvalidInput(`catalog: expected object, got ${typeName(v)}`);
  const draft = zeroCatalog();
  decodeInto(v, 'catalog', draft as unknown as Record<string, unknown>, CATALOG_FIELDS);
  return draft;
}

// ---------------------------------------------------------------------------------------------
// Serialising

function checksumToGo(c: Readonly<Record<string, string>> | null): GoValue {
  return c === null ? null : goMap({ ...c });
}

/** The catalog as a Go value: struct order of `catalog.go:50-96`, no omitempty. */
export function catalogToGo(c: Catalog): GoValue {
  return {
    from: {
      address: c.from.address,
      name: c.from.name,
      organisation: c.from.organisation,
      proof_of_work: c.from.proof_of_work,
      public_key: c.from.public_key,
    },
    to: { address: c.to.address },
    created_at: c.created_at,
    thread_id: c.thread_id,
    subject: c.subject,
    flags: c.flags === null ? null : [...c.flags],
    labels: c.labels === null ? null : [...c.labels],
    blocks:
      c.blocks === null
        ? null
        : c.blocks.map((b) => ({
            id: b.id, type: b.type, size: b.size, encoding: b.encoding, compression: b.compression,
            checksum: checksumToGo(b.checksum), key: b.key, iv: b.iv,
          })),
    attachments:
      c.attachments === null
        ? null
        : c.attachments.map((a) => ({
            id: a.id, mimetype: a.mimetype, filename: a.filename, size: a.size, compression: a.compression,
            checksum: checksumToGo(a.checksum), key: a.key, iv: a.iv,
          })),
  };
}

/** `JSONEncrypt(key, catalog)`: GCM blob (nonce = rng.bytes(12)) of the compact Go-JSON. */
export function encryptCatalog(c: Catalog, key: Uint8Array, rng: Rng): Uint8Array {
  abytes(key, 'key', 32);
  return gcmSeal(key, goMarshalBytes(catalogToGo(c)), rng);
}

/** `CatalogDecrypt`: GCM open (`DecryptionFailed`) then Go-style JSON decode (`InvalidInput`). */
export function decryptCatalog(blob: Uint8Array, key: Uint8Array): Catalog {
  const plain = gcmOpen(key, blob);
  return parseCatalog(fromUtf8(plain));
}
