/**
 * The harness image (issue "Ship it where implementers are", item 2; docs/harness-image.md):
 * bitmaelum-conformance/harness:<version>, built by images/build.ts as `npm run images` builds it,
 * runs the suites for a project that has no Node:
 * - `docker run --rm --network host -v "$PWD:/work" -v "$PWD/out:/out" …harness run --target url:…`
 *   against the reference key resolver started on this machine (`bm-conformance serve`);
 * - with the Docker socket mounted, `run --target image:…` against the reference images: the
 *   resolver image (testcontainers from inside the harness container) and the client-adapter
 *   image (driven by `docker exec` through the docker CLI in the harness image).
 * Each run must write its reports to the mounted /out with real results: tests that passed, none
 * failed or errored, the target identity of the kind asked for. No container is left behind.
 *
 * Without a docker engine these skip; with BM_REQUIRE_DOCKER=1 (CI) a missing engine fails.
 * About 3 minutes: the image build (npm pack with its prepack build, an install from the npm
 * cache, docker import) and three short runs.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarnessImage, buildImages, dockerAvailable, type BuiltHarness } from '../images/build.ts';
import { runToEnd } from './_spawn.ts';

const DOCKER = dockerAvailable();
const REQUIRED = process.env.BM_REQUIRE_DOCKER === '1';
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'bm-conformance.mjs');

describe('docker engine for the harness image', () => {
  it('answers `docker info`, unless BM_REQUIRE_DOCKER is unset (a developer machine without Docker)', () => {
    expect(DOCKER || !REQUIRED, 'no docker engine answers `docker info`; start dockerd (see .ci/run)').toBe(true);
  });
});

function dockerRun(args: readonly string[], timeoutMs = 600_000) {
  return runToEnd('docker', ['run', '--rm', '--network', 'host', ...args], { timeoutMs });
}

interface Report {
  target: { kind: string; image?: string; image_digest?: string; url?: string };
  summary: { total: number; pass: number; fail: number; error: number };
}

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
const containerIds = () => execFileSync('docker', ['ps', '-a', '-q', '--no-trunc'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();

describe.skipIf(!DOCKER)('bitmaelum-conformance/harness image', () => {
  let harness: BuiltHarness;
  let before: string[];
  const work = mkdtempSync(join(tmpdir(), 'bm-harness-image-test-'));

  beforeAll(async () => {
    before = containerIds();
    await buildImages();
    harness = await buildHarnessImage();
  }, 900_000);
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('runs a url target: the reference resolver on this machine, reports in the mounted /out', async () => {
    const dir = join(work, 'url');
    mkdirSync(join(dir, 'out'), { recursive: true });
    let serve: ChildProcess | undefined;
    try {
      serve = spawn(process.execPath, [BIN, 'serve', '--no-mail', '--pow-bits', '8', '--out', join(dir, 'ca.pem')], { stdio: ['ignore', 'pipe', 'pipe'] });
      const resolver = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`serve did not get ready: ${text}`)), 60_000);
        serve!.stdout!.on('data', (d: Buffer) => {
          text += d.toString();
          const m = /^ready: mail=\S+ resolver=(\S+)$/m.exec(text);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      // The harness's url target is a mail server URL; the resolver profile tests --resolver.
      const r = await dockerRun(['-v', `${dir}:/work`, '-v', `${join(dir, 'out')}:/out`, harness.image, 'run', '--target', `url:${resolver}`, '--resolver', resolver, '--ca', 'ca.pem', '--profile', 'resolver', '--out', '/out']);
      expect(r.code, r.out.slice(-3000)).not.toBe(2);
      const report = readReport(join(dir, 'out'));
      expect(report.target.kind).toBe('url');
      expect(report.summary.pass).toBeGreaterThan(50);
      expect(report.summary.fail + report.summary.error, r.out.slice(-3000)).toBe(0);
    } finally {
      serve?.kill('SIGTERM');
    }
  }, 600_000);

  it('with the Docker socket mounted, runs an image target: the reference resolver image, started from inside', async () => {
    const out = join(work, 'image-out');
    mkdirSync(out, { recursive: true });
    const r = await dockerRun(['-v', '/var/run/docker.sock:/var/run/docker.sock', '-v', `${join(ROOT, 'implementations')}:/work/implementations:ro`, '-v', `${out}:/out`, harness.image, 'run', '--target', 'image:implementations/reference/resolver.json', '--out', '/out']);
    expect(r.code, r.out.slice(-3000)).not.toBe(2);
    const report = readReport(out);
    expect(report.target.kind).toBe('image');
    expect(report.target.image_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.summary.pass).toBeGreaterThan(50);
    expect(report.summary.fail + report.summary.error, r.out.slice(-3000)).toBe(0);
  }, 600_000);

  it('drives a client image by docker exec through the docker CLI it carries', async () => {
    expect(harness.dockerCli).toBe(true);
    const out = join(work, 'client-out');
    mkdirSync(out, { recursive: true });
    const r = await dockerRun(['-v', '/var/run/docker.sock:/var/run/docker.sock', '-v', `${join(ROOT, 'implementations')}:/work/implementations:ro`, '-v', `${out}:/out`, harness.image, 'run', '--target', 'image:implementations/reference/adapter.json', '--profile', 'client', '--out', '/out']);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    const report = readReport(out);
    expect(report.target.kind).toBe('image');
    expect(report.summary.pass).toBeGreaterThan(30);
    expect(report.summary.pass).toBe(report.summary.total);
  }, 600_000);

  it('leaves no container behind', () => {
    expect(containerIds()).toEqual(before);
  });
});
