/**
 * Loader for the project's JSON Schemas (schemas/*_schema_v1.json, JSON Schema 2020-12).
 *
 * Every schema is compiled once with Ajv 2020 in strict mode plus ajv-formats, with all files
 * registered together so cross-file `$ref`s (`common_schema_v1.json#/$defs/Hash`) resolve by
 * `$id` (https://bitmaelum-conformance.invalid/schemas/<file>). The `.invalid` host is reserved
 * (RFC 2606): nothing is ever fetched. See schemas/README.md for the index of schemas.
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS: under NodeNext typing the default import is the module
// object, at run time it is the class/function (which also carries `.default`). Normalise once.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
type Ajv2020 = InstanceType<typeof Ajv2020>;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

/** Base of every schema `$id`; a schema's id is this plus its file name. */
export const SCHEMA_BASE = 'https://bitmaelum-conformance.invalid/schemas/';

/** Folder holding the schema files (this module's folder). */
export const SCHEMA_DIR = dirname(fileURLToPath(import.meta.url));

/** A parsed schema file. */
export interface SchemaFile {
  readonly file: string;
  readonly id: string;
  readonly schema: Record<string, unknown>;
}

let cache: { ajv: Ajv2020; files: SchemaFile[] } | undefined;

/** Read every `*_schema_v1.json` in schemas/ (sorted by name). */
export function readSchemaFiles(dir: string = SCHEMA_DIR): SchemaFile[] {
  return readdirSync(dir)
    .filter((f) => /_schema_v\d+\.json$/.test(f))
    .sort()
    .map((file) => {
      const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      const id = schema['$id'];
      if (id !== SCHEMA_BASE + file) {
        throw new Error(`schemas/${file}: $id must be ${SCHEMA_BASE + file}, got ${String(id)}`);
      }
      return { file, id, schema };
    });
}

/**
 * Create a fresh strict Ajv 2020 instance with formats.
 * `allowUnionTypes` permits `type: ["integer","string"]`; every other strict check stays on.
 */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

/**
 * Load and compile every schema (once per process).
 * @returns the Ajv instance and the parsed files
 * @throws Error if a schema is not valid 2020-12, breaks a strict-mode rule, or has a bad `$id`
 */
export function loadSchemas(): { ajv: Ajv2020; files: SchemaFile[] } {
  if (cache) return cache;
  const ajv = createAjv();
  const files = readSchemaFiles();
  for (const f of files) ajv.addSchema(f.schema);
  for (const f of files) ajv.getSchema(f.id); // compile now so errors surface at load time
  cache = { ajv, files };
  return cache;
}

/** Resolve a short name (`header_schema_v1.json`, `header_schema_v1.json#/$defs/From`) to a full id. */
export function schemaId(name: string): string {
  return name.startsWith('https://') ? name : SCHEMA_BASE + name;
}

/**
 * The compiled validator for a schema or one of its `$defs`.
 * @param id full `$id`, or a file name, optionally with a `#/$defs/Name` fragment
 * @throws Error when no such schema exists
 * @example validator('header_schema_v1.json')(JSON.parse(text)) // true for testdata/header-001.json
 */
export function validator(id: string): ValidateFunction {
  const { ajv } = loadSchemas();
  const full = schemaId(id);
  const v = ajv.getSchema(full);
  if (!v) throw new Error(`unknown schema ${full}`);
  let w = bigintTolerant.get(v);
  if (!w) {
    const inner = v;
    const f = ((data: unknown, ctx?: unknown) => {
      const ok = (inner as (d: unknown, c?: unknown) => boolean)(withoutBigints(data), ctx);
      f.errors = inner.errors;
      return ok;
    }) as ValidateFunction;
    Object.assign(f, { schema: inner.schema, schemaEnv: inner.schemaEnv, errors: null });
    w = f;
    bigintTolerant.set(v, w);
  }
  return w;
}

const bigintTolerant = new WeakMap<ValidateFunction, ValidateFunction>();

/**
 * Values read with the lossless JSON reader (gojson.ts `parseJsonLossless`) hold integers above
 * 2^53 (uint64 sizes, resolver serials) as `bigint`, which Ajv's `type: "integer"` does not
 * recognise. For validation only, such values become the nearest `number` (still an integer,
 * so `type`/`minimum` checks answer as for the JSON text; bounds exactly at 2^64 are not exact).
 */
function withoutBigints(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.some(hasBigint) ? v.map(withoutBigints) : v;
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    if (!hasBigint(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutBigints(x)]));
  }
  return v;
}
function hasBigint(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (Array.isArray(v)) return v.some(hasBigint);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.values(v).some(hasBigint);
  return false;
}

/** Format Ajv errors as one line each: `<instancePath> <message>`. */
export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('\n');
}

/**
 * Validate and throw with readable messages.
 * @throws Error naming each failing path
 */
export function assertValid(id: string, value: unknown): void {
  const v = validator(id);
  if (!v(value)) throw new Error(`${id}: invalid\n${formatErrors(v.errors)}`);
}

/** Adapter op name → `$defs` prefix (`header.verify_client` → `HeaderVerifyClient`). */
export function opDefName(op: string): string {
  return op.split(/[._]/).map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : '')).join('');
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Problems in a vector file beyond its JSON Schema: each case's inputs (group inputs merged under
 * case inputs) and expected output are checked against the adapter op it runs
 * (adapter_schema_v1.json `<Op>Args` / `<Op>Result`).
 *
 * - every input key must be an argument of the op, and every expected key a result field (typos);
 * - for `valid` cases the inputs must satisfy `<Op>Args` completely, and each expected field its
 *   result-field schema (`expected` may be a subset of the result);
 * - `invalid` / `acceptable` cases may carry deliberately malformed values, so only key names
 *   are checked for them.
 * Ops the adapter schema does not define (implementation-specific) are skipped.
 * @returns human-readable problems, `<tcId>: <message>`; empty when the file is consistent
 */
export function vectorCaseProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(doc) || !Array.isArray(doc['testGroups'])) return ['not a vector file (no testGroups)'];
  const { ajv } = loadSchemas();
  const adapter = ajv.getSchema(schemaId('adapter_schema_v1.json'))?.schema as { $defs: Record<string, JsonObject> };
  for (const g of doc['testGroups'] as unknown[]) {
    if (!isObject(g) || !Array.isArray(g['tests'])) continue;
    for (const t of g['tests'] as unknown[]) {
      if (!isObject(t)) continue;
      const id = String(t['tcId']);
      const op = (t['op'] ?? g['op']) as string | undefined;
      if (typeof op !== 'string') {
        problems.push(`${id}: no op on the case or its group`);
        continue;
      }
      const name = opDefName(op);
      const argsDef = adapter.$defs[`${name}Args`];
      const resultDef = adapter.$defs[`${name}Result`];
      if (!argsDef || !resultDef) continue;
      const inputs = { ...(isObject(g['inputs']) ? g['inputs'] : {}), ...(isObject(t['inputs']) ? t['inputs'] : {}) };
      const argProps = (argsDef['properties'] ?? {}) as JsonObject;
      for (const k of Object.keys(inputs)) if (!(k in argProps)) problems.push(`${id}: input "${k}" is not an argument of ${op}`);
      const expected = isObject(t['expected']) ? t['expected'] : {};
      const resProps = (resultDef['properties'] ?? {}) as JsonObject;
      for (const k of Object.keys(expected)) if (!(k in resProps)) problems.push(`${id}: expected "${k}" is not a result field of ${op}`);
      if (t['result'] !== 'valid') continue;
      const av = validator(`adapter_schema_v1.json#/$defs/${name}Args`);
      if (!av(inputs)) problems.push(`${id}: inputs do not satisfy ${name}Args: ${formatErrors(av.errors).replace(/\n/g, '; ')}`);
      for (const [k, v] of Object.entries(expected)) {
        if (!(k in resProps)) continue;
        const fv = validator(`adapter_schema_v1.json#/$defs/${name}Result/properties/${k}`);
        if (!fv(v)) problems.push(`${id}: expected "${k}" does not satisfy ${name}Result: ${formatErrors(fv.errors).replace(/\n/g, '; ')}`);
      }
    }
  }
  return problems;
}
