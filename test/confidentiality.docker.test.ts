/**
 * The confidentiality check against the reference adapter image (issue 12 item 3, item 4 "in
 * CI"): `client › confidentiality` through the real harness with `--target image:…`.
 * - implementations/reference/adapter.json (the adapter `docker exec`ed into a running
 *   container): all three tests pass;
 * - implementations/reference/adapter-faults/<switch>.json (the same image with
 *   `BM_ADAPTER_FAULTS=<switch>` in the container's environment): exactly the tests
 *   suites/requirements/faults.ts `ADAPTER_FAULT_PROOFS` declares fail, the file one found by
 *   `docker diff` of the container under its path there;
 * - a manifest whose adapter is the image run afresh (`via: entrypoint`, `docker run -i`): passes, and its container is
 *   removed after the check read it (`docker ps -a` before vs after the file).
 * The images are built first (images/build.ts, about 2 s), so the switches are in them. Without
 * a docker engine the tests skip; with BM_REQUIRE_DOCKER=1 (CI) that fails instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, dockerAvailable, imageRef } from '../images/build.ts';
import { runConformance } from '../harness/run/index.ts';
import { parseRunArgs } from '../harness/run/options.ts';
import type { TestResult } from '../reports/model.ts';
import { ADAPTER_FAULT_PROOFS } from '../suites/requirements/faults.ts';

const DOCKER = dockerAvailable();
const REQUIRED = process.env.BM_REQUIRE_DOCKER === '1';
const REFERENCE = fileURLToPath(new URL('../implementations/reference/', import.meta.url));
const FAILING = new Set(['fail', 'error', 'xpass']);

describe('docker engine for the confidentiality check', () => {
  it('answers `docker info`, unless BM_REQUIRE_DOCKER is unset', () => {
    expect(DOCKER || !REQUIRED, 'no docker engine answers `docker info`; start dockerd (see .ci/run)').toBe(true);
  });
});

const containerIds = () => execFileSync('docker', ['ps', '-a', '-q', '--no-trunc'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();

describe.skipIf(!DOCKER)('the confidentiality check against the reference adapter image', () => {
  const work = mkdtempSync(join(tmpdir(), 'bm-confidentiality-docker-'));
  let before: string[];
  beforeAll(async () => {
    before = containerIds();
    await buildImages();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function run(label: string, manifest: string): Promise<TestResult[]> {
    const outcome = await runConformance(parseRunArgs(['--target', `image:${manifest}`, '--profile', 'client', '--only', '/^client › confidentiality › /', '--out', join(work, label)]));
    return outcome.tests;
  }
  const failing = (tests: readonly TestResult[]) => tests.filter((t) => FAILING.has(t.verdict)).map((t) => t.name).sort();

  it('passes all three tests on the clean image (docker exec)', async () => {
    const tests = await run('clean', join(REFERENCE, 'adapter.json'));
    expect(tests.map((t) => [t.name.split(' › ')[2], t.verdict])).toEqual([
      ['BM-CONF-001', 'pass'],
      ['BM-CONF-002', 'pass'],
      ['BM-CONF-003', 'pass'],
    ]);
  });

  it.each(ADAPTER_FAULT_PROOFS.map((p) => [p.name, p] as const))('fails exactly its declared tests on the image with %s switched on', async (name, proof) => {
    const tests = await run(name, join(REFERENCE, 'adapter-faults', `${name}.json`));
    expect(tests).toHaveLength(3);
    expect(failing(tests)).toEqual([...proof.fails].sort());
    const message = tests.find((t) => FAILING.has(t.verdict))?.message ?? '';
    // The file is named by its path in the container, as docker diff lists it.
    expect(message).toMatch(name === 'log-subject' ? /adapter log \(stderr\) offset \d+ \(raw\)/ : /\/tmp\/bm-adapter-draft-\d+\.txt offset \d+ \(raw\)/);
  });

  /** A manifest whose adapter is the image run afresh (`via: entrypoint`), with `env` if given. */
  function entrypointManifest(label: string, env?: Record<string, string>): string {
    const manifest = join(work, `${label}.json`);
    writeFileSync(manifest, JSON.stringify({
      schema: 'target_manifest_schema_v1.json',
      name: `reference-adapter-${label}`,
      role: 'client',
      image: imageRef('adapter'),
      command: ['idle'],
      ...(env ? { env } : {}),
      readiness: { kind: 'log', pattern: '^idle: ready', timeout_ms: 30000 },
      adapter: { via: 'entrypoint', command: ['adapter'] },
    }));
    return manifest;
  }

  it('passes an adapter started with docker run and removes its container', async () => {
    const tests = await run('docker-run', entrypointManifest('docker-run'));
    expect(tests.map((t) => t.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(containerIds()).toEqual(before);
  });

  // The manifest's env reaches an adapter started with docker run too (it once reached only
  // `docker exec`, which inherits the container's): the fault switch must show.
  it('fails the declared test of a fault switch set in the env of an adapter started with docker run', async () => {
    const proof = ADAPTER_FAULT_PROOFS.find((p) => p.name === 'plain-block-file')!;
    const tests = await run('docker-run-fault', entrypointManifest('docker-run-fault', { BM_ADAPTER_FAULTS: proof.name }));
    expect(failing(tests)).toEqual([...proof.fails].sort());
    expect(containerIds()).toEqual(before);
  });
});
