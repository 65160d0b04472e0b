/**
 * Sharded runs joined into one report (DESIGN.md contract 10, "Scale past one machine").
 *
 * `run --shard I/N` runs vitest's shard I of N (vitest splits the suite files by a hash of their
 * paths; this module never chooses tests). Besides its five reports every run writes
 * `raw-results.json`: its test results *before* expectations, with what the merge needs to judge
 * the whole run (profiles, seed, target, configuration, the expectations files' contents and
 * hashes, vector and registry hashes, notes such as a dead target).
 *
 *   bm-conformance merge DIR… --out DIR [--baseline FILE]
 *
 * reads each DIR/raw-results.json, checks they are parts of one run (same tool version, seed,
 * target, profiles, filter, configuration, expectations, vectors and registry; shards 1..N of one
 * N, each once; no test twice), applies the expectations once to all results together — so an
 * entry that matched nothing in one shard is judged only now — and writes the same five reports
 * an unsharded run writes (and its raw-results.json). Runs without --shard (e.g. one CI job per
 * profile) merge too, when their profiles differ. Exit codes as `run`: 0 every result a pass or
 * expected failure, 1 any failure, 2 unusable input or no test at all.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyExpectations } from '../expectations.ts';
import { normaliseRegistry, type TestResult } from '../../reports/index.ts';
import type { RunOptions, RunProfile } from './options.ts';
import { ALL_PROFILES, OPT_IN_PROFILES } from './options.ts';
import { RAW_FILE, RAW_SCHEMA, registryText, writeRawResults, type RawResults } from './raw.ts';

export class MergeError extends Error {
  override name = 'MergeError';
}

/**
 * Reads DIR/raw-results.json.
 * @throws MergeError when it is missing, not JSON, or not a raw-results file of this format.
 */
export function readRawResults(dir: string): RawResults {
  const file = join(dir, RAW_FILE);
  if (!existsSync(file)) throw new MergeError(`${dir}: no ${RAW_FILE} (is it the --out folder of a bm-conformance run?)`);
  let raw: RawResults;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as RawResults;
  } catch (e) {
    throw new MergeError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || raw.schema !== RAW_SCHEMA || !Array.isArray(raw.tests) || !Array.isArray(raw.profiles)) {
    throw new MergeError(`${file}: not a ${RAW_SCHEMA} file`);
  }
  return raw;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Checks that the parts belong to one run and joins their results.
 * @throws MergeError naming the part and the field that differs, a missing or repeated shard, or a test found twice.
 */
export function joinParts(parts: readonly { dir: string; raw: RawResults }[]): { tests: TestResult[]; profiles: RunProfile[]; notes: string[] } {
  if (parts.length === 0) throw new MergeError('nothing to merge: give the out folders of the runs');
  const first = parts[0]!;
  const keys: [string, (r: RawResults) => unknown][] = [
    ['tool version', (r) => r.toolVersion],
    ['seed', (r) => r.seed],
    ['--only filter', (r) => r.only],
    // builtin and image targets listen on a port each run picks; the implementation comes from its hello.
    ['target', (r) => ({ ...r.target, implementation: undefined, url: r.target.kind === 'url' ? r.target.url : undefined })],
    ['configuration', (r) => r.config],
    ['expectations files', (r) => r.expectations.map((e) => e.sha256)],
    ['vector manifest', (r) => r.vectorsSha256],
    ['requirement registry', (r) => r.requirementsSha256],
  ];
  for (const p of parts.slice(1)) {
    for (const [what, get] of keys) {
      if (!same(get(p.raw), get(first.raw))) throw new MergeError(`${p.dir} and ${first.dir} are not parts of one run: their ${what} differs (${JSON.stringify(get(first.raw))} vs ${JSON.stringify(get(p.raw))})`);
    }
  }
  const sharded = parts.filter((p) => p.raw.shard !== undefined);
  if (sharded.length > 0) {
    if (sharded.length !== parts.length) throw new MergeError(`${parts.find((p) => p.raw.shard === undefined)!.dir} is not a shard, but ${sharded[0]!.dir} is: merge the shards of one run`);
    const count = first.raw.shard!.count;
    const seen = new Map<number, string>();
    for (const p of parts) {
      const s = p.raw.shard!;
      if (s.count !== count) throw new MergeError(`${p.dir} is shard ${s.index}/${s.count}, ${first.dir} is of ${count}: merge the shards of one split`);
      if (!same(p.raw.profiles, first.raw.profiles)) throw new MergeError(`${p.dir} ran profiles ${p.raw.profiles.join(',')}, ${first.dir} ${first.raw.profiles.join(',')}: not shards of one run`);
      if (seen.has(s.index)) throw new MergeError(`shard ${s.index}/${count} given twice: ${seen.get(s.index)} and ${p.dir}`);
      seen.set(s.index, p.dir);
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length > 0) throw new MergeError(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a merged report must cover the whole run`);
  }
  const owner = new Map<string, string>();
  const tests: TestResult[] = [];
  for (const p of parts) {
    for (const t of p.raw.tests) {
      const other = owner.get(t.name);
      if (other !== undefined) throw new MergeError(`the test "${t.name}" is in both ${other} and ${p.dir}: the parts overlap`);
      owner.set(t.name, p.dir);
      tests.push(t);
    }
  }
  const profileSet = new Set(parts.flatMap((p) => p.raw.profiles));
  // Opt-in profiles (durability) too: a merged run names every profile its shards ran.
  const profiles = [...ALL_PROFILES, ...OPT_IN_PROFILES].filter((p) => profileSet.has(p));
  const notes = [...new Set(parts.flatMap((p) => p.raw.notes))];
  return { tests, profiles, notes };
}

/** The merged run's arguments: the first part's, without `--shard`. */
function mergedArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--shard') i++;
    else out.push(argv[i]!);
  }
  return out;
}

export async function mergeMain(argv: readonly string[]): Promise<number> {
  const dirs: string[] = [];
  let out: string | undefined;
  let baseline: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out' || a === '--baseline') {
      const v = argv[++i];
      if (v === undefined) return usage(`${a} needs a value`);
      if (a === '--out') out = v;
      else baseline = v;
    } else if (a === '--help') {
      process.stdout.write('usage: bm-conformance merge DIR… --out DIR [--baseline FILE]\n  joins the out folders of `run --shard I/N` (all N of them) into the reports of the whole run\n');
      return 0;
    } else if (a.startsWith('--')) return usage(`unknown argument ${a}`);
    else dirs.push(a);
  }
  if (out === undefined) return usage('--out DIR is required');
  if (dirs.length === 0) return usage('give the out folders of the runs to merge');
  const { writeRunReports } = await import('./index.ts');
  const { loadBaseline } = await import('./diff.ts');
  let parts;
  let joined;
  try {
    if (baseline !== undefined) loadBaseline(baseline);
    parts = dirs.map((dir) => ({ dir, raw: readRawResults(dir) }));
    joined = joinParts(parts);
  } catch (e) {
    process.stderr.write(`bm-conformance merge: ${(e as Error).message}\n`);
    return 2;
  }
  const first = parts[0]!.raw;
  const expectations = first.expectations;
  const { tests, profiles, notes } = joined;
  const warnings: { kind: 'other'; message: string }[] = notes.map((message) => ({ kind: 'other', message }));
  let applied = { tests, problems: [] as ReturnType<typeof applyExpectations>['problems'], warnings: [] as ReturnType<typeof applyExpectations>['warnings'] };
  if (expectations.length > 0) {
    const known = new Set(normaliseRegistry(JSON.parse(registryText())).map((r) => r.id));
    applied = applyExpectations(tests, expectations.map((e) => e.file), undefined, { config: first.config, profiles, filtered: first.only !== undefined, knownRequirements: known });
  }
  if (tests.length === 0) applied.warnings.push({ kind: 'other', message: 'no test matched in any part: the run executed nothing' });
  const started = new Date(Math.min(...parts.map((p) => Date.parse(p.raw.startedAt))));
  const runArgv = mergedArgv(first.argv);
  const opts = { argv: runArgv, seed: first.seed, ...(first.only !== undefined ? { only: first.only } : {}), out, ...(baseline !== undefined ? { baseline } : {}) };
  const identity = parts.map((p) => p.raw.target).find((t) => t.implementation !== undefined) ?? first.target;
  const { result, paths } = writeRunReports(opts, {
    runId: randomUUID(),
    started,
    profiles,
    tests: applied.tests,
    identity,
    expectationsFiles: expectations.map((e) => ({ path: e.file.path ?? e.file.implementation, sha256: e.sha256 })),
    config: first.config,
    problems: applied.problems,
    warnings: [...warnings, ...applied.warnings],
  });
  writeRawResults({ argv: runArgv, seed: first.seed, ...(first.only !== undefined ? { only: first.only } : {}), out }, { runId: result.meta.runId, started, profiles, tests, identity, expectations, config: first.config, notes });
  const s = result.summary;
  const line = Object.entries(s.verdicts).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`).join(', ');
  process.stdout.write(`merged ${parts.length} part${parts.length === 1 ? '' : 's'}: ${s.tests} tests: ${line || 'none'}; MUST requirements passed ${s.requirements.MUST.passed}/${s.requirements.MUST.total}\n`);
  process.stdout.write(`reports: ${Object.values(paths).join(' ')}\n`);
  if (tests.length === 0) return 2;
  return s.ok ? 0 : 1;
}

function usage(message: string): number {
  process.stderr.write(`bm-conformance merge: ${message}\nusage: bm-conformance merge DIR… --out DIR [--baseline FILE]\n`);
  return 2;
}
