/**
 * The record of the last run of every vector case through the real Go code (issue 16): the Go
 * adapter in implementations/go-bitmaelum-suite-95952d1/adapter judged by the library suite.
 *
 * Two files in that folder hold it: `verified.json` (data, written by
 * harness/record-verification.ts from a run's report.json) and `VERIFIED.md` (the same for
 * people). Both name the manifest they verified by its SHA-256 (the bytes of
 * vectors/manifest.json, as the report's `vectors.manifest_sha256`).
 *
 * `npm run vectors:check` ({@link verificationProblems}) fails when the manifest no longer has
 * that hash, unless VERIFIED.md says "not yet re-verified" and names every vector file whose
 * bytes changed since: vectors cannot drift away from what Go confirmed without saying so. The
 * vectors README ({@link goConfirmedByFile}) shows per file how many cases Go itself confirmed.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const GO_VERIFIED_DIR = fileURLToPath(new URL('../../implementations/go-bitmaelum-suite-95952d1/', import.meta.url));
export const VERIFIED_JSON = 'verified.json';
export const VERIFIED_MD = 'VERIFIED.md';
/** The phrase in VERIFIED.md that admits a manifest change Go has not been run against. */
export const NOT_YET_REVERIFIED = 'not yet re-verified';
/** The note itself: a line (or list item) that starts with the phrase, e.g. "Not yet re-verified: x_test.json (…)". */
const NOTE_LINE = /^[ \t]*(?:[-*][ \t]+)?not yet re-verified\b.*$/gim;

/** One vector file as Go judged it. */
export interface VerifiedFile {
  path: string;
  /** SHA-256 of the file's bytes at verification (the manifest's `files[].sha256`). */
  sha256: string;
  cases: number;
  /** Cases the Go adapter passed: Go's own answer agrees with the vector. */
  pass: number;
  /** Cases that fail exactly as a Go expectations entry declares (xfail). */
  deviation: number;
  /** Anything else (should be 0 in a recorded run). */
  other: number;
}

export interface Verification {
  implementation: string;
  date: string;
  toolchain: string;
  adapter: string;
  manifest_sha256: string;
  files: VerifiedFile[];
  /** Totals of the client profile in the same run. */
  client: { tests: number; pass: number; deviation: number; other: number };
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The recorded verification, or undefined when the folder has none yet. */
export function readVerification(dir: string = GO_VERIFIED_DIR): Verification | undefined {
  const p = `${dir}${VERIFIED_JSON}`;
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Verification) : undefined;
}

interface ManifestFiles {
  files: { path: string; sha256: string }[];
}

/** Vector files whose bytes differ from the verified ones (changed, added or removed). */
export function changedSince(v: Verification, manifest: ManifestFiles): string[] {
  const then = new Map(v.files.map((f) => [f.path, f.sha256]));
  const now = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  const out = new Set<string>();
  for (const [path, sha] of now) if (then.get(path) !== sha) out.add(path);
  for (const path of then.keys()) if (!now.has(path)) out.add(path);
  return [...out].sort();
}

/**
 * Why the Go verification no longer covers `manifestText` (the manifest.json bytes); empty when
 * it does. VERIFIED.md must name the manifest's SHA-256, or say "not yet re-verified" and name
 * each changed vector file.
 */
export function verificationProblems(manifestText: string, verification: Verification | undefined, verifiedMd: string | undefined): string[] {
  if (verification === undefined || verifiedMd === undefined) return [`${VERIFIED_JSON} and ${VERIFIED_MD}: missing (run the Go adapter and harness/record-verification.ts)`];
  const sha = sha256Hex(manifestText);
  if (verification.manifest_sha256 === sha && verifiedMd.includes(sha)) return [];
  if (verification.manifest_sha256 === sha) return [`${VERIFIED_MD}: does not name the manifest sha256 ${sha} that ${VERIFIED_JSON} records (regenerate it with harness/record-verification.ts)`];
  const changed = changedSince(verification, JSON.parse(manifestText) as ManifestFiles);
  const notes = verifiedMd.match(NOTE_LINE) ?? [];
  if (notes.length === 0) {
    return [`${VERIFIED_MD}: names manifest sha256 ${verification.manifest_sha256}, the manifest is now ${sha} (changed: ${changed.join(', ') || 'only the manifest itself'}); run the Go adapter again, or add a line "Not yet re-verified: <files>" naming those files`];
  }
  const unnamed = changed.filter((f) => !notes.some((n) => n.includes(f)));
  return unnamed.length === 0 ? [] : [`${VERIFIED_MD}: "${NOT_YET_REVERIFIED}" does not name the changed vector file(s) ${unnamed.join(', ')}`];
}

/** The check as `npm run vectors:check` runs it, on the committed files. */
export function checkVerification(manifestText: string, dir: string = GO_VERIFIED_DIR): string[] {
  const md = existsSync(`${dir}${VERIFIED_MD}`) ? readFileSync(`${dir}${VERIFIED_MD}`, 'utf8') : undefined;
  return verificationProblems(manifestText, readVerification(dir), md);
}

/**
 * For the vectors README: per vector file, the number of cases Go confirmed, or undefined when
 * the file changed since Go was run (its count no longer applies).
 */
export function goConfirmedByFile(v: Verification | undefined, manifest: ManifestFiles): Map<string, { pass: number; deviation: number } | undefined> {
  const out = new Map<string, { pass: number; deviation: number } | undefined>();
  const byPath = new Map((v?.files ?? []).map((f) => [f.path, f]));
  for (const f of manifest.files) {
    const g = byPath.get(f.path);
    out.set(f.path, g !== undefined && g.sha256 === f.sha256 ? { pass: g.pass, deviation: g.deviation } : undefined);
  }
  return out;
}
