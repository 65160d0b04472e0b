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
  return v;
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
