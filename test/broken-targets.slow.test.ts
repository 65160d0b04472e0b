/**
 * test/broken-targets.test.ts over whole profiles (`npm run test:slow`): every server and
 * resolver test against each broken url target, and the library and client profiles against
 * each broken adapter. Same rules: no pass, no verdict outside the allowed ones, exit 1, all five
 * reports written and report.json valid. Under a minute on two cores: the hanging targets cost a
 * few time-outs and a probe before the dead-target rule (suites/_support/deadtargets.ts) ends them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { parseRunArgs } from '../harness/run/options.ts';
import { expectNoPass, runAgainst, runQuietly, TIMEOUT_MS } from './_broken.ts';

const PROFILE_TIMEOUT = 600_000;

describe('whole server and resolver profiles against broken url targets', () => {
  for (const mode of ['hang', 'reset', 'not-http', 'garbage-json'] as const) {
    it(`${mode}: every test is error, exit 1, reports written`, async () => {
      const { res, out } = await runAgainst(mode, undefined);
      expectNoPass(res, out, ['error']);
    }, PROFILE_TIMEOUT);
  }
  it('wrong-shape: every test is fail or error, exit 1, reports written', async () => {
    const { res, out } = await runAgainst('wrong-shape', undefined);
    expectNoPass(res, out, ['fail', 'error']);
  }, PROFILE_TIMEOUT);
});

describe('whole library and client profiles against broken adapters', () => {
  const ADAPTER = join(import.meta.dirname, 'fixtures', 'broken-adapter.mjs');
  for (const mode of ['hang', 'garbage', 'exit'] as const) {
    it(`${mode}: every test is error, unsupported or out of scope (ops it does not list), never pass, exit 1, reports written`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), `bm-broken-adapter-${mode}-`)), 'out');
      const res = await runQuietly(parseRunArgs(['--target', `command:node ${ADAPTER} ${mode}`, '--profile', 'library,client', '--timeout', TIMEOUT_MS, '--out', out]));
      expectNoPass(res, out, ['error', 'unsupported', 'out-of-scope']);
    }, PROFILE_TIMEOUT);
  }
});
