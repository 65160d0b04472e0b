/**
 * Broken targets for the harness's own robustness tests (test/broken-targets.test.ts and its
 * slow twin): a loopback TLS server that breaks in one chosen way, and the checks every scenario
 * shares (all five reports written, report.json valid against report_schema_v1.json, no pass).
 * Not a test file: both test files import it.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createCa, type CertificateAuthority } from '../harness/reference/tls.ts';
import { runConformance, type RunOutcome } from '../harness/run/index.ts';
import { parseRunArgs, type RunOptions } from '../harness/run/options.ts';
import { formatErrors, validator } from '../schemas/index.ts';
import { startTlsFront } from './_tlsfront.ts';

/** Per-test timeout of the runs under test: small, so silence costs little. */
export const TIMEOUT_MS = '600';
const ADMIN_KEY = 'BMK-broken-target-admin-key';
const REPORT_FILES = ['report.json', 'junit.xml', 'report.md', 'report.html', 'badge.svg'];
/** Files of the default run: resolver records (reads, creation with proof of work) and server accounts (provisioning). */
export const URL_SUITE_FILES = ['suites/resolver/records.test.ts', 'suites/server/accounts.test.ts'];
/** Resolver creation: its tests that take a dropped connection as the target's answer (`allowDrop`). */
export const DROP_SUITE_FILES = ['suites/resolver/creation.test.ts'];

/** How a broken url target breaks. */
export type BrokenMode =
  | 'hang' // accepts TCP connections and never sends a byte
  | 'reset' // resets every TCP connection
  | 'not-http' // completes TLS, then answers with bytes that are not HTTP
  | 'garbage-json' // HTTP 200 labelled application/json whose body is not JSON
  | 'wrong-shape' // HTTP 200 with valid JSON of no shape the API uses
  | 'silent'; // like hang, but from the first connection (the open probe gets no answer)

export interface BrokenServer {
  url: string;
  caFile: string;
  close(): Promise<void>;
}

let ca: CertificateAuthority | undefined;

/**
 * A loopback TLS target that breaks in `mode`. A raw TCP front decides per connection: the
 * open probe (the first `GET /`) and the HTTP-level modes go to a real HTTPS server; after the
 * probe, `hang` and `reset` act on the TCP socket itself.
 */
export async function startBrokenServer(mode: BrokenMode, dir: string): Promise<BrokenServer> {
  ca ??= await createCa({ commonName: 'broken-targets test CA' });
  let probed = mode === 'garbage-json' || mode === 'wrong-shape'; // these answer the probe like everything else
  const { url, caFile, close } = await startTlsFront(dir, {
    caName: 'broken-targets test CA',
    ca,
    onRequest: (req, res) => {
      // Read the whole request first, as a server does: answering early makes Node drop the body.
      req.resume();
      req.on('end', () => {
        if (!probed && mode !== 'silent') {
          probed = true;
          res.end('{"status":"ok"}');
          return;
        }
        switch (mode) {
          case 'not-http':
            req.socket.end('SSH-2.0-OpenSSH_9.6\r\n\u0000\u0001\u0002 not HTTP\r\n\r\n');
            return;
          case 'garbage-json':
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('\u0000garbage<html><body>It works!</body></html>');
            return;
          case 'wrong-shape':
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"unexpected":[1,2,3],"status":{"nested":true}}');
            return;
          default:
            return; // hang/silent after TLS: no answer
        }
      });
    },
    admit: () => (probed && mode === 'reset' ? 'reset' : (probed && mode === 'hang') || mode === 'silent' ? 'hold' : 'serve'),
  });
  return { url, caFile, close };
}

/** The written report.json, after checking all five files exist and it validates against its schema. */
export function readReport(out: string): { tests: { name: string; verdict: string; message?: string }[]; summary: { ok: boolean } } {
  for (const f of REPORT_FILES) expect(existsSync(join(out, f)), `${f} written`).toBe(true);
  const doc = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ReturnType<typeof readReport>;
  const validate = validator('report_schema_v1.json');
  expect(validate(doc), formatErrors(validate.errors)).toBe(true);
  return doc;
}

/** Verdict counts, and the tests that broke the rule, for readable failure messages. */
export function verdictsOf(res: RunOutcome): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of res.tests) counts[t.verdict] = (counts[t.verdict] ?? 0) + 1;
  return counts;
}

function offenders(res: RunOutcome, allowed: readonly string[]): string[] {
  return res.tests.filter((t) => !allowed.includes(t.verdict)).map((t) => `${t.verdict} ${t.name}: ${String(t.message ?? '').slice(0, 160)}`);
}

function urlArgs(server: BrokenServer, out: string): string[] {
  return ['--target', `url:${server.url}`, '--resolver', server.url, '--ca', server.caFile, '--admin-key', ADMIN_KEY, '--profile', 'server,resolver', '--timeout', TIMEOUT_MS, '--out', out];
}

/**
 * `runConformance` with its progress and summary lines muted (they go to this worker's stdout and
 * stderr, hundreds of lines per broken target); the outcome and the written reports carry it all.
 */
export async function runQuietly(opts: RunOptions): Promise<RunOutcome> {
  const out = process.stdout.write, err = process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await runConformance(opts);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Run the given suite files (all of the profiles when undefined) against a fresh broken server. */
export async function runAgainst(mode: BrokenMode, suiteFiles: string[] | undefined): Promise<{ res: RunOutcome; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), `bm-broken-${mode}-`));
  const server = await startBrokenServer(mode, dir);
  try {
    const out = join(dir, 'out');
    const opts = parseRunArgs(urlArgs(server, out));
    if (suiteFiles) opts.suiteFiles = suiteFiles;
    return { res: await runQuietly(opts), out };
  } finally {
    await server.close();
  }
}

/** The assertions every url scenario shares; `allowed` are the verdicts it may give. */
export function expectNoPass(res: RunOutcome, out: string, allowed: readonly string[]): void {
  expect(res.tests.length).toBeGreaterThan(0);
  expect(res.tests.filter((t) => t.verdict === 'pass').map((t) => t.name), 'no test may pass against a broken target').toEqual([]);
  expect(offenders(res, allowed), `verdicts other than ${allowed.join('/')}`).toEqual([]);
  expect(res.exitCode).toBe(1);
  const report = readReport(out);
  expect(report.summary.ok).toBe(false);
  expect(report.tests.length).toBe(res.tests.length);
}
