/**
 * The harness against targets that misbehave (issue 5 "What must hold": a target that hangs,
 * resets connections or answers garbage gives `error` verdicts within the per-test timeout, never
 * a pass, and the report is still written; STYLE.md "Harness and adapters": the harness has its
 * own tests against broken adapters). Each scenario runs the real harness (`runConformance`)
 * against a small loopback server or adapter that breaks in one way, then reads what it wrote.
 *
 * The url scenarios start a TLS front on 127.0.0.1 with a certificate from a fresh CA (passed
 * with `--ca`), used as both mail server and key resolver (`--resolver`), with an admin key so
 * provisioning reaches the target too. The harness's open probe (`GET /`, harness/targets/url.ts)
 * is answered first, then the target breaks — as a server that wedges or dies after start-up
 * would; one that never answers even the probe is "could not run" (exit 2, scenario below).
 *
 * Verdicts decided here (and in suites/_support/http.ts, which classifies):
 * - no answer (silence, reset, bytes that are not HTTP, a body labelled JSON that does not parse)
 *   → every test `error`: the target could not be asked;
 * - a well-formed answer of the wrong shape (200 `{"unexpected":…}` to everything) → `fail` or
 *   `error`, never `pass`: the answer arrived and is judged wrong (`fail`); tests that cannot get
 *   through setup, or whose proof of work (the Go client's 20-bit fallback when `/config.json`
 *   is unreadable) outlasts the per-test timeout, are `error`.
 * Wall time is bounded by vitest's timeout on each scenario, not asserted: every scenario must
 * finish, and every test inside it must end within the harness's per-test timeout.
 *
 * To stay fast, the url scenarios run two or three suite files (the in-code `suiteFiles` option;
 * the whole server and resolver profiles run in test/broken-targets.slow.test.ts, `npm run
 * test:slow`), and the adapter scenarios keep the library profile's report short with `--only`.
 * The runs' own progress and summary lines are muted; a failing assertion lists the offending
 * tests with their messages.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../harness/run/index.ts';
import { parseRunArgs } from '../harness/run/options.ts';
import { DROP_SUITE_FILES, expectNoPass, readReport, runAgainst, runQuietly, TIMEOUT_MS, URL_SUITE_FILES, verdictsOf } from './_broken.ts';

const SCENARIO_TIMEOUT = 150_000;

describe('url target that breaks after the harness opened it', () => {
  // Silence, resets, non-HTTP bytes and JSON-labelled garbage are no answer at all: `error`.
  for (const mode of ['hang', 'reset', 'not-http', 'garbage-json'] as const) {
    it(`a target that ${mode === 'hang' ? 'accepts connections and never answers' : mode === 'reset' ? 'resets every connection' : mode === 'not-http' ? 'answers with bytes that are not HTTP' : 'answers 200 application/json with a body that is not JSON'} gets only error verdicts, exit 1 and all five reports`, async () => {
      // A reset also reaches the tests that take a dropped connection as an answer: they must
      // see that the target drops everything (their control request fails too), not just them.
      const { res, out } = await runAgainst(mode, mode === 'reset' ? [...URL_SUITE_FILES, ...DROP_SUITE_FILES] : URL_SUITE_FILES);
      expectNoPass(res, out, ['error']);
      // The message says which step failed, so an implementer knows where to look.
      const step = { hang: /timeout|no answer within|timed out/i, reset: /closed|reset|ECONNRESET|socket/i, 'not-http': /garbage|closed|HPE_|parse/i, 'garbage-json': /garbage/i }[mode];
      expect(res.tests.filter((t) => step.test(String(t.message))).length, `some messages name the step (${step})`).toBeGreaterThan(0);
    }, SCENARIO_TIMEOUT);
  }

  // An answer of the wrong shape is an answer: judged (`fail`), or `error` where a test could
  // not get through setup or its proof of work in time. Never a pass.
  it('a target that answers every request with valid JSON of the wrong shape gets fail or error verdicts, never pass, exit 1', async () => {
    const { res, out } = await runAgainst('wrong-shape', URL_SUITE_FILES);
    expectNoPass(res, out, ['fail', 'error']);
    expect(verdictsOf(res).fail ?? 0, 'answers that arrived are judged').toBeGreaterThan(0);
  }, SCENARIO_TIMEOUT);
});

describe('url target that never answers at all', () => {
  // The open probe gets no answer within the timeout: the harness could not run (exit 2), and
  // the report still says why, as one `error` per profile.
  it('a target silent from the first connection is exit 2 with an error report naming the target', async () => {
    const { res, out } = await runAgainst('silent', URL_SUITE_FILES);
    expect(res.exitCode).toBe(2);
    const report = readReport(out);
    expect(report.tests.map((t) => t.verdict)).toEqual(['error', 'error']);
    expect(report.tests[0]!.message).toMatch(/could not be opened: .*does not answer GET \//);
  }, SCENARIO_TIMEOUT);
});

describe('command adapters that break the protocol', () => {
  const ADAPTER = join(import.meta.dirname, 'fixtures', 'broken-adapter.mjs');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bm-broken-adapter-'));
  });

  async function runAdapter(mode: string): Promise<{ res: RunOutcome; out: string }> {
    const out = join(dir, mode);
    const opts = parseRunArgs(['--target', `command:node ${ADAPTER} ${mode}`, '--profile', 'library', '--only', '/^library › (HASH|KEY|POW) /', '--timeout', TIMEOUT_MS, '--out', out]);
    return { res: await runQuietly(opts), out };
  }

  // After hello the adapter reads and never answers: the first requests time out, the suite
  // restarts the adapter, and after three lost requests in a row and a probe that gets no answer
  // either declares it dead for the run (suites/_support/deadtargets.ts), so the remaining cases are
  // `error` at once instead of one timeout each.
  it('an adapter that hangs after hello gets error (or out of scope for ops it does not list) verdicts, never pass, exit 1', async () => {
    const { res, out } = await runAdapter('hang');
    expectNoPass(res, out, ['error', 'unsupported', 'out-of-scope']);
    expect(res.tests.some((t) => /no answer to .* within/.test(String(t.message)))).toBe(true);
    expect(res.tests.some((t) => /stopped answering at \d{4}-\d\d-\d\dT/.test(String(t.message))), 'declared dead').toBe(true);
  }, SCENARIO_TIMEOUT);

  it('an adapter that prints lines that are not JSON after hello gets error verdicts, never pass, exit 1', async () => {
    const { res, out } = await runAdapter('garbage');
    expectNoPass(res, out, ['error', 'unsupported', 'out-of-scope']);
    expect(res.tests.filter((t) => t.verdict === 'error').every((t) => /not JSON/.test(String(t.message)))).toBe(true);
  }, SCENARIO_TIMEOUT);

  it('an adapter that exits on its first request gets error verdicts, never pass, exit 1', async () => {
    const { res, out } = await runAdapter('exit');
    expectNoPass(res, out, ['error', 'unsupported', 'out-of-scope']);
  }, SCENARIO_TIMEOUT);

  // Garbage instead of hello: the target cannot be opened (exit 2), the report says so.
  it('an adapter that prints garbage instead of hello is exit 2 with an error report', async () => {
    const { res, out } = await runAdapter('garbage-hello');
    expect(res.exitCode).toBe(2);
    const report = readReport(out);
    expect(report.tests.map((t) => t.verdict)).toEqual(['error']);
    expect(report.tests[0]!.message).toMatch(/not JSON/);
  }, SCENARIO_TIMEOUT);
});
