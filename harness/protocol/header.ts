/**
 * Message header (spec/formats.md §4.2–§4.4; Go `internal/message/header.go:49-78`,
 * `internal/message/signature.go:36-234`).
 *
 * The {@link Header} object mirrors Go's `message.Header` after `json.Unmarshal`: every field is
 * present with Go's zero value when the JSON lacked it, so re-serialising gives exactly what Go
 * would hash, sign or upload. {@link headerToGo} is the single place that knows the Go struct
 * order and the `omitempty` rules; hashes and signatures are computed from it through gojson.
 *
 * Parsing strictness ({@link parseHeader}) — chosen to accept what Go accepts, and to reject with
 * `InvalidInput` what makes Go's `json.Unmarshal` fail:
 * - Object keys match Go field tags exactly or case-insensitively (Go's fold: per-rune
 *   lower(upper(r)), so `FROM`, `Signed_By` and even `ſize` (U+017F) match). Unknown keys are ignored.
 * - Several keys naming the same field (e.g. `from` and `From`) are applied in object order, as
 *   Go does: a later object is decoded INTO the earlier value (struct fields merge, the checksum
 *   map gains keys), a later `null` clears maps, `[]byte` and the `authorized_by` pointer and is a
 *   no-op on strings, numbers and structs. Exact duplicate keys in JSON text are applied the same
 *   way when the header comes as text (parseJsonLossless keeps every occurrence); an object
 *   already parsed elsewhere has lost them.
 * - Wrong JSON types (a number for `address`, a string for `size`, an array for `from`, …) →
 *   `InvalidInput`; Go returns an `UnmarshalTypeError` for them.
 * - `size` must be an integer in [0, 2^64−1] (number or bigint), and, when the header comes as
 *   text, written as an integer: `1.0`, `1e0`, `1E3` and `-0` are InvalidInput, as Go's
 *   strconv.ParseUint refuses them. (An already parsed object has no literal text left to check.)
 * - `encrypted_key`: standard base64 with padding (Go skips `\r`/`\n`), or `null`.
 * - `authorized_by.public_key` must parse as a public key (Go's `PubKey.UnmarshalJSON` runs
 *   `PublicKeyFromString`; failure → `InvalidInput` with the keys.ts error as cause), and is stored
 *   as Go's `PubKey.String()` of it: TrimSpace of `"<type> <TrimSpace(data)> <description>"` —
 *   that normalised text is what gets hashed.
 * - Strings from an already parsed object have unpaired surrogates replaced by U+FFFD, as Go's
 *   decoder does for `"\ud800"`, so the hashed bytes match Go's.
 * - A top-level `null` is refused (Go would leave a zero header; nothing useful comes of that).
 * @module
 */
import { createHash } from 'node:crypto';
import { fromB64, toB64, utf8 } from './bytes.ts';
import { InvalidInput } from './errors.ts';
import { goMap, goMarshal, goMarshalIndent, parseJsonLossless, type GoValue } from './gojson.ts';
import { dBytes, decodeInto, dParsedString, dPtrStruct, dString, dStringMap, dStruct, dUint64, typeName, type Fields } from './godecode.ts';
import { verifyAuthorization } from './authorization.ts';
import { formatPublicKey, parsePrivateKey, parsePublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import { sign, verify } from './signature.ts';
import type { Rng } from './random.ts';

/** `SignedByType` constants (`header.go:33-40`); any other string is carried as is, like Go. */
export const SIGNED_BY = { origin: 'origin', authorized: 'authorized', server: 'server' } as const;

export interface HeaderFrom {
  /** Sender address hash (or routing ID when `signed_by` is `server`). Not validated, as in Go. */
  readonly address: string;
  readonly signed_by: string;
}
export interface HeaderTo {
  readonly address: string;
  /** `""` = absent (omitempty). */
  readonly fingerprint: string;
}
export interface HeaderCatalog {
  /** uint64; a bigint only above 2^53−1. */
  readonly size: number | bigint;
  /** Go `map[string]string`: `null` = nil (absent or JSON null), `{}` = empty non-nil map. */
  readonly checksum: Readonly<Record<string, string>> | null;
  /** `""` = absent (omitempty). */
  readonly crypto: string;
  /** `""` = absent (omitempty). */
  readonly txid: string;
  /** Go `[]byte`: `null` = nil → JSON `null`; an empty array → `""`. */
  readonly encrypted_key: Uint8Array | null;
}
export interface HeaderAuthorizedBy {
  /** Go `PubKey.String()` of the key, or `null` for a nil `*PubKey`. */
  readonly public_key: string | null;
  readonly signature: string;
}
export interface Header {
  readonly from: HeaderFrom;
  readonly to: HeaderTo;
  readonly catalog: HeaderCatalog;
  /** Absent = nil pointer (field omitted). */
  readonly authorized_by?: HeaderAuthorizedBy;
  readonly signatures: { readonly server: string; readonly client: string };
}

// ---------------------------------------------------------------------------------------------
// Go string helpers

/**
 * Go `PubKey.String()` of a public key text after `PublicKeyFromString` (`keytype.go:200-283`):
 * validates the key (throws `InvalidKey`/`UnsupportedKeyType` from keys.ts) and returns the text
 * Go re-serialises and hashes (TrimSpace of `"<type> <TrimSpace(data)> <description>"`).
 */
export function goPublicKeyString(text: string): string {
  return formatPublicKey(parsePublicKey(text));
}

// ---------------------------------------------------------------------------------------------
// Parsing (json.Unmarshal into message.Header)

const HEADER_FIELDS: Fields = {
  from: dStruct({ address: dString, signed_by: dString }),
  to: dStruct({ address: dString, fingerprint: dString }),
  catalog: dStruct({ size: dUint64, checksum: dStringMap, crypto: dString, txid: dString, encrypted_key: dBytes }),
  authorized_by: dPtrStruct({ public_key: dParsedString(goPublicKeyString), signature: dString }, () => ({ public_key: null, signature: '' })),
  signatures: dStruct({ server: dString, client: dString }),
};

/** The zero `message.Header`. */
function zeroHeader(): Record<string, unknown> {
  return {
    from: { address: '', signed_by: '' },
    to: { address: '', fingerprint: '' },
    catalog: { size: 0, checksum: null, crypto: '', txid: '', encrypted_key: null },
    authorized_by: undefined,
    signatures: { server: '', client: '' },
  };
}

/**
 * Parse a header: `json` is the parsed JSON value, or JSON text (parsed with
 * `parseJsonLossless`, so a uint64 `size` above 2^53 stays exact). See the module doc for the rules.
 */
export function parseHeader(json: unknown): Header {
  const v = typeof json === 'string' ? parseJsonLossless(json) : json;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array)
    throw new InvalidInput(`header: expected object, got ${typeName(v)}`);
  const draft = zeroHeader();
  decodeInto(v, 'header', draft, HEADER_FIELDS);
  const h = draft as unknown as Header;
  if (h.authorized_by === undefined) {
    const { authorized_by: _drop, ...rest } = h;
    return rest as Header;
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// Serialising

function fromToGo(h: Header): GoValue {
  return { address: h.from.address, signed_by: h.from.signed_by }; // signed_by: no omitempty
}
function toToGo(h: Header): GoValue {
  return { address: h.to.address, fingerprint: h.to.fingerprint === '' ? undefined : h.to.fingerprint };
}
function catalogToGoValue(h: Header): GoValue {
  const c = h.catalog;
  return {
    size: c.size,
    checksum: c.checksum === null ? null : goMap({ ...c.checksum }),
    crypto: c.crypto === '' ? undefined : c.crypto,
    txid: c.txid === '' ? undefined : c.txid,
    encrypted_key: c.encrypted_key,
  };
}
function authorizedByToGo(h: Header): GoValue {
  const a = h.authorized_by;
  return a === undefined ? null : { public_key: a.public_key, signature: a.signature };
}

/** The header as a Go value: struct order of `header.go:49-78` and its omitempty rules (§4.2). */
export function headerToGo(h: Header): GoValue {
  return {
    from: fromToGo(h),
    to: toToGo(h),
    catalog: catalogToGoValue(h),
    authorized_by: h.authorized_by === undefined ? undefined : authorizedByToGo(h),
    signatures: { server: h.signatures.server, client: h.signatures.client },
  };
}

/** Header JSON as Go writes it: compact `json.Marshal` without `indent`, `json.MarshalIndent(h, "", indent)` with it (upload form: two spaces, `upload.go:34`). */
export function headerJson(h: Header, indent?: string): string {
  return indent === undefined ? goMarshal(headerToGo(h)) : goMarshalIndent(headerToGo(h), indent);
}

// ---------------------------------------------------------------------------------------------
// Hashes (§4.3, signature.go:200-234)

/** Exact Go-JSON text hashed for the client hash: map {client_catalog, client_from, client_to}. */
export function clientHashPreimage(h: Header): string {
  return goMarshal(goMap({ client_from: fromToGo(h), client_to: toToGo(h), client_catalog: catalogToGoValue(h) }));
}
export function clientHash(h: Header): Uint8Array {
  return new Uint8Array(createHash('sha256').update(utf8(clientHashPreimage(h))).digest());
}

/** Exact Go-JSON text hashed for the server hash: map {client_hash: b64, server_authorized_by: obj|null}. */
export function serverHashPreimage(h: Header): string {
  return goMarshal(goMap({ client_hash: clientHash(h), server_authorized_by: authorizedByToGo(h) }));
}
export function serverHash(h: Header): Uint8Array {
  return new Uint8Array(createHash('sha256').update(utf8(serverHashPreimage(h))).digest());
}

// ---------------------------------------------------------------------------------------------
// Signatures (§4.4)

function asPriv(k: PrivateKey | string): PrivateKey {
  return typeof k === 'string' ? parsePrivateKey(k) : k;
}
function asPub(k: PublicKey | string): PublicKey {
  return typeof k === 'string' ? parsePublicKey(k) : k;
}

/** `SignClientHeader`: signatures.client = b64(Sign(priv, clientHash)). Returns a new header. */
export function signClientHeader(h: Header, priv: PrivateKey | string, rng?: Rng): Header {
  const sig = sign(asPriv(priv), clientHash(h), rng);
  return { ...h, signatures: { ...h.signatures, client: toB64(sig) } };
}

/** `SignServerHeader`: signatures.server = b64(Sign(routing priv, serverHash)). Returns a new header. */
export function signServerHeader(h: Header, priv: PrivateKey | string, rng?: Rng): Header {
  const sig = sign(asPriv(priv), serverHash(h), rng);
  return { ...h, signatures: { ...h.signatures, server: toB64(sig) } };
}

/** Go `base64.StdEncoding.DecodeString`; undefined on failure. */
function b64OrUndefined(s: string): Uint8Array | undefined {
  try {
    return fromB64(s);
  } catch {
    return undefined;
  }
}

/**
 * `VerifyClientHeader` (`signature.go:118-198`). `pub` is the key a resolver holds for
 * `from.address`: the account key for `origin`/`""`/unknown signed_by, the routing key for
 * `server`; for `authorized` the `authorized_by` chain is verified against it (signature over the
 * ASCII hex of hash.New(public_key string)) and the client signature against the authorized key.
 * Never throws: anything unparseable is `false`.
 */
export function verifyClientHeader(h: Header, pub: PublicKey | string): boolean {
  try {
    if (typeof h.signatures?.client !== 'string' || h.signatures.client.length === 0) return false;
    const sig = b64OrUndefined(h.signatures.client);
    if (sig === undefined) return false;
    const digest = clientHash(h);
    const resolverKey = asPub(pub);
    let signer: PublicKey = resolverKey;
    if (h.from.signed_by === SIGNED_BY.authorized) {
      const a = h.authorized_by;
      if (a === undefined || a === null || a.public_key === null || a.signature === '') return false;
      if (!verifyAuthorization(resolverKey, a.public_key, a.signature)) return false;
      signer = parsePublicKey(a.public_key);
    }
    return verify(signer, digest, sig);
  } catch {
    return false;
  }
}

/**
 * `VerifyServerHeader` (`signature.go:53-90`): `signed_by == "server"` → true without any check
 * (Go behaviour; the client signature is then the routing key's). Otherwise the server signature
 * must be non-empty, valid base64, and verify under `pub` (the sender's routing key) over the
 * server hash. Never throws.
 */
export function verifyServerHeader(h: Header, pub: PublicKey | string): boolean {
  try {
    if (h.from.signed_by === SIGNED_BY.server) return true;
    if (typeof h.signatures?.server !== 'string' || h.signatures.server.length === 0) return false;
    const sig = b64OrUndefined(h.signatures.server);
    if (sig === undefined) return false;
    return verify(asPub(pub), serverHash(h), sig);
  } catch {
    return false;
  }
}
