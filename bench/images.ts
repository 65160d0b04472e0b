/**
 * Benchmark section "container images" (issue 6): what the `image` target costs over `builtin`.
 *
 * - container start → first request: from `startContainer` (testcontainers create + start,
 *   files copied in, host networking) until the reference server image answers its readiness
 *   request `GET /` over HTTPS with the harness CA, then one more request; best of 3.
 * - docker exec → adapter hello: spawning `docker exec -i <running adapter container> node … adapter`
 *   until hello is answered (what each client suite file pays); best of 3.
 * - full run wall time: `bm-conformance run` as a child process, image targets beside builtin
 *   over the same profiles (server, interop, security and resolver; reference images), with the
 *   images already built (`npm run images`). Column "node native" holds the builtin figure.
 *
 * Without a docker engine the section reports nothing (and says so).
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { AdapterClient } from '../harness/adapter/client.ts';
import { createCa, issueServerCert, trustingAgent } from '../harness/reference/tls.ts';
import { beginRun, endRun, startContainer } from '../harness/targets/internal/containers.ts';
import { freePort } from '../suites/index.ts';
import { dockerAvailable, imageRef } from '../images/build.ts';
import type { Row, Section } from './_measure.ts';

const BIN = fileURLToPath(new URL('../bin/bm-conformance.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function runCli(args: string[]): Promise<{ ms: number; code: number | null }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: 'ignore' });
    p.on('exit', (code) => resolve({ ms: performance.now() - t0, code }));
  });
}

async function serverStartToFirstRequest(runId: string): Promise<number> {
  const ca = await createCa();
  const leaf = await issueServerCert(ca);
  const port = await freePort();
  const t0 = performance.now();
  const c = await startContainer({
    image: imageRef('server'),
    runId,
    role: 'bench',
    command: ['serve', '--port', String(port), '--tls-cert', '/etc/bm/cert.pem', '--tls-key', '/etc/bm/key.pem', '--ca', '/etc/bm/ca.pem', '--pow-bits', '8'],
    env: {},
    files: [{ content: leaf.cert, target: '/etc/bm/cert.pem' }, { content: leaf.key, target: '/etc/bm/key.pem', mode: 0o600 }, { content: ca.cert, target: '/etc/bm/ca.pem' }],
    readiness: { kind: 'http', port: 'https', path: '/', status: 200, timeout_ms: 30_000 },
    ports: { https: { port, protocol: 'https' } },
    caPem: ca.cert,
  });
  const agent = trustingAgent(ca.cert);
  const r = await request(`https://127.0.0.1:${port}/`, { dispatcher: agent });
  await r.body.text();
  const ms = performance.now() - t0;
  await agent.close();
  await c.stop(1_000);
  return ms;
}

export const imagesSection: Section = {
  title: 'Container images',
  description:
    'Container start → first request: testcontainers create + start of the reference server image (host networking, ' +
    'certificate and key copied in) until `GET /` is answered over HTTPS with the harness CA (best of 3). ' +
    'docker exec → hello: spawning the reference adapter in a running client-adapter container until hello is answered (best of 3). ' +
    'Full run: `bm-conformance run` wall time as a child process over the server, interop, security and resolver profiles, ' +
    'the reference images (two runs: mail server image and resolver image) in the first figure column, the builtin target in the ' +
    '"node native" column. The machine is shared with other work, so the run figures vary by ±20 %.',
  async run({ quick }) {
    if (!dockerAvailable()) {
      process.stderr.write('bench: no docker engine: container image rows skipped\n');
      return [];
    }
    const runId = `bench-${process.pid}-${Date.now()}`;
    beginRun(runId);
    const rows: Row[] = [];
    try {
      const starts: number[] = [];
      for (let i = 0; i < (quick ? 1 : 3); i++) starts.push(await serverStartToFirstRequest(runId));
      rows.push({ op: 'reference server image: container start → first request answered (best)', unit: 'ms', ours: Math.min(...starts) });

      const ad = await startContainer({ image: imageRef('adapter'), runId, role: 'bench-adapter', command: ['idle'], env: {}, files: [], readiness: { kind: 'log', pattern: '^idle: ready', timeout_ms: 30_000 }, ports: {}, caPem: '' });
      const hellos: number[] = [];
      for (let i = 0; i < (quick ? 1 : 3); i++) {
        const t0 = performance.now();
        const client = await AdapterClient.start({ command: 'docker', args: ['exec', '-i', ad.id, '/usr/local/bin/node', '/app/bm-conformance.mjs', 'adapter'], helloTimeoutMs: 60_000 });
        hellos.push(performance.now() - t0);
        await client.stop();
      }
      await ad.stop(1_000);
      rows.push({ op: 'client-adapter image: docker exec → hello answered (best)', unit: 'ms', ours: Math.min(...hellos) });
    } finally {
      await endRun(runId);
    }
    if (!quick) {
      const out = mkdtempSync(join(tmpdir(), 'bm-bench-run-'));
      try {
        const builtin = await runCli(['run', '--profile', 'server,interop,security,resolver', '--out', join(out, 'builtin')]);
        const imgServer = await runCli(['run', '--target', 'image:implementations/reference/target.json', '--out', join(out, 'image-server')]);
        const imgResolver = await runCli(['run', '--target', 'image:implementations/reference/resolver.json', '--out', join(out, 'image-resolver')]);
        const note = `exit codes: image ${imgServer.code}/${imgResolver.code}, builtin ${builtin.code}`;
        rows.push({ op: 'full run, server+interop+security+resolver: image targets vs builtin', unit: 's', ours: (imgServer.ms + imgResolver.ms) / 1000, native: builtin.ms / 1000, note });
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    return rows;
  },
};
