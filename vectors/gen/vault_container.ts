/**
 * vectors/vault_container_test.json: the client vault (spec/formats.md §6; Go
 * internal/vault/container.go:35-119, migrate.go, encrypt.go:33-79, account.go, organisation.go).
 *
 * - The Go-produced vault of §6.3 (branch client_library 30d9a3a, library/vault_test.go:32-41),
 *   opened with `pass` to its exact plaintext, and refused with any other password.
 * - Generated containers of every plaintext version (v0 array, v1 accounts+organisations, v2
 *   multi-key) that must open and migrate to v2 exactly as MigrateVault does. Their ciphertexts
 *   are built here from the primitives (PBKDF2-HMAC-SHA256 100002, AES-256-CTR, HMAC-SHA256 keyed
 *   with the password) and the file's seeded stream; the expected v2 plaintext is written out by
 *   hand from the migration rules (§6.2), not taken from the reference.
 * - vault.create from a seed: the container bytes are fixed, so the ciphertext pins the Go-JSON
 *   plaintext (struct order, sorted settings keys, HTML escaping, Keys/keys spelling).
 * - Mutants: wrong password, flipped bits in data / hmac / iv / salt, truncation, missing and
 *   mistyped fields, versions Go cannot read, version and type relabelling.
 *
 * PBKDF2 costs ~50–100 ms per open, so the number of cases that reach it (HMAC ok) is kept near 30;
 * the generated containers share one salt per password so that generating them costs one PBKDF2.
 * @module
 */
import { createCipheriv, createHmac, pbkdf2Sync } from 'node:crypto';
import type { CaseSpec, GroupSpec, VectorFileSpec } from './_framework.ts';
import type { Rng } from '../../harness/protocol/random.ts';
import { fromB64, toB64, utf8 } from '../../harness/protocol/bytes.ts';
import { goMap, goMarshal, goMarshalIndent, parseJsonLossless, type GoValue, type JsonValue } from '../../harness/protocol/gojson.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { GO_CLIENT_LIBRARY, cat, flip, keyDer, sha256hex } from './_cryptogen.ts';

/** Password of every generated container (one salt, so one PBKDF2 while generating). */
const PW = 'correct horse battery staple';
const ITERATIONS = 100002;

type Container = { type: JsonValue; version: JsonValue; data: JsonValue; salt: JsonValue; iv: JsonValue; hmac: JsonValue };

function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-ctr', key, iv);
  return Uint8Array.from(Buffer.concat([c.update(data), c.final()]));
}
function hmacPw(password: string, data: Uint8Array): Uint8Array {
  return Uint8Array.from(createHmac('sha256', utf8(password)).update(data).digest());
}

/** Seals plaintext bytes the way EncryptContainer does, with one salt (and key) and a fresh IV per container. */
class Sealer {
  private readonly salt: Uint8Array;
  private readonly key: Uint8Array;
  constructor(private readonly rng: Rng, private readonly password: string) {
    this.salt = rng.bytes(64);
    this.key = Uint8Array.from(pbkdf2Sync(utf8(password), this.salt, ITERATIONS, 32, 'sha256'));
  }
  seal(plaintext: string | Uint8Array, version: number, type = 'vault'): Container {
    const pt = typeof plaintext === 'string' ? utf8(plaintext) : plaintext;
    const iv = this.rng.bytes(16);
    const data = aesCtr(this.key, iv, pt);
    return { type, version, data: toB64(data), salt: toB64(this.salt), iv: toB64(iv), hmac: toB64(hmacPw(this.password, data)) };
  }
}

/** Decrypt a container produced by the reference (generator self-check). */
function openRaw(c: Record<string, JsonValue>, password: string): string {
  const key = pbkdf2Sync(utf8(password), fromB64(c.salt as string), ITERATIONS, 32, 'sha256');
  return Buffer.from(aesCtr(key, fromB64(c.iv as string), fromB64(c.data as string))).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Plaintext builders in Go struct order (§6.2), and the v2 form they migrate to.

const fp = (pub: string): string => sha256hex(keyDer(pub));

/** hash of an address (§2.2), for PoW data; inputs here are already normalised. */
function addressHash(addr: string): string {
  const body = addr.slice(0, -1);
  const at = body.indexOf('@');
  const local = at < 0 ? body : body.slice(0, at);
  const org = at < 0 ? '' : body.slice(at + 1);
  return sha256hex(sha256hex(local) + sha256hex(org));
}
/** First proof from 0 (pow.go IsValid), computed here independently of the reference. */
function powString(bits: number, data: string): string {
  for (let p = 0; ; p++) {
    const h = BigInt('0x' + sha256hex(Buffer.from(sha256hex(data + p.toString(16)), 'hex')));
    if (h < 1n << BigInt(256 - bits)) return `${bits}$${toB64(utf8(data))}$${p}`;
  }
}

interface Acct {
  address: string;
  name: string;
  settings: Record<string, string> | null;
  key: F.KeyPairText;
  proof?: string;
  routingId: string;
}
interface Org {
  addr: string;
  name: string;
  key: F.KeyPairText;
  pow?: string;
  validations: string[] | null;
}
const settingsGo = (s: Record<string, string> | null): GoValue => (s === null ? null : goMap(s));
function accountV1(a: Acct): GoValue {
  return { address: a.address, name: a.name, settings: settingsGo(a.settings), priv_key: a.key.privateKey, pub_key: a.key.publicKey, proof: a.proof, routing_id: a.routingId };
}
function orgV1(o: Org): GoValue {
  return { addr: o.addr, name: o.name, priv_key: o.key.privateKey, pub_key: o.key.publicKey, pow: o.pow, validations: o.validations };
}
function migratedKey(k: F.KeyPairText): JsonValue {
  return { generator: '', fingerprint: fp(k.publicKey), priv_key: k.privateKey, pub_key: k.publicKey, active: true };
}
/** What MigrateVault makes of a v1 account (migrate.go): one active key, generator "". */
function accountMigrated(a: Acct, normalisedAddress = a.address): JsonValue {
  const out: Record<string, JsonValue> = { address: normalisedAddress, name: a.name, settings: a.settings, Keys: [migratedKey(a.key)] };
  if (a.proof !== undefined) out.proof = a.proof;
  out.routing_id = a.routingId;
  return out;
}
function orgMigrated(o: Org, validations: string[] | null = o.validations): JsonValue {
  const out: Record<string, JsonValue> = { addr: o.addr, name: o.name, keys: [migratedKey(o.key)] };
  if (o.pow !== undefined) out.pow = o.pow;
  out.validations = validations;
  return out;
}

function keyV2(k: F.KeyPairText, active: boolean, generator = ''): { generator: string; fingerprint: string; priv_key: string; pub_key: string; active: boolean } {
  return { generator, fingerprint: fp(k.publicKey), priv_key: k.privateKey, pub_key: k.publicKey, active };
}
function storeKey(): { generator: string; fingerprint: string; priv_key: string; pub_key: string } {
  const m = F.MNEMONIC_ED25519;
  return { generator: m.entropyHex, fingerprint: m.fingerprint, priv_key: m.privateKey, pub_key: m.publicKey };
}

const ROUTING_1 = sha256hex('routing-1');
const ROUTING_2 = sha256hex('routing-2');

/** Go struct order of a v2 account (account.go:51-65) with settings as a sorted Go map. */
function accountV2Go(a: {
  address: string;
  redir?: string;
  name: string;
  settings: Record<string, string> | null;
  keys: ReturnType<typeof keyV2>[];
  proof?: string;
  routingId: string;
  storeKey?: ReturnType<typeof storeKey>;
}): GoValue {
  return { address: a.address, redir_address: a.redir, name: a.name, settings: settingsGo(a.settings), Keys: a.keys, proof: a.proof, routing_id: a.routingId, store_key: a.storeKey };
}
function orgV2Go(o: { addr: string; name: string; keys: ReturnType<typeof keyV2>[]; pow?: string; validations: string[] | null }): GoValue {
  return { addr: o.addr, name: o.name, keys: o.keys, pow: o.pow, validations: o.validations };
}
/** A Go value as the JSON value a reader gets back (maps become plain objects). */
const asJson = (v: GoValue): JsonValue => parseJsonLossless(goMarshal(v));

const REQ_CONTAINER = ['BM-VAULT-001', 'BM-VAULT-002', 'BM-VAULT-003', 'BM-VAULT-004'];
const REQ_OPEN = [...REQ_CONTAINER, 'BM-VAULT-005'];

export const file: VectorFileSpec = {
  name: 'vault_container',
  area: 'VAULT',
  requirements: ['BM-VAULT-001', 'BM-VAULT-005', 'BM-VAULT-008', 'BM-VAULT-012'],
  source: {
    kind: 'generated',
    note: 'The §6.3 vault is Go-produced (imported); every other container is generated from the file seed with the §6.1 primitives; expected v2 plaintexts are written from the §6.2 migration rules.',
  },
  header: [
    'Vault container: key = PBKDF2-HMAC-SHA256(UTF-8 password, salt64, 100002, 32); data = AES-256-CTR(key, iv16, plaintext); hmac = HMAC-SHA256(key = raw password, data).',
    'vault.open checks the HMAC first (mismatch → BadPassword), decrypts, decodes the plaintext of the container version (0 array, 1 single-key, 2 multi-key) and returns it migrated to version 2.',
    'Expected plaintexts are compared as JSON values (key order is not observable through vault.open); vault.create cases pin the exact plaintext bytes through the seeded ciphertext.',
    `Generated containers use the password ${JSON.stringify(PW)} and share one salt (one PBKDF2 to generate them); the IV differs per container.`,
    'Go adds a random store_key to accounts without one and re-writes the file on open (BM-VAULT-013); that step is random and not part of vault.open here.',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'The vault written by Go (client_library branch library/vault_test.go:32-41, spec/formats.md §6.3).', effect: 'An implementation that cannot open it cannot read real BitMaelum vaults.', links: ['spec/formats.md §6.3'] },
    Migration: { bugType: 'LEGACY', description: 'A version-0 (array) or version-1 (single key) plaintext that must be migrated to version 2: each single key becomes [{generator:"", fingerprint, priv_key, pub_key, active:true}].', effect: 'Vaults written by older clients fail to open or lose keys.', links: ['spec/formats.md §6.2', 'internal/vault/migrate.go'] },
    GoNilSlice: { bugType: 'GO_QUIRK', description: 'Migration appends to nil slices, so an empty account or organisation list comes out as null, not [] (v0 always migrates to "organisations": null).', effect: 'A reader that writes [] differs from Go when it re-writes the vault (harmless when read back).', links: ['internal/vault/migrate.go'] },
    GoJsonDecode: { bugType: 'GO_QUIRK', description: 'The plaintext is read with Go encoding/json rules: keys match struct fields case-insensitively (including U+212A KELVIN SIGN for k), unknown keys are ignored, the last duplicate wins, invalid UTF-8 and lone surrogate escapes become U+FFFD, any indentation or none is accepted.', effect: 'A strict or JavaScript-native reader rejects or misreads vaults Go reads.', links: ['spec/formats.md §4.5'] },
    GoJsonEncode: { bugType: 'INTEROP', description: 'The created plaintext is Go MarshalIndent output: struct field order, capital-K Keys for accounts and lower-case keys for organisations, settings keys sorted bytewise, <, >, & and U+2028/U+2029 escaped, omitempty fields dropped.', effect: 'A vault whose plaintext differs is still readable, but the seeded ciphertext differs from Go and from every other conforming implementation.', links: ['spec/formats.md §6.1', 'spec/formats.md §15 item 9'] },
    Normalisation: { bugType: 'EDGE_CASE', description: 'Addresses and validation types are parsed and written back in their normal form (lower case, no dots or dashes; validation type lower case).', effect: 'The re-written vault holds a different address than the resolver knows.', links: ['spec/formats.md §2.2', 'spec/formats.md §10.1'] },
    Deterministic: { bugType: 'BASIC', description: 'vault.create with a seed: salt = the first 64 bytes of the seeded stream, IV = the next 16, so the whole container is fixed.', links: ['ADAPTER.md "Messages"', 'internal/vault/container.go:73-119'] },
    PasswordEncoding: { bugType: 'EDGE_CASE', description: 'Empty or non-ASCII password: PBKDF2 and the HMAC take its UTF-8 bytes.', effect: 'UTF-16 or normalised passwords give a different key; the vault cannot be opened elsewhere.' },
    HmacKeyPadding: { bugType: 'EDGE_CASE', description: 'HMAC (RFC 2104) pads a key shorter than the hash block with zero bytes, so a password and the same password followed by NUL bytes give the same HMAC and PBKDF2 key; Go opens the vault with either.', effect: 'None for a conforming implementation (it is a property of HMAC); an implementation that refuses NUL in passwords differs from Go.', links: ['RFC 2104 §2'] },
    WrongPassword: { bugType: 'BASIC', description: 'Another password: the HMAC (keyed with the password) does not match, so the open fails before any decryption.', effect: 'Accepting it would decrypt garbage or leak timing about the key.', links: ['internal/vault/container.go:49-60'] },
    Tampered: { bugType: 'INTEGRITY', description: 'Ciphertext or HMAC modified or truncated: the HMAC over the ciphertext does not match (reported as "incorrect password", the only error Go has for it).', effect: 'Accepting it lets an attacker flip plaintext bits (AES-CTR is malleable).', links: ['spec/formats.md §6.1'] },
    UnauthenticatedParameters: {
      bugType: 'INTEGRITY',
      description: 'salt, iv, type and version are not covered by the HMAC: a modified value passes the HMAC check and the vault decrypts to garbage (a JSON error, not BadPassword) or is decoded as another version. Go has the same weakness; any error is acceptable.',
      effect: 'An attacker who can write the vault file can make it unreadable or relabel its layout without knowing the password; a reader must fail cleanly, never crash or loop.',
      links: ['spec/formats.md §15 item 8'],
    },
    MalformedContainer: { bugType: 'BASIC', description: 'A container field is missing, of the wrong JSON type or of the wrong length (Go: nil salt decrypts to garbage, an IV that is not 16 bytes panics, a missing HMAC never matches).', effect: 'A crash or a hang instead of an error.', links: ['internal/vault/container.go:39-47'] },
    UnsupportedVersion: { bugType: 'EDGE_CASE', description: 'A container version other than 0, 1 or 2 (Go: 3 fails after decrypting; a negative version makes MigrateVault loop forever).', effect: 'A hang or a misread plaintext.', links: ['internal/vault/migrate.go'] },
    MalformedPlaintext: { bugType: 'BASIC', description: 'The plaintext decrypts (HMAC ok) but is not a valid store: bad key string, invalid address, wrong JSON type, truncated JSON.', effect: 'A crash, or a vault that is written back without the broken entry.', links: ['internal/vault/encrypt.go:33-79'] },
    NonCanonicalBase64: { bugType: 'GO_QUIRK', description: 'Base64 whose last character carries non-zero padding bits: Go base64.StdEncoding (not Strict) accepts it and decodes the same bytes.', effect: 'A strict decoder refuses a vault Go opens.', links: ['spec/formats.md §10.9'] },
    ProofOfWorkString: { bugType: 'BASIC', description: 'An account proof of work is decoded by ProofOfWork.UnmarshalJSON: exactly three $-separated parts, Atoi bits, strict base64 data, Atoi proof (pow.go:88-114); a bad string makes the whole vault unreadable.', effect: 'Accepting it writes back a proof the resolver and the Go client cannot parse.', links: ['spec/formats.md §9'] },
  },
  async build(ctx) {
    const groups: GroupSpec[] = [];
    const sealer = new Sealer(ctx.rng, PW);
    const goPlain = parseJsonLossless(F.GO_VAULT_PLAINTEXT);
    const goVault = { ...F.GO_VAULT } as Record<string, JsonValue>;

    // ---- §6.3 Go-produced vault -----------------------------------------------------------
    const goSrc = { kind: 'imported' as const, ...GO_CLIENT_LIBRARY, path: 'library/vault_test.go', note: 'spec/formats.md §6.3: the vault file of the client_library test, password "pass"' };
    groups.push({
      op: 'vault.open',
      comment: 'the Go-produced vault of spec/formats.md §6.3',
      source: goSrc,
      cases: [
        { key: 'go-vault-pass', comment: 'the §6.3 Go vault opens with "pass" to its exact plaintext (version 2, store_key, Keys)', flags: ['GoKnownAnswer'], inputs: { vault: goVault, password: 'pass' }, result: 'valid', expected: { version: 2, plaintext: goPlain }, requirements: [...REQ_OPEN, 'BM-VAULT-007', 'BM-VAULT-010', 'BM-VAULT-012'] },
        ...([
          ['go-vault-wrong-case', 'Pass', 'another password (case differs)'],
          ['go-vault-empty-password', '', 'the empty password'],
          ['go-vault-trailing-space', 'pass ', 'the password with a trailing space (no trimming)'],
        ] as const).map(([key, password, what]): CaseSpec => ({ key, comment: `the §6.3 Go vault refuses ${what}`, flags: ['GoKnownAnswer', 'WrongPassword'], inputs: { vault: goVault, password }, result: 'invalid', errorClass: 'BadPassword', requirements: ['BM-VAULT-004', 'BM-VAULT-005', 'BM-VAULT-012'] })),
        {
          key: 'go-vault-nul-padded-password',
          comment: 'the §6.3 Go vault also opens with "pass\\u0000": HMAC (and so PBKDF2) pads a short key with zero bytes, so the two passwords are the same key',
          flags: ['GoKnownAnswer', 'HmacKeyPadding'],
          inputs: { vault: goVault, password: 'pass\u0000' },
          result: 'acceptable',
          expected: { version: 2, plaintext: goPlain },
          requirements: ['BM-VAULT-002', 'BM-VAULT-004'],
        },
      ],
    });

    // ---- Tampering with the Go vault ------------------------------------------------------
    const data = fromB64(F.GO_VAULT.data);
    const hmac = fromB64(F.GO_VAULT.hmac);
    const iv = fromB64(F.GO_VAULT.iv);
    const salt = fromB64(F.GO_VAULT.salt);
    const withField = (k: string, v: JsonValue | undefined): Record<string, JsonValue> => {
      const c: Record<string, JsonValue> = { ...goVault };
      if (v === undefined) delete c[k];
      else c[k] = v;
      return c;
    };
    const tamper = (key: string, comment: string, vault: Record<string, JsonValue>, extra: Partial<CaseSpec> = {}): CaseSpec => ({
      key,
      comment,
      flags: ['Tampered'],
      inputs: { vault, password: 'pass' },
      result: 'invalid',
      errorClass: 'BadPassword',
      mutant: true,
      requirements: ['BM-VAULT-004', 'BM-VAULT-005'],
      ...extra,
    });
    const malformed = (key: string, comment: string, vault: Record<string, JsonValue>, also: string[] = []): CaseSpec => ({
      key,
      comment,
      flags: ['MalformedContainer'],
      inputs: { vault, password: 'pass' },
      result: 'invalid',
      errorClass: 'InvalidInput',
      ...(also.length ? { alsoAllowedErrorClasses: also } : {}),
      mutant: true,
      requirements: ['BM-VAULT-001'],
    });
    const unauth = (key: string, comment: string, vault: Record<string, JsonValue>, flags: string[] = ['UnauthenticatedParameters'], reqs = ['BM-VAULT-004']): CaseSpec => ({
      key,
      comment,
      flags,
      inputs: { vault, password: 'pass' },
      result: 'acceptable',
      mutant: true,
      requirements: reqs,
    });
    groups.push({
      op: 'vault.open',
      comment: 'the §6.3 vault with one field modified',
      source: { kind: 'derived', ...GO_CLIENT_LIBRARY, path: 'library/vault_test.go', note: 'mutations of the §6.3 vault' },
      cases: [
        tamper('flip-data-first-bit', 'first ciphertext bit flipped: HMAC mismatch', withField('data', toB64(flip(data, 0)))),
        tamper('flip-data-last-byte', 'last ciphertext byte flipped (0x80): HMAC mismatch', withField('data', toB64(flip(data, -1, 0x80)))),
        tamper('truncate-data', 'ciphertext without its last byte: HMAC mismatch', withField('data', toB64(data.subarray(0, data.length - 1)))),
        tamper('extend-data', 'one byte appended to the ciphertext: HMAC mismatch', withField('data', toB64(cat(data, new Uint8Array([0]))))),
        tamper('flip-hmac-first-bit', 'first HMAC bit flipped', withField('hmac', toB64(flip(hmac, 0)))),
        tamper('flip-hmac-last-bit', 'last HMAC bit flipped', withField('hmac', toB64(flip(hmac, -1)))),
        tamper('hmac-of-empty', 'hmac = HMAC-SHA256("pass", "") (the MAC of an empty file)', withField('hmac', toB64(hmacPw('pass', new Uint8Array(0))))),
        tamper('hmac-with-derived-key', 'hmac keyed with the PBKDF2 key instead of the raw password (a plausible implementation mistake) does not match', withField('hmac', toB64(Uint8Array.from(createHmac('sha256', pbkdf2Sync('pass', salt, ITERATIONS, 32, 'sha256')).update(data).digest())))),
        unauth('flip-iv-first-bit', 'first IV bit flipped: the HMAC (over data only) still matches, the plaintext is garbage → an error other than BadPassword (Go: migration error)', withField('iv', toB64(flip(iv, 0)))),
        unauth('flip-salt-first-bit', 'first salt bit flipped: the HMAC still matches, the derived key differs, the plaintext is garbage', withField('salt', toB64(flip(salt, 0)))),
        unauth('version-2-as-1', 'version relabelled 2 → 1 (unauthenticated): the v2 plaintext decoded as v1 has no priv_key/pub_key → error (Go dereferences nil keys)', withField('version', 1), ['UnauthenticatedParameters', 'Migration'], ['BM-VAULT-004', 'BM-VAULT-008']),
        {
          key: 'type-vault-export',
          comment: 'type relabelled "vault-export": Go never looks at type and opens the vault (acceptable: refusing is safer)',
          flags: ['UnauthenticatedParameters'],
          inputs: { vault: withField('type', 'vault-export'), password: 'pass' },
          result: 'acceptable',
          expected: { version: 2, plaintext: goPlain },
          requirements: ['BM-VAULT-001', 'BM-VAULT-004'],
        },
        {
          key: 'iv-noncanonical-base64',
          comment: 'iv written with non-zero padding bits ("…VZIx==" for "…VZIw=="): Go decodes the same 16 bytes and opens the vault',
          flags: ['NonCanonicalBase64'],
          inputs: { vault: withField('iv', F.GO_VAULT.iv.replace(/w==$/, 'x==')), password: 'pass' },
          result: 'acceptable',
          expected: { version: 2, plaintext: goPlain },
          requirements: ['BM-VAULT-001'],
        },
        malformed('missing-data', 'no data field', withField('data', undefined), ['BadPassword']),
        malformed('missing-salt', 'no salt field (Go: nil salt, garbage plaintext)', withField('salt', undefined)),
        malformed('missing-iv', 'no iv field (Go: cipher.NewCTR panics on a nil IV)', withField('iv', undefined)),
        malformed('missing-hmac', 'no hmac field (Go: a nil MAC never matches → "incorrect password")', withField('hmac', undefined), ['BadPassword']),
        malformed('data-not-base64', 'data is not base64', withField('data', '!!!!')),
        malformed('data-number', 'data is a JSON number', withField('data', 12345)),
        malformed('iv-12-bytes', 'a 12-byte IV (Go panics in cipher.NewCTR)', withField('iv', toB64(iv.subarray(0, 12)))),
        malformed('hmac-31-bytes', 'a 31-byte HMAC can never match', withField('hmac', toB64(hmac.subarray(0, 31))), ['BadPassword']),
        malformed('type-number', 'type is a JSON number (Go: json unmarshal error)', withField('type', 42)),
        malformed('version-string', 'version is the JSON string "2" (Go: json unmarshal error)', withField('version', '2')),
        { ...malformed('version-3', 'version 3: newer than any layout Go reads ("error while running migrations")', withField('version', 3)), flags: ['UnsupportedVersion'], requirements: ['BM-VAULT-008'] },
        { ...malformed('version-negative', 'version -1: Go loops forever in MigrateVault; a reader must refuse', withField('version', -1)), flags: ['UnsupportedVersion'], requirements: ['BM-VAULT-008'] },
        { ...malformed('container-array', 'the container is a JSON array, not an object', {}), inputs: { vault: [], password: 'pass' } },
      ],
    });

    // ---- Generated v0 / v1 containers that migrate to v2 ----------------------------------
    const alice: Acct = { address: 'alice@acme!', name: 'Alice', settings: { theme: 'dark', lang: 'nl' }, key: F.GO_ED25519_3, proof: powString(8, addressHash('alice@acme!')), routingId: ROUTING_1 };
    const bob: Acct = { address: 'bob!', name: '', settings: null, key: F.GO_KEY_1, routingId: '' };
    const carol: Acct = { address: 'carol!', name: 'Carol', settings: {}, key: F.GO_PRIVKEY_ECDSA, routingId: ROUTING_2 };
    const acme: Org = { addr: 'acme', name: 'ACME Inc.', key: F.GO_ED25519_4, pow: powString(8, sha256hex('acme')), validations: ['dns acme.example', 'kb acme', 'gpg 0xDEADBEEF'] };
    const bare: Org = { addr: 'bare', name: '', key: F.GO_ED25519_2, validations: null };

    const migrate = (key: string, comment: string, plaintext: string | Uint8Array, version: number, expected: JsonValue, flags: string[], reqs: string[] = []): CaseSpec => ({
      key,
      comment,
      flags,
      inputs: { vault: sealer.seal(plaintext, version) as unknown as JsonValue, password: PW },
      result: 'valid',
      expected: { version, plaintext: expected },
      requirements: [...REQ_OPEN, 'BM-VAULT-008', 'BM-VAULT-009', ...reqs],
    });
    const v0 = (accts: Acct[]): string => goMarshalIndent(accts.map(accountV1));
    const v1 = (accts: Acct[], orgs: Org[]): string => goMarshalIndent({ accounts: accts.map(accountV1), organisations: orgs.map(orgV1) });
    groups.push({
      op: 'vault.open',
      comment: 'version 0 and 1 containers, migrated to version 2 on open',
      source: { kind: 'generated' },
      cases: [
        migrate('v0-one-account', 'v0: one ed25519 account with settings and proof → v2 with one active key; organisations null', v0([alice]), 0, { accounts: [accountMigrated(alice)], organisations: null }, ['Migration', 'GoNilSlice']),
        migrate('v0-two-accounts', 'v0: an RSA account without proof or settings and an ECDSA account with empty settings', v0([bob, carol]), 0, { accounts: [accountMigrated(bob), accountMigrated(carol)], organisations: null }, ['Migration', 'GoNilSlice']),
        migrate('v0-empty', 'v0: an empty array → accounts null, organisations null', '[]', 0, { accounts: null, organisations: null }, ['Migration', 'GoNilSlice']),
        migrate('v1-accounts-organisations', 'v1: two accounts and two organisations (one with pow and validations, one with null validations)', v1([alice, bob], [acme, bare]), 1, { accounts: [accountMigrated(alice), accountMigrated(bob)], organisations: [orgMigrated(acme), orgMigrated(bare)] }, ['Migration'], ['BM-VAULT-010']),
        migrate('v1-empty-organisations', 'v1: "organisations": [] migrates to null', v1([carol], []), 1, { accounts: [accountMigrated(carol)], organisations: null }, ['Migration', 'GoNilSlice']),
        migrate(
          'v1-normalise',
          'v1: address "Al.ice@AC-ME!" and validation "DNS acme.example" are written back normalised',
          v1([{ ...alice, address: 'Al.ice@AC-ME!' }], [{ ...acme, validations: ['DNS acme.example'] }]),
          1,
          { accounts: [accountMigrated(alice, 'alice@acme!')], organisations: [orgMigrated(acme, ['dns acme.example'])] },
          ['Migration', 'Normalisation'],
        ),
      ],
    });

    // ---- Generated v2 containers --------------------------------------------------------------
    const weird = 'Al <b> & "Q" \\ \u2028\u2029 \u00e9 \u2603 \ud83d\ude00 \u0001\t';
    const rich = {
      accounts: [
        accountV2Go({
          address: 'alice@acme!',
          redir: 'alice!',
          name: weird,
          settings: { '10': 'ten', '9': 'nine', B: 'upper', a: '<tag>', '': 'empty key', 'é': 'accent' },
          keys: [keyV2(F.GO_ED25519_1, false), keyV2(F.GO_ED25519_3, true, 'deadbeef')],
          proof: alice.proof,
          routingId: ROUTING_1,
          storeKey: storeKey(),
        }),
        accountV2Go({ address: 'bob!', name: '', settings: null, keys: [keyV2(F.GO_KEY_1, true)], routingId: '' }),
      ],
      organisations: [orgV2Go({ addr: 'acme', name: 'ACME & Co <HQ>', keys: [keyV2(F.GO_ED25519_4, true), keyV2(F.GO_PRIVKEY_ECDSA, false)], pow: acme.pow, validations: ['dns acme.example', 'gpg 0xDEADBEEF'] })],
    } satisfies GoValue;
    const richText = goMarshalIndent(rich);
    const richJson = asJson(rich);
    const mixed = {
      accounts: [
        accountV2Go({ address: 'carol!', name: 'Carol', settings: {}, keys: [keyV2(F.GO_PRIVKEY_ECDSA, true)], routingId: ROUTING_2 }),
        accountV2Go({ address: 'dave@acme!', name: 'Dave', settings: null, keys: [keyV2(F.RSA4096_FIXTURE, true), keyV2(F.GO_KEY_2, false)], routingId: ROUTING_1, storeKey: storeKey() }),
      ],
      organisations: [],
    } satisfies GoValue;

    // Go-JSON decoding edge cases, written by hand: key spellings, unknown keys, duplicates.
    const spelled = `{
  "ACCOUNTS": [
    {
      "Address": "alice@acme!",
      "NAME": "first",
      "name": "last one wins",
      "settings": {"x": null},
      "\u212aeys": [
        {"Generator": "", "FINGERPRINT": "${fp(F.GO_ED25519_1.publicKey)}", "priv_KEY": "${F.GO_ED25519_1.privateKey}", "pub_key": "${F.GO_ED25519_1.publicKey}", "Active": true}
      ],
      "Routing_ID": "${ROUTING_1}",
      "unknown": {"nested": [1, 2, 3]},
      "store_key": null
    }
  ],
  "Organisations": [
    {"ADDR": "acme", "name": "ACME", "keys": [{"generator": "", "fingerprint": "${fp(F.GO_ED25519_4.publicKey)}", "priv_key": "${F.GO_ED25519_4.privateKey}", "pub_key": "${F.GO_ED25519_4.publicKey}", "active": false}], "validations": [], "pow": null}
  ],
  "extra": true
}`;
    const spelledExpected: JsonValue = {
      accounts: [{ address: 'alice@acme!', name: 'last one wins', settings: { x: '' }, Keys: [keyV2(F.GO_ED25519_1, true)], routing_id: ROUTING_1 }],
      organisations: [{ addr: 'acme', name: 'ACME', keys: [keyV2(F.GO_ED25519_4, false)], validations: [] }],
    };
    // String escapes and invalid UTF-8 inside a name (raw bytes: 0xff in the middle).
    const escapedName = '"\\u003cb\\u003e \\u0026 \\ud83d\\ude00 \\ud800 \\/ \\"q\\" \\u00e9 \u00e9 X';
    const escText = goMarshalIndent({ accounts: [accountV2Go({ address: 'esc!', name: '@@NAME@@', settings: null, keys: [keyV2(F.GO_ED25519_2, true)], routingId: '' })], organisations: null });
    const [before, after] = escText.split('"@@NAME@@"') as [string, string];
    const escBytes = cat(utf8(before + escapedName), new Uint8Array([0xff]), utf8('Y"' + after));
    const escExpected: JsonValue = { accounts: [{ address: 'esc!', name: '<b> & \ud83d\ude00 \ufffd / "q" \u00e9 \u00e9 X\ufffdY', settings: null, Keys: [keyV2(F.GO_ED25519_2, true)], routing_id: '' }], organisations: null };

    const v2 = (key: string, comment: string, plaintext: string | Uint8Array, expected: JsonValue, flags: string[], reqs: string[] = []): CaseSpec => ({
      key,
      comment,
      flags,
      inputs: { vault: sealer.seal(plaintext, 2) as unknown as JsonValue, password: PW },
      result: 'valid',
      expected: { version: 2, plaintext: expected },
      requirements: [...REQ_OPEN, 'BM-VAULT-007', ...reqs],
    });
    groups.push({
      op: 'vault.open',
      comment: 'version 2 containers: organisations, store_key, redir_address, settings, several keys, Go-JSON decoding',
      source: { kind: 'generated' },
      cases: [
        v2('v2-rich', 'v2: redir_address, store_key, two keys (second active), settings with numeric/empty/non-ASCII keys, HTML and U+2028 in names, an organisation with two keys', richText, richJson, ['GoJsonDecode'], ['BM-VAULT-010']),
        v2('v2-mixed-key-types', 'v2: ecdsa, rsa4096 and rsa account keys, empty settings object, empty organisations list', goMarshalIndent(mixed), asJson(mixed), [], ['BM-VAULT-010']),
        v2('v2-compact', 'v2: the same store written compactly (json.Marshal, no indentation) with a trailing newline is read the same', goMarshal(rich) + '\n', richJson, ['GoJsonDecode']),
        v2('v2-empty-lists', 'v2: "accounts": [] and "organisations": [] stay empty lists', '{\n  "accounts": [],\n  "organisations": []\n}', { accounts: [], organisations: [] }, []),
        v2('v2-key-spellings', 'v2: field names in other cases ("ACCOUNTS", "Address", "\u212aeys" with KELVIN SIGN for Keys), a duplicate name (last wins), unknown keys, a null settings value and null store_key/pow', spelled, spelledExpected, ['GoJsonDecode'], ['BM-VAULT-010']),
        v2('v2-string-escapes', 'v2: a name with \\u003c escapes, a surrogate pair, a lone surrogate (→ U+FFFD), an escaped slash and a raw 0xff byte (→ U+FFFD)', escBytes, escExpected, ['GoJsonDecode']),
      ],
    });

    // ---- Plaintexts that decrypt but do not decode (HMAC ok) ----------------------------------
    const plainBad = (key: string, comment: string, plaintext: string | Uint8Array, version = 2, flags = ['MalformedPlaintext'], reqs = ['BM-VAULT-008']): CaseSpec => ({
      key,
      comment,
      flags,
      inputs: { vault: sealer.seal(plaintext, version) as unknown as JsonValue, password: PW },
      result: 'invalid',
      errorClass: 'InvalidInput',
      mutant: true,
      requirements: reqs,
    });
    const goodStore = goMarshalIndent({ accounts: [accountV2Go({ address: 'bob!', name: 'Bob', settings: null, keys: [keyV2(F.GO_ED25519_2, true)], routingId: '' })], organisations: [] });
    const pt = utf8(goodStore);
    groups.push({
      op: 'vault.open',
      comment: 'containers whose HMAC is right but whose plaintext is not a valid store',
      source: { kind: 'generated' },
      cases: [
        plainBad('plaintext-bad-private-key', 'v2: priv_key is not a key string', goodStore.replace(F.GO_ED25519_2.privateKey, 'ed25519 AAAA')),
        plainBad('plaintext-bad-address', 'v2: address "a!" is too short', goodStore.replace('"bob!"', '"a!"')),
        plainBad('plaintext-name-number', 'v2: name is a number (Go: json type error)', goodStore.replace('"Bob"', '42')),
        plainBad('plaintext-truncated', 'v2: the plaintext cut in the middle, encrypted and MACed (HMAC over ciphertext only) → JSON error', pt.subarray(0, pt.length >> 1)),
        plainBad('plaintext-v2-as-v0', 'a v2 plaintext in a version-0 container (the object is not an array)', goodStore, 0, ['MalformedPlaintext', 'Migration']),
      ],
    });

    // ---- vault.create -----------------------------------------------------------------------
    const create = (key: string, comment: string, plaintext: JsonValue, password: string, flags: string[], reqs: string[] = []): CaseSpec => ({
      key,
      comment,
      flags: ['Deterministic', ...flags],
      inputs: { password, plaintext },
      seed: ctx.caseSeed(key),
      result: 'valid',
      requirements: ['BM-VAULT-001', 'BM-VAULT-002', 'BM-VAULT-003', 'BM-VAULT-004', 'BM-VAULT-007', ...reqs],
    });
    const createCases: CaseSpec[] = [
      create('create-go-plaintext', 'the §6.3 plaintext, password "pass": the decrypted container is byte-identical to the §6.3 plaintext', goPlain, 'pass', ['GoJsonEncode'], ['BM-VAULT-010']),
      create('create-rich', 'organisations, store_key, redir_address, two keys, settings keys "10" "9" "B" "a" "" "é" (sorted bytewise), <, &, U+2028 and control characters in names', richJson, PW, ['GoJsonEncode'], ['BM-VAULT-010']),
      create('create-empty', 'an empty store {"accounts": [], "organisations": []}', { accounts: [], organisations: [] }, PW, []),
      create('create-unicode-password', 'password "pässwörd ☃ 😀" (UTF-8 bytes into PBKDF2 and the HMAC)', goPlain, 'pässwörd ☃ 😀', ['PasswordEncoding']),
      create('create-empty-password', 'the empty password (Go allows it)', goPlain, '', ['PasswordEncoding']),
    ];
    // Not a canonical v2 store (so `acceptable`), but Go decodes "keys" into Keys and drops unknown
    // fields: the container Go would write is recorded as the expected answer.
    const spellingsPlain: JsonValue = { accounts: [{ address: 'bob!', name: 'Bob', settings: null, keys: [keyV2(F.GO_ED25519_2, true)], routing_id: '', colour: 'blue' }], organisations: [] };
    const spellingsSeed = ctx.caseSeed('create-key-spellings');
    const spellingsVault = (await ctx.must('vault.create', { password: PW, plaintext: spellingsPlain }, { seed: spellingsSeed })).vault as Record<string, JsonValue>;
    const spellingsText = goMarshalIndent({ accounts: [accountV2Go({ address: 'bob!', name: 'Bob', settings: null, keys: [keyV2(F.GO_ED25519_2, true)], routingId: '' })], organisations: [] });
    if (openRaw(spellingsVault, PW) !== spellingsText) throw new Error('vault_container: create-key-spellings plaintext differs from the Go-JSON text');
    createCases.push({
      key: 'create-key-spellings',
      comment: 'input with "keys" (lower case) for an account and an unknown field: Go writes "Keys" and drops the unknown field (recorded answer); refusing the non-canonical input is also acceptable',
      flags: ['Deterministic', 'GoJsonEncode', 'GoJsonDecode'],
      inputs: { password: PW, plaintext: spellingsPlain },
      seed: spellingsSeed,
      result: 'acceptable',
      expected: { vault: spellingsVault },
      requirements: ['BM-VAULT-007', 'BM-VAULT-010'],
    });
    const createBad = (key: string, comment: string, plaintext: JsonValue, flags = ['MalformedPlaintext'], reqs = ['BM-VAULT-008']): CaseSpec => ({
      key,
      comment,
      flags,
      inputs: { password: PW, plaintext },
      seed: ctx.caseSeed(key),
      result: 'invalid',
      errorClass: 'InvalidInput',
      requirements: reqs,
    });
    const oneAccount = (patch: Record<string, JsonValue>): JsonValue => ({ accounts: [{ address: 'bob!', name: 'Bob', settings: null, Keys: [keyV2(F.GO_ED25519_2, true)], routing_id: '', ...patch }], organisations: [] });
    const createInvalid: CaseSpec[] = [
      createBad('create-v0-array', 'a v0 array is not a version-2 store', [asJson(accountV1(bob))]),
      createBad('create-bad-address', 'an account address that does not parse ("a!")', oneAccount({ address: 'a!' })),
      createBad('create-bad-private-key', 'a Keys entry whose priv_key is not a key', oneAccount({ Keys: [{ ...keyV2(F.GO_ED25519_2, true), priv_key: 'ed25519 AAAA' }] })),
      createBad('create-bad-validation', 'an organisation validation of unknown type "web acme.example"', { accounts: [], organisations: [{ addr: 'acme', name: 'ACME', keys: [keyV2(F.GO_ED25519_4, true)], validations: ['web acme.example'] }] }),
      createBad('create-settings-number', 'a settings value that is a number (map[string]string)', oneAccount({ settings: { a: 1 } })),
    ];
    // Proof-of-work strings the Go parser refuses (pow_test.go parse errors and non-decimal proofs):
    // ProofOfWork.UnmarshalJSON runs while the plaintext is decoded, before any PBKDF2.
    const badProofs: [string, string][] = [
      ['pow-two-parts', '8$am9obkBleGFtcGxlI'],
      ['pow-data-not-base64', '3$a$1'],
      ['pow-proof-letters', '8$a$b'],
      ['pow-bits-letters', 'abc$am9obkBleGFtcGxlIQ==$149'],
      ['pow-proof-word', '7$am9obkBleGFtcGxlIQ==$foobar'],
      ['pow-proof-hex', '8$am9obkBleGFtcGxlIQ==$0x95'],
      ['pow-proof-exponent', '8$am9obkBleGFtcGxlIQ==$1e2'],
      ['pow-proof-space', '8$am9obkBleGFtcGxlIQ==$ 149'],
      ['pow-proof-fraction', '8$am9obkBleGFtcGxlIQ==$149.0'],
      ['pow-proof-empty', '8$am9obkBleGFtcGxlIQ==$'],
      ['pow-proof-overflow', '8$am9obkBleGFtcGxlIQ==$9223372036854775808'],
      ['pow-four-parts', '8$am9obkBleGFtcGxlIQ==$149$1'],
    ];
    for (const [key, proof] of badProofs) {
      createInvalid.push({
        ...createBad(`create-${key}`, `account proof ${JSON.stringify(proof)} does not parse (pow.go:88-114)`, oneAccount({ proof }), ['ProofOfWorkString'], ['BM-POW-003', 'BM-VAULT-008']),
        alsoAllowedErrorClasses: ['InvalidProof'],
      });
    }
    groups.push({ op: 'vault.create', comment: 'vault.create from a seed: the container is fixed byte for byte', source: { kind: 'generated' }, cases: createCases });
    groups.push({ op: 'vault.create', comment: 'vault.create refuses plaintexts that are not a valid version-2 store (no PBKDF2 needed)', source: { kind: 'generated' }, cases: createInvalid });

    // Self-check: the reference's seeded container for the §6.3 plaintext decrypts to the exact
    // §6.3 bytes (the reference is the source of `expected` for create cases).
    const checks = [
      ['create-go-plaintext', goPlain, 'pass', F.GO_VAULT_PLAINTEXT],
      ['create-rich', richJson, PW, richText],
    ] as const;
    for (const [key, plaintext, password, text] of checks) {
      const r = await ctx.must('vault.create', { password, plaintext }, { seed: ctx.caseSeed(key) });
      const got = openRaw(r.vault as Record<string, JsonValue>, password);
      if (got !== text) throw new Error(`vault_container: ${key}: reference plaintext differs from the Go-JSON text:\n${got}\n---\n${text}`);
    }
    return groups;
  },
};
