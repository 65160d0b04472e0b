/**
 * `npm run vectors` / `npm run vectors:check` (also `bm-conformance vectors [--check]`).
 *
 * Write mode clears vectors/*_test.json and rewrites every file, vectors/ids.json,
 * vectors/manifest.json and vectors/README.md (preamble vectors/gen/README.preamble.md + an index
 * computed from the manifest) from the master seed. Check mode builds the same bytes in memory and
 * fails on any difference with what is committed, so vectors change only through the generator
 * (STYLE.md "Regeneration clears the output folder and rewrites all of it; CI regenerates and diffs").
 * @module
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goMarshalIndent, type GoValue, type JsonValue } from '../harness/protocol/gojson.ts';
import { judgeCase, referenceCounterparty } from '../harness/judge/index.ts';
import { encodeLine, parseLine } from '../harness/adapter/wire.ts';
import {
  checkVerification,
  GENERATORS,
  GENERATOR_VERSION,
  makeContext,
  MASTER_SEED,
  sha256hex,
  vectorsReadme,
  type AccumulatedSpec,
  type CaseSpec,
  type IndexEntry,
  type VectorFileSpec,
} from './gen/index.ts';
import { formatErrors, validator } from '../schemas/index.ts';
import { loadRequirements } from '../suites/requirements/index.ts';
import { parseJsonLossless } from '../harness/protocol/gojson.ts';

export const VECTOR_DIR = dirname(fileURLToPath(import.meta.url));

export interface IdFile {
  nextId: number;
  ids: Record<string, number>;
}
interface Tombstone {
  file: string;
  tcId: number;
  removedIn: string;
  reason: string;
}
export interface IdRegistry {
  files: Record<string, IdFile>;
  tombstones: Tombstone[];
}

/** Vector file text: 2-space JSON written by the Go-JSON writer (exact bigints), newline-terminated. */
function text(v: GoValue): string {
  return goMarshalIndent(v) + '\n';
}

export interface GeneratedSet {
  /** path relative to vectors/ → contents */
  files: Map<string, string>;
  cases: number;
}

/** Build every vector file in memory. */
export async function generateAll(opts: { only?: string[] } = {}): Promise<GeneratedSet> {
  const idPath = join(VECTOR_DIR, 'ids.json');
  const registry: IdRegistry = existsSync(idPath) ? JSON.parse(readFileSync(idPath, 'utf8')) : { files: {}, tombstones: [] };
  const files = new Map<string, string>();
  const manifestFiles: GoValue[] = [];
  const accumulated: AccumulatedSpec[] = [];
  let total = 0;

  const known = new Set(loadRequirements().requirements.map((r) => r.id));
  const gens = [...GENERATORS].sort((a, b) => (a.name < b.name ? -1 : 1));
  const names = new Set<string>();
  for (const gen of gens) {
    if (names.has(gen.name)) throw new Error(`two generators named ${gen.name}`);
    names.add(gen.name);
  }
  for (const gen of gens) {
    if (opts.only && !opts.only.includes(gen.name)) continue;
    const built = await buildFile(gen, registry);
    const path = `${gen.name}_test.json`;
    const body = text(built.file);
    // Fail here, not in the suite: a file that breaks its schema or names an unknown
    // requirement is never written.
    const v = validator('vector_file_schema_v1.json');
    if (!v(parseJsonLossless(body))) throw new Error(`${path} does not match vector_file_schema_v1.json: ${formatErrors(v.errors)}`);
    const unknown = (built.file as { requirements: string[] }).requirements.filter((id) => !known.has(id));
    if (unknown.length) throw new Error(`${path} names requirements the registry does not define: ${unknown.join(', ')}`);
    files.set(path, body);
    if (gen.accumulated) accumulated.push(...(await gen.accumulated(makeContext(MASTER_SEED, gen.name))));
    total += built.counts.cases;
    manifestFiles.push({
      path,
      sha256: sha256hex(body),
      schema: 'vector_file_schema_v1.json',
      area: gen.area,
      cases: built.counts.cases,
      valid: built.counts.valid,
      invalid: built.counts.invalid,
      acceptable: built.counts.acceptable,
      seed: built.seedHex,
      generator: `vectors/gen/${gen.name}.ts`,
    });
  }
  if (!opts.only) {
    // Keys that no generator produced any more become tombstones: their numbers stay taken.
    for (const [file, entry] of Object.entries(registry.files)) {
      if (!names.has(file)) {
        for (const [key, id] of Object.entries(entry.ids)) registry.tombstones.push({ file: `${file}_test.json`, tcId: id, removedIn: GENERATOR_VERSION, reason: `generator ${file} removed (case ${key})` });
        entry.ids = {};
      }
    }
    registry.tombstones.sort((a, b) => (a.file === b.file ? a.tcId - b.tcId : a.file < b.file ? -1 : 1));
    files.set('ids.json', JSON.stringify(sortRegistry(registry), null, 2) + '\n');
    files.set(
      'manifest.json',
      text({
        schema: 'vector_manifest_schema_v1.json',
        schemaVersion: 1,
        generatorVersion: GENERATOR_VERSION,
        seed: MASTER_SEED,
        files: manifestFiles,
        accumulated: accumulatedEntries(accumulated),
        tombstones: registry.tombstones as unknown as GoValue[],
      }),
    );
    files.set(
      'README.md',
      vectorsReadme({
        generatorVersion: GENERATOR_VERSION,
        seed: MASTER_SEED,
        files: manifestFiles as unknown as IndexEntry[],
        accumulated: accumulatedEntries(accumulated) as unknown as { name: string; count: number; sha256: string; description: string }[],
        tombstones: registry.tombstones.length,
      }),
    );
  }
  return { files, cases: total };
}

/** Manifest `accumulated`: sorted by name, names unique, fields in schema order. */
function accumulatedEntries(list: AccumulatedSpec[]): GoValue[] {
  const seen = new Set<string>();
  for (const a of list) {
    if (seen.has(a.name)) throw new Error(`two accumulated entries named ${a.name}`);
    seen.add(a.name);
  }
  return [...list].sort((a, b) => (a.name < b.name ? -1 : 1)).map((a) => ({ name: a.name, count: a.count, sha256: a.sha256, description: a.description }));
}

function sortRegistry(r: IdRegistry): IdRegistry {
  const files: Record<string, IdFile> = {};
  for (const k of Object.keys(r.files).sort()) {
    const f = r.files[k]!;
    const ids: Record<string, number> = {};
    for (const [key, id] of Object.entries(f.ids).sort((a, b) => a[1] - b[1])) ids[key] = id;
    files[k] = { nextId: f.nextId, ids };
  }
  return { files, tombstones: r.tombstones };
}

/**
 * Build one vector file: every case judged against the reference, ids kept stable in `registry`.
 * @throws Error naming the file, key and tcId of a case the reference disagrees with (a mutant
 *   it accepts included), or of a key that vanished without a `retired` reason
 */
export async function buildFile(gen: VectorFileSpec, registry: IdRegistry) {
  const ctx = makeContext(MASTER_SEED, gen.name);
  const groups = await gen.build(ctx);
  const idFile: IdFile = (registry.files[gen.name] ??= { nextId: 1, ids: {} });
  const seenKeys = new Set<string>();
  const counts = { cases: 0, valid: 0, invalid: 0, acceptable: 0 };
  const reqs = new Set(gen.requirements);
  const outGroups: GoValue[] = [];
  const reference = referenceCounterparty();
  for (const g of groups) {
    const tests: GoValue[] = [];
    for (const c of g.cases) {
      if (seenKeys.has(c.key)) throw new Error(`${gen.name}: duplicate case key ${c.key}`);
      seenKeys.add(c.key);
      if (gen.retired?.[c.key] !== undefined) throw new Error(`${gen.name}: case ${c.key} is built but also listed as retired`);
      const op = c.op ?? g.op;
      const r = await ctx.run(op, c.inputs, { seed: c.seed, now: c.now });
      let expected = c.expected;
      // An accepted valid or acceptable input has one right answer: the reference's, as the wire carries it.
      if (expected === undefined && c.result !== 'invalid' && 'ok' in r && r.ok) expected = parseLine(encodeLine(r.result)) as Record<string, JsonValue>;
      // The one judge (harness/judge), as the library suite applies it; the reference is its own
      // subject, so a predicate's negative twin would ask it nothing new.
      const v = await judgeCase({ op, inputs: c.inputs, seed: c.seed, now: c.now, result: c.result, expected, errorClass: c.errorClass, alsoAllowedErrorClasses: c.alsoAllowedErrorClasses }, r, { deterministic: true, reference });
      if (v.verdict !== 'pass') {
        const known = idFile.ids[c.key] !== undefined ? ` (${gen.name}#${idFile.ids[c.key]})` : '';
        const what = c.mutant && 'ok' in r && r.ok && c.result === 'invalid' ? 'the reference accepts this mutant, which it must refuse' : 'the reference disagrees with the case';
        throw new Error(`${gen.name}: ${c.mutant ? 'mutant ' : ''}case ${c.key}${known} "${c.comment}": ${what}: ${v.reason}`);
      }
      for (const f of c.flags ?? []) if (!gen.notes[f]) throw new Error(`${gen.name}: case ${c.key} uses undefined flag ${f}`);
      const id = (idFile.ids[c.key] ??= idFile.nextId++);
      for (const q of c.requirements ?? []) reqs.add(q);
      counts.cases++;
      counts[c.result]++;
      tests.push(caseJson(c, id, op !== g.op ? op : undefined, expected));
    }
    if (tests.length) outGroups.push({ comment: g.comment, op: g.op, source: g.source as GoValue, tests });
  }
  // Keys that vanished from this generator: their ids become tombstones with the reason the
  // generator gives in `retired` (never a silent "no longer generated").
  for (const [key, id] of Object.entries(idFile.ids)) {
    if (seenKeys.has(key)) continue;
    const reason = gen.retired?.[key];
    if (reason === undefined) throw new Error(`${gen.name}: case ${key} (${gen.name}#${id}) is no longer built; list it in the generator's \`retired\` with the reason, or build it again`);
    registry.tombstones.push({ file: `${gen.name}_test.json`, tcId: id, removedIn: GENERATOR_VERSION, reason: `case ${key}: ${reason}` });
    delete idFile.ids[key];
  }
  const file: GoValue = {
    schema: 'vector_file_schema_v1.json',
    area: gen.area,
    name: gen.name,
    schemaVersion: 1,
    generatorVersion: GENERATOR_VERSION,
    seed: ctx.seedHex,
    requirements: [...reqs].sort(),
    source: { ...gen.source, generator: `vectors/gen/${gen.name}.ts`, command: 'npm run vectors' } as GoValue,
    header: gen.header,
    notes: gen.notes as unknown as GoValue,
    numberOfTests: counts.cases,
    testGroups: outGroups,
  };
  return { file, counts, seedHex: ctx.seedHex };
}

function caseJson(c: CaseSpec, tcId: number, op: string | undefined, expected: Record<string, JsonValue> | undefined): GoValue {
  return {
    tcId,
    comment: c.comment,
    flags: c.flags ?? [],
    op,
    inputs: c.inputs as GoValue,
    seed: c.seed,
    now: c.now,
    expected: expected as GoValue,
    result: c.result,
    errorClass: c.errorClass,
    alsoAllowedErrorClasses: c.alsoAllowedErrorClasses,
    requirements: c.requirements,
  };
}

/** Generated files beside the vector files (everything else in vectors/ is hand-written). */
const GENERATED_EXTRAS = new Set(['manifest.json', 'ids.json', 'README.md']);

/** Write mode: clear and rewrite. */
export async function writeVectors(): Promise<GeneratedSet> {
  const set = await generateAll();
  for (const f of readdirSync(VECTOR_DIR)) if (f.endsWith('_test.json')) rmSync(join(VECTOR_DIR, f));
  for (const [path, body] of set.files) writeFileSync(join(VECTOR_DIR, path), body);
  return set;
}

/** Check mode: list every difference between a fresh generation and the committed files. */
export async function checkVectors(): Promise<string[]> {
  const set = await generateAll();
  const diffs: string[] = [];
  const committed = readdirSync(VECTOR_DIR).filter((f) => f.endsWith('_test.json') || GENERATED_EXTRAS.has(f));
  for (const f of committed) if (!set.files.has(f)) diffs.push(`${f}: committed but no longer generated`);
  for (const [path, body] of set.files) {
    const p = join(VECTOR_DIR, path);
    if (!existsSync(p)) diffs.push(`${path}: generated but not committed`);
    else if (readFileSync(p, 'utf8') !== body) diffs.push(`${path}: committed bytes differ from a fresh generation`);
  }
  // The vectors may not drift from what the Go code last confirmed without saying so (issue 16).
  const manifest = join(VECTOR_DIR, 'manifest.json');
  if (existsSync(manifest)) diffs.push(...checkVerification(readFileSync(manifest, 'utf8')));
  return diffs;
}

export async function vectorsMain(argv: readonly string[]): Promise<number> {
  const t0 = performance.now();
  if (argv.includes('--check')) {
    const diffs = await checkVectors();
    const ms = Math.round(performance.now() - t0);
    if (diffs.length) {
      process.stderr.write(`vectors: ${diffs.length} difference(s) between the committed vectors and a fresh generation:\n${diffs.map((d) => `  ${d}`).join('\n')}\nrun \`npm run vectors\` and commit the result (vectors change only through the generator)\n`);
      return 1;
    }
    process.stdout.write(`vectors: committed vectors equal a fresh generation (${ms} ms)\n`);
    return 0;
  }
  const set = await writeVectors();
  const vectorFiles = [...set.files.keys()].filter((f) => f.endsWith('_test.json')).length;
  process.stdout.write(`vectors: wrote ${vectorFiles} files, ${set.cases} cases, manifest, ids and README (${Math.round(performance.now() - t0)} ms)\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  vectorsMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`vectors: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
}
