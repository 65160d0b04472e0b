/**
 * `bm-conformance load`: N concurrent senders doing full sends against a mail server target,
 * local and remote delivery (harness/load/run.ts); prints messages/s, latency percentiles,
 * errors and lost messages, and writes load.json, load.md and load.html (inline SVG charts).
 *
 *   --senders N        concurrent senders (default 8)
 *   --messages N       messages in all (default 200, unless --duration is given)
 *   --duration S       send for S seconds instead (with --messages: whichever ends first)
 *   --target, --resolver, --ca, --ca-key, --insecure, --admin-key, --seed, --timeout, --out
 *                      as for `bm-conformance run` (builtin, url:…, image:…; a server target)
 *
 * Remote delivery needs a peer server on the same resolver: an image target has the harness's
 * reference peer; builtin and url targets (with --ca-key) get one started here, in a child
 * process; without a CA key a url target is loaded with local delivery only (said in the output).
 * The builtin target is loaded as the reference in a child process too (see loadTargetOf).
 *
 * Exit codes: 0 pass, 1 fail (a lost message, a 5xx or a send without an answer; slow is not a
 * failure), 2 the load could not run (bad arguments, the target did not open, no accounts).
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openTarget, type OpenTarget } from '../targets/index.ts';
import { parseRunArgs, UsageError } from '../run/options.ts';
import { seededRng } from '../protocol/random.ts';
import { runLoad, type LoadResult, type LoadTarget } from './run.ts';
import { loadHtml, loadMarkdown } from './html.ts';
import { startReferenceChild } from '../../suites/index.ts';

export interface LoadArgs {
  senders: number;
  messages?: number;
  durationMs?: number;
  rest: string[];
}

export function parseLoadArgs(argv: readonly string[]): LoadArgs {
  const out: LoadArgs = { senders: 8, rest: [] };
  const num = (flag: string, v: string | undefined, max: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag}: expected a whole number from 1 to ${max}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--senders') out.senders = num(a, argv[++i], 256);
    else if (a === '--messages') out.messages = num(a, argv[++i], 1_000_000);
    else if (a === '--duration') out.durationMs = num(a, argv[++i], 86_400) * 1000;
    else out.rest.push(a);
  }
  return out;
}

/**
 * The server, resolver, CA and admin key from an opened target, and a peer for remote delivery.
 * Servers this starts run in child processes (`bm-conformance serve`, suites/_support/restart.ts),
 * so the senders never share an event loop with a server: the builtin target is loaded as such a
 * child (the same reference, on a data directory), and so is the peer of builtin and url targets.
 */
async function loadTargetOf(t: OpenTarget, kind: string): Promise<{ target: LoadTarget; close: () => Promise<void>; note?: string }> {
  const e = t.env;
  if (!e.BM_SERVER_URL || !e.BM_RESOLVER_URL) throw new UsageError('load needs a mail server target with its key resolver (builtin, url:… with --resolver, or a server image)');
  const caPem = e.BM_CA_FILE ? readFileSync(e.BM_CA_FILE, 'utf8') : '';
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  const child = () => startReferenceChild({ resolverUrl: e.BM_RESOLVER_URL!, caFile: e.BM_CA_FILE!, caKeyFile: e.BM_CA_KEY_FILE! });
  try {
    let target: LoadTarget;
    if (kind === 'builtin') {
      const server = await child();
      closers.push(() => server.close());
      target = { serverUrl: server.url, resolverUrl: e.BM_RESOLVER_URL, caPem, adminKey: server.adminKey };
    } else {
      if (!e.BM_ADMIN_KEY) throw new UsageError('load makes its accounts with POST /admin/invite: give the management key (--admin-key) for a url target');
      target = { serverUrl: e.BM_SERVER_URL, resolverUrl: e.BM_RESOLVER_URL, caPem, adminKey: e.BM_ADMIN_KEY };
    }
    if (e.BM_PEER_URL && e.BM_PEER_ADMIN_KEY) return { target: { ...target, peer: { url: e.BM_PEER_URL, adminKey: e.BM_PEER_ADMIN_KEY } }, close };
    if (!e.BM_CA_KEY_FILE || !e.BM_CA_FILE) return { target, close, note: 'no CA key for a peer server (url target without --ca-key): local delivery only' };
    const peer = await child();
    closers.push(() => peer.close());
    return { target: { ...target, peer: { url: peer.url, adminKey: peer.adminKey } }, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export async function loadMain(argv: readonly string[]): Promise<number> {
  let args: LoadArgs;
  let run: ReturnType<typeof parseRunArgs>;
  try {
    args = parseLoadArgs(argv);
    run = parseRunArgs(args.rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`bm-conformance load: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const label = run.target.kind === 'builtin' ? 'builtin' : `${run.target.kind}:${run.target.value}`;
  let opened: OpenTarget;
  try {
    opened = await openTarget(run.target, { seed: run.seed, timeoutMs: run.timeoutMs, profiles: ['server'], out: run.out });
  } catch (e) {
    process.stderr.write(`bm-conformance load: could not open target ${label}: ${(e as Error).message}\n`);
    return 2;
  }
  let result: LoadResult;
  try {
    const lt = await loadTargetOf(opened, run.target.kind);
    if (lt.note) process.stderr.write(`note: ${lt.note}\n`);
    try {
      result = await runLoad(lt.target, { senders: args.senders, ...(args.messages !== undefined ? { messages: args.messages } : {}), ...(args.durationMs !== undefined ? { durationMs: args.durationMs } : {}), rng: seededRng(new TextEncoder().encode(`${run.seed}:load`)), log: (l) => process.stderr.write(`${l}\n`) });
    } finally {
      await lt.close();
    }
  } catch (e) {
    process.stderr.write(`bm-conformance load: the load could not run: ${e instanceof UsageError ? e.message : ((e as Error).stack ?? String(e))}\n`);
    await opened.close().catch(() => undefined);
    return 2;
  }
  await opened.close().catch(() => undefined);
  mkdirSync(run.out, { recursive: true });
  const { samples, ...figures } = result;
  writeFileSync(join(run.out, 'load.json'), JSON.stringify({ target: label, ...figures, samples }, null, 2) + '\n');
  writeFileSync(join(run.out, 'load.md'), loadMarkdown(result, label));
  writeFileSync(join(run.out, 'load.html'), loadHtml(result, label));
  process.stdout.write(loadMarkdown(result, label));
  process.stdout.write(`reports: ${['load.json', 'load.md', 'load.html'].map((f) => join(run.out, f)).join(' ')}\n`);
  return result.ok ? 0 : 1;
}
