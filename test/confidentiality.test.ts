/**
 * The confidentiality check of the client profile can fail (issue 12 item 3): runs of
 * `client › confidentiality` through the real harness (runConformance) against
 * - the builtin reference adapter (a child process in a sandbox folder): all three tests pass;
 * - the same with each fault switch of the reference adapter on (`BM_ADAPTER_FAULTS`,
 *   harness/adapter/faults.ts): exactly the tests suites/requirements/faults.ts
 *   `ADAPTER_FAULT_PROOFS` declares fail, and the failure names the place, the offset and the
 *   encoding of the canary it found;
 * - the reference adapter as a `command:` target with `plain-block-file` on: the file it wrote
 *   under the TMPDIR the harness gave it is found;
 * - adapters that implement nothing (test/hostile/adapters ok-empty, echo-valid) or lack the
 *   message ops (test/fixtures/hash-only-adapter.mjs): no pass.
 * The docker side (the reference adapter image, clean and with a switch on) is
 * test/confidentiality.docker.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runConformance } from '../harness/run/index.ts';
import { parseRunArgs } from '../harness/run/options.ts';
import { ADAPTER_FAULT_NAMES, ADAPTER_FAULTS_ENV } from '../harness/adapter/faults.ts';
import type { TestResult } from '../reports/model.ts';
import { ADAPTER_FAULT_PROOFS } from '../suites/requirements/faults.ts';

const ONLY = '/^client › confidentiality › /';
const FAILING = new Set(['fail', 'error', 'xpass']);
const BIN = fileURLToPath(new URL('../bin/bm-conformance.mjs', import.meta.url));
const HOSTILE = fileURLToPath(new URL('./hostile/adapters/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

const outDir = mkdtempSync(join(tmpdir(), 'bm-confidentiality-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** One run of the confidentiality area, console silenced, with `faults` in BM_ADAPTER_FAULTS. */
async function run(label: string, opts: { faults?: string; target?: string } = {}): Promise<TestResult[]> {
  const saved = { faults: process.env[ADAPTER_FAULTS_ENV], out: process.stdout.write, err: process.stderr.write };
  if (opts.faults === undefined) delete process.env[ADAPTER_FAULTS_ENV];
  else process.env[ADAPTER_FAULTS_ENV] = opts.faults;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const outcome = await runConformance(parseRunArgs(['--profile', 'client', '--only', ONLY, '--out', join(outDir, label), ...(opts.target ? ['--target', opts.target] : [])]));
    return outcome.tests;
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    if (saved.faults === undefined) delete process.env[ADAPTER_FAULTS_ENV];
    else process.env[ADAPTER_FAULTS_ENV] = saved.faults;
  }
}

const failing = (tests: readonly TestResult[]) => tests.filter((t) => FAILING.has(t.verdict)).map((t) => t.name).sort();

describe('the confidentiality check of the client profile', () => {
  it('passes all three tests against the builtin reference adapter', async () => {
    const tests = await run('clean');
    expect(tests.map((t) => [t.name.split(' › ')[2], t.verdict])).toEqual([
      ['BM-CONF-001', 'pass'],
      ['BM-CONF-002', 'pass'],
      ['BM-CONF-003', 'pass'],
    ]);
  }, 120_000);

  it('has a declared proof for every fault switch of the reference adapter', () => {
    expect(ADAPTER_FAULT_PROOFS.map((p) => p.name).sort()).toEqual([...ADAPTER_FAULT_NAMES].sort());
  });

  it.each(ADAPTER_FAULT_PROOFS.map((p) => [p.name, p] as const))('fails exactly its declared tests with the adapter fault %s on, naming where the canary is', async (name, proof) => {
    const tests = await run(name, { faults: name });
    expect(tests).toHaveLength(3);
    expect(failing(tests)).toEqual([...proof.fails].sort());
    for (const t of tests.filter((x) => FAILING.has(x.verdict))) {
      expect(t.verdict).toBe('fail');
      // e.g. "adapter log (stderr) offset 43 (raw)", "tmp/bm-adapter-draft-1234.txt offset 13 (raw)"
      expect(t.message).toMatch(name === 'log-subject' ? /adapter log \(stderr\) offset \d+ \(raw\)/ : /tmp\/bm-adapter-draft-\d+\.txt offset \d+ \(raw\)/);
    }
  }, 120_000);

  it('finds the file a command target wrote under the TMPDIR it was given', async () => {
    const tests = await run('command-plain-block-file', { faults: 'plain-block-file', target: `command:node ${BIN} adapter` });
    expect(failing(tests)).toEqual(ADAPTER_FAULT_PROOFS.find((p) => p.name === 'plain-block-file')!.fails);
    expect(tests.filter((t) => t.verdict === 'pass')).toHaveLength(2);
  }, 120_000);

  it.each([
    ['ok-empty (answers every op ok with {})', join(HOSTILE, 'ok-empty.mjs')],
    ['echo-valid (echoes its arguments)', join(HOSTILE, 'echo-valid.mjs')],
    ['echo-valid --fit (echo shaped to every result schema)', `${join(HOSTILE, 'echo-valid.mjs')} --fit`],
    ['hash-only (no message ops in its hello)', join(FIXTURES, 'hash-only-adapter.mjs')],
  ])('gives no pass to an adapter that composes nothing: %s', async (_label, script) => {
    const tests = await run(`hostile-${_label.split(' ')[0]}`, { target: `command:node ${script}` });
    expect(tests).toHaveLength(3);
    expect(tests.filter((t) => t.verdict === 'pass').map((t) => t.name)).toEqual([]);
  }, 120_000);
});
