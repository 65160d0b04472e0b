// How vitest's finished test cases become report verdicts (harness/run/collect.ts), on stand-in
// test cases: the run-hygiene rules of issue 10 item 6 (a test that did not run is an error,
// never dropped; a test cannot set its own verdict) and the dead-target error.
import { describe, expect, it } from 'vitest';
import type { TestCase } from 'vitest/node';
import { toTestResult } from './collect.ts';

const ROOT = '/repo';

function testCase(result: object, meta: Record<string, unknown> = {}): TestCase {
  const parent = { type: 'module', errors: () => [] };
  return {
    name: 'BM-HASH-001 hashes a string',
    module: { moduleId: `${ROOT}/suites/library/vectors.test.ts` },
    meta: () => meta,
    result: () => result,
    parent,
    diagnostic: () => ({ duration: 3 }),
  } as unknown as TestCase;
}

const collect = (tc: TestCase) => toTestResult(tc, { root: ROOT, replay: () => 'replay' });

describe('collect: verdicts from vitest results', () => {
  it('a test vitest left pending (a crashed worker, an aborted run) is error, not dropped', () => {
    const r = collect(testCase({ state: 'pending' }));
    expect(r).toMatchObject({ verdict: 'error', name: 'library › HASH › BM-HASH-001 › hashes-a-string' });
    expect(r.message).toMatch(/did not run/);
  });

  it('a test cannot set its own verdict: meta.verdict is ignored, passed is pass and failed is fail', () => {
    expect(collect(testCase({ state: 'passed' }, { verdict: 'xfail' })).verdict).toBe('pass');
    expect(collect(testCase({ state: 'failed', errors: [{ name: 'AssertionError', message: 'expected 1 to be 2' }] }, { verdict: 'pass' })).verdict).toBe('fail');
  });

  it('a request to a target declared dead is error, and the message says since when', () => {
    const r = collect(testCase({ state: 'failed', errors: [{ name: 'TargetDead', message: 'target https://127.0.0.1:1 stopped answering at 2026-12-06T10:00:00Z (…); not asked' }] }));
    expect(r.verdict).toBe('error');
    expect(r.message).toMatch(/^TargetDead: target https:\/\/127\.0\.0\.1:1 stopped answering at 2026-12-06T10:00:00Z/);
  });

  it('a failed test that declared the feature unsupported is unsupported', () => {
    expect(collect(testCase({ state: 'failed', errors: [{ name: 'AssertionError', message: 'unsupported: no op' }] }, { unsupported: true })).verdict).toBe('unsupported');
  });
});
