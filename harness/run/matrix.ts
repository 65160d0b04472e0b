/**
 * `bm-conformance matrix --servers A,B --clients C,D [--out DIR]` (issue 6, DESIGN.md profile
 * `interop`: "any image × image"): runs the interop and client profiles once per (server,
 * client) pair — servers from the server target, the adapter from the client target — and writes
 * a matrix report beside the per-pair reports:
 *
 *   <out>/matrix.md, <out>/matrix.html (self-contained), <out>/matrix.json
 *   <out>/<server>__<client>/report.{json,html,md}, junit.xml, badge.svg, container logs
 *
 * Server targets: `builtin`, `image:<manifest|name>` (a mail server image), `url:<URL>`.
 * Client targets: `builtin` (the reference adapter), `command:<adapter command>`,
 * `image:<manifest|name>` (a client image; its adapter runs through `docker exec`).
 * Lists are split on commas; a target spec that contains a comma (a command line) is given with
 * the repeatable `--server SPEC` / `--client SPEC` instead.
 *
 * Exit code: 0 when every cell passed, 1 when any cell failed, 2 when any cell could not run or
 * ran no test (a pair that executed nothing proved nothing), or on a usage error.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseTarget, UsageError, type TargetSpec } from './options.ts';
import { DEFAULT_SEED } from '../../suites/index.ts';
import type { RunOutcome } from './index.ts';

export const MATRIX_USAGE = `usage: bm-conformance matrix --servers LIST --clients LIST [--out DIR] [--timeout MS] [--seed HEX]

Run the interop and client profiles over every (server, client) pair and write matrix.md,
matrix.html and matrix.json to --out (default out/matrix), with each pair's full report in a
sub-folder.

  --servers LIST   comma list of server targets: builtin | image:<manifest|name> | url:<URL>
  --server SPEC    one server target (repeatable; for specs containing commas)
  --clients LIST   comma list of client targets: builtin | command:<cmd> | image:<manifest|name>
  --client SPEC    one client target (repeatable)
  --out DIR        report folder (default out/matrix)
  --timeout MS     per-test timeout (default 20000)
  --seed HEX       run seed (default fixed)
`;

export interface MatrixOptions {
  servers: TargetSpec[];
  clients: TargetSpec[];
  out: string;
  timeoutMs: number;
  seed: string;
}

export interface MatrixCell {
  server: string;
  client: string;
  /** Sub-folder of `out` with the pair's reports. */
  dir: string;
  exitCode: number;
  counts: Record<string, number>;
  tests: number;
  durationMs: number;
}

export function specLabel(s: TargetSpec): string {
  return s.kind === 'builtin' ? 'builtin' : `${s.kind}:${s.value}`;
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'target';
}

export function parseMatrixArgs(argv: readonly string[]): MatrixOptions | 'help' {
  const servers: TargetSpec[] = [];
  const clients: TargetSpec[] = [];
  let out = join('out', 'matrix');
  let timeoutMs = 20_000;
  let seed = DEFAULT_SEED;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--help': case '-h': return 'help';
      case '--servers': servers.push(...val().split(',').filter(Boolean).map(parseTarget)); break;
      case '--server': servers.push(parseTarget(val())); break;
      case '--clients': clients.push(...val().split(',').filter(Boolean).map(parseTarget)); break;
      case '--client': clients.push(parseTarget(val())); break;
      case '--out': out = val(); break;
      case '--timeout': {
        const n = Number(val());
        if (!Number.isInteger(n) || n < 100) throw new UsageError('--timeout: expected milliseconds ≥ 100');
        timeoutMs = n;
        break;
      }
      case '--seed': {
        const s = val();
        if (!/^(?:[0-9a-f]{2})+$/.test(s)) throw new UsageError(`--seed: expected lowercase hex bytes, got ${s}`);
        seed = s;
        break;
      }
      default: throw new UsageError(`unknown argument ${a}`);
    }
  }
  if (servers.length === 0) throw new UsageError('--servers: give at least one server target');
  if (clients.length === 0) throw new UsageError('--clients: give at least one client target');
  for (const s of servers) if (s.kind === 'command') throw new UsageError(`--servers: ${specLabel(s)} is an adapter, not a server (use it in --clients)`);
  for (const c of clients) if (c.kind === 'url') throw new UsageError(`--clients: ${specLabel(c)} is a server URL, not a client (use it in --servers)`);
  return { servers, clients, out, timeoutMs, seed };
}

/** Run every pair (sequentially: each pair owns loopback ports and containers) and write the matrix. */
export async function runMatrix(o: MatrixOptions, run?: (server: TargetSpec, client: TargetSpec, dir: string) => Promise<RunOutcome>): Promise<{ cells: MatrixCell[]; exitCode: number }> {
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  const runPair =
    run ??
    (async (server: TargetSpec, client: TargetSpec, dir: string) => {
      const { runConformance } = await import('./index.ts');
      return runConformance({
        profiles: ['interop', 'client'],
        target: server,
        client,
        seed: o.seed,
        out: dir,
        timeoutMs: o.timeoutMs,
        list: false,
        argv: ['--target', specLabel(server), '--profile', 'interop,client'],
      });
    });
  const cells: MatrixCell[] = [];
  const used = new Set<string>();
  for (const server of o.servers) {
    for (const client of o.clients) {
      let name = `${slug(specLabel(server))}__${slug(specLabel(client))}`;
      for (let n = 2; used.has(name); n++) name = `${slug(specLabel(server))}__${slug(specLabel(client))}_${n}`;
      used.add(name);
      const dir = join(out, name);
      process.stderr.write(`matrix: ${specLabel(server)} × ${specLabel(client)}\n`);
      const t0 = performance.now();
      let outcome: RunOutcome;
      try {
        outcome = await runPair(server, client, dir);
      } catch (e) {
        process.stderr.write(`matrix: the pair could not run: ${(e as Error).message}\n`);
        outcome = { exitCode: 2, tests: [], ok: false, reportDir: dir };
      }
      const counts: Record<string, number> = {};
      for (const t of outcome.tests) counts[t.verdict] = (counts[t.verdict] ?? 0) + 1;
      if (outcome.tests.length === 0 && outcome.exitCode !== 2) process.stderr.write(`matrix: no test matched for ${specLabel(server)} × ${specLabel(client)}\n`);
      const exitCode = outcome.tests.length === 0 ? 2 : outcome.exitCode;
      cells.push({ server: specLabel(server), client: specLabel(client), dir: name, exitCode, counts, tests: outcome.tests.length, durationMs: Math.round(performance.now() - t0) });
    }
  }
  const exitCode = cells.some((c) => c.exitCode === 2) ? 2 : cells.some((c) => c.exitCode !== 0) ? 1 : 0;
  writeFileSync(join(out, 'matrix.json'), JSON.stringify({ schema: 'matrix-v1', seed: o.seed, servers: o.servers.map(specLabel), clients: o.clients.map(specLabel), exitCode, cells }, null, 2) + '\n');
  writeFileSync(join(out, 'matrix.md'), matrixMarkdown(o, cells));
  writeFileSync(join(out, 'matrix.html'), matrixHtml(o, cells));
  return { cells, exitCode };
}

/** One cell's verdict word and its counts. */
export function cellSummary(c: MatrixCell): { word: 'pass' | 'fail' | 'error' | 'empty'; text: string } {
  const parts = Object.entries(c.counts).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`);
  const word = c.tests === 0 ? 'empty' : c.exitCode === 2 ? 'error' : c.exitCode !== 0 ? 'fail' : 'pass';
  return { word, text: parts.length > 0 ? parts.join(', ') : 'no tests' };
}

const ICON = { pass: '✅', fail: '❌', error: '⚠️', empty: '➖' } as const;

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/[<>]/g, (ch) => (ch === '<' ? '&lt;' : '&gt;'));
}

export function matrixMarkdown(o: MatrixOptions, cells: readonly MatrixCell[]): string {
  const clients = o.clients.map(specLabel);
  const lines = [
    '# BitMaelum interop matrix',
    '',
    `Profiles interop and client, one run per pair; seed \`${o.seed}\`. Rows: server targets; columns: client targets. Each cell links to the pair's report.`,
    '',
    `| server \\ client | ${clients.map(mdCell).join(' | ')} |`,
    `| --- |${clients.map(() => ' --- |').join('')}`,
  ];
  for (const s of o.servers.map(specLabel)) {
    const row = clients.map((c) => {
      const cell = cells.find((x) => x.server === s && x.client === c);
      if (!cell) return '—';
      const { word, text } = cellSummary(cell);
      return `${ICON[word]} [${mdCell(text)}](${encodeURI(cell.dir)}/report.md)`;
    });
    lines.push(`| ${mdCell(s)} | ${row.join(' | ')} |`);
  }
  lines.push('', '✅ every test passed · ❌ a test failed · ⚠️ the pair could not run (see its report) · ➖ no test matched (the pair fails: exit 2)', '');
  lines.push('| server | client | tests | verdicts | exit | duration |', '| --- | --- | ---: | --- | ---: | ---: |');
  for (const c of cells) lines.push(`| ${mdCell(c.server)} | ${mdCell(c.client)} | ${c.tests} | ${mdCell(cellSummary(c).text)} | ${c.exitCode} | ${(c.durationMs / 1000).toFixed(1)} s |`);
  return lines.join('\n') + '\n';
}

function h(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

export function matrixHtml(o: MatrixOptions, cells: readonly MatrixCell[]): string {
  const clients = o.clients.map(specLabel);
  const head = clients.map((c) => `<th scope="col">${h(c)}</th>`).join('');
  const rows = o.servers.map(specLabel).map((s) => {
    const tds = clients.map((c) => {
      const cell = cells.find((x) => x.server === s && x.client === c);
      if (!cell) return '<td>—</td>';
      const { word, text } = cellSummary(cell);
      return `<td class="${word}"><a href="${h(encodeURI(cell.dir))}/report.html">${ICON[word]} ${h(text)}</a><br><small>${(cell.durationMs / 1000).toFixed(1)} s · exit ${cell.exitCode}</small></td>`;
    });
    return `<tr><th scope="row">${h(s)}</th>${tds.join('')}</tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>BitMaelum interop matrix</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.5em .8em;text-align:left;vertical-align:top}
thead th{background:#f4f4f4}td.pass{background:#e6f6e6}td.fail{background:#fde8e8}td.error{background:#fff4d6}td.empty{background:#f4f4f4}
a{color:inherit}small{color:#666}
</style></head><body>
<h1>BitMaelum interop matrix</h1>
<p>Profiles interop and client, one run per pair; seed <code>${h(o.seed)}</code>. Rows: server targets; columns: client targets. Each cell links to the pair's report.</p>
<table><thead><tr><th scope="col">server \\ client</th>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<p>✅ every test passed · ❌ a test failed · ⚠️ the pair could not run (see its report) · ➖ no test matched (the pair fails: exit 2)</p>
</body></html>
`;
}

export async function matrixMain(argv: readonly string[]): Promise<number> {
  let o: MatrixOptions | 'help';
  try {
    o = parseMatrixArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`bm-conformance matrix: ${e.message}\n\n${MATRIX_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (o === 'help') {
    process.stdout.write(MATRIX_USAGE);
    return 0;
  }
  const { cells, exitCode } = await runMatrix(o);
  process.stdout.write(matrixMarkdown(o, cells));
  process.stdout.write(`matrix: ${resolve(o.out, 'matrix.md')} ${resolve(o.out, 'matrix.html')}\n`);
  return exitCode;
}
