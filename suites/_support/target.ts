/**
 * The target a suite runs against, read from the environment `bm-conformance run` gives the
 * suite workers (harness/run/index.ts, harness/targets/*.ts; DESIGN.md contract 4). A suite is
 * written once and handed its target (STYLE.md "Tests"): it never looks at process.env itself.
 *
 * | variable          | meaning                                                                           |
 * |-------------------|-----------------------------------------------------------------------------------|
 * | `BM_TARGET_KIND`  | `builtin` \| `url` \| `command` \| `image`                                          |
 * | `BM_SERVER_URL`   | base URL of the mail server under test (or the reference one, builtin)            |
 * | `BM_RESOLVER_URL` | base URL of the key resolver (under test, or the harness's own)                   |
 * | `BM_CA_FILE`      | PEM file of the CA that signs the targets' TLS certificates; trusted exclusively  |
 * | `BM_INSECURE`     | `1` = do not verify TLS certificates (asked for with `--insecure`, never default)|
 * | `BM_ADMIN_KEY`    | management API key (`BMK-…`) for provisioning accounts (invites)                  |
 * | `BM_ROUTING_ID`   | routing id of the mail server under test                                          |
 * | `BM_ADAPTER_CMD`  | adapter command line (ADAPTER.md), run through `sh -c`; unset = built-in adapter  |
 * | `BM_SEED`         | hex seed of the run: every key a suite makes is drawn from it ({@link suiteRng})   |
 * | `BM_TIMEOUT_MS`   | per-test timeout; each HTTP request gets half of it ({@link SuiteTarget.requestTimeoutMs}) |
 * | `BM_POW_BITS`     | proof-of-work minimum of a resolver whose `/config.json` does not answer (`--pow-bits`); unset = none declared ({@link SuiteTarget.powBits}) |
 * | `BM_FEATURES`     | comma list of optional features the target has switched on (`webhooks`); unset = none ({@link SuiteTarget.features}) |
 *
 * Run directly under vitest without these variables (a developer's loop), {@link useTarget}
 * starts the reference implementation in-process instead, like the `builtin` target does.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { Agent } from 'undici';
import { seededRng, type Rng } from '../../harness/protocol/random.ts';
import { HarnessError } from './errors.ts';

export type TargetKind = 'builtin' | 'url' | 'command' | 'image';

export interface SuiteTarget {
  readonly kind: TargetKind;
  /** Mail server base URL, no trailing slash. */
  readonly serverUrl: string | undefined;
  /** Key resolver base URL, no trailing slash. */
  readonly resolverUrl: string | undefined;
  readonly caFile: string | undefined;
  /** Contents of `caFile`. */
  readonly caPem: string | undefined;
  /** TLS verification off (BM_INSECURE=1). */
  readonly insecure: boolean;
  readonly adminKey: string | undefined;
  readonly routingId: string | undefined;
  readonly adapterCmd: string | undefined;
  /** Run seed (hex). */
  readonly seed: string;
  /** Per-test timeout (ms). */
  readonly timeoutMs: number;
  /** Per-request bound (ms): half the test timeout, so a hung request is reported before the test times out. */
  readonly requestTimeoutMs: number;
  /**
   * Optional features the target declares switched on (BM_FEATURES): the builtin reference
   * `webhooks`; a url target's `--features`; an image's manifest `features` set to true. A suite
   * declares the tests of a feature only when it is in this set, and the tests of its absence
   * (e.g. webhook routes answer 404) only when it is not.
   */
  readonly features: ReadonlySet<string>;
  /**
   * The resolver's proof-of-work minimum as the run declares it (`--pow-bits`, BM_POW_BITS), for
   * a resolver that does not publish its own in `/config.json` (the Go standalone resolver, whose
   * one `-bits` flag sets both the address and the organisation minimum). Used only when
   * `/config.json` does not answer (resolver.ts `config()`); undefined = not declared.
   */
  readonly powBits: number | undefined;
}

/** The run seed when none is given (`--seed`, BM_SEED): fixed, so runs are repeatable. Hex of "bm-run-v1". */
export const DEFAULT_SEED = '626d2d72756e2d7631';
/** The per-test timeout when none is given (`--timeout`, BM_TIMEOUT_MS). */
export const DEFAULT_TIMEOUT_MS = 20_000;
/** A feature name (BM_FEATURES, `--features`, manifest `features` keys). */
export const FEATURE_RE = /^[a-z][a-z0-9_]*$/;

function url(name: string, v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new HarnessError('config', `${name}: not a URL: ${JSON.stringify(v)}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new HarnessError('config', `${name}: expected an http(s) URL, got ${v}`);
  return v.replace(/\/+$/, '');
}

/**
 * Parse a BM_* environment into a typed target.
 * @throws HarnessError (step `config`) for a malformed variable or an unreadable CA file
 */
export function readTarget(env: NodeJS.ProcessEnv = process.env): SuiteTarget {
  const kind = (env.BM_TARGET_KIND ?? 'builtin') as TargetKind;
  if (!['builtin', 'url', 'command', 'image'].includes(kind)) throw new HarnessError('config', `BM_TARGET_KIND: expected builtin|url|command|image, got ${kind}`);
  const seed = env.BM_SEED || DEFAULT_SEED;
  if (!/^(?:[0-9a-f]{2})+$/.test(seed)) throw new HarnessError('config', `BM_SEED: expected lowercase hex bytes, got ${seed}`);
  const timeoutMs = env.BM_TIMEOUT_MS ? Number(env.BM_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) throw new HarnessError('config', `BM_TIMEOUT_MS: expected milliseconds ≥ 100, got ${env.BM_TIMEOUT_MS}`);
  const caFile = env.BM_CA_FILE || undefined;
  let caPem: string | undefined;
  if (caFile) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new HarnessError('config', `BM_CA_FILE: cannot read ${caFile}: ${(e as Error).message}`);
    }
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new HarnessError('config', `BM_CA_FILE: ${caFile} holds no PEM certificate`);
  }
  if (env.BM_INSECURE !== undefined && env.BM_INSECURE !== '' && env.BM_INSECURE !== '0' && env.BM_INSECURE !== '1') {
    throw new HarnessError('config', `BM_INSECURE: expected 1 or unset, got ${env.BM_INSECURE}`);
  }
  const features = new Set<string>();
  for (const f of (env.BM_FEATURES ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!FEATURE_RE.test(f)) throw new HarnessError('config', `BM_FEATURES: expected a comma list of feature names ([a-z][a-z0-9_]*), got ${JSON.stringify(env.BM_FEATURES)}`);
    features.add(f);
  }
  const powBits = env.BM_POW_BITS ? Number(env.BM_POW_BITS) : undefined;
  if (powBits !== undefined && (!/^\d{1,3}$/.test(env.BM_POW_BITS!) || powBits > 256)) throw new HarnessError('config', `BM_POW_BITS: expected bits 0..256, got ${env.BM_POW_BITS}`);
  const routingId = env.BM_ROUTING_ID || undefined;
  if (routingId !== undefined && !/^[0-9a-f]{64}$/.test(routingId)) throw new HarnessError('config', `BM_ROUTING_ID: expected 64 lowercase hex, got ${routingId}`);
  return {
    kind,
    serverUrl: url('BM_SERVER_URL', env.BM_SERVER_URL),
    resolverUrl: url('BM_RESOLVER_URL', env.BM_RESOLVER_URL),
    caFile,
    caPem,
    insecure: env.BM_INSECURE === '1',
    adminKey: env.BM_ADMIN_KEY || undefined,
    routingId,
    adapterCmd: env.BM_ADAPTER_CMD || undefined,
    seed,
    timeoutMs,
    requestTimeoutMs: Math.max(50, Math.floor(timeoutMs / 2)),
    features,
    powBits,
  };
}

let current: SuiteTarget | undefined;

/** The target of this worker (parsed once from process.env, or set by {@link useTarget}). */
export function suiteTarget(): SuiteTarget {
  current ??= readTarget();
  return current;
}

/**
 * The target, starting the reference implementation in-process when the suite runs outside
 * `bm-conformance run` (no BM_TARGET_KIND) and `needs` names a server it lacks. Call once at
 * the top of a suite file: `const target = await useTarget({ needs: ['resolver'] })`. The
 * started reference is closed after the file's tests.
 */
export async function useTarget(opts: { needs?: readonly ('resolver' | 'server')[] } = {}): Promise<SuiteTarget> {
  const t = suiteTarget();
  const needs = opts.needs ?? [];
  const missing = needs.some((n) => (n === 'resolver' ? !t.resolverUrl : !t.serverUrl));
  if (!missing || process.env.BM_TARGET_KIND !== undefined) return t;
  const ref = await startOwnReference();
  afterAll(() => ref.close());
  current = { ...t, serverUrl: ref.mailUrl, resolverUrl: ref.resolverUrl, caFile: ref.caPath, caPem: ref.caPem, adminKey: ref.adminKey, routingId: ref.routingId };
  return current;
}

/** A reference implementation of our own (a counterparty: mail server and resolver on loopback). The caller closes it. */
export async function startOwnReference(): Promise<{ mailUrl: string | undefined; resolverUrl: string; caPath: string; caPem: string; adminKey: string; routingId: string; close(): Promise<void> }> {
  const { startReference } = await import('../../harness/reference/index.ts');
  // Same settings as the builtin target (harness/targets/builtin.ts): 8-bit account and ticket
  // proofs of work, 9-bit organisation proofs (the ticket minimum is the mail server's `limits.ticketPowBits`, default 25).
  return startReference({ pow: { address: 8, organisation: 9 }, mailOptions: { limits: { ticketPowBits: 8 } } });
}

let agent: Agent | undefined;

/**
 * The undici dispatcher for every request a suite makes: trusts exactly BM_CA_FILE (not the
 * system roots) and verifies host names, or — only when BM_INSECURE=1 — verifies nothing.
 * Connect timeout = the per-request bound. One per worker process.
 */
export function targetAgent(t: SuiteTarget = suiteTarget()): Agent {
  if (agent) return agent;
  const connect = t.insecure
    ? { rejectUnauthorized: false, timeout: t.requestTimeoutMs }
    : t.caPem
      ? { ca: t.caPem, rejectUnauthorized: true, timeout: t.requestTimeoutMs }
      : { rejectUnauthorized: true, timeout: t.requestTimeoutMs };
  agent = new Agent({ connect, keepAliveTimeout: 4_000 });
  return agent;
}

/**
 * A deterministic random stream for one named use in this run: ChaCha20 under
 * SHA-256(`<BM_SEED>:<label>`), so the same seed gives the same keys, nonces and messages.
 */
export function suiteRng(label: string, t: SuiteTarget = suiteTarget()): Rng {
  return seededRng(new TextEncoder().encode(`${t.seed}:${label}`));
}

let nonce: string | undefined;

/**
 * A random per-process tag (8 hex) for names that must be fresh on every run — addresses and
 * organisations on a resolver that keeps its records between runs. Not derived from the seed.
 */
export function runNonce(): string {
  nonce ??= randomBytes(4).toString('hex');
  return nonce;
}

/** How many per-test timeouts a set-up hook gets (suites/vitest.suites.config.ts `hookTimeout`). */
export const HOOK_TIMEOUT_FACTOR = 3;

/** The bound of a set-up hook: {@link HOOK_TIMEOUT_FACTOR} per-test timeouts, so it follows `--timeout`. */
export function hookTimeoutMs(t: SuiteTarget = suiteTarget()): number {
  return HOOK_TIMEOUT_FACTOR * t.timeoutMs;
}

/** Deadlines of the shared set-ups running now (epoch ms). */
const runningSetups = new Map<object, number>();

/**
 * The deadline of a shared set-up running now ({@link setupOnce}), or undefined. Work inside a
 * set-up (e.g. proofs of work for its accounts, pow.ts) is bounded by the set-up's deadline, as
 * long as the hook's, not by the first test's timeout.
 */
export function setupDeadline(): number | undefined {
  return runningSetups.size === 0 ? undefined : Math.min(...runningSetups.values());
}

/**
 * Shared setup that every test awaits (`const ctx = await setup()`), run once on first use.
 * Use it instead of `beforeAll` for anything that talks to the target: a failing `beforeAll`
 * makes vitest skip the tests (reported `unsupported`), while a failing `setup()` fails each
 * test with the real cause — a HarnessError (`error` verdict) when the target is unreachable.
 * Call it from `beforeEach(() => setup())`: its work is then bounded by the hook timeout
 * ({@link hookTimeoutMs}), which is what {@link setupDeadline} announces while it runs.
 */
export function setupOnce<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= (async () => {
    const token = {};
    runningSetups.set(token, Date.now() + hookTimeoutMs());
    try {
      return await fn();
    } finally {
      runningSetups.delete(token);
    }
  })());
}
