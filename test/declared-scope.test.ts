/**
 * Declared scope end to end (issue 17 "Done when"): the two-op Python example adapter
 * (implementations/example-python) through the real harness (`runConformance`, library profile).
 *
 * - As committed, correct for its two ops: exit 0, and the report says "2 ops in scope, all N
 *   cases pass; 30 ops out of scope"; no out-of-scope test is a pass or meets a requirement.
 * - With one op made wrong (address.hash answers the address as given, not normalised): exit 1,
 *   and each failure's diff holds only the differing field, `address`, not the hashes that match
 *   nor the envelope (`id`, `ok`).
 * - With `--strict-scope`: what was out of scope is unsupported, and the run fails as before.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '../harness/run/index.ts';
import { parseRunArgs } from '../harness/run/options.ts';
import { formatErrors, validator } from '../schemas/index.ts';

const ADAPTER = join(import.meta.dirname, '..', 'implementations', 'example-python', 'adapter.py');

async function run(adapter: string, ...extra: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'bm-scope-'));
  const res = await runConformance(parseRunArgs(['--profile', 'library', '--target', `command:python3 ${adapter}`, '--out', out, ...extra]));
  return { res, out, report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), md: readFileSync(join(out, 'report.md'), 'utf8'), html: readFileSync(join(out, 'report.html'), 'utf8') };
}

describe('declared scope: a two-op adapter', () => {
  it('correct for its two ops: exit 0, "2 ops in scope, all N cases pass; 30 ops out of scope", and out of scope is never a pass', async () => {
    const { res, report, md, html } = await run(ADAPTER);
    expect(res.exitCode).toBe(0);
    const inScope = res.tests.filter((t) => t.verdict !== 'out-of-scope');
    expect(inScope.length).toBeGreaterThan(80);
    expect(inScope.every((t) => t.verdict === 'pass')).toBe(true);
    expect(new Set(inScope.map((t) => t.scope))).toEqual(new Set(['op hash.string', 'op address.hash']));
    const sentence = `2 ops in scope, all ${inScope.length} cases pass; 30 ops out of scope`;
    expect(md).toContain(sentence);
    expect(html).toContain(sentence);
    expect(report.summary).toMatchObject({ ok: true, pass: inScope.length, out_of_scope: res.tests.length - inScope.length, unsupported: 0 });
    const valid = validator('report_schema_v1.json');
    expect(valid(report), formatErrors(valid.errors)).toBe(true);
    expect(report.scope.units.filter((u: { in_scope: boolean }) => u.in_scope)).toHaveLength(2);
    // No requirement is met by an out-of-scope test: every met requirement has a passing in-scope test.
    const passedBy = new Set(inScope.flatMap((t) => t.requirementIds));
    for (const q of report.requirements as { id: string; verdict: string }[]) if (q.verdict === 'pass') expect(passedBy.has(q.id), q.id).toBe(true);
    expect(report.requirements.find((q: { id: string }) => q.id === 'BM-HASH-003').verdict).toBe('out-of-scope');
    // The HTML collapses out-of-scope tests into one expandable row per op.
    expect(html.match(/<details class="test group v-out-of-scope"/g)).toHaveLength(30);
  }, 240_000);

  it('with one op wrong: exit 1, and each failure diff shows only the field that differs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bm-scope-wrong-'));
    const wrong = join(dir, 'adapter.py');
    const source = readFileSync(ADAPTER, 'utf8');
    const broken = source.replace('return {"address": s,', 'return {"address": text(args, "address"),');
    expect(broken).not.toBe(source);
    writeFileSync(wrong, broken);
    const { res, md } = await run(wrong);
    expect(res.exitCode).toBe(1);
    const failed = res.tests.filter((t) => t.verdict === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.scope, t.name).toBe('op address.hash');
      expect(Object.keys(t.expected as object), t.name).toEqual(['address']);
      expect(Object.keys(t.actual as object), t.name).toEqual(['address']);
      expect(t.message, t.name).toMatch(/result differs in address$|malformed address.hash result: result.address /);
    }
    expect(res.tests.filter((t) => t.scope === 'op hash.string').every((t) => t.verdict === 'pass')).toBe(true);
    const section = md.slice(md.indexOf('## Failures'));
    expect(section).toMatch(/-  "address": "jay@org!"\n\+  "address": "j\.a\.y@org!"/);
    const changed = [...section.matchAll(/```diff\n([\s\S]*?)\n```/g)].flatMap((m) => m[1]!.split('\n')).filter((l) => /^[-+](?![-+]{2} )/.test(l));
    expect(changed.length).toBe(2 * failed.length);
    for (const l of changed) expect(l).toMatch(/^[-+] {2}"address": /);
    expect(section).not.toContain('&quot;');
    expect(section).toContain('npx bm-conformance replay');
  }, 240_000);

  it('--strict-scope counts out-of-scope tests as unsupported and fails the run', async () => {
    const { res, report } = await run(ADAPTER, '--strict-scope', '--only', '/address_hash#1$|key_parse#1$/');
    expect(res.exitCode).toBe(1);
    expect(res.tests.map((t) => t.verdict).sort()).toEqual(['pass', 'unsupported']);
    expect(report.scope.strict).toBe(true);
  }, 240_000);
});
