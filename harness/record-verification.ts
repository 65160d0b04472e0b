/**
 * Records a run of the Go adapter as the vectors' Go verification (issue 16; vectors/gen/_verified.ts):
 *
 *   npx tsx harness/record-verification.ts <report.json> --toolchain "go1.19.8 linux/amd64 …"
 *
 * The report must come from `bm-conformance run --target command:<Go adapter> --profile
 * library,client --expect implementations/go-bitmaelum-suite-95952d1/expectations.json` against
 * the committed manifest (its `vectors.manifest_sha256` must be the manifest's hash now). It
 * writes implementations/go-bitmaelum-suite-95952d1/verified.json and VERIFIED.md: per vector
 * file the cases Go passed and the cases excused as declared Go deviations, and the client totals.
 * A run with any other verdict is refused: the record is only for a complete verification.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GO_VERIFIED_DIR, VERIFIED_JSON, VERIFIED_MD, sha256Hex, type Verification, type VerifiedFile } from '../vectors/gen/index.ts';

const MANIFEST = fileURLToPath(new URL('../vectors/manifest.json', import.meta.url));

interface ReportTest {
  name: string;
  profile: string;
  verdict: string;
}
interface Report {
  run: { started_at: string; command: string[] };
  target: { implementation?: { name: string; version: string; language: string } };
  vectors: { manifest_sha256: string };
  summary: { ok: boolean };
  tests: ReportTest[];
}
interface Manifest {
  files: { path: string; sha256: string; cases: number }[];
}

const CASE_IN_NAME = /› ([a-z0-9_]+)#(\d+)(?:\s|$)/;

/** The verification a report shows, or the reasons it cannot be recorded. */
export function verificationOf(report: Report, manifestText: string, toolchain: string, adapter: string): Verification | string[] {
  const problems: string[] = [];
  const sha = sha256Hex(manifestText);
  if (report.vectors.manifest_sha256 !== sha) problems.push(`the report ran manifest ${report.vectors.manifest_sha256}, the committed manifest is ${sha}`);
  if (!report.run.command.includes('--expect')) problems.push('the run had no --expect (the Go expectations file)');
  const manifest = JSON.parse(manifestText) as Manifest;
  const files = new Map<string, VerifiedFile>(manifest.files.map((f) => [f.path, { path: f.path, sha256: f.sha256, cases: f.cases, pass: 0, deviation: 0, other: 0 }]));
  const client = { tests: 0, pass: 0, deviation: 0, other: 0 };
  for (const t of report.tests) {
    const bucket = t.verdict === 'pass' ? 'pass' : t.verdict === 'xfail' ? 'deviation' : 'other';
    if (bucket === 'other') problems.push(`${t.name}: ${t.verdict}`);
    if (t.profile === 'client') {
      client.tests++;
      client[bucket]++;
      continue;
    }
    if (t.profile !== 'library') continue;
    const m = CASE_IN_NAME.exec(t.name);
    if (m === null) continue; // accumulated sets: not vector cases
    const f = files.get(`${m[1]}_test.json`);
    if (f === undefined) {
      problems.push(`${t.name}: no vector file ${m[1]}_test.json in the manifest`);
      continue;
    }
    f[bucket]++;
  }
  for (const f of files.values()) if (f.pass + f.deviation + f.other !== f.cases) problems.push(`${f.path}: the report judged ${f.pass + f.deviation + f.other} of its ${f.cases} cases`);
  if (client.tests === 0) problems.push('the run did not include the client profile');
  if (problems.length > 0) return problems;
  return {
    implementation: 'go-bitmaelum-suite-95952d1',
    date: report.run.started_at.slice(0, 10),
    toolchain,
    adapter,
    manifest_sha256: sha,
    files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
    client,
  };
}

/** VERIFIED.md for a verification. */
export function verifiedMarkdown(v: Verification): string {
  const sum = (k: 'cases' | 'pass' | 'deviation') => v.files.reduce((n, f) => n + f[k], 0);
  return [
    '# Verified by the Go code',
    '',
    `Every published vector case was run through the Go library of bitmaelum-suite 95952d1 behind the Go adapter (\`${v.adapter}\`) and judged by the library suite; the client profile ran against the same adapter. Written by \`harness/record-verification.ts\` from the run's report.json; \`npm run vectors:check\` fails when the manifest changes and this file still names the old hash, unless a line added below, starting "Not yet re-verified:", names every vector file that changed.`,
    '',
    `- date: ${v.date}`,
    `- vector manifest: \`vectors/manifest.json\` sha256 \`${v.manifest_sha256}\` (as the report's \`vectors.manifest_sha256\`)`,
    `- Go toolchain: ${v.toolchain}`,
    `- expectations: \`implementations/go-bitmaelum-suite-95952d1/expectations.json\``,
    '',
    '"pass": Go gives the vector\'s answer. "declared deviation": the case fails exactly as an entry of the Go expectations file says (reported `xfail`). No case had any other verdict. The adapter says `deterministic: false` (the suite draws RSA/ECDSA signatures, nonces, scalars, UUIDs and salts from crypto/rand), so for the valid cases of randomised ops Go\'s output is checked by a round trip through the reference rather than byte for byte; every other case compares Go\'s answer with the vector.',
    '',
    '| vector file | cases | pass | declared deviation |',
    '|---|---:|---:|---:|',
    ...v.files.map((f) => `| \`${f.path}\` | ${f.cases} | ${f.pass} | ${f.deviation} |`),
    `| **total** | ${sum('cases')} | ${sum('pass')} | ${sum('deviation')} |`,
    '',
    `Client profile: ${v.client.tests} tests, ${v.client.pass} pass, ${v.client.deviation} declared deviation.`,
    '',
    'To re-verify: build the adapter (`adapter/README.md`), then',
    '',
    '```sh',
    "node bin/bm-conformance.mjs run --target command:'/path/to/bm-go-adapter' --profile library,client \\",
    '  --expect implementations/go-bitmaelum-suite-95952d1/expectations.json --out /tmp/go-out',
    'npx tsx harness/record-verification.ts /tmp/go-out/report.json --toolchain "$(go version)"',
    '```',
    '',
  ].join('\n');
}

function main(argv: string[]): number {
  const reportPath = argv.find((a) => !a.startsWith('--'));
  const ti = argv.indexOf('--toolchain');
  const toolchain = ti >= 0 ? argv[ti + 1] : undefined;
  if (reportPath === undefined || toolchain === undefined) {
    process.stderr.write('usage: npx tsx harness/record-verification.ts <report.json> --toolchain "<go version and how it was installed>"\n');
    return 2;
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  const v = verificationOf(report, readFileSync(MANIFEST, 'utf8'), toolchain, 'implementations/go-bitmaelum-suite-95952d1/adapter');
  if (Array.isArray(v)) {
    process.stderr.write(`record-verification: not recorded:\n${v.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  }
  writeFileSync(`${GO_VERIFIED_DIR}${VERIFIED_JSON}`, `${JSON.stringify(v, null, 2)}\n`);
  writeFileSync(`${GO_VERIFIED_DIR}${VERIFIED_MD}`, verifiedMarkdown(v));
  process.stdout.write(`record-verification: ${v.files.reduce((n, f) => n + f.cases, 0)} cases, manifest ${v.manifest_sha256}\n`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
