import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { fixtureResult, HOSTILE } from './_fixture.ts';
import { reportJson } from './json.ts';
import { buildRunResult, REPORT_SCHEMA_ID, REPORT_SCHEMA_NAME } from './model.ts';

// ajv and ajv-formats are CommonJS: under ESM the class/function may sit on `.default`.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

const schemaDir = fileURLToPath(new URL('../schemas/', import.meta.url));
const load = (f: string): Record<string, unknown> => JSON.parse(readFileSync(schemaDir + f, 'utf8')) as Record<string, unknown>;

function validator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // report_schema_v1.json $refs these by relative name.
  for (const f of ['common_schema_v1.json', 'expectations_schema_v1.json', 'vector_file_schema_v1.json']) ajv.addSchema(load(f));
  return ajv.compile(load('report_schema_v1.json'));
}

describe('report.json', () => {
  it('report.json of a run with every verdict kind and hostile strings validates against report_schema_v1.json (ajv 2020, strict)', () => {
    const validate = validator();
    const doc: unknown = JSON.parse(reportJson(fixtureResult()));
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('report.json names its schema, and the schema $id is the one the model exports', () => {
    expect(load('report_schema_v1.json').$id).toBe(REPORT_SCHEMA_ID);
    expect((JSON.parse(reportJson(fixtureResult())) as { schema: string }).schema).toBe(REPORT_SCHEMA_NAME);
  });

  it('a failing comparison carries the expected-vs-actual diff; summary and expectation problems are mapped', () => {
    const doc = JSON.parse(reportJson(fixtureResult())) as {
      tests: { name: string; diff?: string }[];
      summary: Record<string, unknown>;
      expectations: { problem: string }[];
    };
    const t = doc.tests.find((x) => x.name === 'library › header › BM-HDR-002 › tc2')!;
    expect(t.diff).toContain('-  "valid": true,');
    expect(t.diff).toContain('+  "valid": false,');
    expect(doc.summary).toEqual({ total: 8, pass: 2, fail: 2, error: 1, unsupported: 1, xfail: 1, xpass: 1, ok: false, requirements_total: 8, requirements_untested: 1 });
    expect(doc.expectations.map((p) => p.problem)).toEqual(['xpass', 'unmatched']);
  });

  it('the schema rejects an unknown verdict and an unknown field', () => {
    const validate = validator();
    const doc = JSON.parse(reportJson(fixtureResult())) as { tests: Record<string, unknown>[] };
    doc.tests[0]!.verdict = 'skipped';
    expect(validate(doc)).toBe(false);
    const doc2 = JSON.parse(reportJson(fixtureResult())) as Record<string, unknown>;
    doc2.extra = 1;
    expect(validate(doc2)).toBe(false);
  });

  it('hostile strings survive the JSON round trip unchanged', () => {
    const back = JSON.parse(reportJson(fixtureResult())) as { tests: { message?: string }[] };
    expect(back.tests.some((t) => t.message === HOSTILE)).toBe(true);
  });

  it('a bigint inside an actual value is written as a decimal string rather than throwing', () => {
    const r = fixtureResult();
    r.tests[0]!.actual = { serial: 2n ** 64n };
    expect(reportJson(r)).toContain('"serial": "18446744073709551616"');
  });

  it('an empty run validates too', () => {
    const r = buildRunResult({ meta: fixtureResult().meta, tests: [], registry: [] });
    expect(validator()(JSON.parse(reportJson(r)))).toBe(true);
  });
});
