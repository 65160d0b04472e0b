/**
 * Helpers shared by the crypto-family generators (key_parse, key_generate, signature_*,
 * key_exchange, secret_encryption, authorization, resolver_auth, hash_string): Go provenance,
 * the check that imported Go test data still matches its recorded SHA-256, and byte mutations.
 * The message family (_msgfamily.ts, catalog, message) takes GO_SUITE, sha256hex and flip from here.
 * Generators only: nothing here is protocol code.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromB64, toB64 } from '../../harness/protocol/bytes.ts';
import { GO_TESTDATA_DIR } from '../../harness/protocol/gotestdata.ts';
import type { Source } from './_framework.ts';

/** The Go implementation the digest (spec/formats.md) was read from. */
export const GO_SUITE = { repository: 'bitmaelum/bitmaelum-suite', commit: '95952d193fb9f2f4be9160453eb4c11954b629bf' } as const;

/** The client_library branch of the same repository, where the §6.3 vault (library/vault_test.go) was written. */
export const GO_CLIENT_LIBRARY = { repository: GO_SUITE.repository, commit: '30d9a3a70995214f25ce867fe70292f86020971f' } as const;


/**
 * SHA-256 of each imported `testdata/` file at {@link GO_SUITE} (spec/formats.md §11). The
 * generators embed the keys through harness/protocol/fixtures.ts; {@link goTestdataSource} checks,
 * when the folder is present, that the file still has this hash and holds exactly those strings.
 */
export const TESTDATA_SHA256: Record<string, string> = {
  'header-003.json': '36555346f0e9f7cb44ee490ae0e49464b7f92ce92f0b07df8d6c987d67335136',
  'key-1.json': 'c50d1ccf7f05bb523fa0a70dfe4641dc30d0c6e6819972dc7715b2df09aeb40e',
  'key-2.json': '6ae52152ece5dbb9f9ccb97036fe67be0b10dd4e72848eee924a23a151e68713',
  'key-3.json': '7e98efc0d6d82a91e4ada48b47dc63d00a44541a057636442d07bf36797ed742',
  'key-4.json': 'aa51e47d93a10916a0c5fe17a5b4c83a86134a82071a04a578dc4d46acb86075',
  'key-5.json': 'cad9d6dde7770072516b38c83b97a2896f76d98a410006f16c2048d8effff053',
  'key-6.json': '567ba3af00bb270baec245e0050e0999154bbd94d5b732a51009005f65de9eb8',
  'key-7.json': '8d287c5692273cace99d2d0161c07461ad1974fa246585ce38261fcaa8387fdc',
  'key-8.json': 'd8a3ffe42e82cecd2b99f288c68d2b97f0f451acd3227fc7db01647ddf62e936',
  'key-ed25519-1.json': '83b039fa569b9c78b7be02672add76cb3308677edb7e88073033997f749c5f10',
  'key-ed25519-2.json': '8d3e717d1af67fd570599a188bc3806b8288c7cd243d6e8ceced2167a977e828',
  'key-ed25519-3.json': '3e479b4719ab41820671358d553936dc7a1c902bcecb4c0f550d9748adee7554',
  'key-ed25519-4.json': '04ac0327d75115d65094353362a83d1956100470e3618b96272e80917b107c26',
  'privkey.ecdsa': 'f3841e2cc2a69cc64f07b130d61ebccbdb0f1c91db9d59efd677222524b86416',
  'privkey.ed25519': '1ea0f521ebb2df3ca2bb62674ff295144cbf3d69649032dfa9bf2df576ff7618',
  'privkey.rsa': 'd69ce61d6f2754ddbb640ad4e17c4eaa1283119cc031a3fe6fa1687a92521dc9',
  'pubkey.ecdsa': '7399e75b4a05df73d261c341ecd5fd1c4ef39678f94623b031dbcdc68aa53f9d',
  'pubkey.ed25519': '5f961c16a71a47c3a1681ed3154e06686c6e116df94b2c6fde543d4047dd404d',
  'pubkey.rsa': 'a89ac1442483e5f18a24c3637454ec131c31970cf9b943b10849c5ad5de47673',
  'routing.json': '18923a93a1b7095e8516812372ce43f232e49a80ceda5089923991fe944c0d66',
};

/**
 * Group source for one imported testdata file. When the Go testdata folder is present, the file's
 * SHA-256 must equal the recorded one and every string in `mustContain` must occur in it verbatim,
 * so a fixture that drifted from Go's data stops the generator.
 */
export function goTestdataSource(file: string, mustContain: string[] = [], note?: string): Source {
  const sha256 = TESTDATA_SHA256[file];
  if (!sha256) throw new Error(`generator: no recorded SHA-256 for testdata/${file}`);
  const p = join(GO_TESTDATA_DIR, file); // absent off the build machine: the check is then skipped
  if (existsSync(p)) {
    const body = readFileSync(p);
    const got = createHash('sha256').update(body).digest('hex');
    if (got !== sha256) throw new Error(`generator: testdata/${file} has SHA-256 ${got}, recorded ${sha256}`);
    const text = body.toString('utf8');
    for (const s of mustContain) if (!text.includes(s)) throw new Error(`generator: testdata/${file} does not contain the fixture ${s.slice(0, 40)}…`);
  }
  return { kind: 'imported', ...GO_SUITE, path: `testdata/${file}`, sha256, ...(note ? { note } : {}) };
}

/** The base64 part of a key string ("<type> <b64>[ <description>]"). */
export function keyB64(text: string): string {
  return text.split(' ')[1]!;
}
/** The DER of a key string. */
export function keyDer(text: string): Uint8Array {
  return fromB64(keyB64(text));
}
/** A key string with `type` and DER. */
export function keyText(type: string, der: Uint8Array): string {
  return `${type} ${toB64(der)}`;
}

/** A copy of `b` with `mask` XOR-ed into byte `i` (negative i counts from the end); an index outside `b` is a generator bug. */
export function flip(b: Uint8Array, i: number, mask = 0x01): Uint8Array {
  const out = Uint8Array.from(b);
  const j = i < 0 ? out.length + i : i;
  if (j < 0 || j >= out.length) throw new Error(`generator: flip index ${i} outside ${out.length} bytes`);
  out[j]! ^= mask;
  return out;
}

/** Concatenation. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** Little-endian bytes ↔ bigint (Ed25519 scalars). */
export function leToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}
export function bigintToLe(v: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Hex of a UTF-8 string's SHA-256 (hash.New). */
export function sha256hex(s: string | Uint8Array): string {
  return createHash('sha256').update(s).digest('hex');
}
export function sha256bytes(s: string | Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(s).digest());
}
