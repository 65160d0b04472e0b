/**
 * Test-only access to the Go repository's own `testdata/` (spec/formats.md §11), copied with its
 * MIT licence and recorded hashes into vectors/external/ so a clean checkout has it. Override
 * the folder with `BM_GO_TESTDATA`.
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
