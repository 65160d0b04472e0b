// Tests of start.ts and serve.ts in container mode (issue 6): the harness owns TLS and the key resolver, and
// hands `bm-conformance serve` its certificate, CA, resolver URL, routing key and admin key by
// flags or by one rendered --config file; serve prints a readiness line last.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPrivateKey, formatPublicKey, generateKeyPair } from '../protocol/keys.ts';
import { seededRng } from '../protocol/random.ts';
import { ResolverClient } from './resolver/client.ts';
import { serveMain } from './serve.ts';
import { routingIdOf, startReference, type ReferenceHandle } from './start.ts';
import { createCa, issueServerCert, trustingAgent, type CertificateAuthority } from './tls.ts';
import { request } from 'undici';

let dir: string;
let ca: CertificateAuthority;
let harnessResolver: ReferenceHandle;
const kp = generateKeyPair('ed25519', seededRng(new Uint8Array([6, 6])));
const routingKey = { privateKey: formatPrivateKey(kp.privateKey), publicKey: formatPublicKey(kp.publicKey) };
const ADMIN = 'BMK-harnessProvidedAdminKey0000000';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bm-serve-ctr-'));
  ca = await createCa({ commonName: 'harness CA' });
  const leaf = await issueServerCert(ca);
  await writeFile(join(dir, 'ca.pem'), ca.cert);
  await writeFile(join(dir, 'cert.pem'), leaf.cert);
  await writeFile(join(dir, 'key.pem'), leaf.key, { mode: 0o600 });
  await writeFile(join(dir, 'routing.json'), JSON.stringify(routingKey));
  // The harness's own resolver, served with the harness CA's certificate.
  harnessResolver = await startReference({ mail: false, pow: { address: 8, organisation: 8 }, tls: leaf, trustCa: { pem: ca.cert } });
});
afterAll(async () => {
  await harnessResolver?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('startReference with harness-owned TLS and resolver', () => {
  it('serves with the given certificate, uses the given resolver, and registers the given routing key there', async () => {
    const leaf = await issueServerCert(ca);
    const ref = await startReference({ tls: leaf, trustCa: { pem: ca.cert, path: join(dir, 'ca.pem') }, resolverUrl: harnessResolver.resolverUrl, routingKey, adminKey: ADMIN });
    try {
      expect(ref.resolver).toBeUndefined();
      expect(ref.resolverUrl).toBe(harnessResolver.resolverUrl);
      expect(ref.caPem).toBe(ca.cert);
      expect(ref.caPath).toBe(join(dir, 'ca.pem'));
      expect(ref.adminKey).toBe(ADMIN);
      expect(ref.routingId).toBe(routingIdOf(routingKey.publicKey));
      expect(ref.mailUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // The mail server's certificate verifies against the harness CA alone.
      const agent = trustingAgent(ca.cert);
      const home = await request(`${ref.mailUrl}/`, { dispatcher: agent });
      expect(home.statusCode).toBe(200);
      await home.body.text();
      await agent.close();
      const rc = new ResolverClient({ baseUrl: harnessResolver.resolverUrl, ca: ca.cert });
      const rec = await rc.getRouting(ref.routingId);
      expect(rec?.routing).toBe(ref.mailUrl!.replace('https://', ''));
      expect(rec?.publicKey).toBe(routingKey.publicKey);
      await rc.close();
    } finally {
      await ref.close();
    }
  });
});

describe('serveMain container flags', () => {
  const run = async (argv: string[]) => {
    let err = '';
    const code = await serveMain(argv, { out: () => undefined, err: (s) => { err += s; } });
    return { code, err };
  };

  it('refuses a bad --config, a lone --tls-cert, a missing file and a mismatched routing key with exit 2 and the field named', async () => {
    await writeFile(join(dir, 'bad-key.json'), JSON.stringify({ host: '127.0.0.1', listen: 1 }));
    expect(await run(['--config', join(dir, 'bad-key.json')])).toMatchObject({ code: 2, err: expect.stringContaining('unknown key "listen"') });
    await writeFile(join(dir, 'bad-port.json'), JSON.stringify({ port: 70000 }));
    expect(await run(['--config', join(dir, 'bad-port.json')])).toMatchObject({ code: 2, err: expect.stringContaining('port: expected a port') });
    await writeFile(join(dir, 'not-json.json'), '{');
    expect((await run(['--config', join(dir, 'not-json.json')])).code).toBe(2);
    expect(await run(['--tls-cert', join(dir, 'cert.pem')])).toMatchObject({ code: 2, err: expect.stringContaining('--tls-cert and --tls-key go together') });
    expect(await run(['--ca', join(dir, 'nope.pem')])).toMatchObject({ code: 2, err: expect.stringContaining('ENOENT') });
    expect(await run(['--resolver-url', 'ftp://x'])).toMatchObject({ code: 2, err: expect.stringContaining('--resolver-url') });
    expect(await run(['--admin-key', 'nope'])).toMatchObject({ code: 2, err: expect.stringContaining('admin key') });
    const other = generateKeyPair('ed25519', seededRng(new Uint8Array([7])));
    await writeFile(join(dir, 'mismatch.json'), JSON.stringify({ privateKey: routingKey.privateKey, publicKey: formatPublicKey(other.publicKey) }));
    expect(await run(['--routing-key', join(dir, 'mismatch.json')])).toMatchObject({ code: 2, err: expect.stringContaining('do not belong together') });
  });

  it('starts from a rendered --config (paths relative to it), prints the readiness line last, and exits 0 on SIGTERM', async () => {
    const cfgDir = join(dir, 'cfg');
    await rm(cfgDir, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(cfgDir);
    await writeFile(
      join(cfgDir, 'config.json'),
      JSON.stringify({ resolverUrl: harnessResolver.resolverUrl, tlsCert: '../cert.pem', tlsKey: '../key.pem', ca: '../ca.pem', routingKey: '../routing.json', adminKey: ADMIN, port: 0 }),
    );
    const serve = fileURLToPath(new URL('./serve.ts', import.meta.url));
    const code = `import(${JSON.stringify(serve)}).then(async (m) => process.exit(await m.serveMain(process.argv.slice(1))))`;
    // --admin-key on the command line wins over the config's.
    const p = spawn(process.execPath, ['--import', 'tsx', '-e', code, '--', '--config', join(cfgDir, 'config.json'), '--admin-key', 'BMK-fromTheFlag'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    p.stderr.on('data', (c) => { errText += c; });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no readiness line: ${out} ${errText}`)), 20_000);
      p.stdout.on('data', (c) => {
        out += c;
        if (/^ready: .*\n/m.test(out)) { clearTimeout(t); resolve(); }
      });
      p.on('exit', () => { clearTimeout(t); reject(new Error(`serve exited early: ${out} ${errText}`)); });
    });
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(new RegExp(`^ready: mail=https://127\\.0\\.0\\.1:\\d+ resolver=${harnessResolver.resolverUrl.replace(/\./g, '\\.')}$`));
    expect(out).toContain(`routing id:  ${routingIdOf(routingKey.publicKey)}`);
    expect(out).toContain('admin key:   BMK-fromTheFlag');
    expect(out).toContain(`ca:          ${join(dir, 'ca.pem')}`);
    const mailUrl = /mail=(\S+)/.exec(lines.at(-1)!)![1]!;
    const agent = trustingAgent(ca.cert);
    const r = await request(`${mailUrl}/admin/flush`, { method: 'POST', headers: { authorization: 'Bearer BMK-fromTheFlag' }, dispatcher: agent, body: '{}' });
    expect(r.statusCode).toBe(200);
    await r.body.text();
    await agent.close();
    const exit = new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
    p.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 40_000);
});
