/**
 * The client vault: encrypted container and its plaintext store (spec/formats.md §6; Go
 * `internal/vault/container.go:35-119`, `migrate.go:30-116`, `encrypt.go:55-79`, `account.go:34-65`,
 * `organisation.go:34-50`, `pkg/bmcrypto/bmcrypto.go:45-50` at suite 95952d1).
 *
 * Container (on-disk JSON, 2-space indent, field order type, version, data, salt, iv, hmac):
 * - key = PBKDF2-HMAC-SHA256(password UTF-8, salt, 100002 iterations, 32 bytes);
 * - data = AES-256-CTR(key, iv16, plaintext), the whole 16-byte counter block incremented
 *   big-endian (Go `cipher.NewCTR`, OpenSSL `aes-256-ctr`);
 * - hmac = HMAC-SHA256 keyed with the **raw password** over the ciphertext only.
 *
 * Plaintext: Go `json.MarshalIndent(store, "", "  ")`. Versions 0 (array of AccountInfoV1),
 * 1 ({accounts: AccountInfoV1[], organisations: OrganisationInfoV1[]}) and 2 (multi-key) are read
 * and migrated to version 2 exactly as `MigrateVault` does, including its quirks: a v0/v1 vault with
 * no accounts (or no organisations) migrates to `"accounts": null` (`"organisations": null`),
 * because Go appends to a nil slice only when there is something to append.
 *
 * The plaintext is decoded the way Go's `encoding/json` fills the structs: object keys match field
 * names exactly or case-insensitively, unknown keys are ignored, `null` leaves a string/bool at its
 * zero value and sets a slice/map/pointer to nil, a wrong JSON type is an error; keys, addresses,
 * proofs of work and validations go through their parsers and are written back in their Go text
 * form. Every failure is `InvalidInput` (Go: "error while migrating vault to the latest version").
 *
 * Deliberate differences from Go, each because Go's behaviour is not a result:
 * - Go's `Open` also gives every account without a `store_key` a fresh random Ed25519 store key and
 *   re-writes the file (`encrypt.go:55-79`). {@link openVault} returns the migrated plaintext only
 *   and adds nothing (that step needs fresh randomness and changes no existing byte).
 * - A key field that is absent leaves Go with a zero key it panics on when writing; here it is
 *   InvalidInput. A container version other than 0, 1, 2 makes Go fail (>2) or loop forever (<0);
 *   here it is InvalidInput. An IV that is not 16 bytes makes Go panic after the HMAC check; an
 *   HMAC that is not 32 bytes can never match. Both are InvalidInput here, checked before the HMAC.
 * - Go does not look at the container `type`; neither does this module (it must be a string).
 * @module
 */
import { createCipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { BadPassword, BitMaelumError, InvalidInput } from './errors.ts';
import { fromB64, preview, toB64, utf8, fromUtf8 } from './bytes.ts';
import { GoMap, goMarshalIndent, goQuote, parseJsonLossless, type GoValue, type JsonValue } from './gojson.ts';
import type { Rng } from './random.ts';
import { parseAddress } from './address.ts';
import { checkIntegerLiteral, goFieldEntries, goFields } from './godecode.ts';
import { formatProofOfWork, parseProofOfWork } from './pow.ts';
import { fingerprint, formatPrivateKey, formatPublicKey, goTrimSpace, parsePrivateKey, parsePublicKey } from './keys.ts';

/** `pbkdfIterations` (container.go:35-37). */
export const VAULT_PBKDF2_ITERATIONS = 100002;
export const VAULT_SALT_BYTES = 64;
export const VAULT_IV_BYTES = 16;
/** `LatestVaultVersion` (vault.go). */
export const VAULT_LATEST_VERSION = 2;

/** The container as stored on disk (`EncryptedContainer`, container.go:40-47). */
export interface VaultContainer {
  type: string;
  version: number;
  /** b64std of the ciphertext. */
  data: string;
  salt: string;
  iv: string;
  hmac: string;
}

export interface OpenedVault {
  /** The container's version as read (0, 1 or 2); `plaintext` is always the version-2 layout. */
  version: number;
  /**
   * The migrated version-2 store as a JSON value (what Go would write back). It is a plain JS
   * object, so integer-like `settings` keys enumerate in numeric order; use `text` for the bytes.
   */
  plaintext: JsonValue;
  /** `plaintext` as Go writes it: `json.MarshalIndent(store, "", "  ")`. */
  text: string;
  /** The decrypted bytes exactly as stored (before migration and re-serialisation). */
  raw: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Container

interface ParsedContainer {
  type: string;
  version: number;
  data: Uint8Array;
  salt: Uint8Array;
  iv: Uint8Array;
  hmac: Uint8Array;
}

function passwordBytes(password: unknown): Uint8Array {
  if (typeof password === 'string') return utf8(password);
  if (password instanceof Uint8Array) return password;
  throw new InvalidInput(`password: expected string, got ${password === null ? 'null' : typeof password}`);
}

function parseContainer(container: unknown): ParsedContainer {
  let c: unknown = container;
  if (typeof c === 'string') c = parseJsonLossless(c);
  else if (c instanceof Uint8Array) c = parseJsonLossless(fromUtf8(c));
  if (typeof c !== 'object' || c === null || Array.isArray(c))
    throw new InvalidInput(`vault container: expected JSON object, got ${c === null ? 'null' : Array.isArray(c) ? 'array' : typeof c}`);
  // Go decodes every occurrence of a field in order (repeated or differently spelled keys): a
  // wrong type or an integer written `2.0` in any of them fails; null is a no-op for the string
  // and the int and sets a []byte to nil.
  const f = goFieldEntries(c as Record<string, unknown>, ['type', 'version', 'data', 'salt', 'iv', 'hmac']);
  let type: string | null = null;
  // `undefined` (a JS object's absent value) counts as absent, as null does.
  for (const { value } of f.get('type') ?? []) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') throw new InvalidInput(`vault container type: expected string, got ${preview(value)}`);
    type = value;
  }
  // Go: an absent or null version is 0 (the oldest layout).
  let version: unknown = 0;
  for (const { value, literal } of f.get('version') ?? []) {
    if (value === null || value === undefined) continue;
    checkIntegerLiteral(literal, 'vault container version');
    version = value;
  }
  if (version !== 0 && version !== 1 && version !== 2)
    throw new InvalidInput(`vault container version: expected 0, 1 or 2, got ${preview(typeof version === 'bigint' ? String(version) : version)}`);
  const bytesField = (name: string): Uint8Array => {
    let out: Uint8Array | undefined;
    let last: unknown;
    for (const { value } of f.get(name) ?? []) {
      last = value;
      if (value === null || value === undefined) out = undefined;
      else if (typeof value !== 'string') throw new InvalidInput(`vault container ${name}: expected base64 string, got ${preview(value)}`);
      else out = fromB64(value, `vault container ${name}`);
    }
    if (out === undefined) throw new InvalidInput(`vault container ${name}: expected base64 string, got ${last === undefined ? 'nothing' : preview(last)}`);
    return out;
  };
  const data = bytesField('data');
  const salt = bytesField('salt');
  const iv = bytesField('iv');
  const hmac = bytesField('hmac');
  if (iv.length !== VAULT_IV_BYTES) throw new InvalidInput(`vault container iv: expected ${VAULT_IV_BYTES} bytes, got ${iv.length}`);
  if (hmac.length !== 32) throw new InvalidInput(`vault container hmac: expected 32 bytes, got ${hmac.length}`);
  return { type: type ?? '', version, data, salt, iv, hmac };
}

function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-ctr', key, iv);
  const out = Buffer.concat([c.update(data), c.final()]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(data).digest());
}

/**
 * Decrypt a container to its plaintext bytes (Go `DecryptContainer`, container.go:49-71). The HMAC
 * is checked first, so a wrong password costs one HMAC and no PBKDF2.
 * @param container the container object, or its JSON text
 * @returns `{type, version, plaintext}` with the raw decrypted bytes
 * @throws InvalidInput for a malformed container; BadPassword when the HMAC does not match
 */
export function decryptContainer(container: unknown, password: string | Uint8Array): { type: string; version: number; plaintext: Uint8Array } {
  const pw = passwordBytes(password);
  const c = parseContainer(container);
  const mac = hmacSha256(pw, c.data);
  if (!timingSafeEqual(mac, c.hmac)) throw new BadPassword('vault: incorrect password');
  const key = pbkdf2Sync(pw, c.salt, VAULT_PBKDF2_ITERATIONS, 32, 'sha256');
  return { type: c.type, version: c.version, plaintext: aesCtr(key, c.iv, c.data) };
}

/**
 * Encrypt plaintext bytes into a container (Go `EncryptContainer`, container.go:73-119, minus the
 * JSON marshalling of the payload, which the caller does).
 * Randomness, in this order, as Go draws it: `rng.bytes(64)` = salt, then `rng.bytes(16)` = IV.
 */
export function encryptContainer(plaintext: Uint8Array, password: string | Uint8Array, type: string, version: number, rng: Rng): VaultContainer {
  if (!(plaintext instanceof Uint8Array)) throw new InvalidInput('plaintext: expected Uint8Array');
  const pw = passwordBytes(password);
  if (typeof type !== 'string') throw new InvalidInput(`type: expected string, got ${preview(type)}`);
  if (!Number.isSafeInteger(version)) throw new InvalidInput(`version: expected integer, got ${preview(version)}`);
  const salt = rng.bytes(VAULT_SALT_BYTES);
  const key = pbkdf2Sync(pw, salt, VAULT_PBKDF2_ITERATIONS, 32, 'sha256');
  const iv = rng.bytes(VAULT_IV_BYTES);
  const data = aesCtr(key, iv, plaintext);
  const hmac = hmacSha256(pw, data);
  return { type, version, data: toB64(data), salt: toB64(salt), iv: toB64(iv), hmac: toB64(hmac) };
}

/**
 * The container file text: Go `json.MarshalIndent(&EncryptedContainer{…}, "", "  ")`, fields in
 * struct order type, version, data, salt, iv, hmac; no trailing newline.
 */
export function vaultToJson(container: VaultContainer): string {
  const c = parseContainer(container);
  return goMarshalIndent({ type: c.type, version: c.version, data: c.data, salt: c.salt, iv: c.iv, hmac: c.hmac });
}

// ---------------------------------------------------------------------------------------------
// Vault open / create

/**
 * Open a vault: check the HMAC, decrypt, decode the store of the container's version and migrate
 * it to version 2.
 * @param container the on-disk JSON object (or its text)
 * @param password the vault password
 * @throws BadPassword on an HMAC mismatch (nothing is decrypted); InvalidInput for a malformed
 *   container or plaintext
 * @example openVault(SPEC_6_3_VAULT, 'pass').plaintext.accounts[0].address // 'test30!'
 */
export function openVault(container: unknown, password: string | Uint8Array): OpenedVault {
  const { version, plaintext: raw } = decryptContainer(container, password);
  let json: JsonValue;
  try {
    json = parseJsonLossless(fromUtf8(raw));
  } catch (e) {
    throw new InvalidInput(`vault plaintext: not JSON (${(e as Error).message})`, { cause: e });
  }
  const store = decodeStore(json, version);
  const text = goMarshalIndent(storeToGo(store));
  return { version, plaintext: parseJsonLossless(text), text, raw };
}

/**
 * Create a version-2 vault container from a version-2 store. The store is decoded and written
 * through the Go structs (field order, omitempty, key and address normal forms), so the encrypted
 * plaintext is what Go's `Persist` would write for it.
 * Randomness: `rng.bytes(64)` (salt), then `rng.bytes(16)` (IV) — Go's order.
 * @param plaintext the store as a JSON value (or JSON text)
 * @throws InvalidInput when the store is not a valid version-2 store
 */
export function createVault(plaintext: unknown, password: string | Uint8Array, rng: Rng): VaultContainer {
  passwordBytes(password);
  const json = typeof plaintext === 'string' ? parseJsonLossless(plaintext) : (plaintext as JsonValue);
  const store = decodeStore(json, VAULT_LATEST_VERSION);
  const text = goMarshalIndent(storeToGo(store));
  return encryptContainer(utf8(text), password, 'vault', VAULT_LATEST_VERSION, rng);
}

/**
 * The version-2 plaintext text Go writes for a store of the given version (decode + migrate +
 * `MarshalIndent`), without any encryption.
 */
export function vaultPlaintextText(plaintext: unknown, version: number = VAULT_LATEST_VERSION): string {
  if (version !== 0 && version !== 1 && version !== 2) throw new InvalidInput(`version: expected 0, 1 or 2, got ${preview(version)}`);
  const json = typeof plaintext === 'string' ? parseJsonLossless(plaintext) : (plaintext as JsonValue);
  return goMarshalIndent(storeToGo(decodeStore(json, version)));
}

/**
 * Expand a routing-id prefix to the one routing id of the store's accounts that starts with it,
 * as the Go client does for a short id typed on the command line (vault.go FindShortRoutingID).
 * Several accounts with the same routing id are one match; two different ids are ambiguous.
 * @param plaintext an opened vault's version-2 store (`OpenedVault.plaintext`) or its text
 * @returns the full routing id, or `""` when no account matches or the prefix is ambiguous
 * @throws InvalidInput when the store is not a valid version-2 store
 * @example findShortRoutingId(store, '154') // '154353535335' (Go's vault_test.go)
 */
export function findShortRoutingId(plaintext: unknown, prefix: string): string {
  if (typeof prefix !== 'string') throw new InvalidInput(`prefix: expected a string, got ${preview(prefix)}`);
  const json = typeof plaintext === 'string' ? parseJsonLossless(plaintext) : (plaintext as JsonValue);
  let found = '';
  for (const account of decodeStore(json, VAULT_LATEST_VERSION).accounts ?? []) {
    if (!account.routingId.startsWith(prefix)) continue;
    if (found !== '' && found !== account.routingId) return '';
    found = account.routingId;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Go encoding/json decoding of the store

function fail(path: string, msg: string, cause?: unknown): never {
  throw new InvalidInput(`vault plaintext ${path}: ${msg}`, cause === undefined ? undefined : { cause });
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'bigint' ? 'number' : typeof v;
}

function asObject(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `expected object, got ${typeName(v)}`);
  return v as Record<string, unknown>;
}

/** Go string field: null/absent → "". */
function goString(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(path, `expected string, got ${typeName(v)}`);
  return v;
}

function goBool(v: unknown, path: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') fail(path, `expected bool, got ${typeName(v)}`);
  return v;
}

/** Go slice field: null/absent → nil (`null`), else each element decoded. */
function goSlice<T>(v: unknown, path: string, elem: (e: unknown, p: string) => T): T[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) fail(path, `expected array, got ${typeName(v)}`);
  return v.map((e, i) => elem(e, `${path}[${i}]`));
}

/**
 * A private key field (`PrivKey.UnmarshalJSON` → `PrivateKeyFromString`, keytype.go): `null`
 * decodes to "" and fails. Written back by `PrivKey.String()` (type + trimmed key text).
 */
function goPrivKey(v: unknown, path: string): string {
  if (v === undefined) fail(path, 'missing private key');
  if (v !== null && typeof v !== 'string') fail(path, `expected key string, got ${typeName(v)}`);
  try {
    return formatPrivateKey(parsePrivateKey(v ?? ''));
  } catch (e) {
    return fail(path, e instanceof BitMaelumError ? e.message : 'incorrect key format', e);
  }
}

/**
 * A public key field (`PublicKeyFromString`): `<type> <b64> [description]`, written back by
 * `PubKey.String()` (description kept).
 * @returns the Go text form and `PubKey.Fingerprint()` (hex SHA-256 of the DER)
 */
function goPubKey(v: unknown, path: string): { text: string; fingerprint: string } {
  if (v === undefined) fail(path, 'missing public key');
  if (v !== null && typeof v !== 'string') fail(path, `expected key string, got ${typeName(v)}`);
  try {
    const k = parsePublicKey(v ?? '');
    return { text: formatPublicKey(k), fingerprint: fingerprint(k) };
  } catch (e) {
    return fail(path, e instanceof BitMaelumError ? e.message : 'incorrect key format', e);
  }
}

/** `*address.Address`: null → nil; otherwise `NewAddress` and written back normalised. */
function goAddress(v: unknown, path: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') fail(path, `expected address string, got ${typeName(v)}`);
  try {
    return parseAddress(v).address;
  } catch (e) {
    return fail(path, (e as Error).message, e);
  }
}

/** `*proofofwork.ProofOfWork` (omitempty): null → nil; else parsed and written back by `String()`. */
function goPow(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(path, `expected proof-of-work string, got ${typeName(v)}`);
  try {
    return formatProofOfWork(parseProofOfWork(v));
  } catch (e) {
    return fail(path, (e as Error).message, e);
  }
}

/** `map[string]string`: null → nil; a null value decodes to "". Written with sorted keys. */
function goSettings(v: unknown, path: string): GoMap | null {
  if (v === undefined || v === null) return null;
  const o = asObject(v, path);
  const entries: [string, string][] = Object.keys(o).map((k) => [k, goString(o[k], `${path}.${k}`)]);
  return new GoMap(entries);
}

/** `organisation.ValidationType` (validation.go:58-106): `"<dns|kb|gpg> <value>"`, type case-insensitive. */
function goValidation(v: unknown, path: string): string {
  if (v !== null && typeof v !== 'string') fail(path, `expected validation string, got ${typeName(v)}`);
  const s = v ?? '';
  const sp = s.indexOf(' ');
  if (sp < 0) fail(path, 'incorrect key format');
  const t = s.slice(0, sp).toLowerCase();
  if (t !== 'dns' && t !== 'kb' && t !== 'gpg') fail(path, `incorrect key typ ${goQuote(s.slice(0, sp))}`);
  const value = s.slice(sp + 1);
  if (goTrimSpace(value).length === 0) fail(path, 'incorrect key format');
  return `${t} ${value}`;
}

interface KeyPair {
  generator: string;
  fingerprint: string;
  privKey: string;
  pubKey: string;
}
interface VaultKeyPair extends KeyPair {
  active: boolean;
}
interface AccountInfo {
  address: string | null;
  redirAddress: string | null;
  name: string;
  settings: GoMap | null;
  keys: VaultKeyPair[] | null;
  pow: string | undefined;
  routingId: string;
  storeKey: KeyPair | null;
}
interface OrganisationInfo {
  addr: string;
  name: string;
  keys: VaultKeyPair[] | null;
  pow: string | undefined;
  validations: string[] | null;
}
interface Store {
  accounts: AccountInfo[] | null;
  organisations: OrganisationInfo[] | null;
}

/** `bmcrypto.KeyPair` (bmcrypto.go:45-50): generator, fingerprint, priv_key, pub_key. */
function goKeyPair(v: unknown, path: string): KeyPair {
  const f = goFields(asObject(v, path), ['generator', 'fingerprint', 'priv_key', 'pub_key']);
  return {
    generator: goString(f.get('generator'), `${path}.generator`),
    fingerprint: goString(f.get('fingerprint'), `${path}.fingerprint`),
    privKey: goPrivKey(f.get('priv_key'), `${path}.priv_key`),
    pubKey: goPubKey(f.get('pub_key'), `${path}.pub_key`).text,
  };
}

/** `vault.KeyPair` (account.go:34-38): the embedded KeyPair's fields plus `active`. */
function goVaultKeyPair(v: unknown, path: string): VaultKeyPair {
  const f = goFields(asObject(v, path), ['generator', 'fingerprint', 'priv_key', 'pub_key', 'active']);
  return {
    generator: goString(f.get('generator'), `${path}.generator`),
    fingerprint: goString(f.get('fingerprint'), `${path}.fingerprint`),
    privKey: goPrivKey(f.get('priv_key'), `${path}.priv_key`),
    pubKey: goPubKey(f.get('pub_key'), `${path}.pub_key`).text,
    active: goBool(f.get('active'), `${path}.active`),
  };
}

/** v1 single key → `[{generator: "", fingerprint: PubKey.Fingerprint(), priv_key, pub_key, active: true}]` (migrate.go). */
function migratedKeys(f: Map<string, unknown>, path: string): VaultKeyPair[] {
  const privKey = goPrivKey(f.get('priv_key'), `${path}.priv_key`);
  const pub = goPubKey(f.get('pub_key'), `${path}.pub_key`);
  return [{ generator: '', fingerprint: pub.fingerprint, privKey, pubKey: pub.text, active: true }];
}

/** AccountInfoV1 (account.go:40-49), migrated to AccountInfo. */
function goAccountV1(v: unknown, path: string): AccountInfo {
  const f = goFields(asObject(v, path), ['address', 'name', 'settings', 'priv_key', 'pub_key', 'proof', 'routing_id']);
  return {
    address: goAddress(f.get('address'), `${path}.address`),
    redirAddress: null,
    name: goString(f.get('name'), `${path}.name`),
    settings: goSettings(f.get('settings'), `${path}.settings`),
    keys: migratedKeys(f, path),
    pow: goPow(f.get('proof'), `${path}.proof`),
    routingId: goString(f.get('routing_id'), `${path}.routing_id`),
    storeKey: null,
  };
}

/** AccountInfo (account.go:51-65). `Keys` has no JSON tag, so its name is `Keys`. */
function goAccount(v: unknown, path: string): AccountInfo {
  const f = goFields(asObject(v, path), ['address', 'redir_address', 'name', 'settings', 'Keys', 'proof', 'routing_id', 'store_key']);
  const sk = f.get('store_key');
  return {
    address: goAddress(f.get('address'), `${path}.address`),
    redirAddress: goAddress(f.get('redir_address'), `${path}.redir_address`),
    name: goString(f.get('name'), `${path}.name`),
    settings: goSettings(f.get('settings'), `${path}.settings`),
    keys: goSlice(f.get('Keys'), `${path}.Keys`, goVaultKeyPair),
    pow: goPow(f.get('proof'), `${path}.proof`),
    routingId: goString(f.get('routing_id'), `${path}.routing_id`),
    storeKey: sk === undefined || sk === null ? null : goKeyPair(sk, `${path}.store_key`),
  };
}

/** OrganisationInfoV1 (organisation.go:43-50), migrated. */
function goOrganisationV1(v: unknown, path: string): OrganisationInfo {
  const f = goFields(asObject(v, path), ['addr', 'name', 'priv_key', 'pub_key', 'pow', 'validations']);
  return {
    addr: goString(f.get('addr'), `${path}.addr`),
    name: goString(f.get('name'), `${path}.name`),
    keys: migratedKeys(f, path),
    pow: goPow(f.get('pow'), `${path}.pow`),
    validations: goSlice(f.get('validations'), `${path}.validations`, goValidation),
  };
}

/** OrganisationInfo (organisation.go:34-41). */
function goOrganisation(v: unknown, path: string): OrganisationInfo {
  const f = goFields(asObject(v, path), ['addr', 'name', 'keys', 'pow', 'validations']);
  return {
    addr: goString(f.get('addr'), `${path}.addr`),
    name: goString(f.get('name'), `${path}.name`),
    keys: goSlice(f.get('keys'), `${path}.keys`, goVaultKeyPair),
    pow: goPow(f.get('pow'), `${path}.pow`),
    validations: goSlice(f.get('validations'), `${path}.validations`, goValidation),
  };
}

/** Decode the plaintext of `version` and migrate it to version 2 (`MigrateVault`). */
function decodeStore(json: JsonValue, version: number): Store {
  if (version === 0) {
    // []AccountInfoV1; `null` leaves a nil slice.
    const accounts = goSlice(json, '$', goAccountV1);
    // v0→v1 sets organisations to []; v1→v2 appends to nil slices: empty → null.
    return { accounts: accounts && accounts.length > 0 ? accounts : null, organisations: null };
  }
  if (json === null) fail('$', 'expected object, got null'); // Go dereferences a nil store and panics
  const f = goFields(asObject(json, '$'), ['accounts', 'organisations']);
  if (version === 1) {
    const accounts = goSlice(f.get('accounts'), '$.accounts', goAccountV1);
    const organisations = goSlice(f.get('organisations'), '$.organisations', goOrganisationV1);
    return {
      accounts: accounts && accounts.length > 0 ? accounts : null,
      organisations: organisations && organisations.length > 0 ? organisations : null,
    };
  }
  return {
    accounts: goSlice(f.get('accounts'), '$.accounts', goAccount),
    organisations: goSlice(f.get('organisations'), '$.organisations', goOrganisation),
  };
}

// ---------------------------------------------------------------------------------------------
// Go struct order for marshalling

function keyPairToGo(k: KeyPair): GoValue {
  return { generator: k.generator, fingerprint: k.fingerprint, priv_key: k.privKey, pub_key: k.pubKey };
}
function vaultKeyPairToGo(k: VaultKeyPair): GoValue {
  return { generator: k.generator, fingerprint: k.fingerprint, priv_key: k.privKey, pub_key: k.pubKey, active: k.active };
}
function accountToGo(a: AccountInfo): GoValue {
  return {
    address: a.address,
    redir_address: a.redirAddress ?? undefined,
    name: a.name,
    settings: a.settings,
    Keys: a.keys === null ? null : a.keys.map(vaultKeyPairToGo),
    proof: a.pow,
    routing_id: a.routingId,
    store_key: a.storeKey === null ? undefined : keyPairToGo(a.storeKey),
  };
}
function organisationToGo(o: OrganisationInfo): GoValue {
  return {
    addr: o.addr,
    name: o.name,
    keys: o.keys === null ? null : o.keys.map(vaultKeyPairToGo),
    pow: o.pow,
    validations: o.validations,
  };
}
function storeToGo(s: Store): GoValue {
  return {
    accounts: s.accounts === null ? null : s.accounts.map(accountToGo),
    organisations: s.organisations === null ? null : s.organisations.map(organisationToGo),
  };
}
