/**
 * The requirement registry (DESIGN.md "Contracts" 1): every normative behaviour of
 * spec/formats.md and spec/api.md as a numbered requirement `BM-<AREA>-<NNN>`, with level, text,
 * source, whether Go conforms (and, where it does not, what we test instead), and coverage.
 * Data: suites/requirements/requirements.json; schema: schemas/requirements_schema_v1.json.
 * IDs are never reused: a removed requirement moves to `retired`.
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertValid } from '../../schemas/index.ts';

export type Level = 'MUST' | 'SHOULD' | 'MAY';
export type Role = 'library' | 'client' | 'server' | 'resolver';
export type TestKind = 'vector' | 'unit' | 'library' | 'server' | 'resolver' | 'client' | 'interop' | 'property';

/** A vector file or test file that checks a requirement (found by the coverage scan). */
export interface CoverageLink {
  kind: TestKind;
  /** Repository-relative vector or test file. */
  file: string;
  /** Case IDs inside a vector file. */
  cases?: (number | string)[];
  /** Test-name pattern (vitest -t). */
  test?: string;
}

/**
 * What the registry says about testing a requirement: the intent, never the result. Whether a
 * requirement is covered is derived by suites/requirements/coverage.ts from the vectors and tests
 * that name it (a stored "covered" would go stale the moment a test is renamed).
 * - `planned`: vectors or tests of these kinds are expected to check it; the coverage test fails
 *   while nothing does.
 * - `uncovered`: a deliberate gap, with the one-line reason; the coverage test fails if something
 *   does check it after all (the entry is stale).
 */
export type Coverage =
  | { status: 'planned'; kinds: TestKind[]; note?: string }
  | { status: 'uncovered'; reason: string };

export interface Requirement {
  id: string;
  level: Level;
  text: string;
  applies_to: Role[];
  source: { spec: string[]; go?: string[] };
  go_conforms: boolean;
  go_deviation?: { go_behaviour: string; intended: string; spec_ref?: string };
  coverage: Coverage;
  notes?: string;
}

export interface RetiredRequirement {
  id: string;
  retired_in: string;
  reason: string;
  replaced_by?: string[];
}

export interface Registry {
  schema: 'requirements_schema_v1.json';
  schemaVersion: 1;
  registryVersion: string;
  spec: { file: string; describes: string }[];
  areas: Record<string, string>;
  requirements: Requirement[];
  retired: RetiredRequirement[];
}

/** Path of the registry file. */
export const REQUIREMENTS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'requirements.json');

/** `BM-<AREA>-<NNN>`. */
export const REQUIREMENT_ID = /^BM-([A-Z]{2,8})-([0-9]{3})$/;

let cache: Registry | undefined;

/**
 * Load and schema-validate the registry (cached per process).
 * @throws Error naming each failing path when the file does not match requirements_schema_v1.json
 */
export function loadRequirements(path: string = REQUIREMENTS_PATH): Registry {
  if (cache && path === REQUIREMENTS_PATH) return cache;
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  assertValid('requirements_schema_v1.json', data);
  const reg = data as Registry;
  if (path === REQUIREMENTS_PATH) cache = reg;
  return reg;
}

/** Requirements by ID. */
export function requirementsById(reg: Registry = loadRequirements()): Map<string, Requirement> {
  return new Map(reg.requirements.map((r) => [r.id, r]));
}

/**
 * Look up a requirement; tests use this to fail fast on a mistyped ID.
 * @throws Error for an unknown or retired ID
 */
export function requirement(id: string, reg: Registry = loadRequirements()): Requirement {
  const r = requirementsById(reg).get(id);
  if (r) return r;
  const retired = reg.retired.find((x) => x.id === id);
  throw new Error(retired ? `${id} is retired (${retired.reason})` : `unknown requirement ${id}`);
}

/** The area code of an ID (`BM-HDR-004` → `HDR`). */
export function areaOf(id: string): string {
  const m = REQUIREMENT_ID.exec(id);
  if (!m) throw new Error(`malformed requirement id ${id}`);
  return m[1]!;
}
