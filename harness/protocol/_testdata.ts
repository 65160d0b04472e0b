/**
 * Test-only access to the Go repository's own `testdata/` (spec/formats.md §11), kept read-only
 * outside the repo (DESIGN.md "external-vectors"). Override the folder with `BM_GO_TESTDATA`.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const GO_TESTDATA_DIR = process.env.BM_GO_TESTDATA ?? '/work/shared/external-vectors/bitmaelum-suite-testdata';

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
