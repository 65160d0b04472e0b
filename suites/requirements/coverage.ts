/**
 * Requirement coverage scanner (STYLE.md "Data files": tests carry requirement IDs where a tool can
 * read them; the tool reports covered vs total; deliberate gaps sit in a list with a reason).
 *
 * It reads requirement IDs from
 *   - vector files `vectors/*_test.json` (file-level `requirements` and per-case `requirements`), and
 *   - test files `*.test.ts` under suites/ and harness/ (IDs in test names or comments),
 * and compares them with the registry. Test files that only use IDs as sample data (the registry's
 * own tests, schemas/, reports/, harness/expectations) are not scanned.
 *
 * Usage: `npx tsx suites/requirements/coverage.ts` prints a summary;
 * `--write` rewrites the registry's coverage (found links → `covered`; a requirement that lost
 * all links goes back to `planned`; `uncovered` entries with a reason are kept unless links appear).
 * @module
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUIREMENTS_PATH, loadRequirements, type CoverageLink, type Registry, type TestKind } from './index.ts';

/** Repository root (two levels above this module). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const ID_IN_TEXT = /\bBM-[A-Z]{2,8}-[0-9]{3}\b/g;

/** Test files whose requirement IDs are sample data, not coverage. */
const NOT_COVERAGE = [/^suites\/requirements\//, /^schemas\//, /^reports\//, /^harness\/expectations/, /^harness\/implementations/];

function walk(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const rel = (root: string, p: string): string => relative(root, p).split(sep).join('/');

/** The test kind of a test file, from where it lives. */
export function testKindOf(file: string): TestKind {
  const m = /^suites\/([a-z]+)\//.exec(file);
  if (m && ['library', 'server', 'resolver', 'client', 'interop'].includes(m[1]!)) return m[1] as TestKind;
  return 'unit';
}

/** Requirement ID → links found in vector files and test files under `root`. */
export function scanCoverage(root: string = REPO_ROOT): Map<string, CoverageLink[]> {
  const found = new Map<string, CoverageLink[]>();
  const add = (id: string, link: CoverageLink): void => {
    const list = found.get(id) ?? [];
    const same = list.find((l) => l.file === link.file);
    if (same && link.cases) same.cases = [...new Set([...(same.cases ?? []), ...link.cases])];
    else if (!same) list.push(link);
    found.set(id, list);
  };
  for (const p of walk(join(root, 'vectors')).filter((f) => f.endsWith('_test.json'))) {
    const file = rel(root, p);
    let doc: { requirements?: string[]; testGroups?: { tests?: { tcId: number | string; requirements?: string[] }[] }[] };
    try {
      doc = JSON.parse(readFileSync(p, 'utf8')) as typeof doc;
    } catch {
      continue;
    }
    for (const id of doc.requirements ?? []) add(id, { kind: 'vector', file });
    for (const g of doc.testGroups ?? []) for (const t of g.tests ?? []) for (const id of t.requirements ?? []) add(id, { kind: 'vector', file, cases: [t.tcId] });
  }
  const testFiles = [...walk(join(root, 'suites')), ...walk(join(root, 'harness')), ...walk(join(root, 'vectors'))]
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => rel(root, f))
    .filter((f) => !NOT_COVERAGE.some((re) => re.test(f)));
  for (const file of testFiles) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const id of new Set(text.match(ID_IN_TEXT) ?? [])) add(id, { kind: testKindOf(file), file });
  }
  for (const links of found.values()) {
    links.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (const l of links) if (l.cases) l.cases.sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true }));
  }
  return found;
}

export interface CoverageSummary {
  total: number;
  /** Requirements with at least one link found by the scan. */
  covered: string[];
  /** Requirements without links, still planned. */
  planned: string[];
  /** Requirements deliberately uncovered (with a registry reason). */
  uncovered: string[];
  /** IDs named by vectors or tests that the registry does not define (typos, retired IDs). */
  unknown: { id: string; files: string[] }[];
}

/** Compare a scan with the registry. */
export function coverageSummary(reg: Registry = loadRequirements(), found: Map<string, CoverageLink[]> = scanCoverage()): CoverageSummary {
  const live = new Set(reg.requirements.map((r) => r.id));
  const s: CoverageSummary = { total: reg.requirements.length, covered: [], planned: [], uncovered: [], unknown: [] };
  for (const r of reg.requirements) {
    if (found.has(r.id)) s.covered.push(r.id);
    else if (r.coverage.status === 'uncovered') s.uncovered.push(r.id);
    else s.planned.push(r.id);
  }
  for (const [id, links] of found) if (!live.has(id)) s.unknown.push({ id, files: links.map((l) => l.file) });
  return s;
}

/** The registry with coverage rewritten from a scan (pure; see the module doc for the rules). */
export function withScannedCoverage(reg: Registry, found: Map<string, CoverageLink[]>): Registry {
  return {
    ...reg,
    requirements: reg.requirements.map((r) => {
      const links = found.get(r.id);
      if (links && links.length > 0) return { ...r, coverage: { status: 'covered', links } };
      if (r.coverage.status === 'covered') return { ...r, coverage: { status: 'planned', kinds: [...new Set(r.coverage.links.map((l) => l.kind))], note: 'links disappeared in a coverage scan' } };
      return r;
    }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const reg = loadRequirements();
  const found = scanCoverage();
  const s = coverageSummary(reg, found);
  console.log(`requirements: ${s.total}; covered ${s.covered.length}, planned ${s.planned.length}, uncovered ${s.uncovered.length}`);
  for (const u of s.unknown) console.log(`unknown ID ${u.id} in ${u.files.join(', ')}`);
  if (process.argv.includes('--write')) {
    writeFileSync(REQUIREMENTS_PATH, `${JSON.stringify(withScannedCoverage(reg, found), null, 2)}\n`);
    console.log(`wrote ${relative(process.cwd(), REQUIREMENTS_PATH)}`);
  }
  if (s.unknown.length > 0) process.exitCode = 1;
}
