// Tests of target manifests (harness/targets/manifest.ts) and of how an image target's
// diagnostics mark failing results (harness/targets/index.ts annotateResults): no docker needed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { annotateResults } from './index.ts';
import { DEFAULT_MANIFEST, fileContent, loadManifest, portVar, profilesForRole, readManifest, render } from './manifest.ts';
import { optInProfilesForTarget, parseRunArgs, profilesForTarget, UsageError } from '../run/options.ts';
import { runConfig } from '../run/index.ts';
import { manifestFeatures } from './image.ts';
import { readTarget } from '../../suites/_support/target.ts';

const dir = mkdtempSync(join(tmpdir(), 'bm-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, v: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
  return p;
};
const base = { schema: 'target_manifest_schema_v1.json', name: 'x', role: 'server', image: 'x:1', ports: [{ name: 'https', container: 1, protocol: 'https' }] };

describe('target manifests', () => {
  it('the reference manifests are schema-valid and name the reference images', () => {
    for (const f of ['target', 'resolver', 'adapter']) {
      const m = readManifest(join(DEFAULT_MANIFEST, '..', `${f}.json`)).manifest;
      expect(m.image).toMatch(/^bitmaelum-conformance\/reference-(server|adapter):/);
    }
  });

  // Issue 12: the durability profile is opt-in, offered only where the harness can kill and restart
  // the server (builtin as a child process, a server image whose manifest declares `restart`).
  it('restart: declared in the manifest it makes the durability profile available by name only; never in the default profiles', () => {
    const restartable = write('restart.json', { ...base, restart: { data_path: '/var/lib/x' } });
    const plain = write('plain.json', base);
    expect(readManifest(restartable).manifest.restart).toEqual({ data_path: '/var/lib/x' });
    expect(optInProfilesForTarget(parseRunArgs(['--target', `image:${restartable}`]).target)).toEqual(['durability']);
    expect(optInProfilesForTarget(parseRunArgs(['--target', `image:${plain}`]).target)).toEqual([]);
    expect(optInProfilesForTarget(parseRunArgs(['--target', 'url:https://127.0.0.1:1']).target)).toEqual([]);
    expect(optInProfilesForTarget(parseRunArgs([]).target)).toEqual(['durability']);
    expect(profilesForTarget(parseRunArgs(['--target', `image:${restartable}`]).target)).not.toContain('durability');
    expect(profilesForTarget(parseRunArgs([]).target)).not.toContain('durability');
    expect(parseRunArgs(['--profile', 'durability', '--cycles', '3']).cycles).toBe(3);
    expect(() => parseRunArgs(['--cycles', '0'])).toThrow(UsageError);
    expect(() => readManifest(write('restart-bad.json', { ...base, restart: { data_path: 'relative/path' } }))).toThrow(/data_path/);
    expect(() => readManifest(write('restart-extra.json', { ...base, restart: { always: true } }))).toThrow(/restart/);
    expect(readManifest(join(DEFAULT_MANIFEST, '..', 'target.json')).manifest.restart).toBeDefined();
  });

  // Issue 15: how the image is configured (storage, resolver) selects expectations entries.
  it('a manifest\'s config is the run configuration, --config overrides it per key; a bad config is refused', () => {
    const p = write('config.json', { ...base, config: { storage: 'redis', resolver: 'go' } });
    expect(readManifest(p).manifest.config).toEqual({ storage: 'redis', resolver: 'go' });
    expect(runConfig(parseRunArgs(['--target', `image:${p}`]))).toEqual({ storage: 'redis', resolver: 'go' });
    expect(runConfig(parseRunArgs(['--target', `image:${p}`, '--config', 'storage=bolt']))).toEqual({ storage: 'bolt', resolver: 'go' });
    expect(runConfig(parseRunArgs(['--config', 'storage=bolt']))).toEqual({ storage: 'bolt' });
    expect(() => readManifest(write('config-bad.json', { ...base, config: { Storage: 'redis' } }))).toThrow(/config/);
    expect(() => parseRunArgs(['--config', 'storage'])).toThrow(UsageError);
  });

  it('image:<name> runs the named image under the reference contract', () => {
    const l = loadManifest('my/server:1.2');
    expect(l.path).toBeUndefined();
    expect(l.manifest.image).toBe('my/server:1.2');
    expect(l.manifest.role).toBe('server');
    expect(l.manifest.readiness?.kind).toBe('http');
  });

  it('a manifest that breaks the schema, names an unknown readiness port or lacks an adapter is refused naming the field', () => {
    expect(() => readManifest(write('a.json', { ...base, role: 'mailserver' }))).toThrow(/role/);
    expect(() => readManifest(write('b.json', { ...base, readiness: { kind: 'http', port: 'nope', timeout_ms: 1 } }))).toThrow(/readiness\.port: no port named nope/);
    expect(() => readManifest(write('c.json', { ...base, role: 'client' }))).toThrow(/adapter/);
    expect(() => readManifest(write('d.json', { ...base, readiness: { kind: 'log', pattern: '(', timeout_ms: 1 } }))).toThrow(/readiness\.pattern/);
    expect(() => readManifest(write('e.json', '{'))).toThrow(/not JSON/);
    expect(() => readManifest(join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });

  it('templates fill known variables, keep $${ literal, and refuse unknown ones naming where', () => {
    expect(render('https://${HOST}:${PORT_HTTPS}/$${X}', { HOST: '127.0.0.1', PORT_HTTPS: '4' }, 'env.A')).toBe('https://127.0.0.1:4/${X}');
    expect(() => render('${NOPE}', { HOST: 'h' }, 'command[2]')).toThrow(/command\[2\]: unknown variable \$\{NOPE\} \(known: HOST\)/);
    expect(portVar('admin-api')).toBe('PORT_ADMIN_API');
    const tpl = write('cfg.tmpl', '{"port": ${PORT_HTTPS}}');
    expect(fileContent({ source: 'cfg.tmpl', target: '/c', template: true }, dir, { PORT_HTTPS: '9' })).toBe('{"port": 9}');
    expect(Buffer.isBuffer(fileContent({ source: 'cfg.tmpl', target: '/c' }, dir, {}))).toBe(true);
    expect(fileContent({ source: '${CA_CERT}', target: '/ca' }, dir, { CA_CERT: 'PEM' })).toBe('PEM');
  });

  it('features: a manifest\'s true features become BM_FEATURES, a bad name is refused, and the suites read the set', () => {
    expect(manifestFeatures({ features: { webhooks: true, rsa4096: false, lambda_resolver: true } })).toEqual(['lambda_resolver', 'webhooks']);
    expect(manifestFeatures(readManifest(DEFAULT_MANIFEST).manifest)).toEqual([]);
    expect(() => readManifest(write('f.json', { ...base, features: { 'Web-Hooks': true } }))).toThrow(/features: "Web-Hooks" is not a feature name/);
    expect([...readTarget({ BM_FEATURES: 'webhooks, rsa4096' }).features]).toEqual(['webhooks', 'rsa4096']);
    expect(readTarget({}).features.size).toBe(0);
    expect(() => readTarget({ BM_FEATURES: 'web hooks' })).toThrow(/BM_FEATURES/);
  });

  it('--features is a url-target option: parsed as a checked comma list, refused for other targets', () => {
    expect(parseRunArgs(['--target', 'url:https://127.0.0.1:1', '--features', 'webhooks,webhooks']).target.features).toEqual(['webhooks']);
    expect(parseRunArgs(['--features', 'webhooks', '--target', 'url:https://127.0.0.1:1']).target.features).toEqual(['webhooks']);
    expect(parseRunArgs(['--target', 'url:https://127.0.0.1:1']).target.features).toBeUndefined();
    expect(() => parseRunArgs(['--features', 'Webhooks', '--target', 'url:https://127.0.0.1:1'])).toThrow(UsageError);
    expect(() => parseRunArgs(['--features', 'webhooks'])).toThrow(/--features is for url targets/);
  });

  it('an image target serves the profiles of its role', () => {
    expect(profilesForRole('server')).toEqual(['server', 'interop', 'security']);
    expect(profilesForTarget({ kind: 'image', value: join(DEFAULT_MANIFEST, '..', 'resolver.json') })).toEqual(['resolver']);
    expect(profilesForTarget({ kind: 'image', value: join(DEFAULT_MANIFEST, '..', 'adapter.json') })).toEqual(['library', 'client']);
  });
});

describe('annotateResults', () => {
  const t = (verdict: 'pass' | 'fail' | 'error', message?: string) => ({ name: verdict, profile: 'server' as const, area: 'a', caseId: 'c', requirementIds: [], verdict, durationMs: 1, ...(message ? { message } : {}) });
  it('names the container log on every failing test and turns failures into errors when the container died', () => {
    const out = annotateResults([t('pass'), t('fail', 'expected 200'), t('error', 'timeout')], { notes: ['container log: /o/container-server.log'], died: 'the target container exited during the run (exit code 3)' });
    expect(out[0]).toEqual(t('pass'));
    expect(out[1]).toMatchObject({ verdict: 'error', message: 'the target container exited during the run (exit code 3); expected 200', trace: ['container log: /o/container-server.log'] });
    expect(out[2]!.trace).toEqual(['container log: /o/container-server.log']);
    const alive = annotateResults([t('fail', 'x')], { notes: ['n'] });
    expect(alive[0]).toMatchObject({ verdict: 'fail', message: 'x', trace: ['n'] });
  });
});
