/**
 * `npm run images`: build the reference images locally, with no registry (issue 6).
 *
 * 1. Bundle harness/image-entry.ts (serve + adapter, statically imported) with esbuild into one
 *    ESM file, `/app/bm-conformance.mjs`.
 * 2. Assemble a root filesystem: this machine's Node binary at /usr/local/bin/node, every shared
 *    library `ldd` lists for it (and the dynamic loader) at the same paths, the bundle, a
 *    /package.json giving the version (the adapter's hello reads it), /tmp (1777), /data, and a
 *    minimal /etc/passwd, /etc/group, /etc/nsswitch.conf. No CA bundle: the harness hands the
 *    container its CA, and Node carries its own root store.
 * 3. `docker import` the tree twice with `--change` for ENTRYPOINT, CMD, ENV, WORKDIR and LABEL:
 *    - bitmaelum-conformance/reference-server:<version>   CMD serve
 *    - bitmaelum-conformance/reference-adapter:<version>  CMD idle (the harness docker-execs
 *      `adapter` into it)
 *    and, with `--with-base`, the same tree without /app as bitmaelum-conformance/node-base:<version>,
 *    the locally imported base images/Dockerfile builds FROM in the docker tests.
 * 4. The harness image, bitmaelum-conformance/harness:<version>, for implementers whose CI is not
 *    a Node project (docs/harness-image.md): the same Node tree, /bin/sh (command targets and
 *    `docker exec` adapters run through `sh -c`), this machine's docker CLI and its libraries
 *    (client images are driven by `docker exec`), and the npm package itself (`npm pack`,
 *    installed with its runtime dependencies from the local npm cache into /app). The suites run
 *    from source there, as from an installed package; a bundle cannot hold them, since vitest
 *    loads each suite file. ENTRYPOINT bm-conformance, WORKDIR /work,
 *    TESTCONTAINERS_RYUK_DISABLED=true (Ryuk is a registry image; the harness removes its own
 *    containers). With the Docker socket mounted it starts `image:` targets as siblings.
 *
 *   npm run images                         build the reference images and the harness image
 *   npm run images -- --no-harness         only the two reference images
 *   npm run images -- --with-base          also the node base image
 *   npm run images -- --context DIR        only write a docker build context for images/Dockerfile
 *                                          (bundle, package.json, Dockerfile; no docker needed)
 *   npm run images -- --version V          tag with V instead of package.json's version
 * @module
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Image names (tag = the package version unless told otherwise). */
export const IMAGE_NAMES = {
  server: 'bitmaelum-conformance/reference-server',
  adapter: 'bitmaelum-conformance/reference-adapter',
  base: 'bitmaelum-conformance/node-base',
  harness: 'bitmaelum-conformance/harness',
} as const;

export function imageRef(kind: keyof typeof IMAGE_NAMES, version: string = PACKAGE_VERSION): string {
  return `${IMAGE_NAMES[kind]}:${version}`;
}

/** Where Node and the bundle live inside the images. */
export const IMAGE_NODE = '/usr/local/bin/node';
export const IMAGE_APP = '/app/bm-conformance.mjs';

/**
 * Bundle harness/image-entry.ts into one ESM file for Node 20.
 * @returns size of the bundle in bytes
 */
export async function bundle(outFile: string, version: string = PACKAGE_VERSION): Promise<number> {
  const esbuild = await import('esbuild');
  mkdirSync(dirname(outFile), { recursive: true });
  await esbuild.build({
    entryPoints: [join(ROOT, 'harness', 'image-entry.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    define: { __BM_VERSION__: JSON.stringify(version) },
    // Some dependencies are CommonJS and call require() for node built-ins.
    banner: { js: "import { createRequire as __bmCreateRequire } from 'node:module'; const require = __bmCreateRequire(import.meta.url);" },
    legalComments: 'eof',
    logLevel: 'warning',
  });
  return statSync(outFile).size;
}

function packageJsonFor(version: string): string {
  return JSON.stringify({ name: 'bitmaelum-conformance', version, type: 'module' }) + '\n';
}

/**
 * Write a `docker build` context for images/Dockerfile into `dir`: the bundle, package.json and
 * the Dockerfile. @returns the bundle size in bytes
 */
export async function writeBuildContext(dir: string, version: string = PACKAGE_VERSION): Promise<number> {
  const n = await bundle(join(dir, 'bm-conformance.mjs'), version);
  writeFileSync(join(dir, 'package.json'), packageJsonFor(version));
  copyFileSync(join(ROOT, 'images', 'Dockerfile'), join(dir, 'Dockerfile'));
  return n;
}

/** Shared libraries (absolute paths) `ldd` lists for `binary`, the dynamic loader included. */
export function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.add(m[1]!);
  }
  if (libs.size === 0) throw new Error(`ldd ${binary}: no shared libraries found (a static binary needs none, but this one printed: ${out.trim()})`);
  return [...libs];
}

function copyPreservingPath(src: string, rootfs: string): void {
  const dest = join(rootfs, src);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(src, dest); // follows symlinks: the library lands under the name the loader asks for
  chmodSync(dest, statSync(src).mode & 0o777);
}

/**
 * Assemble the root filesystem in `dir` (created): Node, its libraries, /etc basics, /tmp, /data,
 * and, when `bundleFile` is given, /app/bm-conformance.mjs and /package.json.
 */
export function assembleRootfs(dir: string, opts: { bundleFile?: string; version?: string; node?: string } = {}): void {
  const node = opts.node ?? process.execPath;
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(dir, 'usr/local/bin'), { recursive: true });
  copyFileSync(node, join(dir, IMAGE_NODE));
  chmodSync(join(dir, IMAGE_NODE), 0o755);
  for (const lib of sharedLibraries(node)) copyPreservingPath(lib, dir);
  mkdirSync(join(dir, 'etc'), { recursive: true });
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000:node:/home/node:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n');
  writeFileSync(join(dir, 'etc/nsswitch.conf'), 'hosts: files dns\n');
  for (const d of ['tmp', 'data', 'root', 'etc/bm']) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'tmp'), 0o1777);
  if (opts.bundleFile) {
    mkdirSync(join(dir, 'app'), { recursive: true });
    copyFileSync(opts.bundleFile, join(dir, IMAGE_APP));
    // The adapter's hello reads ../../package.json relative to the bundle: /package.json.
    writeFileSync(join(dir, 'package.json'), packageJsonFor(opts.version ?? PACKAGE_VERSION));
  }
}

/** `tar -C rootfs -c . | docker import --change … - tag`; resolves with the image id. */
export function dockerImport(rootfs: string, tag: string, changes: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const args = ['import', ...changes.flatMap((c) => ['--change', c]), '-', tag];
    const imp = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    tar.stdout.pipe(imp.stdin);
    // If docker import fails early, tar's writes hit a closed pipe: report docker's error instead.
    imp.stdin.on('error', () => undefined);
    tar.stderr.on('data', (c) => { err += c; });
    imp.stdout.on('data', (c) => { out += c; });
    imp.stderr.on('data', (c) => { err += c; });
    tar.on('error', reject);
    imp.on('error', (e) => reject(new Error(`docker import: ${e.message} (is docker installed?)`)));
    imp.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`docker import ${tag} exited ${code}: ${err.trim()}`))));
  });
}

function changesFor(kind: 'server' | 'adapter' | 'base', version: string): string[] {
  const common = [
    'ENV PATH=/usr/local/bin:/usr/bin:/bin',
    'ENV NODE_ENV=production',
    `LABEL org.opencontainers.image.version=${version}`,
    'LABEL org.opencontainers.image.source=bitmaelum-conformance',
  ];
  if (kind === 'base') return [...common, 'WORKDIR /', `CMD ["${IMAGE_NODE}"]`];
  return [
    ...common,
    'WORKDIR /app',
    `LABEL org.opencontainers.image.title=bitmaelum-conformance-reference-${kind}`,
    `ENTRYPOINT ["${IMAGE_NODE}", "${IMAGE_APP}"]`,
    kind === 'server' ? 'CMD ["serve"]' : 'CMD ["idle"]',
  ];
}

export interface BuiltImages {
  server: string;
  adapter: string;
  base?: string;
  bundleBytes: number;
  rootfsBytes: number;
  ms: number;
}

function duBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

/** Bundle, assemble and import the reference images (and optionally the base). */
export async function buildImages(opts: { version?: string; withBase?: boolean; log?: (s: string) => void } = {}): Promise<BuiltImages> {
  const t0 = performance.now();
  const version = opts.version ?? PACKAGE_VERSION;
  const log = opts.log ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), 'bm-images-'));
  try {
    const bundleFile = join(work, 'bm-conformance.mjs');
    const bundleBytes = await bundle(bundleFile, version);
    log(`bundle: ${(bundleBytes / 1024).toFixed(0)} KiB`);
    const rootfs = join(work, 'rootfs');
    assembleRootfs(rootfs, { bundleFile, version });
    const rootfsBytes = duBytes(rootfs);
    log(`rootfs: ${(rootfsBytes / 2 ** 20).toFixed(1)} MiB`);
    const server = imageRef('server', version);
    const adapter = imageRef('adapter', version);
    await dockerImport(rootfs, server, changesFor('server', version));
    log(`imported ${server}`);
    await dockerImport(rootfs, adapter, changesFor('adapter', version));
    log(`imported ${adapter}`);
    let base: string | undefined;
    if (opts.withBase) {
      const baseFs = join(work, 'base');
      assembleRootfs(baseFs, { version });
      base = imageRef('base', version);
      await dockerImport(baseFs, base, changesFor('base', version));
      log(`imported ${base}`);
    }
    return { server, adapter, ...(base ? { base } : {}), bundleBytes, rootfsBytes, ms: performance.now() - t0 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Where the installed package's CLI lives in the harness image. */
export const HARNESS_BIN = '/app/node_modules/bitmaelum-conformance/bin/bm-conformance.mjs';

function run(cmd: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim().slice(-2000)}`);
  }
}

/** The libraries to copy beside `binary`: none for a static one (`ldd` refuses it). */
function librariesOf(binary: string): string[] {
  try {
    return sharedLibraries(binary);
  } catch {
    return [];
  }
}

function which(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface BuiltHarness {
  image: string;
  /** Bytes of the assembled tree (what `docker import` takes). */
  rootfsBytes: number;
  /** Whether a docker CLI went in (for `image:` targets whose adapter runs by docker exec). */
  dockerCli: boolean;
  ms: number;
}

/**
 * Build bitmaelum-conformance/harness:<version>: pack this package, install the tarball with
 * its runtime dependencies (npm cache first) into /app, add Node, /bin/sh and a docker CLI,
 * and `docker import` it (step 4 of the module doc).
 */
export async function buildHarnessImage(opts: { version?: string; log?: (s: string) => void } = {}): Promise<BuiltHarness> {
  const t0 = performance.now();
  const version = opts.version ?? PACKAGE_VERSION;
  const log = opts.log ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), 'bm-harness-image-'));
  try {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT).replace(/^[^[]*/s, '')) as { filename: string }[];
    const tarball = join(work, packed[0]!.filename);
    log(`packed ${packed[0]!.filename}`);
    const rootfs = join(work, 'rootfs');
    assembleRootfs(rootfs, { version });
    const app = join(rootfs, 'app');
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'bitmaelum-conformance-harness', version, private: true, type: 'module', dependencies: { 'bitmaelum-conformance': `file:${tarball}` } }, null, 2) + '\n');
    run('npm', ['install', '--omit=dev', '--prefer-offline', '--install-links', '--no-package-lock'], app);
    log('installed the package and its runtime dependencies into /app');
    // Native addons (rolldown's binding, which vitest loads; ssh2's) need libraries Node itself does not (librt).
    for (const addon of execFileSync('find', [app, '-name', '*.node', '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
      for (const lib of librariesOf(addon)) if (!existsSync(join(rootfs, lib))) copyPreservingPath(lib, rootfs);
    }
    const sh = realpathSync('/bin/sh');
    mkdirSync(join(rootfs, 'bin'), { recursive: true });
    copyFileSync(sh, join(rootfs, 'bin/sh'));
    chmodSync(join(rootfs, 'bin/sh'), 0o755);
    for (const lib of librariesOf(sh)) copyPreservingPath(lib, rootfs);
    const docker = which('docker');
    const dockerCli = docker !== undefined;
    if (docker !== undefined) {
      copyFileSync(realpathSync(docker), join(rootfs, 'usr/local/bin/docker'));
      chmodSync(join(rootfs, 'usr/local/bin/docker'), 0o755);
      for (const lib of librariesOf(docker)) copyPreservingPath(lib, rootfs);
    } else log('no docker CLI on this machine: image targets whose adapter runs by docker exec will not work in the harness image');
    for (const d of ['work', 'out']) mkdirSync(join(rootfs, d), { recursive: true });
    const rootfsBytes = duBytes(rootfs);
    log(`harness rootfs: ${(rootfsBytes / 2 ** 20).toFixed(1)} MiB`);
    const image = imageRef('harness', version);
    await dockerImport(rootfs, image, [
      'ENV PATH=/usr/local/bin:/usr/bin:/bin',
      'ENV HOME=/root',
      'ENV CI=true',
      'ENV TESTCONTAINERS_RYUK_DISABLED=true',
      `LABEL org.opencontainers.image.version=${version}`,
      'LABEL org.opencontainers.image.source=bitmaelum-conformance',
      'LABEL org.opencontainers.image.title=bitmaelum-conformance-harness',
      'WORKDIR /work',
      `ENTRYPOINT ["${IMAGE_NODE}", "${HARNESS_BIN}"]`,
      'CMD ["help"]',
    ]);
    log(`imported ${image}`);
    return { image, rootfsBytes, dockerCli, ms: performance.now() - t0 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Is a docker engine reachable? (`docker info` answers within `timeoutMs`.) */
export function dockerAvailable(timeoutMs = 10_000): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  const at = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const version = at('--version') ?? PACKAGE_VERSION;
  const context = at('--context');
  if (context) {
    const n = await writeBuildContext(context, version);
    process.stdout.write(`wrote ${context}/{bm-conformance.mjs,package.json,Dockerfile} (bundle ${n} bytes)\n`);
    return 0;
  }
  if (!dockerAvailable()) {
    process.stderr.write('images: no docker engine answers `docker info`; start dockerd (see .ci/run) and retry\n');
    return 1;
  }
  const built = await buildImages({ version, withBase: argv.includes('--with-base'), log: (s) => process.stderr.write(`images: ${s}\n`) });
  process.stdout.write(`${built.server}\n${built.adapter}\n${built.base ? `${built.base}\n` : ''}`);
  if (!argv.includes('--no-harness')) {
    const harness = await buildHarnessImage({ version, log: (s) => process.stderr.write(`images: ${s}\n`) });
    process.stdout.write(`${harness.image}\n`);
  }
  process.stderr.write(`images: done in ${(built.ms / 1000).toFixed(1)} s\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}

