/**
 * Test-only access to the Go repository's own `testdata/` (spec/formats.md §11), copied with its
 * MIT licence and recorded hashes into vectors/external/ so a clean checkout has it. Override
 * the folder with `BM_GO_TESTDATA`. Used by the protocol and adapter tests, the vector generators
 * and the bench, so public to the repository like fixtures.ts; not exported by protocol/index.ts.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GO_TESTDATA_DIR =
  process.env.BM_GO_TESTDATA ?? fileURLToPath(new URL('../../vectors/external/bitmaelum-suite-testdata', import.meta.url));

export function goTestdata(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(GO_TESTDATA_DIR, name)));
}

export function goTestdataText(name: string): string {
  return readFileSync(join(GO_TESTDATA_DIR, name), 'utf8');
}

export function goTestdataJson(name: string): unknown {
  return JSON.parse(goTestdataText(name));
}

/** `{private_key, public_key}` of a `key-*.json` file. */
export function goKeyFile(name: string): { privateKey: string; publicKey: string } {
  const j = goTestdataJson(name) as { private_key: string; public_key: string };
  return { privateKey: j.private_key, publicKey: j.public_key };
}

/** One Go known answer of vectors/external/go-seeded-rsa/seeded_rsa.json. */
export interface GoSeededRsaCase {
  key_type: 'rsa' | 'rsa4096';
  seed_hex: string;
  generator: string;
  mnemonic: string;
  private_key: string;
  public_key: string;
  fingerprint: string;
  raw: { rsa_bits: number; rsa_n_hex: string; rsa_e: number; rsa_d_hex: string; rsa_p_hex: string; rsa_q_hex: string };
}

/** The Go seeded-RSA known answers (2048 and 4096 bits), copied with provenance into vectors/external/. */
export const GO_SEEDED_RSA_FILE = fileURLToPath(new URL('../../vectors/external/go-seeded-rsa/seeded_rsa.json', import.meta.url));

export function goSeededRsaCases(): GoSeededRsaCase[] {
  return (JSON.parse(readFileSync(GO_SEEDED_RSA_FILE, 'utf8')) as { cases: GoSeededRsaCase[] }).cases;
}
