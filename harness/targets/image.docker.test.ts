// Docker-bound tests of the image target and the reference images (issue 6). They build the
// images with images/build.ts, run profiles against them through runConformance, and check the
// three ways a container goes wrong — never ready, exits during the run, hangs — each give
// `error` verdicts within their bounds, a written report naming the container log, and no
// container left behind (`docker ps -a` before vs after). Without a docker engine they skip;
// with BM_REQUIRE_DOCKER=1 (CI) a missing engine fails instead.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, dockerAvailable, imageRef, writeBuildContext, type BuiltImages } from '../../images/build.ts';
import { runConformance, type RunOutcome } from '../run/index.ts';
import { parseRunArgs } from '../run/options.ts';

const DOCKER = dockerAvailable();
const REQUIRED = process.env.BM_REQUIRE_DOCKER === '1';
const TESTDATA = fileURLToPath(new URL('./testdata/', import.meta.url));
const PROBE_ROOT = join(TESTDATA, 'probe');
const BIN = fileURLToPath(new URL('../../bin/bm-conformance.mjs', import.meta.url));

describe('docker engine', () => {
  // Always runs: with BM_REQUIRE_DOCKER=1 (CI) a missing engine fails here instead of letting the
  // container tests below skip.
  it('answers `docker info`, unless BM_REQUIRE_DOCKER is unset (a developer machine without Docker)', () => {
    expect(DOCKER || !REQUIRED, 'no docker engine answers `docker info`; start dockerd (see .ci/run)').toBe(true);
  });
});

function containerIds(): string[] {
  return execFileSync('docker', ['ps', '-a', '-q', '--no-trunc'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

function readReport(dir: string): { tests: { name: string; verdict: string; message?: string; trace?: string[] }[]; target: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
}

describe.skipIf(!DOCKER)('image target against real containers', () => {
  let built: BuiltImages;
  let before: string[];
  const work = mkdtempSync(join(tmpdir(), 'bm-image-test-'));

  beforeAll(async () => {
    before = containerIds();
    built = await buildImages({ withBase: true });
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  async function run(argv: string[], extra: { suitesRoot?: string } = {}): Promise<{ outcome: RunOutcome; ms: number; out: string }> {
    const out = mkdtempSync(join(work, 'out-'));
    const opts = { ...parseRunArgs([...argv, '--out', out]), ...extra };
    const t0 = performance.now();
    const outcome = await runConformance(opts);
    return { outcome, ms: performance.now() - t0, out };
  }

  /** A manifest running fault-server.mjs in the reference image with FAULT=<fault>. */
  function faultManifest(fault: string, readinessMs: number): string {
    const dir = mkdtempSync(join(work, `fault-${fault}-`));
    copyFileSync(join(TESTDATA, 'fault-server.mjs'), join(dir, 'fault-server.mjs'));
    const manifest = {
      schema: 'target_manifest_schema_v1.json',
      name: `fault-${fault}`,
      role: 'server',
      image: imageRef('server'),
      entrypoint: ['/usr/local/bin/node', '/app/fault.mjs'],
      command: [],
      env: { FAULT: fault, PORT: '${PORT_HTTPS}' },
      files: [
        { source: '${TLS_CERT}', target: '/etc/bm/tls/cert.pem' },
        { source: '${TLS_KEY}', target: '/etc/bm/tls/key.pem', mode: '0600' },
        { source: 'fault-server.mjs', target: '/app/fault.mjs' },
      ],
      ports: [{ name: 'https', container: 2424, protocol: 'https' }],
      readiness: { kind: 'http', port: 'https', path: '/', status: 200, timeout_ms: readinessMs },
      provisioning: { kind: 'none' },
    };
    const path = join(dir, 'target.json');
    writeFileSync(path, JSON.stringify(manifest, null, 2));
    return path;
  }

  it('npm run images builds the server and adapter images (and the node base) from an assembled root filesystem', () => {
    for (const ref of [built.server, built.adapter, built.base!]) {
      const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { encoding: 'utf8' }).trim();
      expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    const cfg = JSON.parse(execFileSync('docker', ['image', 'inspect', '--format', '{{json .Config}}', built.server], { encoding: 'utf8' })) as { Entrypoint: string[]; Cmd: string[]; WorkingDir: string };
    expect(cfg.Entrypoint).toEqual(['/usr/local/bin/node', '/app/bm-conformance.mjs']);
    expect(cfg.Cmd).toEqual(['serve']);
    expect(cfg.WorkingDir).toBe('/app');
    const hello = execFileSync('docker', ['run', '--rm', '-i', '--network', 'none', built.adapter, 'adapter'], { input: '{"id":1,"op":"hello","args":{"protocol":1}}\n', encoding: 'utf8' });
    expect(JSON.parse(hello.split('\n')[0]!)).toMatchObject({ id: 1, ok: true, result: { protocol: 1 } });
  });

  it('the reference server image passes the server profile and the resolver profile (harness-owned TLS, resolver, routing and admin keys)', async () => {
    const srv = await run(['--target', 'image:implementations/reference/target.json', '--profile', 'server']);
    expect(srv.outcome.exitCode, JSON.stringify(srv.outcome.tests.filter((t) => t.verdict !== 'pass').slice(0, 3))).toBe(0);
    const rep = readReport(srv.out);
    expect(rep.target).toMatchObject({ kind: 'image', image: built.server });
    expect(String(rep.target.image_digest)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(readFileSync(join(srv.out, 'container-server.log'), 'utf8')).toMatch(/^ready: mail=https:\/\/127\.0\.0\.1:\d+ resolver=https:\/\/127\.0\.0\.1:\d+$/m);

    const res = await run(['--target', 'image:implementations/reference/resolver.json', '--profile', 'resolver']);
    expect(res.outcome.exitCode, JSON.stringify(res.outcome.tests.filter((t) => t.verdict !== 'pass').slice(0, 3))).toBe(0);
    expect(res.outcome.tests.length).toBeGreaterThan(0);
    expect(res.outcome.tests.every((t) => t.verdict === 'pass')).toBe(true);
    expect(containerIds()).toEqual(before);
  });

  it('an image that never becomes ready gives one error per profile within its readiness timeout, with the log, and leaves no container', async () => {
    const manifest = faultManifest('never-ready', 3_000);
    const r = await run(['--target', `image:${manifest}`, '--profile', 'server,interop']);
    expect(r.outcome.exitCode).toBe(2);
    expect(r.ms).toBeLessThan(20_000);
    const rep = readReport(r.out);
    expect(rep.tests.map((t) => [t.name, t.verdict])).toEqual([['interop › target › - › start', 'error'], ['server › target › - › start', 'error']]);
    expect(rep.tests[0]!.message).toContain('not ready within 3000 ms');
    expect(rep.tests[0]!.trace).toContain('container: fault server: never-ready');
    expect(readFileSync(join(r.out, 'container-server.log'), 'utf8')).toContain('still starting');
    expect(containerIds()).toEqual(before);
  });

  it('an image that exits during the run turns its failures into errors naming the exit, with the log attached, and leaves no container', async () => {
    const manifest = faultManifest('exit', 20_000);
    const r = await run(['--target', `image:${manifest}`, '--profile', 'server', '--timeout', '4000'], { suitesRoot: PROBE_ROOT });
    expect(r.outcome.exitCode).toBe(1);
    const rep = readReport(r.out);
    expect(rep.tests).toHaveLength(3);
    for (const t of rep.tests) {
      expect(t.verdict).toBe('error');
      expect(t.message).toMatch(/exited during the run \(exit code 3/);
      expect(t.trace?.at(-1)).toBe(`container log: ${join(r.out, 'container-server.log')}`);
    }
    expect(readFileSync(join(r.out, 'container-server.log'), 'utf8')).toContain('exiting with code 3');
    expect(containerIds()).toEqual(before);
  });

  it('an image that hangs gives error verdicts within the per-request bound, and leaves no container', async () => {
    const manifest = faultManifest('hang', 20_000);
    const r = await run(['--target', `image:${manifest}`, '--profile', 'server', '--timeout', '2000'], { suitesRoot: PROBE_ROOT });
    expect(r.outcome.exitCode).toBe(1);
    expect(r.ms).toBeLessThan(30_000);
    const rep = readReport(r.out);
    expect(rep.tests).toHaveLength(3);
    for (const t of rep.tests) {
      expect(t.verdict).toBe('error');
      expect(t.message).toMatch(/timeout: GET https:\/\/127\.0\.0\.1:\d+\/probe\/\d: no answer within 1000 ms/);
      expect(t.trace).toContain(`container log: ${join(r.out, 'container-server.log')}`);
    }
    expect(containerIds()).toEqual(before);
  });

  it('SIGINT during a run removes the run\'s container before the harness exits', async () => {
    const manifest = faultManifest('never-ready', 60_000);
    const out = mkdtempSync(join(work, 'out-sigint-'));
    const p = spawn(process.execPath, [BIN, 'run', '--target', `image:${manifest}`, '--profile', 'server', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c) => { err += c; });
    // Wait until the container exists, then interrupt.
    const deadline = Date.now() + 30_000;
    while (containerIds().length === before.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(containerIds().length).toBe(before.length + 1);
    const exit = new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    p.kill('SIGINT');
    expect(await exit, err).toBe(130);
    expect(containerIds()).toEqual(before);
  });

  it('images/Dockerfile builds from the locally imported node base and answers the adapter hello', () => {
    const ctx = mkdtempSync(join(work, 'ctx-'));
    return (async () => {
      await writeBuildContext(ctx);
      expect(existsSync(join(ctx, 'Dockerfile'))).toBe(true);
      const tag = 'bitmaelum-conformance/dockerfile-test:latest';
      try {
        execFileSync('docker', ['build', '-q', '--network', 'host', '--build-arg', `BASE_IMAGE=${built.base!}`, '-t', tag, ctx], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
        const hello = execFileSync('docker', ['run', '--rm', '-i', '--network', 'none', tag, 'adapter'], { input: '{"id":7,"op":"hello","args":{"protocol":1}}\n', encoding: 'utf8' });
        expect(JSON.parse(hello.split('\n')[0]!)).toMatchObject({ id: 7, ok: true, result: { implementation: { version: '0.1.0' } } });
      } finally {
        execFileSync('docker', ['rmi', '-f', tag], { stdio: 'ignore' });
        execFileSync('docker', ['image', 'prune', '-f'], { stdio: 'ignore' });
      }
      expect(containerIds()).toEqual(before);
    })();
  });
});
