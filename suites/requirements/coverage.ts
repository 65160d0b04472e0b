/**
 * Requirement coverage (STYLE.md "Data files": tests carry requirement IDs where a tool can read
 * them; the tool reports covered vs total; deliberate gaps sit in a list with one reason per entry;
 * the model is matrix-org/complement's `sytest-coverage` with its `sytest.ignored.list`).
 *
 * Coverage is derived, never stored: the registry says per requirement only what is intended
 * (`planned` with the test kinds expected to check it) or that it is a deliberate gap
 * (`uncovered` with a reason). This module computes what actually checks each requirement from
 *   - vector files `vectors/*_test.json`: file-level `requirements` and per-case `requirements`;
 *   - test files `*.test.ts` under suites/, harness/, vectors/ and test/: IDs in the titles of
 *     `it` / `test` calls (what harness/run/collect.ts reads at run time from a test's own name,
 *     so an ID in a `describe` title or a comment does not count), IDs in string literals of the
 *     table that feeds a templated title (`it.each(table)`, `for (… of table) it(\`${…}\`)`), and
 *     IDs in a `requirements` property (`Object.assign(task.meta, { requirements: […] })`).
 * Tests that are never run (`it.skip`, `it.todo`, inside `describe.skip`) do not count. Test files
 * that use IDs as sample data (the registry's own tests, schemas/, reports/, harness/expectations,
 * test data folders) are not scanned.
 *
 * `verifyCoverage` lists what is wrong: a requirement that nothing checks and that is not marked
 * `uncovered`; a requirement marked `uncovered` that something does check (a stale gap entry);
 * an ID named by a vector or test that the registry does not define or has retired.
 * suites/requirements/coverage.test.ts fails on any of them.
 *
 * Usage: `npm run requirements:coverage` prints covered vs total per area and per level, then every
 * problem (exit code 1 if any); `-- --list` also prints each uncovered requirement with its reason;
 * `-- --write` rewrites the generated figures in suites/requirements/README.md.
 * @module
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseJsonLossless, type JsonValue } from '../../harness/protocol/gojson.ts';
import { casesOf } from '../../vectors/index.ts';
import { CRASH_FAULT_PROOFS, hostileProofOf, vectorCaseEvidence } from './failproof.ts';
import { ADAPTER_FAULT_PROOFS, FAULT_PROOFS } from './faults.ts';
import { areaOf, loadRequirements, type CoverageLink, type Level, type Registry, type TestKind } from './index.ts';

/** Repository root (two levels above this module). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const ID_IN_TEXT = /\bBM-[A-Z]{2,8}-[0-9]{3}\b/g;

/** Test files whose requirement IDs are sample data, not coverage. */
const NOT_COVERAGE = [/^suites\/requirements\//, /^schemas\//, /^reports\//, /^harness\/expectations/, /^harness\/implementations/, /\/testdata\//, /\/fixtures\//];

/** Folders whose `*.test.ts` files are scanned. */
const TEST_ROOTS = ['suites', 'harness', 'vectors', 'test'];

function walk(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
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
  // The security suite runs against a server target (suites/security: token, upload, invite abuse).
  if (m && m[1] === 'security') return 'server';
  // The durability profile kills and restarts a mail server target (suites/durability).
  if (m && m[1] === 'durability') return 'server';
  return 'unit';
}

// ---------------------------------------------------------------------------------------------
// Test files: requirement IDs a runner would attach to each test

const TEST_FNS = new Set(['it', 'test']);
/** Modifiers whose tests never run. */
const NOT_RUN = new Set(['skip', 'todo']);
/** Modifier calls that return a test function (`it.each(table)(title, fn)`); `each`/`for` carry a table. */
const MODIFIER_CALLS = new Set(['each', 'for', 'skipIf', 'runIf', 'extend']);
const TABLE_CALLS = new Set(['each', 'for']);

function idsIn(text: string): string[] {
  return text.match(ID_IN_TEXT) ?? [];
}

/** Root identifier and modifier names of a callee chain (`it.concurrent.each(t)` → it, [concurrent, each]). */
function calleeChain(e: ts.Expression): { root: string | undefined; mods: string[]; tables: ts.Expression[] } {
  const mods: string[] = [];
  const tables: ts.Expression[] = [];
  for (;;) {
    if (ts.isIdentifier(e)) return { root: e.text, mods, tables };
    if (ts.isPropertyAccessExpression(e)) {
      mods.push(e.name.text);
      e = e.expression;
    } else if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && MODIFIER_CALLS.has(e.expression.name.text)) {
      if (TABLE_CALLS.has(e.expression.name.text)) tables.push(...e.arguments);
      e = e.expression;
    } else return { root: undefined, mods, tables };
  }
}

/** A test registration `it(title, fn)`, `it.each(t)(title, fn)`, `test.skipIf(c)(title, fn)`, …: its title and tables. */
function asTestCall(call: ts.CallExpression): { title: ts.Expression | undefined; tables: ts.Expression[]; runs: boolean } | undefined {
  // `it.each(table)` itself is a modifier call, not a registration.
  if (ts.isPropertyAccessExpression(call.expression) && MODIFIER_CALLS.has(call.expression.name.text)) return undefined;
  const { root, mods, tables } = calleeChain(call.expression);
  if (root === undefined || !TEST_FNS.has(root)) return undefined;
  return { title: call.arguments[0], tables, runs: !mods.some((m) => NOT_RUN.has(m)) };
}

/** Inside `describe.skip(…)` / `describe.todo(…)`? */
function inSkippedSuite(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isCallExpression(p)) {
      const { root, mods } = calleeChain(p.expression);
      if (root === 'describe' && mods.some((m) => NOT_RUN.has(m))) return true;
    }
  }
  return false;
}

/** IDs in every string literal and template text under `node` (comments are not nodes, so they never count). */
function literalIds(node: ts.Node, sf: ts.SourceFile, depth = 0): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) out.push(...idsIn(n.text));
    else if (ts.isIdentifier(n) && depth < 2) {
      // A table named by a constant of the same file (`for (const c of CASES)`).
      const init = declarationOf(n.text, sf);
      if (init && init !== node) out.push(...literalIds(init, sf, depth + 1));
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/** Initialiser of the first variable of that name declared in the file. */
function declarationOf(name: string, sf: ts.SourceFile): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) found = n.initializer;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** The table a test inside a loop iterates over: `for (… of T)`, `for (… in T)`, `T.forEach(…)`, `T.map(…)`. */
function enclosingTable(node: ts.Node): ts.Node | undefined {
  for (let p: ts.Node | undefined = node.parent, child: ts.Node = node; p; child = p, p = p.parent) {
    if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && child === p.statement) return p.expression;
    if (ts.isForStatement(p) && child === p.statement) return p.initializer;
    if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && ['forEach', 'map', 'flatMap'].includes(p.expression.name.text) && p.arguments.includes(child as ts.Expression)) {
      return p.expression.expression;
    }
  }
  return undefined;
}

/** Is the title templated (substitutions, a non-literal, or vitest's %s / $name placeholders)? */
function titleOf(title: ts.Expression | undefined): { text: string; templated: boolean } {
  if (title === undefined) return { text: '', templated: true };
  if (ts.isStringLiteralLike(title)) return { text: title.text, templated: /%[sdifjoO#%]|\$[a-zA-Z_]/.test(title.text) };
  if (ts.isTemplateExpression(title)) return { text: [title.head.text, ...title.templateSpans.map((s) => s.literal.text)].join('…'), templated: true };
  return { text: title.getText(), templated: true };
}

/**
 * Requirement IDs a test file attaches to its tests: ID → the titles (or `meta.requirements`) that name it.
 * @param source TypeScript source of a `*.test.ts` file
 */
export function requirementIdsInTestSource(source: string, fileName = 'x.test.ts'): Map<string, string[]> {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = new Map<string, string[]>();
  const add = (ids: Iterable<string>, where: string): void => {
    for (const id of ids) {
      const list = found.get(id) ?? [];
      if (!list.includes(where)) list.push(where);
      found.set(id, list);
    }
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const t = asTestCall(n);
      if (t && t.runs && !inSkippedSuite(n)) {
        const { text, templated } = titleOf(t.title);
        const ids = new Set(idsIn(text));
        if (templated) {
          for (const table of t.tables) for (const id of literalIds(table, sf)) ids.add(id);
          const loop = enclosingTable(n);
          if (loop) for (const id of literalIds(loop, sf)) ids.add(id);
        }
        add(ids, text);
      }
    }
    // Object.assign(task.meta, { requirements: [...] }) and tables of { requirements: [...] } feeding it.
    if (ts.isPropertyAssignment(n) && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name)) && n.name.text === 'requirements' && !inSkippedSuite(n)) {
      add(literalIds(n.initializer, sf), 'meta.requirements');
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** Repository-relative paths of the test files the scan reads. */
export function testFiles(root: string = REPO_ROOT): string[] {
  return TEST_ROOTS.flatMap((d) => walk(join(root, d)))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => rel(root, f))
    .filter((f) => !NOT_COVERAGE.some((re) => re.test(f)))
    .sort();
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
  for (const file of testFiles(root)) {
    const ids = requirementIdsInTestSource(readFileSync(join(root, file), 'utf8'), file);
    for (const id of ids.keys()) add(id, { kind: testKindOf(file), file });
  }
  for (const links of found.values()) {
    links.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (const l of links) if (l.cases) l.cases.sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true }));
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Registry vs scan

/** Derived coverage of one requirement. */
export type DerivedStatus = 'covered' | 'uncovered' | 'missing';

export interface CoverageSummary {
  total: number;
  /** Requirements with at least one vector or test. */
  covered: string[];
  /** Requirements deliberately uncovered (registry `uncovered` with a reason) and indeed unchecked. */
  uncovered: string[];
  /** Requirements nothing checks and the registry does not mark uncovered (a failure). */
  missing: string[];
  /** Requirements marked `uncovered` that a vector or test does check (the gap entry is stale; a failure). */
  staleUncovered: { id: string; files: string[] }[];
  /** IDs named by vectors or tests that the registry does not define or has retired (a failure). */
  unknown: { id: string; files: string[]; retired: boolean }[];
  /** Derived status per requirement, registry order. */
  status: Map<string, DerivedStatus>;
}

/** Compare a scan with the registry. */
export function coverageSummary(reg: Registry = loadRequirements(), found: Map<string, CoverageLink[]> = scanCoverage()): CoverageSummary {
  const live = new Set(reg.requirements.map((r) => r.id));
  const retired = new Set(reg.retired.map((r) => r.id));
  const s: CoverageSummary = { total: reg.requirements.length, covered: [], uncovered: [], missing: [], staleUncovered: [], unknown: [], status: new Map() };
  for (const r of reg.requirements) {
    const links = found.get(r.id) ?? [];
    if (links.length > 0) {
      s.covered.push(r.id);
      s.status.set(r.id, 'covered');
      if (r.coverage.status === 'uncovered') s.staleUncovered.push({ id: r.id, files: links.map((l) => l.file) });
    } else if (r.coverage.status === 'uncovered' && r.coverage.reason.trim() !== '') {
      s.uncovered.push(r.id);
      s.status.set(r.id, 'uncovered');
    } else {
      s.missing.push(r.id);
      s.status.set(r.id, 'missing');
    }
  }
  for (const [id, links] of found) if (!live.has(id)) s.unknown.push({ id, files: links.map((l) => l.file), retired: retired.has(id) });
  s.unknown.sort((a, b) => (a.id < b.id ? -1 : 1));
  return s;
}

/** One line per problem (empty when the registry and the scan agree). */
export function coverageProblems(s: CoverageSummary): string[] {
  return [
    ...s.missing.map((id) => `${id}: no vector or test checks it, and the registry does not mark it uncovered`),
    ...s.staleUncovered.map((u) => `${u.id}: marked uncovered but checked by ${u.files.join(', ')} (drop the uncovered entry)`),
    ...s.unknown.map((u) => `${u.id}: ${u.retired ? 'retired' : 'not in the registry'}, named by ${u.files.join(', ')}`),
  ];
}

export interface CoverageRow {
  key: string;
  total: number;
  covered: number;
  uncovered: number;
  missing: number;
}

/** Covered / deliberately uncovered / missing counts per area (registry order of areas) and per level. */
export function coverageTable(reg: Registry, s: CoverageSummary): { areas: CoverageRow[]; levels: CoverageRow[]; all: CoverageRow } {
  const row = (key: string): CoverageRow => ({ key, total: 0, covered: 0, uncovered: 0, missing: 0 });
  const areas = new Map(Object.keys(reg.areas).map((a) => [a, row(a)]));
  const levels = new Map((['MUST', 'SHOULD', 'MAY'] as Level[]).map((l) => [l as string, row(l)]));
  const all = row('all');
  for (const r of reg.requirements) {
    const st = s.status.get(r.id) ?? 'missing';
    for (const x of [areas.get(areaOf(r.id)) ?? areas.set(areaOf(r.id), row(areaOf(r.id))).get(areaOf(r.id))!, levels.get(r.level)!, all]) {
      x.total++;
      x[st]++;
    }
  }
  return { areas: [...areas.values()].filter((x) => x.total > 0), levels: [...levels.values()].filter((x) => x.total > 0), all };
}

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${Math.round((100 * n) / d)}%`);

/** The figures as a Markdown table (also the generated block of suites/requirements/README.md). */
export function coverageMarkdown(reg: Registry, s: CoverageSummary): string {
  const t = coverageTable(reg, s);
  const line = (x: CoverageRow, label = x.key): string => `| ${label} | ${x.covered} / ${x.total} | ${pct(x.covered, x.total)} | ${x.uncovered} | ${x.missing} |`;
  return [
    '| area / level | covered / total | % | uncovered (reason in registry) | missing |',
    '|---|---:|---:|---:|---:|',
    ...t.areas.map((x) => line(x)),
    ...t.levels.map((x) => line(x, `**${x.key}**`)),
    line(t.all, '**all**'),
  ].join('\n');
}

/** Plain-text report for the terminal. */
export function coverageText(reg: Registry, s: CoverageSummary, opts: { list?: boolean } = {}): string {
  const t = coverageTable(reg, s);
  const w = Math.max(...t.areas.map((x) => x.key.length), 6);
  const line = (x: CoverageRow): string =>
    `  ${x.key.padEnd(w)}  ${String(x.covered).padStart(3)} / ${String(x.total).padEnd(3)} ${pct(x.covered, x.total).padStart(4)}   uncovered ${String(x.uncovered).padStart(2)}   missing ${String(x.missing).padStart(2)}`;
  const out = [
    `requirements: ${s.total}; covered ${s.covered.length} (${pct(s.covered.length, s.total)}), uncovered with a reason ${s.uncovered.length}, missing ${s.missing.length}`,
    'per area:',
    ...t.areas.map(line),
    'per level:',
    ...t.levels.map(line),
  ];
  if (opts.list && s.uncovered.length) {
    const byId = new Map(reg.requirements.map((r) => [r.id, r]));
    out.push('uncovered (deliberate gaps):');
    for (const id of s.uncovered) {
      const c = byId.get(id)!.coverage;
      out.push(`  ${id}  ${c.status === 'uncovered' ? c.reason : ''}`);
    }
  }
  const problems = coverageProblems(s);
  if (problems.length) out.push(`problems (${problems.length}):`, ...problems.map((p) => `  ${p}`));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Fail-proof: what shows each requirement's tests can fail (issue 10 item 3)

/** What proves, for one requirement, that its tests can fail (suites/requirements/failproof.ts). */
export interface FailProof {
  /** Fault switches (`section.name`) proven to break one of its tests (suites/requirements/faults.ts). */
  faultSwitches: string[];
  /** Its vector cases graded invalid. */
  negativeVectors: number;
  /** Its valid or acceptable vector cases whose expected answer no trivial answer gives. */
  knownAnswers: number;
  /** Profiles of its tests whose every test the hostile corpus fails (`HOSTILE_PROOFS`). */
  hostileTargets: string[];
}

/** A requirement's fail-proof has something in it. */
export function hasFailProof(p: FailProof): boolean {
  return p.faultSwitches.length > 0 || p.negativeVectors > 0 || p.knownAnswers > 0 || p.hostileTargets.length > 0;
}

/** Requirement ID → what proves its tests can fail, from the fault proofs, the vector cases and the hostile proofs. */
export function failProofs(found: Map<string, CoverageLink[]> = scanCoverage(), root: string = REPO_ROOT): Map<string, FailProof> {
  const out = new Map<string, FailProof>();
  const of = (id: string): FailProof => {
    let p = out.get(id);
    if (!p) out.set(id, (p = { faultSwitches: [], negativeVectors: 0, knownAnswers: 0, hostileTargets: [] }));
    return p;
  };
  for (const f of [...FAULT_PROOFS, ...ADAPTER_FAULT_PROOFS]) {
    for (const name of f.fails) {
      const ids = name.split(' › ')[2]?.split('+') ?? [];
      for (const id of ids) if (!of(id).faultSwitches.includes(`${f.section}.${f.name}`)) of(id).faultSwitches.push(`${f.section}.${f.name}`);
    }
  }
  for (const c of CRASH_FAULT_PROOFS) of(c.requirement).faultSwitches.push(`crash.${c.fault}`);
  for (const p of walk(join(root, 'vectors')).filter((f) => f.endsWith('_test.json'))) {
    let cases: ReturnType<typeof casesOf>;
    try {
      cases = casesOf(parseJsonLossless(readFileSync(p, 'utf8')) as Record<string, JsonValue>);
    } catch {
      continue;
    }
    for (const c of cases) {
      const e = vectorCaseEvidence(c);
      for (const id of c.requirements) {
        if (e === 'negative-vector') of(id).negativeVectors++;
        else if (e === 'known-answer') of(id).knownAnswers++;
      }
    }
  }
  for (const [id, links] of found) {
    for (const l of links) {
      // The profile is the suite folder (suites/<profile>/…), as harness/run/collect.ts names it.
      const profile = /^suites\/([a-z]+)\//.exec(l.file)?.[1];
      if (profile !== undefined && hostileProofOf(profile, root) && !of(id).hostileTargets.includes(profile)) of(id).hostileTargets.push(profile);
    }
  }
  return out;
}

/** Requirements a profile test or vector covers (not only unit tests). */
function coveredByProfile(links: readonly CoverageLink[]): boolean {
  return links.some((l) => l.kind !== 'unit' && l.kind !== 'property');
}

export interface FailProofSummary {
  /** MUST requirements a profile test or vector covers. */
  mustCovered: string[];
  /** …of them with a fail-proof. */
  mustProven: string[];
  /** …of them without one, but with a stated reason (failproof-gaps.json). */
  mustExcused: string[];
  /** MUST requirements covered by a profile test with neither a fail-proof nor a reason (a failure). */
  unproven: string[];
  /** Gap entries for a requirement that has a fail-proof, or that the registry does not define (a failure). */
  staleGaps: string[];
}

/** Compare the fail-proofs with the gap list. */
export function failProofSummary(reg: Registry, found: Map<string, CoverageLink[]>, proofs: Map<string, FailProof>, gaps: Record<string, string> = loadFailProofGaps()): FailProofSummary {
  const s: FailProofSummary = { mustCovered: [], mustProven: [], mustExcused: [], unproven: [], staleGaps: [] };
  const live = new Set(reg.requirements.map((r) => r.id));
  for (const r of reg.requirements) {
    if (r.level !== 'MUST' || !coveredByProfile(found.get(r.id) ?? [])) continue;
    s.mustCovered.push(r.id);
    const p = proofs.get(r.id);
    if (p && hasFailProof(p)) s.mustProven.push(r.id);
    else if ((gaps[r.id] ?? '').trim() !== '') s.mustExcused.push(r.id);
    else s.unproven.push(r.id);
  }
  for (const id of Object.keys(gaps)) {
    const p = proofs.get(id);
    if (!live.has(id) || (p && hasFailProof(p))) s.staleGaps.push(id);
  }
  return s;
}

/** Requirement ID → why no test of it can be shown to fail (suites/requirements/failproof-gaps.json, one reason per entry). */
export function loadFailProofGaps(root: string = REPO_ROOT): Record<string, string> {
  const doc = JSON.parse(readFileSync(join(root, 'suites', 'requirements', 'failproof-gaps.json'), 'utf8')) as { gaps: Record<string, string> };
  return doc.gaps;
}

/** One problem line per unproven MUST requirement and per stale gap entry. */
export function failProofProblems(s: FailProofSummary): string[] {
  return [
    ...s.unproven.map((id) => `${id}: MUST, covered by a profile test, but nothing shows its tests can fail (add a negative vector, a fault switch or a hostile target, or a reason in failproof-gaps.json)`),
    ...s.staleGaps.map((id) => `${id}: listed in failproof-gaps.json, but it has a fail-proof or is not in the registry (drop the entry)`),
  ];
}

/** One line per requirement: its level and what proves its tests can fail. */
export function failProofLines(reg: Registry, proofs: Map<string, FailProof>, gaps: Record<string, string> = loadFailProofGaps()): string[] {
  return reg.requirements.map((r) => {
    const p = proofs.get(r.id);
    const parts: string[] = [];
    if (p?.faultSwitches.length) parts.push(`fault switch ${p.faultSwitches.join(', ')}`);
    if (p?.negativeVectors) parts.push(`${p.negativeVectors} negative vector${p.negativeVectors === 1 ? '' : 's'}`);
    if (p?.knownAnswers) parts.push(`${p.knownAnswers} known answer${p.knownAnswers === 1 ? '' : 's'}`);
    if (p?.hostileTargets.length) parts.push(`hostile targets (${p.hostileTargets.join(', ')})`);
    const proof = parts.length > 0 ? parts.join('; ') : gaps[r.id] !== undefined ? `none: ${gaps[r.id]}` : 'none';
    return `  ${r.id.padEnd(14)} ${r.level.padEnd(6)} ${proof}`;
  });
}

const README_BEGIN = '<!-- coverage:begin (generated by `npm run requirements:coverage -- --write`) -->';
const README_END = '<!-- coverage:end -->';

/** README text with the generated block replaced (appended when the markers are missing). */
export function withCoverageBlock(readme: string, block: string): string {
  const body = `${README_BEGIN}\n${block}\n${README_END}`;
  const a = readme.indexOf(README_BEGIN);
  const b = readme.indexOf(README_END);
  if (a >= 0 && b > a) return readme.slice(0, a) + body + readme.slice(b + README_END.length);
  return `${readme.trimEnd()}\n\n${body}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const reg = loadRequirements();
  const found = scanCoverage();
  const s = coverageSummary(reg, found);
  process.stdout.write(coverageText(reg, s, { list: process.argv.includes('--list') }));
  const proofs = failProofs(found);
  const fp = failProofSummary(reg, found, proofs);
  process.stdout.write(
    [
      'fail-proof (what shows each requirement\'s tests can fail: fault switch, negative vector, known answer, hostile target):',
      ...failProofLines(reg, proofs),
      `MUST requirements covered by a profile test: ${fp.mustCovered.length}; with a fail-proof ${fp.mustProven.length}, without one but with a reason ${fp.mustExcused.length}, unproven ${fp.unproven.length}`,
      ...failProofProblems(fp).map((p) => `  ${p}`),
    ].join('\n') + '\n',
  );
  if (process.argv.includes('--write')) {
    const path = join(REPO_ROOT, 'suites', 'requirements', 'README.md');
    writeFileSync(path, withCoverageBlock(readFileSync(path, 'utf8'), coverageMarkdown(reg, s)));
    process.stdout.write(`wrote ${rel(process.cwd(), path)}\n`);
  }
  if (coverageProblems(s).length > 0 || failProofProblems(fp).length > 0) process.exitCode = 1;
}
