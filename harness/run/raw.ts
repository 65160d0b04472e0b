/**
 * `raw-results.json`, which every run writes beside its five reports: its test results *before*
 * expectations, with what `bm-conformance merge` (merge.ts) needs to judge the whole run. A module
 * of its own so that the run (index.ts) and the merge, which writes the reports through the run,
 * do not import each other.
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonText } from '../protocol/gojson.ts';
import type { ExpectationsFile } from '../expectations.ts';
import type { RunMeta, TestResult } from '../../reports/index.ts';
import { manifestSha256 } from '../../vectors/index.ts';
import type { RunOptions, RunProfile } from './options.ts';

export const RAW_FILE = 'raw-results.json';
export const RAW_SCHEMA = 'bm-conformance-raw-results-v1';

/** One run's results before expectations, as `merge` reads them. */
export interface RawResults {
  schema: typeof RAW_SCHEMA;
  toolVersion: string;
  runId: string;
  startedAt: string;
  /** The run's arguments (`--shard` included). */
  argv: string[];
  seed: string;
  only?: string;
  shard?: { index: number; count: number };
  profiles: RunProfile[];
  target: RunMeta['target'];
  config: Record<string, string>;
  expectations: { file: ExpectationsFile; sha256: string }[];
  vectorsSha256: string;
  requirementsSha256: string;
  /** Run-level findings that are not test results (a target that died, one declared dead). */
  notes: string[];
  tests: TestResult[];
}

function root(): string {
  return join(import.meta.dirname, '..', '..');
}

function toolVersion(): string {
  return (JSON.parse(readFileSync(join(root(), 'package.json'), 'utf8')) as { version: string }).version;
}

export function registryText(): string {
  return readFileSync(join(root(), 'suites', 'requirements', 'requirements.json'), 'utf8');
}

/** Writes `raw-results.json` into the run's out folder (called by `run` after its reports). */
export function writeRawResults(
  opts: Pick<RunOptions, 'argv' | 'seed' | 'only' | 'shard' | 'out'>,
  r: { runId: string; started: Date; profiles: RunProfile[]; tests: TestResult[]; identity: RunMeta['target']; expectations: { file: ExpectationsFile; sha256: string }[]; config: Record<string, string>; notes: string[] },
): void {
  const text = registryText();
  const raw: RawResults = {
    schema: RAW_SCHEMA,
    toolVersion: toolVersion(),
    runId: r.runId,
    startedAt: r.started.toISOString(),
    argv: [...opts.argv],
    seed: opts.seed,
    ...(opts.only !== undefined ? { only: opts.only } : {}),
    ...(opts.shard !== undefined ? { shard: opts.shard } : {}),
    profiles: r.profiles,
    target: r.identity,
    config: r.config,
    expectations: r.expectations,
    vectorsSha256: manifestSha256(),
    requirementsSha256: createHash('sha256').update(text).digest('hex'),
    notes: r.notes,
    tests: r.tests,
  };
  mkdirSync(opts.out, { recursive: true });
  writeFileSync(join(opts.out, RAW_FILE), `${jsonText(raw)}\n`);
}
