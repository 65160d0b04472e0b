/**
 * `bm-conformance diff BASE/report.json HEAD/report.json`: what changed between two runs, as
 * Markdown fit for a pull-request comment (reports/compare.ts decides what a change and a
 * regression are). Also reads the `--baseline` report of `run` and `merge`.
 *
 *   bm-conformance diff BASE HEAD [--out FILE]
 *
 * BASE and HEAD are report.json files, or folders holding one. The Markdown goes to stdout (and
 * to FILE with --out). Exit codes: 0 no regression, 1 at least one regression (a test or
 * requirement newly failing, a requirement no longer met), 2 bad arguments or an unreadable report.
 * @module
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns, comparisonMarkdown, REPORT_SCHEMA_NAME, type Baseline } from '../../reports/index.ts';

export class ReportReadError extends Error {
  override name = 'ReportReadError';
}

/**
 * Reads a report.json (or the report.json in a folder) as a comparison side: test names,
 * requirement ids and their verdicts, labelled with the run's target and start time.
 * @throws ReportReadError naming the file and what is wrong with it.
 */
export function loadBaseline(path: string): Baseline {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'report.json') : path;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReportReadError(`${file}: not a readable JSON file (${(e as Error).message})`);
  }
  const d = doc as { schema?: unknown; tests?: unknown; requirements?: unknown; run?: { started_at?: unknown }; target?: { kind?: unknown } };
  if (d === null || typeof d !== 'object' || d.schema !== REPORT_SCHEMA_NAME) throw new ReportReadError(`${file}: not a bm-conformance report.json (schema is not ${REPORT_SCHEMA_NAME})`);
  const list = <T>(v: unknown, key: string, field: string): T[] => {
    if (!Array.isArray(v)) throw new ReportReadError(`${file}: ${key} is not an array`);
    v.forEach((x, i) => {
      if (x === null || typeof x !== 'object' || typeof (x as Record<string, unknown>)[field] !== 'string' || typeof (x as Record<string, unknown>).verdict !== 'string') {
        throw new ReportReadError(`${file}: ${key}[${i}] needs a string ${field} and verdict`);
      }
    });
    return v as T[];
  };
  const tests = list<{ name: string; verdict: string }>(d.tests, 'tests', 'name');
  const requirements = list<{ id: string; verdict: string }>(d.requirements, 'requirements', 'id');
  const when = typeof d.run?.started_at === 'string' ? ` ${d.run.started_at}` : '';
  return { label: `${file}${when}`, tests: tests.map((t) => ({ name: t.name, verdict: t.verdict })), requirements: requirements.map((r) => ({ id: r.id, verdict: r.verdict })) };
}

export async function diffMain(argv: readonly string[]): Promise<number> {
  const files: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') {
      out = argv[++i];
      if (out === undefined) return usage('--out needs a file');
    } else if (a === '--help') {
      process.stdout.write('usage: bm-conformance diff BASE/report.json HEAD/report.json [--out FILE]\n');
      return 0;
    } else if (a.startsWith('--')) return usage(`unknown argument ${a}`);
    else files.push(a);
  }
  if (files.length !== 2) return usage(`expected two reports (BASE HEAD), got ${files.length}`);
  let base, head;
  try {
    base = loadBaseline(files[0]!);
    head = loadBaseline(files[1]!);
  } catch (e) {
    process.stderr.write(`bm-conformance diff: ${(e as Error).message}\n`);
    return 2;
  }
  const c = compareRuns(base, head);
  const text = comparisonMarkdown(c, { base: files[0]!, head: files[1]! });
  process.stdout.write(text);
  if (out !== undefined) writeFileSync(out, text);
  return c.regressions > 0 ? 1 : 0;
}

function usage(message: string): number {
  process.stderr.write(`bm-conformance diff: ${message}\nusage: bm-conformance diff BASE/report.json HEAD/report.json [--out FILE]\n`);
  return 2;
}
