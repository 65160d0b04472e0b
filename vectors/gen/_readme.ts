/**
 * vectors/README.md: the hand-written preamble (vectors/gen/README.preamble.md: every field,
 * verdict and flag, IDs and tombstones, the seed, what the data cannot test) followed by an index
 * computed from the manifest — one row per file with its case counts, the accumulated sets and the
 * tombstone count (STYLE.md "Data files": `vectors/README.md` indexes every file; Wycheproof
 * doc/files.md; C2SP/CCTV age/README.md). `generateAll` emits it with the vector files, so
 * `npm run vectors:check` fails when it drifts from them.
 * @module
 */
import { readFileSync } from 'node:fs';
import { goConfirmedByFile, readVerification, type Verification } from './_verified.ts';

/** Path of the hand-written part. */
export const README_PREAMBLE_PATH = new URL('./README.preamble.md', import.meta.url);

/** One manifest file entry (vector_manifest_schema_v1.json `files[]`). */
export interface IndexEntry {
  path: string;
  area: string;
  cases: number;
  valid: number;
  invalid: number;
  acceptable: number;
  schema: string;
  generator: string;
  /** The file's SHA-256 (manifest `files[].sha256`): matched against the Go verification. */
  sha256?: string;
}

export interface IndexInput {
  generatorVersion: string;
  seed: string;
  files: IndexEntry[];
  accumulated: { name: string; count: number; sha256: string; description: string }[];
  tombstones: number;
  /** The last run of the vectors through the Go adapter (vectors/gen/_verified.ts), if any. */
  go?: Verification;
}

/** Markdown table cell: pipes escaped, line breaks flattened. */
function cell(s: string | number): string {
  return String(s).replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The generated index (everything after the preamble). */
export function vectorIndex(x: IndexInput): string {
  const files = [...x.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sum = (k: 'cases' | 'valid' | 'invalid' | 'acceptable'): number => files.reduce((n, f) => n + f[k], 0);
  const lines = [
    '## Index',
    '',
    `Generated from manifest.json (generator ${x.generatorVersion}, master seed \`${x.seed}\`): ${files.length} files, ${sum('cases')} cases.`,
    '',
    '| file | area | cases | valid | invalid | acceptable | schema | generator |',
    '|---|---|---:|---:|---:|---:|---|---|',
    ...files.map((f) => `| [${cell(f.path)}](${f.path}) | ${cell(f.area)} | ${f.cases} | ${f.valid} | ${f.invalid} | ${f.acceptable} | ${cell(f.schema)} | [${cell(f.generator)}](../${f.generator}) |`),
    `| **total** | | ${sum('cases')} | ${sum('valid')} | ${sum('invalid')} | ${sum('acceptable')} | | |`,
    '',
    '## Accumulated sets',
    '',
    'Bulk deterministic coverage committed as one SHA-256 over all outputs (manifest.json `accumulated`): the description says exactly how to recompute it through an adapter; suites/library/accumulated.test.ts does.',
    '',
  ];
  if (x.accumulated.length === 0) lines.push('None.');
  else {
    lines.push('| name | count | sha256 | how |', '|---|---:|---|---|');
    for (const a of [...x.accumulated].sort((p, q) => (p.name < q.name ? -1 : 1))) lines.push(`| ${cell(a.name)} | ${a.count} | \`${a.sha256}\` | ${cell(a.description)} |`);
  }
  lines.push('', '## Tombstones', '', x.tombstones === 0 ? 'None yet: no case ID has been retired.' : `${x.tombstones} retired case IDs, listed with their reason in manifest.json \`tombstones\` (and ids.json); they are never reused.`);
  if (x.go !== undefined) lines.push('', ...goProvenance(x.go, files));
  return lines.join('\n') + '\n';
}

/**
 * Provenance: per file, how many cases the Go code itself confirmed (the Go adapter passed them)
 * and how many fail exactly as a declared Go deviation, from the last recorded Go run; a file
 * whose bytes changed since then is "not yet re-verified".
 */
function goProvenance(go: Verification, files: IndexEntry[]): string[] {
  const byFile = goConfirmedByFile(go, { files: files.map((f) => ({ path: f.path, sha256: f.sha256 ?? '' })) });
  const lines = [
    '## Confirmed by Go',
    '',
    `Every case run through the real Go code (bitmaelum-suite 95952d1 behind the Go adapter, ${cell(go.toolchain)}) on ${go.date}: see [VERIFIED.md](../implementations/go-bitmaelum-suite-95952d1/VERIFIED.md). "Go confirmed" cases get Go's own answer; "Go deviation" cases fail exactly as a declared Go expectations entry says.`,
    '',
    '| file | cases | Go confirmed | Go deviation |',
    '|---|---:|---:|---:|',
  ];
  let pass = 0;
  let deviation = 0;
  for (const f of files) {
    const g = byFile.get(f.path);
    if (g === undefined) {
      lines.push(`| [${cell(f.path)}](${f.path}) | ${f.cases} | not yet re-verified | |`);
      continue;
    }
    pass += g.pass;
    deviation += g.deviation;
    lines.push(`| [${cell(f.path)}](${f.path}) | ${f.cases} | ${g.pass} | ${g.deviation} |`);
  }
  lines.push(`| **total** | ${files.reduce((n, f) => n + f.cases, 0)} | ${pass} | ${deviation} |`);
  return lines;
}

/** The whole README: preamble, a blank line, the index. */
export function vectorsReadme(x: IndexInput, preamble: string = readFileSync(README_PREAMBLE_PATH, 'utf8'), go: Verification | undefined = readVerification()): string {
  return `${preamble.trimEnd()}\n\n${vectorIndex(go === undefined ? x : { ...x, go })}`;
}
