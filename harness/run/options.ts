/**
 * `bm-conformance run` arguments.
 *
 *   --profile LIST     comma list of profiles (library,server,resolver,client,interop,security); default: every
 *                      profile the target can serve. Opt-in, never in the default: durability (kills
 *                      and restarts the target; builtin, and images whose manifest declares `restart`)
 *   --cycles N         durability profile: kill-and-restart cycles (default 20)
 *   --target SPEC      builtin (default) | url:<mail server URL> | command:<adapter command line>
 *                      | image:<manifest path or image name>
 *   --resolver URL     (url targets) the resolver the target server uses, if the suite should test it too
 *   --ca FILE          (url targets) CA certificate that signs the target's TLS certificate
 *   --ca-key FILE      (url targets) that CA's private key (PEM), if the target trusts it for
 *                      outgoing calls too: the harness then issues its peer server a certificate
 *                      the target accepts, so interop and server-to-server delivery can run
 *   --insecure         (url targets) do not verify the target's certificate (never the default)
 *   --admin-key KEY    (url targets) management key used to provision accounts (invites)
 *   --features LIST    (url targets) comma list of optional features the server has switched on
 *                      (webhooks); their tests run, and the tests of their absence do not. The
 *                      builtin target declares its own; an image's manifest declares them in
 *                      `features`
 *   --only PATTERN     run only tests whose full name matches (substring or /regex/)
 *   --expect FILE      expectations file (known failures) for the implementation under test;
 *                      repeatable (e.g. the server's file and the resolver's file in one run)
 *   --config KEY=VALUE the configuration the target runs with (e.g. storage=bolt); repeatable.
 *                      Expectations entries with a `config` apply only when it matches. An
 *                      image manifest may declare it in `config`; --config wins per key
 *   --seed HEX         seed of the run's random stream (default: fixed, so runs are repeatable)
 *   --out DIR          where the five report files go (default: out/)
 *   --timeout MS       per-test timeout (default 20000); set-up hooks get three times as long
 *   --pow-bits N       proof-of-work minimum of a resolver that publishes none (the Go standalone
 *                      resolver's `-bits`, which sets both the address and the organisation
 *                      minimum); used only when its /config.json does not answer them
 *   --shard I/N        run shard I of N: vitest's own split of the suite files (deterministic,
 *                      by a hash of each file's path); `bm-conformance merge` joins the shards'
 *                      out folders into the reports of the whole run and applies expectations then
 *   --baseline FILE    a report.json of an earlier run: report.html shows what changed since
 *   --strict-scope     count tests outside the target's declared scope (ops its adapter's hello
 *                      does not list) as `unsupported`, failing the run, instead of out of scope
 *   --list             list the tests that would run (collected, not run) and exit
 * @module
 */
import type { Profile } from '../../reports/index.ts';
import { parseRunConfig } from '../expectations.ts';
import { ALL_PROFILES, DEFAULT_SEED, DEFAULT_TIMEOUT_MS, FEATURE_RE, OPT_IN_PROFILES, type RunProfile } from '../../suites/index.ts';
import { loadManifest, profilesForRole, type TargetSpec } from '../targets/index.ts';

// The profiles are the suites' folders, a target spec is the targets' input: both defined there,
// re-exported for the run's modules and tests.
export { ALL_PROFILES, OPT_IN_PROFILES, type RunProfile } from '../../suites/index.ts';
export type { TargetSpec } from '../targets/index.ts';

export interface RunOptions {
  profiles: RunProfile[] | undefined;
  target: TargetSpec;
  only?: string;
  /** Expectations files, in the order given (`--expect`, repeatable). */
  expect?: string[];
  /** The configuration the target runs with (`--config key=value`), matched by expectations entries. */
  config?: Record<string, string>;
  seed: string;
  out: string;
  timeoutMs: number;
  /** `--pow-bits`: the resolver's proof-of-work minimum when its /config.json does not say (BM_POW_BITS). */
  powBits?: number;
  /** `--cycles N`: kill cycles of the durability profile (BM_DURABILITY_CYCLES). */
  cycles?: number;
  /** `--shard I/N`: run vitest's shard I of N (1-based); `bm-conformance merge` joins the shards. */
  shard?: { index: number; count: number };
  /** `--baseline FILE`: an earlier report.json; report.html shows the changes since (harness/run/diff.ts). */
  baseline?: string;
  /** `--strict-scope`: out-of-scope tests count as `unsupported` (today's strict rule). */
  strictScope?: boolean;
  list: boolean;
  argv: string[];
  /**
   * Folder laid out like the repository (`<root>/suites/<profile>/*.test.ts`) whose suites run
   * instead of the repository's; no CLI flag: for the harness's own tests (e.g. probe suites
   * against deliberately broken images, harness/targets/testdata/).
   */
  suitesRoot?: string;
  /**
   * Suite files (paths relative to the suites root, e.g. `suites/resolver/records.test.ts`) run
   * instead of every file of the selected profiles; no CLI flag: for the harness's own tests,
   * which check a behaviour on a few files to stay fast (test/broken-targets.test.ts).
   */
  suiteFiles?: string[];
  /**
   * A second target that only supplies the client adapter (BM_ADAPTER_CMD) while `target`
   * supplies the servers: one cell of `bm-conformance matrix` (harness/run/matrix.ts).
   */
  client?: TargetSpec;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseTarget(spec: string): TargetSpec {
  if (spec === 'builtin') return { kind: 'builtin' };
  const m = /^(url|command|image):(.+)$/s.exec(spec);
  if (!m) throw new UsageError(`--target: expected builtin, url:<URL>, command:<command line> or image:<manifest|name>, got ${JSON.stringify(spec)}`);
  const kind = m[1] as TargetSpec['kind'];
  if (kind === 'url') {
    let u: URL;
    try {
      u = new URL(m[2]!);
    } catch {
      throw new UsageError(`--target url: not a URL: ${m[2]}`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`--target url: expected http(s), got ${u.protocol}`);
  }
  return { kind, value: m[2] };
}

export function parseRunArgs(argv: readonly string[]): RunOptions {
  const o: RunOptions = { profiles: undefined, target: { kind: 'builtin' }, seed: DEFAULT_SEED, out: 'out', timeoutMs: DEFAULT_TIMEOUT_MS, list: false, argv: [...argv] };
  let resolver: string | undefined, ca: string | undefined, caKey: string | undefined, insecure = false, adminKey: string | undefined;
  let features: string[] | undefined;
  const configs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--profile':
      case '--profiles': {
        const list = val().split(',').map((s) => s.trim()).filter(Boolean);
        const known: readonly string[] = [...ALL_PROFILES, ...OPT_IN_PROFILES];
        for (const p of list) if (!known.includes(p)) throw new UsageError(`--profile: unknown profile ${p} (known: ${known.join(', ')})`);
        o.profiles = list as RunProfile[];
        break;
      }
      case '--target': o.target = parseTarget(val()); break;
      case '--resolver': resolver = val(); break;
      case '--ca': ca = val(); break;
      case '--ca-key': caKey = val(); break;
      case '--insecure': insecure = true; break;
      case '--admin-key': adminKey = val(); break;
      case '--features': {
        const list = val().split(',').map((s) => s.trim()).filter(Boolean);
        for (const f of list) if (!FEATURE_RE.test(f)) throw new UsageError(`--features: expected a comma list of feature names ([a-z][a-z0-9_]*), got ${JSON.stringify(f)}`);
        features = [...new Set(list)];
        break;
      }
      case '--only': o.only = val(); break;
      case '--expect': (o.expect ??= []).push(val()); break;
      case '--config': configs.push(val()); break;
      case '--seed': {
        const s = val();
        if (!/^(?:[0-9a-f]{2})+$/.test(s)) throw new UsageError(`--seed: expected lowercase hex bytes, got ${s}`);
        o.seed = s;
        break;
      }
      case '--out': o.out = val(); break;
      case '--timeout': {
        const n = Number(val());
        if (!Number.isInteger(n) || n < 100) throw new UsageError('--timeout: expected milliseconds ≥ 100');
        o.timeoutMs = n;
        break;
      }
      case '--cycles': {
        const n = Number(val());
        if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError('--cycles: expected a whole number from 1 to 10000');
        o.cycles = n;
        break;
      }
      case '--pow-bits': {
        const v = val();
        const n = Number(v);
        if (!/^\d{1,3}$/.test(v) || n > 256) throw new UsageError(`--pow-bits: expected bits 0..256, got ${JSON.stringify(v)}`);
        o.powBits = n;
        break;
      }
      case '--shard': o.shard = parseShard(val()); break;
      case '--baseline': o.baseline = val(); break;
      case '--list': o.list = true; break;
      case '--strict-scope': o.strictScope = true; break;
      default: throw new UsageError(`unknown argument ${a}`);
    }
  }
  if (features !== undefined && o.target.kind !== 'url') {
    throw new UsageError(`--features is for url targets: the builtin target declares its own features, an image's manifest declares them in "features"`);
  }
  if (configs.length > 0) {
    try {
      o.config = parseRunConfig(configs);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  Object.assign(o.target, { resolver, ca, caKey, insecure, adminKey, ...(features !== undefined ? { features } : {}) });
  return o;
}

/**
 * `--shard I/N`: 1 ≤ I ≤ N, N ≤ 1000.
 * @throws UsageError otherwise.
 * @example parseShard('2/3') // { index: 2, count: 3 }
 */
export function parseShard(v: string): { index: number; count: number } {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(v);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 1000 || index < 1 || index > count) throw new UsageError(`--shard: expected I/N with 1 ≤ I ≤ N ≤ 1000, got ${JSON.stringify(v)}`);
  return { index, count };
}

/**
 * Profiles a target can serve: by kind, and for an image by its manifest's role (a mail server
 * image: server, interop, security; a resolver image: resolver; a client image: library, client).
 * An unreadable manifest falls back to the kind's list (opening the target then reports why).
 */
export function profilesForTarget(spec: TargetSpec): RunProfile[] {
  if (spec.kind !== 'image' || spec.value === undefined) return profilesFor(spec.kind);
  try {
    return profilesForRole(loadManifest(spec.value).manifest.role);
  } catch {
    return profilesFor(spec.kind);
  }
}

/**
 * Opt-in profiles the target can serve when asked by name: durability needs a mail server the
 * harness can kill and restart (builtin: a child process; an image: a server manifest with `restart`).
 */
export function optInProfilesForTarget(spec: TargetSpec): RunProfile[] {
  if (spec.kind === 'builtin') return ['durability'];
  if (spec.kind !== 'image' || spec.value === undefined) return [];
  try {
    const m = loadManifest(spec.value).manifest;
    return m.role === 'server' && m.restart !== undefined ? ['durability'] : [];
  } catch {
    return [];
  }
}

/** Profiles a target kind can serve (a command adapter has no HTTP server to test, a URL no adapter). */
export function profilesFor(kind: TargetSpec['kind']): RunProfile[] {
  switch (kind) {
    case 'builtin': return [...ALL_PROFILES];
    case 'command': return ['library', 'client'];
    case 'url':
    case 'image': return ['server', 'resolver', 'interop', 'security'];
  }
}

export type { Profile };
