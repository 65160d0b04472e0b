// Tests of the matrix command's own logic (harness/run/matrix.ts) with a stand-in pair runner:
// argument checks, one run per pair, exit code, and the two reports (escaped, self-contained).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMatrixArgs, runMatrix } from './matrix.ts';
import type { RunOutcome } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'bm-matrix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('matrix arguments', () => {
  it('needs servers and clients, and refuses an adapter as a server or a URL as a client', () => {
    expect(() => parseMatrixArgs(['--clients', 'builtin'])).toThrow(/--servers/);
    expect(() => parseMatrixArgs(['--servers', 'builtin'])).toThrow(/--clients/);
    expect(() => parseMatrixArgs(['--servers', 'command:x', '--clients', 'builtin'])).toThrow(/adapter, not a server/);
    expect(() => parseMatrixArgs(['--servers', 'builtin', '--clients', 'url:https://127.0.0.1:1'])).toThrow(/not a client/);
    const o = parseMatrixArgs(['--servers', 'builtin,image:a/b:1', '--client', 'command:sh -c "x, y"', '--clients', 'builtin', '--out', dir]);
    expect(o).not.toBe('help');
    if (o === 'help') return;
    expect(o.servers.map((s) => s.kind)).toEqual(['builtin', 'image']);
    expect(o.clients.map((s) => s.value ?? s.kind)).toEqual(['sh -c "x, y"', 'builtin']);
  });
});

describe('runMatrix', () => {
  it('runs every pair once, writes matrix.md/.html/.json, and exits 1 when a cell fails and 2 when one could not run', async () => {
    const o = parseMatrixArgs(['--servers', 'builtin,image:evil/<img>:1', '--clients', 'builtin,command:adapter', '--out', dir]);
    if (o === 'help') throw new Error('unexpected');
    const pairs: string[] = [];
    const fake = async (s: { kind: string; value?: string }, c: { kind: string; value?: string }, d: string): Promise<RunOutcome> => {
      pairs.push(`${s.value ?? s.kind}×${c.value ?? c.kind}`);
      const exitCode = s.kind === 'image' && c.kind === 'command' ? 2 : s.kind === 'image' ? 1 : 0;
      const verdict = exitCode === 0 ? 'pass' : exitCode === 1 ? 'fail' : 'error';
      return { exitCode, ok: exitCode === 0, reportDir: d, tests: [{ name: 'n', profile: 'interop', area: 'a', caseId: 'c', requirementIds: [], verdict, durationMs: 1 }] };
    };
    const r = await runMatrix(o, fake);
    expect(pairs).toEqual(['builtin×builtin', 'builtin×adapter', 'evil/<img>:1×builtin', 'evil/<img>:1×adapter']);
    expect(r.exitCode).toBe(2);
    const md = readFileSync(join(dir, 'matrix.md'), 'utf8');
    expect(md).toContain('| builtin | ✅ [1 pass](builtin__builtin/report.md) | ✅ [1 pass](builtin__command_adapter/report.md) |');
    expect(md).toContain('| image:evil/&lt;img&gt;:1 | ❌ [1 fail]');
    expect(md).toContain('⚠️ [1 error]');
    const html = readFileSync(join(dir, 'matrix.html'), 'utf8');
    expect(html).not.toContain('<img>');
    expect(html).toContain('image:evil/&lt;img&gt;:1');
    expect(html).not.toMatch(/<script|src=|href="http/);
    const json = JSON.parse(readFileSync(join(dir, 'matrix.json'), 'utf8'));
    expect(json.cells).toHaveLength(4);
    expect(json.exitCode).toBe(2);
  });

  // DESIGN.md contract 7: a run that executes nothing is not green, in a matrix cell too.
  it('a pair that ran no test is exit 2 for the matrix, shown as no test matched', async () => {
    const o = parseMatrixArgs(['--servers', 'builtin', '--clients', 'builtin', '--out', join(dir, 'empty')]);
    if (o === 'help') throw new Error('unexpected');
    const r = await runMatrix(o, async (_s, _c, d) => ({ exitCode: 0, ok: true, reportDir: d, tests: [] }));
    expect(r.exitCode).toBe(2);
    expect(r.cells.map((c) => c.exitCode)).toEqual([2]);
    expect(readFileSync(join(dir, 'empty', 'matrix.md'), 'utf8')).toContain('➖ [no tests]');
  });
});
