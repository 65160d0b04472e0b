/**
 * The GitHub Action (action.yml, composite; issue "Ship it where implementers are", item 3).
 * GitHub is not reachable here, so its steps run as GitHub would run them, with a simulated
 * environment: GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, GITHUB_WORKSPACE as the working
 * directory, GITHUB_ACTION_PATH this checkout, the inputs as the INPUT_* variables action.yml
 * maps them to. Checked: the summary (report.md, a shard note, a could-not-run line), the
 * outputs, and the job's fate — the last step, run with the recorded exit code, fails the job on
 * 1 and 2 and is skipped on 0. A shard matrix and the merge input give one merged report.
 *
 * The runs are the resolver profile's records tests against builtin (`--only records`), a few
 * seconds each.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const ACTION = readFileSync(join(ROOT, 'action.yml'), 'utf8');
const workspace = mkdtempSync(join(tmpdir(), 'bm-action-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

interface Step {
  summary: string;
  outputs: Record<string, string>;
  log: string;
  status: number | null;
}

/** The "Run bm-conformance" step: action/run.sh with the inputs and a fresh GITHUB_* environment. */
function runStep(name: string, inputs: Record<string, string>): Step {
  const gh = join(workspace, `.gh-${name}`);
  mkdirSync(gh, { recursive: true });
  const summary = join(gh, 'summary.md');
  const output = join(gh, 'output');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME ?? workspace,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: gh,
  };
  // The step's env block, as action.yml maps inputs to variables (an input not given is its default, here empty).
  for (const m of ACTION.matchAll(/^ {8}(INPUT_[A-Z]+): \$\{\{ inputs\.([a-z-]+) \}\}$/gm)) env[m[1]!] = inputs[m[2]!] ?? '';
  for (const k of Object.keys(inputs)) expect(ACTION, `input ${k}`).toContain(`\${{ inputs.${k} }}`);
  // The step's `run:` line, as GitHub runs it (bash, in the workspace).
  const run = /- name: Run bm-conformance[\s\S]*?\n {6}run: (.+)\n/.exec(ACTION)![1]!;
  const r = spawnSync('bash', ['-c', run], { cwd: workspace, env, encoding: 'utf8', timeout: 300_000 });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { summary: readFileSync(summary, 'utf8'), outputs, log: r.stdout + r.stderr, status: r.status };
}

/** The last step: skipped when its `if` is false, else its script with EXIT_CODE; returns the job's exit status. */
function failStep(exitCode: string): number {
  const m = /- name: Fail the job unless the run passed\n {6}if: (.+)\n[\s\S]*?\n {6}run: \|\n((?: {8}.*\n)+)/.exec(ACTION)!;
  expect(m[1]).toBe("steps.run.outputs.exit-code != '0'");
  if (exitCode === '0') return 0;
  const script = m[2]!.replace(/^ {8}/gm, '');
  return spawnSync('bash', ['-c', script], { env: { PATH: process.env.PATH!, EXIT_CODE: exitCode }, encoding: 'utf8' }).status!;
}

const FAST = { target: 'builtin', profiles: 'resolver', args: '--only records' };

describe('action.yml', () => {
  it('is a composite action whose run step gets every input the script reads', () => {
    expect(ACTION).toMatch(/^ {2}using: composite$/m);
    for (const input of ['target', 'profiles', 'expectations', 'shard', 'args', 'out', 'merge']) {
      expect(ACTION, input).toMatch(new RegExp(`^ {2}${input}:\\n {4}description: `, 'm'));
      expect(ACTION, input).toMatch(new RegExp(`^ {8}INPUT_[A-Z]+: \\$\\{\\{ inputs\\.${input} \\}\\}$`, 'm'));
    }
    const script = readFileSync(join(ROOT, 'action', 'run.sh'), 'utf8');
    for (const v of [...ACTION.matchAll(/^ {8}(INPUT_[A-Z]+): /gm)].map((x) => x[1]!)) expect(script, v).toContain(v);
    expect(ACTION).toMatch(/uses: actions\/upload-artifact@v4[\s\S]*path: \$\{\{ steps\.run\.outputs\.report-dir \}\}/);
  });

  it('a passing run: report.md in the job summary, exit-code 0, the job passes', () => {
    const s = runStep('pass', FAST);
    expect(s.status, s.log).toBe(0);
    expect(s.outputs).toEqual({ 'exit-code': '0', 'report-dir': 'bm-conformance-out', 'artifact-name': 'bm-conformance' });
    expect(s.summary).toMatch(/^# BitMaelum conformance report\n\n\*\*Result: PASS\*\*/);
    expect(readFileSync(join(workspace, 'bm-conformance-out', 'report.md'), 'utf8')).toBe(s.summary);
    expect(failStep(s.outputs['exit-code']!)).toBe(0);
  }, 300_000);

  it('a failing run (exit 1): FAIL in the summary, and the last step fails the job with 1', () => {
    const file = join(workspace, 'expectations.json');
    writeFileSync(file, JSON.stringify({ schema: 'expectations_schema_v1.json', implementation: 'builtin', entries: [{ test: 'resolver › records › *', reason: 'listed although it passes: xpass' }] }));
    const s = runStep('fail', { ...FAST, expectations: 'expectations.json', out: 'out-fail' });
    expect(s.status, s.log).toBe(0);
    expect(s.outputs['exit-code']).toBe('1');
    expect(s.summary).toMatch(/\*\*Result: FAIL\*\*/);
    expect(s.summary).toContain('xpass');
    expect(failStep(s.outputs['exit-code']!)).toBe(1);
  }, 300_000);

  it('a run that could not start (exit 2): the summary says so, and the job fails with 2', () => {
    const s = runStep('broken', { target: 'nonsense', out: 'out-broken' });
    expect(s.outputs['exit-code']).toBe('2');
    expect(s.summary).toMatch(/bm-conformance could not run \(exit 2\)/);
    expect(failStep(s.outputs['exit-code']!)).toBe(2);
    const none = runStep('none', { ...FAST, args: '--only no-such-test', out: 'out-none' });
    expect(none.outputs['exit-code']).toBe('2');
    expect(none.summary).toMatch(/\*\*Result: FAIL\*\* — 0 tests/);
    expect(failStep(none.outputs['exit-code']!)).toBe(2);
  }, 300_000);

  it('a shard matrix uploads one artifact per shard, and the merge input joins them into the whole run', () => {
    const shards = [1, 2, 3].map((i) => runStep(`shard-${i}`, { ...FAST, shard: `${i}/3`, out: `shards/${i}` }));
    expect(shards.map((s) => s.outputs['artifact-name'])).toEqual(['bm-conformance-shard-1-of-3', 'bm-conformance-shard-2-of-3', 'bm-conformance-shard-3-of-3']);
    for (const s of shards) {
      expect(s.outputs['exit-code'], s.log).toBe('0');
      expect(s.summary).toMatch(/^_Shard \d\/3: the merged report is the whole run\._/);
    }
    const merged = runStep('merge', { merge: 'shards/*', out: 'merged' });
    expect(merged.outputs).toEqual({ 'exit-code': '0', 'report-dir': 'merged', 'artifact-name': 'bm-conformance-merged' });
    const whole = JSON.parse(readFileSync(join(workspace, 'bm-conformance-out', 'report.json'), 'utf8')) as { tests: { name: string; verdict: string }[] };
    const joined = JSON.parse(readFileSync(join(workspace, 'merged', 'report.json'), 'utf8')) as { tests: { name: string; verdict: string }[] };
    expect(joined.tests.map((t) => [t.name, t.verdict])).toEqual(whole.tests.map((t) => [t.name, t.verdict]));
    expect(joined.tests.length).toBeGreaterThan(5);
    const missing = runStep('merge-missing', { merge: 'shards/1 shards/3', out: 'merged-missing' });
    expect(missing.outputs['exit-code']).toBe('2');
    expect(failStep(missing.outputs['exit-code']!)).toBe(2);
  }, 300_000);
});
