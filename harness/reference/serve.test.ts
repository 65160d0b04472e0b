// Tests of serve.ts: `bm-conformance serve` checks its flags and --config, prints its facts and
// stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './_tempdirs.ts';
import { ResolverClient } from './resolver/client.ts';
import { readServeConfig, serveMain } from './serve.ts';

const tempDir = useTempDirs('bm-serve-');

describe('serveMain (bm-conformance serve)', () => {
  it('reads webhooks from a --config file as a boolean and refuses anything else', async () => {
    const dir = await tempDir();
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, '{"webhooks": true}');
    writeFileSync(bad, '{"webhooks": "yes"}');
    expect(await readServeConfig(good)).toEqual({ webhooks: true });
    expect(await readServeConfig(bad)).toBe(`--config ${bad}: webhooks: expected true or false`);
  });

  it('answers --help with usage and exit 0, and a bad flag with usage and exit 2', async () => {
    let out = '';
    let err = '';
    expect(await serveMain(['--help'], { out: (s) => { out += s; }, err: (s) => { err += s; } })).toBe(0);
    expect(out).toContain('usage: bm-conformance serve');
    expect(await serveMain(['--port', 'x'], { out: () => undefined, err: (s) => { err += s; } })).toBe(2);
    expect(await serveMain(['--bogus'], { out: () => undefined, err: (s) => { err += s; } })).toBe(2);
    expect(await serveMain(['--org-pow-bits', '257'], { out: () => undefined, err: (s) => { err += s; } })).toBe(2);
    expect(err).toContain('--org-pow-bits: expected 0..256, got 257');
    expect(err).toContain('unknown argument: --bogus');
  });

  it('prints resolver URL, CA path, routing id and admin key, writes --out, takes --pow-bits/--org-pow-bits, serves webhooks with --webhooks, and exits 0 on SIGTERM', async () => {
    const dir = await tempDir();
    const caOut = join(dir, 'out', 'ca.pem');
    const serve = fileURLToPath(new URL('./serve.ts', import.meta.url));
    const code = `import(${JSON.stringify(serve)}).then(async (m) => process.exit(await m.serveMain(process.argv.slice(1))))`;
    const p = spawn(process.execPath, ['--import', 'tsx', '-e', code, '--', '--out', caOut, '--pow-bits', '8', '--org-pow-bits', '9', '--webhooks'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no output from serve: ${out}`)), 20_000);
      p.stdout.on('data', (c) => {
        out += c;
        if (/admin key:/.test(out)) { clearTimeout(t); resolve(); }
      });
      p.on('exit', () => { clearTimeout(t); reject(new Error(`serve exited early: ${out}`)); });
    });
    expect(out).toMatch(/resolver: +https:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/mail server: +https:\/\/127\.0\.0\.1:\d+/);
    expect(out).toContain(`ca:          ${caOut}`);
    expect(out).toMatch(/routing id: +[0-9a-f]{64}/);
    expect(out).toMatch(/admin key: +BMK-[A-Za-z0-9]{32}/);
    expect(readFileSync(caOut, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const resolverUrl = /resolver: +(\S+)/.exec(out)![1]!;
    const rc = new ResolverClient({ baseUrl: resolverUrl, ca: readFileSync(caOut, 'utf8') });
    // --org-pow-bits gives organisations their own minimum, as Go's lambda resolver has.
    expect(await rc.getConfig()).toEqual({ address: 8, organisation: 9 });
    await rc.close();
    // --webhooks: the webhook routes exist (401 without a token; 404 when they are off).
    const mail = new ResolverClient({ baseUrl: /mail server: +(\S+)/.exec(out)![1]!, ca: readFileSync(caOut, 'utf8') });
    expect((await mail.raw('GET', `/account/${'a'.repeat(64)}/webhook`)).status).toBe(401);
    await mail.close();
    const exit = new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
    p.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 40_000);
});
