// How vitest's finished test cases become report verdicts (harness/run/collect.ts), on stand-in
// test cases: the run-hygiene rules of issue 10 item 6 (a test that did not run is an error,
// never dropped; a test cannot set its own verdict) and the dead-target error.
import { describe, expect, it } from 'vitest';
import type { TestCase } from 'vitest/node';
// The serialiser vitest itself applies to a test's error on its way from the worker to the
// reporter: what collect.ts sees is its output, never the error object.
import { serializeValue } from '@vitest/utils/serialize';
import { errors as undiciErrors, request } from 'undici';
import { AdapterRunError } from '../adapter/errors.ts';
import { TargetDead } from '../../suites/index.ts';
import { HarnessError } from '../../suites/_support/errors.ts';
import { MustError } from '../../suites/_support/must.ts';
import { isNoAnswer, slug, toTestResult } from './collect.ts';

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
    const r = collect(testCase({ state: 'failed', errors: [serializeValue(new TargetDead('https://127.0.0.1:1', '2026-12-06T10:00:00Z', '…'))] }));
    expect(r.verdict).toBe('error');
    expect(r.message).toMatch(/^TargetDead: target https:\/\/127\.0\.0\.1:1 stopped answering at 2026-12-06T10:00:00Z/);
  });

  it('a failed test that declared the feature unsupported is unsupported', () => {
    expect(collect(testCase({ state: 'failed', errors: [{ name: 'AssertionError', message: 'unsupported: no op' }] }, { unsupported: true })).verdict).toBe('unsupported');
  });
});

/** A failed test case with `err` as vitest hands it to the reporter. */
const failedWith = (err: unknown) => testCase({ state: 'failed', errors: [serializeValue(err)] });

describe('collect: "could not run" is known by the CouldNotRun mark, never by name or text', () => {
  it('our could-not-run errors (adapter, HTTP target, dead target) are error after serialisation', () => {
    for (const err of [
      new HarnessError('closed', 'POST /account: the connection was reset'),
      new AdapterRunError('timeout', 'no answer to hash.string (id 3) within 50 ms'),
      new TargetDead('https://127.0.0.1:1', '2026-12-06T10:00:00Z', 'no answer'),
    ]) {
      const serialised = serializeValue(err) as object;
      expect(serialised).not.toBeInstanceOf(Error);
      const r = collect(failedWith(err));
      expect(r.verdict, err.name).toBe('error');
      expect(r.message).toBe(`${err.name}: ${err.message}`);
    }
  });

  it('a plain assertion is fail, and so is an error that only looks like ours (name or text, no mark)', () => {
    expect(collect(failedWith(new MustError('status: expected 200, got 404', 200, 404))).verdict).toBe('fail');
    const lookalike = Object.assign(new Error('read ECONNRESET while checking the body'), { name: 'HarnessError' });
    expect(collect(failedWith(lookalike)).verdict).toBe('fail');
    expect(isNoAnswer(serializeValue(lookalike) as object)).toBe(false);
  });

  it("undici's and node's socket errors (no mark: not our code) are error, by their code", async () => {
    expect(collect(failedWith(new undiciErrors.SocketError('other side closed'))).verdict).toBe('error');
    expect(collect(failedWith(new undiciErrors.HeadersTimeoutError())).verdict).toBe('error');
    // A real refused connection on loopback (port 1: nothing listens there).
    const refused = await request('http://127.0.0.1:1/').then(() => undefined, (e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('ECONNREFUSED');
    expect(collect(failedWith(refused)).verdict).toBe('error');
  });

  it("vitest's own test and hook time-outs are error", () => {
    expect(collect(failedWith(new Error('Test timed out in 20000ms.\nIf this is a long-running test, …'))).verdict).toBe('error');
    expect(collect(failedWith(new Error('Hook timed out in 60000ms.'))).verdict).toBe('error');
  });
});

describe('collect: scope, sentences and slugs', () => {
  it('a test that declared itself out of scope is out-of-scope, never a pass, with its scope unit and no replay', () => {
    const r = collect(testCase({ state: 'failed', errors: [{ name: 'AssertionError', message: "out of scope: the adapter's hello does not list op key.parse" }] }, { outOfScope: true, scope: 'op key.parse' }));
    expect(r).toMatchObject({ verdict: 'out-of-scope', scope: 'op key.parse' });
    expect(r.replay).toBeUndefined();
    // Out of scope wins over unsupported: the op was never sent.
    expect(collect(testCase({ state: 'failed', errors: [{ name: 'AssertionError', message: 'x' }] }, { outOfScope: true, unsupported: true })).verdict).toBe('out-of-scope');
  });

  it('the report keeps the test sentence in full as its title, and the failure message without a runner prefix', () => {
    const r = collect(testCase({ state: 'failed', errors: [{ name: 'AssertionError', message: 'address_hash#3 [valid]: result differs in hash' }] }));
    expect(r.title).toBe('BM-HASH-001 hashes a string');
    expect(r.message).toBe('address_hash#3 [valid]: result differs in hash');
  });

  it('a slug longer than 80 characters is cut at a word boundary, never mid-word', () => {
    const title = 'BM-MSG-001 must compose a message signed by an rsa sender key that verifies and opens in the reference client';
    const s = slug(title);
    expect(s.length).toBeLessThanOrEqual(80);
    expect(`${slug(title.replace('BM-MSG-001 ', ''))}-`.startsWith(`${s}-`)).toBe(true);
    expect(s).toBe('must-compose-a-message-signed-by-an-rsa-sender-key-that-verifies-and-opens-in');
    expect(slug('a'.repeat(100))).toHaveLength(80);
  });
});
