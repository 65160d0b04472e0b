import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatErrors, SCHEMA_DIR, validator as schemaValidator } from '../schemas/index.ts';
import { fixtureResult, HOSTILE } from './fixture.ts';
import { reportJson } from './json.ts';
import { buildRunResult, REPORT_SCHEMA_ID, REPORT_SCHEMA_NAME } from './model.ts';

const load = (f: string): Record<string, unknown> => JSON.parse(readFileSync(`${SCHEMA_DIR}/${f}`, 'utf8')) as Record<string, unknown>;

/** report_schema_v1.json compiled by the project's strict Ajv 2020 loader (with ajv-formats). */
function validator() {
  const v = schemaValidator(REPORT_SCHEMA_NAME);
  return Object.assign((doc: unknown) => v(doc), {
    get errors() {
      return formatErrors(v.errors);
    },
  });
}

describe('report.json', () => {
  it('report.json of a run with every verdict kind and hostile strings validates against report_schema_v1.json (ajv 2020, strict)', () => {
    const validate = validator();
    const doc: unknown = JSON.parse(reportJson(fixtureResult()));
    expect(validate(doc), validate.errors).toBe(true);
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
    expect(doc.summary).toEqual({ total: 8, pass: 2, fail: 2, error: 1, unsupported: 1, xfail: 1, xpass: 1, out_of_scope: 0, ok: false, requirements_total: 8, requirements_untested: 1 });
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
