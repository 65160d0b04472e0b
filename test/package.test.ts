/**
 * The npm package works for a user outside this repository (issue "Ship it where implementers
 * are", item 1): `npm pack`, install the tarball into an empty project, and there
 * - `npx bm-conformance run --target builtin` exits 0 with the five reports;
 * - `npx bm-conformance run --target command:…` against the reference adapter exits 0;
 * - a plain JavaScript file and a TypeScript file import `bitmaelum-conformance/protocol`, verify
 *   a header signature from the published vectors, and refuse the same header with one byte
 *   changed (so a stub that answers `true` cannot pass);
 * - nothing of our own tests, benches or fixtures is in the tarball, and it packs to ≤ 2 MB.
 *
 * The install reads the npm cache first (`--prefer-offline`); CI has the registry for the rest.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd } from './_spawn.ts';

const ROOT = join(import.meta.dirname, '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const REPORTS = ['report.json', 'junit.xml', 'report.md', 'report.html', 'badge.svg'];

let dir: string;
let project: string;
let tarball: string;
let packedFiles: string[] = [];

function sh(cmd: string, args: readonly string[], cwd: string, timeoutMs = 600_000) {
  return runToEnd(cmd, args, { cwd, env: { ...process.env, CI: 'true', npm_config_update_notifier: 'false' }, timeoutMs });
}

/** The check both consumer files run: a valid header signature from the vectors verifies, a changed header does not. */
const CHECK = (lang: 'js' | 'ts') => `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseHeader, verifyClientHeader${lang === 'ts' ? ', type Header' : ''} } from 'bitmaelum-conformance/protocol';
import { clientHash } from 'bitmaelum-conformance/protocol/header';

const require = createRequire(import.meta.url);
const file = require.resolve('bitmaelum-conformance/vectors/header_signature_test.json');
const vectors = JSON.parse(readFileSync(file, 'utf8'));
let verified = 0;
for (const group of vectors.testGroups) {
  if (group.op !== 'header.verify_client') continue;
  for (const c of group.tests) {
    if (c.result !== 'valid' || c.expected?.valid !== true) continue;
    const header${lang === 'ts' ? ': Header' : ''} = parseHeader(c.inputs.header);
    if (!verifyClientHeader(header, c.inputs.public_key)) throw new Error('case ' + c.tcId + ': a valid signature did not verify');
    const changed = parseHeader({ ...c.inputs.header, to: { address: 'ff'.repeat(32) } });
    if (verifyClientHeader(changed, c.inputs.public_key)) throw new Error('case ' + c.tcId + ': a changed header verified');
    if (clientHash(header).length !== 32) throw new Error('clientHash is not 32 bytes');
    verified++;
  }
}
if (verified === 0) throw new Error('no header.verify_client case found');
console.log('verified ' + verified);
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bm-package-'));
  const pack = await sh('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
  expect(pack.code, pack.out).toBe(0);
  const json = JSON.parse(pack.out.slice(pack.out.indexOf('[')));
  packedFiles = (json[0].files as { path: string }[]).map((f) => f.path);
  tarball = join(dir, json[0].filename as string);
  project = join(dir, 'project');
  await sh('mkdir', ['-p', project], dir);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty-project', version: '1.0.0', private: true, type: 'module' }));
  const install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
  expect(install.code, install.out).toBe(0);
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the npm package, installed into an empty project', () => {
  it('packs to at most 2 MB, with no test, bench or test fixture of ours', () => {
    expect(statSync(tarball).size).toBeLessThanOrEqual(2 * 1024 * 1024);
    // Suite files and the Go vault the client suite reads are what a run needs; any other
    // test, bench or test data is ours and stays out.
    const needed = (p: string) => p.startsWith('suites/') || p === 'schemas/testdata/vault-v2-client-library.json';
    const ours = packedFiles.filter((p) => !needed(p) && (/(^|\/)(test|bench|testdata)\//.test(p) || /\.test\.ts$/.test(p)));
    expect(ours).toEqual([]);
    // What a run needs is in: the suites, the vectors, the schemas, the compiled library.
    for (const f of ['suites/library/vectors.test.ts', 'vectors/index.ts', 'vectors/manifest.json', 'schemas/report_schema_v1.json', 'dist/protocol/index.js', 'dist/protocol/index.d.ts', 'bin/bm-conformance.mjs']) expect(packedFiles).toContain(f);
  });

  it('a JavaScript file imports bitmaelum-conformance/protocol and verifies the vectors\' header signatures', async () => {
    writeFileSync(join(project, 'check.mjs'), CHECK('js'));
    const r = await sh(process.execPath, ['check.mjs'], project);
    expect(r.out).toMatch(/^verified [1-9]\d*$/m);
    expect(r.code).toBe(0);
  });

  it('a TypeScript file type-checks against the package\'s types and runs the same check', async () => {
    writeFileSync(join(project, 'check.ts'), CHECK('ts'));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] }, files: ['check.ts'] }));
    const tsc = await sh(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
    expect(tsc.out).toBe('');
    expect(tsc.code).toBe(0);
    const r = await sh(join(project, 'node_modules', '.bin', 'tsx'), ['check.ts'], project);
    expect(r.out).toMatch(/^verified [1-9]\d*$/m);
    expect(r.code).toBe(0);
  });

  it('npx bm-conformance run --target builtin exits 0 and writes the five reports', async () => {
    const out = join(dir, 'out-builtin');
    const r = await sh('npx', ['--no-install', 'bm-conformance', 'run', '--target', 'builtin', '--out', out], project);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining(REPORTS));
  }, 600_000);

  it('npx bm-conformance run --target command:… against the reference adapter exits 0', async () => {
    const out = join(dir, 'out-command');
    const adapter = `${process.execPath} ${join(project, 'node_modules', 'bitmaelum-conformance', 'bin', 'bm-conformance.mjs')} adapter`;
    const r = await sh('npx', ['--no-install', 'bm-conformance', 'run', '--target', `command:${adapter}`, '--profile', 'library,client', '--out', out], project);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  }, 600_000);
});
