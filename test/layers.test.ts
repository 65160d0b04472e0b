/**
 * The layer check (.dependency-cruiser.cjs, `npm run lint:layers`, issue 14) catches what it is
 * for: on a miniature of the tree with planted violations (test/fixtures/layers/) it reports each
 * one by its rule, nothing else, and exits non-zero; on the repository it reports none.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** `npm run lint:layers` split into the folders it checks and the options it passes. */
function lintScript(): { folders: string[]; options: string[] } {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['lint:layers']!;
  const words = script.split(/\s+/).slice(1);
  const firstOption = words.findIndex((w) => w.startsWith('--'));
  return { folders: words.slice(0, firstOption), options: words.slice(firstOption) };
}

/**
 * Runs the check as the npm script does, in `cwd` (its paths are relative to it), and returns the
 * exit code and each violation as `rule: from -> to` (a cycle: its first two modules).
 */
function check(cwd: string, folders: string[]): { code: number | null; violations: string[]; stderr: string } {
  const options = lintScript().options.map((o) => (o.endsWith('.dependency-cruiser.cjs') ? join(ROOT, o) : o));
  const r = spawnSync(process.execPath, [DEPCRUISE, ...folders, ...options], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const lines = r.stdout.split('\n');
  const violations: string[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*error (\S+): (\S+) → (\S*)/.exec(line);
    if (m) violations.push(`${m[1]!.replace(/-\d+$/, '')}: ${m[2]} -> ${m[3] || lines[i + 1]!.trim().replace(/ →$/, '')}`);
  });
  return { code: r.status, violations, stderr: r.stderr };
}

describe('layer check', () => {
  it('reports each planted violation of the miniature (private imports, upward imports from a helper and from a suite file, an import past a public entry, a type-only cycle), nothing it allows, and fails', () => {
    const r = check(join(ROOT, 'test', 'fixtures', 'layers'), ['harness', 'suites', 'vectors', 'test']);
    expect(r.stderr).toBe('');
    expect(r.violations.sort()).toEqual([
      'no-circular: harness/targets/index.ts -> harness/targets/kind.ts',
      'not-through-public-entry-from-suites: suites/_support/mail.ts -> harness/reference/server.ts',
      'private-outside-folder-from-test: test/helpers.test.ts -> suites/_support/_process.ts',
      'private-outside-folder: vectors/gen/key_parse.ts -> harness/protocol/_der.ts',
      'upward-from-suites: suites/_support/mail.ts -> harness/targets/index.ts',
      'upward-from-suites: suites/server/upward.test.ts -> harness/run/index.ts',
    ]);
    expect(r.code).toBe(6);
  });

  it('finds no violation in the repository (what `npm run lint:layers` checks in CI)', () => {
    const { folders } = lintScript();
    expect(folders).toEqual(expect.arrayContaining(['harness', 'suites', 'reports', 'vectors', 'test']));
    const r = check(ROOT, folders);
    expect(r.stderr).toBe('');
    expect(r.violations).toEqual([]);
    expect(r.code).toBe(0);
  }, 60_000);
});
